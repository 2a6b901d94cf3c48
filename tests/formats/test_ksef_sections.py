"""KSeF FA(3): the settlement, transaction terms, order, footer and attachment sections.

Each case adds one section to the example invoice; the FA(3) XSD of the shared corpus
(loaded as in :mod:`tests.formats.test_ksef`) must give the same verdict as the schema
checks written in code, which must also name the offending element.
"""

from __future__ import annotations

import pytest
from lxml import etree

from ledgerbridge.formats.ksef import read
from ledgerbridge.formats.model import ReadOptions
from tests.formats.test_ksef import _mutate, _xsd

_ADDRESS = "<KodKraju>PL</KodKraju><AdresL1>ul. Kwiatowa 1</AdresL1>"
_SETTLEMENT = (
    "<Rozliczenie><Obciazenia><Kwota>50.00</Kwota><Powod>Transport</Powod></Obciazenia>"
    "<SumaObciazen>50.00</SumaObciazen><Odliczenia><Kwota>10.00</Kwota><Powod>Rabat</Powod>"
    "</Odliczenia><SumaOdliczen>10.00</SumaOdliczen><DoZaplaty>163.00</DoZaplaty></Rozliczenie>"
)
_TERMS = (
    "<WarunkiTransakcji><Umowy><DataUmowy>2025-12-01</DataUmowy><NrUmowy>UM/1</NrUmowy>"
    "</Umowy><Zamowienia><NrZamowienia>Z/7</NrZamowienia></Zamowienia>"
    "<NrPartiiTowaru>P1</NrPartiiTowaru><WarunkiDostawy>DDP</WarunkiDostawy>"
    "<KursUmowny>4.5678</KursUmowny><WalutaUmowna>EUR</WalutaUmowna>"
    "<Transport><RodzajTransportu>3</RodzajTransportu><Przewoznik><DaneIdentyfikacyjne>"
    "<NIP>1122334455</NIP><Nazwa>Trans</Nazwa></DaneIdentyfikacyjne>"
    f"<AdresPrzewoznika>{_ADDRESS}</AdresPrzewoznika></Przewoznik>"
    "<OpisLadunku>13</OpisLadunku><JednostkaOpakowania>PAL</JednostkaOpakowania>"
    "<DataGodzRozpTransportu>2026-02-14T06:00:00Z</DataGodzRozpTransportu>"
    f"<WysylkaZ>{_ADDRESS}</WysylkaZ><WysylkaPrzez>{_ADDRESS}</WysylkaPrzez>"
    f"<WysylkaDo>{_ADDRESS}</WysylkaDo></Transport>"
    "<Transport><TransportInny>1</TransportInny><OpisInnegoTransportu>kombajn"
    "</OpisInnegoTransportu><LadunekInny>1</LadunekInny><OpisInnegoLadunku>zboże"
    "</OpisInnegoLadunku></Transport><PodmiotPosredniczacy>1</PodmiotPosredniczacy>"
    "</WarunkiTransakcji>"
)
_ORDER = (
    "<Zamowienie><WartoscZamowienia>123.00</WartoscZamowienia><ZamowienieWiersz>"
    "<NrWierszaZam>1</NrWierszaZam><P_7Z>Usługa</P_7Z><P_8AZ>szt.</P_8AZ><P_8BZ>1</P_8BZ>"
    "<P_9AZ>100.00</P_9AZ><P_11NettoZ>100.00</P_11NettoZ><P_11VatZ>23.00</P_11VatZ>"
    "<P_12Z>23</P_12Z><GTUZ>GTU_12</GTUZ><ProceduraZ>TT_D</ProceduraZ></ZamowienieWiersz>"
    "</Zamowienie>"
)
_FOOTER = (
    "<Stopka><Informacje><StopkaFaktury>Dziękujemy za zakupy.</StopkaFaktury></Informacje>"
    "<Rejestry><PelnaNazwa>ABC sp. z o.o.</PelnaNazwa><KRS>0000123456</KRS>"
    "<REGON>123456789</REGON><BDO>000012345</BDO></Rejestry></Stopka>"
)
_ATTACHMENT = (
    "<Zalacznik><BlokDanych><ZNaglowek>Odczyty</ZNaglowek><MetaDane><ZKlucz>Licznik</ZKlucz>"
    "<ZWartosc>GM-1</ZWartosc></MetaDane><Tekst><Akapit>Okres rozliczeniowy.</Akapit></Tekst>"
    '<Tabela><Opis>Zużycie</Opis><TNaglowek><Kol Typ="date"><NKom>Data</NKom></Kol>'
    '<Kol Typ="dec"><NKom>m3</NKom></Kol></TNaglowek><Wiersz><WKom>2026-01-31</WKom>'
    "<WKom>47.5</WKom></Wiersz><Wiersz><WKom></WKom><WKom>0</WKom></Wiersz>"
    "<Suma><SKom/><SKom>47.5</SKom></Suma></Tabela></BlokDanych></Zalacznik>"
)
_IN_FA = ("<Rozliczenie", "<WarunkiTransakcji", "<Zamowienie")  # the others follow Fa


