"""Every message of the hub is translated into German, French and Polish, none fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).parents[3] / "src" / "ledgerbridge" / "hub" / "locale"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


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


@pytest.mark.parametrize("language", ["de", "fr", "pl"])
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
