"""Every message of the hub is translated into German, French and Polish, none fuzzy.

A translation keeps the placeholders and HTML tags of its message, and the committed
``django.mo`` says what the ``django.po`` says (a fresh install cannot compile it).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).parents[2] / "src" / "ledgerbridge" / "hub" / "locale"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|</?[a-z][^>]*>")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
LANGUAGES = ["de", "fr", "pl"]


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header; plural forms joined."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        body = "\n".join(line for line in lines if not line.startswith("#"))
        if "msgid" not in body:
            continue
        head, _sep, tail = body.partition("msgstr")
        msgid = "".join(_STRING.findall(head.split("msgid_plural")[0]))
        msgstrs = re.split(r"^msgstr\[\d+\]", "msgstr" + tail, flags=re.MULTILINE)
        strings = ["".join(_STRING.findall(part)) for part in msgstrs if part.strip()]
        if msgid:
            entries.append((msgid, " | ".join(strings) if all(strings) else "", fuzzy))
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    # given
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    # when
    entries = _entries(po)
    # then
    assert len(entries) > 100
    assert [msgid for msgid, msgstr, _fuzzy in entries if not msgstr] == []
    assert [msgid for msgid, _msgstr, fuzzy in entries if fuzzy] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Konto erstellen"), ("fr", "Créer un compte"), ("pl", "Utwórz konto")],
)
def test_the_compiled_catalogue_is_committed(language: str, expected: str) -> None:
    # given: a fresh install has no gettext to compile the .po files
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").is_file()
    # when
    with translation.override(language):
        text = translation.gettext("Create an account")
    # then
    assert text == expected


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), text)


def _records(po: Path) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstr forms) of every translated entry, unescaped.

    A msgid with a context is given as gettext stores it: ``context\x04msgid``.
    """
    records = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key = ""
        for line in block.strip().splitlines():
            if line.startswith("#"):
                continue
            if not line.startswith('"'):
                key = line.split(" ", 1)[0]
            parts[key] = parts.get(key, "") + _unescape("".join(_STRING.findall(line)))
        forms = [value for name, value in sorted(parts.items()) if name.startswith("msgstr")]
        if parts.get("msgid") and all(forms):
            context = f"{parts['msgctxt']}\x04" if "msgctxt" in parts else ""
            records.append((context + parts["msgid"], parts.get("msgid_plural", ""), forms))
    return records


def _marks(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_html(language: str) -> None:
    # given
    records = _records(LOCALE / language / "LC_MESSAGES" / "django.po")
    # when: a plural's first form may leave out the count ("once more" for 1)
    broken = [
        (msgid, form)
        for msgid, plural, forms in records
        for index, form in enumerate(forms)
        if (
            _marks(form) != _marks(msgid)
            if not plural
            else not _marks(form) <= _marks(msgid + plural)
        )
        or (plural and index > 0 and not _marks(plural) <= _marks(form))
    ]
    # then
    assert len(records) > 100
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language: str) -> None:
    # given
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # when
    stale = [
        msgid
        for msgid, plural, forms in _records(folder / "django.po")
        if (compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)) != forms[0]
    ]
    # then: run `django-admin compilemessages` in src/ledgerbridge/hub when this fails
    assert stale == []


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("fr", "Email", "E-mail"),
        ("pl", "Forgot your password?", "Nie pamiętasz hasła?"),
        ("pl", "Authenticator App", "Aplikacja uwierzytelniająca"),
        ("pl", "Payment slips", "Blankiety wpłaty"),
    ],
)
def test_the_portal_glossary_wins_over_allauth_and_django(
    language: str, msgid: str, expected: str
) -> None:
    # given: allauth and django.contrib.auth translate these msgids their own way
    # when
    with translation.override(language):
        text = translation.gettext(msgid)
    # then
    assert text == expected