def _with(section: str) -> bytes:
    """The example invoice with one of the five sections, in its place."""
    if section.startswith(_IN_FA):
        return _mutate("</FaWiersz>", "</FaWiersz>" + section)
    return _mutate("</Faktura>", section + "</Faktura>")


def _schema_findings(data: bytes) -> list[tuple[str, str]]:
    findings = read(data, options=ReadOptions()).documents[0].findings
    return [(f.code, f.location) for f in findings if f.code.startswith("KSEF-SCHEMA")]


def _changed(section: str, old: str, new: str) -> bytes:
    assert old in section
    return _with(section.replace(old, new, 1))


@pytest.mark.parametrize(
    "section",
    [
        _SETTLEMENT,
        "<Rozliczenie/>",
        "<Rozliczenie><DoRozliczenia>5.00</DoRozliczenia></Rozliczenie>",
        _TERMS,
        "<WarunkiTransakcji><Umowy/><Zamowienia/></WarunkiTransakcji>",
        _ORDER,
        _FOOTER,
        "<Stopka/>",
        _ATTACHMENT,
        "<Zalacznik><BlokDanych><MetaDane><ZKlucz>k</ZKlucz><ZWartosc>v</ZWartosc></MetaDane>"
        "</BlokDanych></Zalacznik>",
    ],
    ids=["settlement", "settlement-empty", "settlement-credit", "terms", "terms-empty",
         "order", "footer", "footer-empty", "attachment", "attachment-minimal"],
)  # fmt: skip
def test_section_valid_for_the_xsd_has_no_schema_finding(section: str) -> None:
    # given
    data = _with(section)
    # when
    findings = _schema_findings(data)
    # then
    assert _xsd().validate(etree.fromstring(data)), _xsd().error_log
    assert findings == []


