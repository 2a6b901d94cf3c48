"""What the document search compares: folded text, the same on SQLite and PostgreSQL.

Neither database folds accents by itself (SQLite's ``LIKE`` folds ASCII only, PostgreSQL's
``unaccent`` is an extension), so a document carries ``search_text``: its creditor, IBAN,
reference, invoice number, file name and amount, folded once by the service that writes
them. A query is folded the same way and looked for with ``icontains``.

Folding is NFKD without the combining marks, then case-folded; the letters that NFKD does
not decompose are spelled out (``ø`` -> ``o``, ``ł`` -> ``l``, ``ß`` -> ``ss``, ``æ`` ->
``ae`` ...). An amount is stored as ``3009.64``; a query word that reads as an amount in
any regional format (``3'009.64``, ``3.009,64``, ``3 009,64``) also looks for that form.

>>> fold("Sørensen & Müller, Łódź STRASSE Straße")
'sorensen & muller, lodz strasse strasse'
>>> search_terms("MULLER 3'009.64")
[['muller'], ['3009.64']]
>>> search_terms("3.009,64")
[['3.009,64', '3009.64']]
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["fold", "search_terms", "search_text"]

# Letters NFKD leaves whole (they are letters of their own, not a letter with a mark).
_SPELLED = str.maketrans(
    {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
        "\u0131": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "ŋ": "n", "Ŋ": "n",
        "\u2019": "'", "\u02bc": "'",
    }
)  # fmt: skip

# A thousands separator between digits: a space (also no-break) or an apostrophe, before
# exactly three digits. Removed from a query, so that "3 009.64" stays one word.
_GROUP_SPACE = re.compile(r"(?<=\d)[ ']+(?=\d{3}(?!\d))")
_AMOUNT = re.compile(r"-?\d[\d.,']*")
_DECIMALS = re.compile(r"[.,](\d{1,2})$")


def fold(text: str) -> str:
    """``text`` without accents and case, with one space between words."""
    spelled = text.translate(_SPELLED)
    decomposed = unicodedata.normalize("NFKD", spelled)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_SPELLED).split())


def _as_amount(word: str) -> str | None:
    """The stored form of an amount written with separators (``3.009,64`` -> ``3009.64``)."""
    if not _AMOUNT.fullmatch(word) or not any(sep in word for sep in ".,'"):
        return None
    decimals = _DECIMALS.search(word)
    whole = word[: decimals.start()] if decimals else word
    digits = "".join(ch for ch in whole if ch.isdigit() or ch == "-")
    return f"{digits}.{decimals.group(1)}" if decimals else digits


def search_terms(query: str) -> list[list[str]]:
    """The words of ``query``, each with the forms it may take in ``search_text``.

    A document matches when, for every word, one of its forms occurs."""
    terms = []
    for word in _GROUP_SPACE.sub("", fold(query)).split():
        forms = [word]
        amount = _as_amount(word)
        if amount and amount not in forms:
            forms.append(amount)
        terms.append(forms)
    return terms


def search_text(
    *,
    creditor_name: str,
    iban: str,
    reference: str,
    invoice_number: str,
    file_name: str,
    amount: Decimal | None,
) -> str:
    """The folded text the search of one document looks in."""
    parts = [creditor_name, iban, reference, invoice_number, file_name]
    if amount is not None:
        parts.append(f"{amount:f}")
    return fold(" ".join(part for part in parts if part))