@pytest.mark.parametrize(
    ("section", "old", "new", "finding"),
    [
        pytest.param(
            _SETTLEMENT, "<Kwota>50.00</Kwota><Powod>Transport</Powod>",
            "<Powod>Transport</Powod><Kwota>50.00</Kwota>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Rozliczenie[1]/Obciazenia[1]/Powod"),
            id="settlement-order",
        ),
        pytest.param(
            _SETTLEMENT, "<Powod>Rabat</Powod>", "",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Fa[1]/Rozliczenie[1]/Odliczenia[1]"),
            id="settlement-missing",
        ),
        pytest.param(
            _SETTLEMENT, "<DoZaplaty>163.00</DoZaplaty>",
            "<DoZaplaty>163.00</DoZaplaty><DoRozliczenia>1</DoRozliczenia>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Rozliczenie[1]/DoRozliczenia"),
            id="settlement-choice",
        ),
        pytest.param(
            _SETTLEMENT, "<SumaObciazen>50.00</SumaObciazen>",
            "<SumaObciazen>50.001</SumaObciazen>",
            ("KSEF-SCHEMA-AMOUNT", "/Faktura/Fa[1]/Rozliczenie[1]/SumaObciazen[1]"),
            id="settlement-amount",
        ),
        pytest.param(
            _TERMS, "<NrPartiiTowaru>P1</NrPartiiTowaru><WarunkiDostawy>DDP</WarunkiDostawy>",
            "<WarunkiDostawy>DDP</WarunkiDostawy><NrPartiiTowaru>P1</NrPartiiTowaru>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/WarunkiTransakcji[1]/NrPartiiTowaru"),
            id="terms-order",
        ),
        pytest.param(
            _TERMS, "<WalutaUmowna>EUR</WalutaUmowna>", "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport"),
            id="terms-rate-without-currency",
        ),
        pytest.param(
            _TERMS, "<OpisLadunku>13</OpisLadunku>", "",
            ("KSEF-SCHEMA-UNEXPECTED",
             "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]/JednostkaOpakowania"),
            id="terms-cargo-missing",
        ),
        pytest.param(
            _TERMS, "<OpisInnegoTransportu>kombajn</OpisInnegoTransportu>", "",
            ("KSEF-SCHEMA-UNEXPECTED",
             "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[2]/LadunekInny"),
            id="terms-other-transport-undescribed",
        ),
        pytest.param(
            _TERMS, "<RodzajTransportu>3</RodzajTransportu>",
            "<RodzajTransportu>6</RodzajTransportu>",
            ("KSEF-SCHEMA-ENUM",
             "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]/RodzajTransportu[1]"),
            id="terms-transport-mode",
        ),
        pytest.param(
            _TERMS, "<DataUmowy>2025-12-01</DataUmowy>", "<DataUmowy>1989-12-31</DataUmowy>",
            ("KSEF-SCHEMA-DATE",
             "/Faktura/Fa[1]/WarunkiTransakcji[1]/Umowy[1]/DataUmowy[1]"),
            id="terms-contract-date",
        ),
        pytest.param(
            _TERMS, "<NIP>1122334455</NIP>", "<NIP>112233445</NIP>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]"
             "/Przewoznik[1]/DaneIdentyfikacyjne[1]/NIP[1]"),
            id="terms-carrier-nip",
        ),
        pytest.param(
            _ORDER, "<P_8AZ>szt.</P_8AZ><P_8BZ>1</P_8BZ>", "<P_8BZ>1</P_8BZ><P_8AZ>szt.</P_8AZ>",
            ("KSEF-SCHEMA-UNEXPECTED",
             "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/P_8AZ"),
            id="order-line-order",
        ),
        pytest.param(
            _ORDER, "<WartoscZamowienia>123.00</WartoscZamowienia>", "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz"),
            id="order-value-missing",
        ),
        pytest.param(
            _ORDER, "<NrWierszaZam>1</NrWierszaZam>", "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/P_7Z"),
            id="order-line-number-missing",
        ),
        pytest.param(
            _ORDER, "<ProceduraZ>TT_D</ProceduraZ>", "<ProceduraZ>I_42</ProceduraZ>",
            ("KSEF-SCHEMA-ENUM",
             "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/ProceduraZ[1]"),
            id="order-procedure-of-lines-only",
        ),
        pytest.param(
            _FOOTER, "<Informacje>", "<Rejestry/><Informacje>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Stopka[1]/Informacje"),
            id="footer-order",
        ),
        pytest.param(
            _FOOTER, "<KRS>0000123456</KRS>", "<KRS> 0000123456</KRS>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Stopka[1]/Rejestry[1]/KRS[1]"),
            id="footer-krs",
        ),
        pytest.param(
            _FOOTER, "<REGON>123456789</REGON>", "<REGON>1234567890</REGON>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Stopka[1]/Rejestry[1]/REGON[1]"),
            id="footer-regon",
        ),
        pytest.param(
            _FOOTER, "<BDO>000012345</BDO>", "<BDO>0000123456</BDO>",
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Stopka[1]/Rejestry[1]/BDO[1]"),
            id="footer-bdo",
        ),
        pytest.param(
            _FOOTER, "<StopkaFaktury>Dziękujemy za zakupy.</StopkaFaktury>",
            "<StopkaFaktury></StopkaFaktury>",
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Stopka[1]/Informacje[1]/StopkaFaktury[1]"),
            id="footer-empty-text",
        ),
        pytest.param(
            _ATTACHMENT, "<MetaDane><ZKlucz>Licznik</ZKlucz><ZWartosc>GM-1</ZWartosc></MetaDane>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Zalacznik[1]/BlokDanych[1]/Tekst"),
            id="attachment-metadata-missing",
        ),
        pytest.param(
            _ATTACHMENT, "<Wiersz><WKom>2026", "<Suma><SKom>1</SKom></Suma><Wiersz><WKom>2026",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/Suma"),
            id="attachment-table-order",
        ),
        pytest.param(
            _ATTACHMENT, '<Kol Typ="date">', "<Kol>",
            ("KSEF-SCHEMA-ATTRIBUTE",
             "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[1]"),
            id="attachment-column-type-missing",
        ),
        pytest.param(
            _ATTACHMENT, '<Kol Typ="dec">', '<Kol Typ="decimal">',
            ("KSEF-SCHEMA-ATTRIBUTE",
             "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[2]"),
            id="attachment-column-type",
        ),
        pytest.param(
            _ATTACHMENT, '<Kol Typ="dec">', '<Kol Typ="dec" Szerokosc="5">',
            ("KSEF-SCHEMA-ATTRIBUTE",
             "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[2]"),
            id="attachment-column-undeclared-attribute",
        ),
        pytest.param(
            _ATTACHMENT, "<WKom>47.5</WKom>", f"<WKom>{'x' * 257}</WKom>",
            ("KSEF-SCHEMA-LENGTH",
             "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/Wiersz[1]/WKom[2]"),
            id="attachment-cell-length",
        ),
    ],
)  # fmt: skip
def test_broken_section_gets_the_finding_the_xsd_agrees_with(
    section: str, old: str, new: str, finding: tuple[str, str]
) -> None:
    # given
    data = _changed(section, old, new)
    # when
    findings = _schema_findings(data)
    # then
    assert not _xsd().validate(etree.fromstring(data))
    assert findings == [finding]


_START = "<DataGodzRozpTransportu>2026-02-14T06:00:00Z</DataGodzRozpTransportu>"


@pytest.mark.parametrize(
    ("section", "old", "new", "valid"),
    [
        (_TERMS, _START, _START.replace("2026-02-14T06:00:00Z", value), valid)
        for value, valid in [
            ("2021-10-01T00:00:00Z", True),
            ("2021-09-30T23:00:00-02:00", True),
            ("2021-10-01T00:00:00", False),  # no zone: equal to the bound is indeterminate
            ("2021-10-01T00:00:01", True),
            ("2021-09-30T24:00:00Z", False),  # libxml2 keeps 24:00 on its own day
            ("2021-10-01T24:00:00", True),
            ("2050-01-01T23:59:59Z", True),
            ("2050-01-01T23:59:59", False),
            ("2050-01-02T00:30:00+01:00", True),
            ("2026-02-14T25:00:00Z", False),
            ("2026-02-14T06:00:00+14:01", False),
            ("2026-02-29T06:00:00Z", False),
            (" 2026-02-14T06:00:00Z", False),
        ]
    ]
    + [
        (_TERMS, "<RodzajTransportu>3</RodzajTransportu>",
         f"<RodzajTransportu>{value}</RodzajTransportu>", valid)
        for value, valid in [("03", True), ("+3", True), (" 3 ", True), ("3.0", False)]
    ]
    + [
        (_ATTACHMENT, '<Kol Typ="dec">', f'<Kol Typ="{value}">', valid)
        for value, valid in [("datetime", True), ("time", True), (" dec", False)]
    ]
    + [
        (_FOOTER, "<REGON>123456789</REGON>", f"<REGON>{value}</REGON>", valid)
        for value, valid in [("12345678901234", True), ("123456789 ", False)]
    ]
    + [
        (_FOOTER, "<StopkaFaktury>Dziękujemy za zakupy.</StopkaFaktury>",
         f"<StopkaFaktury>{value}</StopkaFaktury>", valid)
        for value, valid in [("   ", True), ("x" * 3500, True), ("x" * 3501, False)]
    ],
)  # fmt: skip
def test_simple_type_at_its_edge_agrees_with_the_xsd(
    section: str, old: str, new: str, valid: bool
) -> None:
    # given
    data = _changed(section, old, new)
    # when
    findings = _schema_findings(data)
    # then
    assert _xsd().validate(etree.fromstring(data)) is valid
    assert (findings == []) is valid
