"""KSeF FA(3): the sections and parts of the invoice beyond the example, to the leaf.

Each case puts one section (settlement, transaction terms, order, footer, attachment,
third parties, authorised party, buyer's identifier, new means of transport, corrected
parties, additional description, payment link) into the example invoice; the FA(3) XSD of
the shared corpus (loaded as in :mod:`tests.formats.test_ksef`) must give the same verdict
as the schema checks written in code, which must also name the offending element.
"""

from __future__ import annotations

import pytest
from lxml import etree

from ledgerbridge.formats.ksef import read
from ledgerbridge.formats.model import ReadOptions
from tests.formats.ksef_sample import fa3_schema, mutate

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
_THIRD = (
    "<Podmiot3><IDNabywcy>ODB-7</IDNabywcy><NrEORI>PL123</NrEORI><DaneIdentyfikacyjne>"
    "<IDWew>1111111111-00001</IDWew><Nazwa>Szkoła nr 1</Nazwa></DaneIdentyfikacyjne>"
    f"<Adres>{_ADDRESS}</Adres><Rola>8</Rola></Podmiot3>"
    "<Podmiot3><DaneIdentyfikacyjne><KodUE>DE</KodUE><NrVatUE>123456789</NrVatUE>"
    "</DaneIdentyfikacyjne><RolaInna>1</RolaInna><OpisRoli>Agent</OpisRoli></Podmiot3>"
    "<Podmiot3><DaneIdentyfikacyjne><KodKraju>US</KodKraju><NrID>12-3456789</NrID>"
    "</DaneIdentyfikacyjne><Rola>1</Rola><Udzial>50</Udzial></Podmiot3>"
    "<Podmiot3><DaneIdentyfikacyjne><BrakID>1</BrakID></DaneIdentyfikacyjne><Rola>4</Rola>"
    "</Podmiot3>"
)
_AUTHORISED = (
    "<PodmiotUpowazniony><NrEORI>PL9</NrEORI><DaneIdentyfikacyjne><NIP>5555555555</NIP>"
    "<Nazwa>Komornik Sądowy</Nazwa></DaneIdentyfikacyjne>"
    f"<Adres>{_ADDRESS}</Adres><AdresKoresp>{_ADDRESS}</AdresKoresp><DaneKontaktowe>"
    "<EmailPU>biuro@komornik.pl</EmailPU><TelefonPU>221234567</TelefonPU></DaneKontaktowe>"
    "<DaneKontaktowe/><RolaPU>1</RolaPU></PodmiotUpowazniony>"
)
_BUYER_ID = "<IDNabywcy>ODB-0001</IDNabywcy>"
_VEHICLES = (
    "<NoweSrodkiTransportu><P_22>1</P_22><P_42_5>2</P_42_5><NowySrodekTransportu>"
    "<P_22A>2026-01-10</P_22A><P_NrWierszaNST>1</P_NrWierszaNST><P_22BMK>Skoda</P_22BMK>"
    "<P_22BMD>Octavia</P_22BMD><P_22BK>szary</P_22BK><P_22BNR>WA12345</P_22BNR>"
    "<P_22BRP>2025</P_22BRP><P_22B>1200</P_22B><P_22B1>TMBJJ7NE1L0123456</P_22B1>"
    "<P_22BT>osobowy</P_22BT></NowySrodekTransportu><NowySrodekTransportu>"
    "<P_22A>2026-01-11</P_22A><P_NrWierszaNST>2</P_NrWierszaNST><P_22C>30</P_22C>"
    "<P_22C1>PL-1234</P_22C1></NowySrodekTransportu><NowySrodekTransportu>"
    "<P_22A>2026-01-12</P_22A><P_NrWierszaNST>3</P_NrWierszaNST><P_22D>15</P_22D>"
    "</NowySrodekTransportu></NoweSrodkiTransportu>"
)
_VEHICLE = "/Faktura/Fa[1]/Adnotacje[1]/NoweSrodkiTransportu[1]/NowySrodekTransportu"
_CORRECTION = (
    "<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>zmiana danych</PrzyczynaKorekty>"
    "<TypKorekty>1</TypKorekty><DaneFaKorygowanej><DataWystFaKorygowanej>2026-02-01"
    "</DataWystFaKorygowanej><NrFaKorygowanej>FV/0</NrFaKorygowanej><NrKSeFN>1</NrKSeFN>"
    "</DaneFaKorygowanej><Podmiot1K><PrefiksPodatnika>DE</PrefiksPodatnika>"
    "<DaneIdentyfikacyjne><NIP>9999999999</NIP><Nazwa>ABC</Nazwa></DaneIdentyfikacyjne>"
    f"<Adres>{_ADDRESS}</Adres></Podmiot1K><Podmiot2K><DaneIdentyfikacyjne>"
    "<NIP>1111111111</NIP><Nazwa>Jan</Nazwa></DaneIdentyfikacyjne>"
    f"<Adres>{_ADDRESS}</Adres><IDNabywcy>ODB-1</IDNabywcy></Podmiot2K>"
    "<Podmiot2K><DaneIdentyfikacyjne><BrakID>1</BrakID></DaneIdentyfikacyjne></Podmiot2K>"
)
_DESCRIPTION = (
    "<DodatkowyOpis><NrWiersza>1</NrWiersza><Klucz>Kolor</Klucz><Wartosc>czerwony</Wartosc>"
    "</DodatkowyOpis><DodatkowyOpis><Klucz>Uwagi</Klucz><Wartosc>brak</Wartosc></DodatkowyOpis>"
)
_LINK = "https://pay.bank.pl/ksef?IPKSeF=123AbCdE12345&amp;lang=pl"
_PAYMENT = (
    f"<Platnosc><FormaPlatnosci>6</FormaPlatnosci><LinkDoPlatnosci>{_LINK}</LinkDoPlatnosci>"
    "<IPKSeF>123AbCdE12345</IPKSeF></Platnosc>"
)
# Where a section goes in the example invoice: (how it starts, anchor, anchor rewritten);
# any other section goes last.
_PLACES = (
    (
        ("<Rozliczenie", "<WarunkiTransakcji", "<Zamowienie", "<Platnosc"),
        "</FaWiersz>",
        "</FaWiersz>{}",
    ),
    (("<Podmiot3", "<PodmiotUpowazniony"), "</Podmiot2>", "</Podmiot2>{}"),
    (("<IDNabywcy",), "<JST>", "{}<JST>"),
    (("<PrefiksPodatnika",), "<Podmiot1>", "<Podmiot1>{}"),
    (("<DodatkowyOpis",), "<FaWiersz>", "{}<FaWiersz>"),
    (
        ("<NoweSrodkiTransportu",),
        "<NoweSrodkiTransportu><P_22N>1</P_22N>\n   </NoweSrodkiTransportu>",
        "{}",
    ),
    (("<RodzajFaktury",), "<RodzajFaktury>VAT</RodzajFaktury>", "{}"),
)


def _with(section: str) -> bytes:
    """The example invoice with ``section`` in its place."""
    for starts, anchor, rewritten in _PLACES:
        if section.startswith(starts):
            return mutate(anchor, rewritten.format(section))
    return mutate("</Faktura>", section + "</Faktura>")


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
        _THIRD,
        "<Podmiot3><DaneIdentyfikacyjne><NIP>1111111111</NIP></DaneIdentyfikacyjne>"
        "<Rola>2</Rola></Podmiot3>",
        _AUTHORISED,
        "<PodmiotUpowazniony><DaneIdentyfikacyjne><NIP>5555555555</NIP><Nazwa>K</Nazwa>"
        f"</DaneIdentyfikacyjne><Adres>{_ADDRESS}</Adres><RolaPU>3</RolaPU></PodmiotUpowazniony>",
        _BUYER_ID,
        "<PrefiksPodatnika>PL</PrefiksPodatnika>",
        "<PrefiksPodatnika/>",  # an empty element takes the fixed value PL
        _VEHICLES,
        _CORRECTION,
        _DESCRIPTION,
        _PAYMENT,
        "<Platnosc><IPKSeF>123AbCdE12345</IPKSeF></Platnosc>",
    ],
    ids=[
        "settlement",
        "settlement-empty",
        "settlement-credit",
        "terms",
        "terms-empty",
        "order",
        "footer",
        "footer-empty",
        "attachment",
        "attachment-minimal",
        "third-parties",
        "third-party-minimal",
        "authorised",
        "authorised-minimal",
        "buyer-id",
        "seller-prefix",
        "seller-prefix-empty",
        "new-vehicles",
        "corrected-parties",
        "additional-description",
        "payment-link",
        "payment-id-only",
    ],
)
def test_section_valid_for_the_xsd_has_no_schema_finding(section: str) -> None:
    # given
    data = _with(section)
    # when
    findings = _schema_findings(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert findings == []


@pytest.mark.parametrize(
    ("section", "old", "new", "finding"),
    [
        pytest.param(
            _SETTLEMENT,
            "<Kwota>50.00</Kwota><Powod>Transport</Powod>",
            "<Powod>Transport</Powod><Kwota>50.00</Kwota>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Rozliczenie[1]/Obciazenia[1]/Powod"),
            id="settlement-order",
        ),
        pytest.param(
            _SETTLEMENT,
            "<Powod>Rabat</Powod>",
            "",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Fa[1]/Rozliczenie[1]/Odliczenia[1]"),
            id="settlement-missing",
        ),
        pytest.param(
            _SETTLEMENT,
            "<DoZaplaty>163.00</DoZaplaty>",
            "<DoZaplaty>163.00</DoZaplaty><DoRozliczenia>1</DoRozliczenia>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Rozliczenie[1]/DoRozliczenia"),
            id="settlement-choice",
        ),
        pytest.param(
            _SETTLEMENT,
            "<SumaObciazen>50.00</SumaObciazen>",
            "<SumaObciazen>50.001</SumaObciazen>",
            ("KSEF-SCHEMA-AMOUNT", "/Faktura/Fa[1]/Rozliczenie[1]/SumaObciazen[1]"),
            id="settlement-amount",
        ),
        pytest.param(
            _TERMS,
            "<NrPartiiTowaru>P1</NrPartiiTowaru><WarunkiDostawy>DDP</WarunkiDostawy>",
            "<WarunkiDostawy>DDP</WarunkiDostawy><NrPartiiTowaru>P1</NrPartiiTowaru>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/WarunkiTransakcji[1]/NrPartiiTowaru"),
            id="terms-order",
        ),
        pytest.param(
            _TERMS,
            "<WalutaUmowna>EUR</WalutaUmowna>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport"),
            id="terms-rate-without-currency",
        ),
        pytest.param(
            _TERMS,
            "<OpisLadunku>13</OpisLadunku>",
            "",
            (
                "KSEF-SCHEMA-UNEXPECTED",
                "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]/JednostkaOpakowania",
            ),
            id="terms-cargo-missing",
        ),
        pytest.param(
            _TERMS,
            "<OpisInnegoTransportu>kombajn</OpisInnegoTransportu>",
            "",
            (
                "KSEF-SCHEMA-UNEXPECTED",
                "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[2]/LadunekInny",
            ),
            id="terms-other-transport-undescribed",
        ),
        pytest.param(
            _TERMS,
            "<RodzajTransportu>3</RodzajTransportu>",
            "<RodzajTransportu>6</RodzajTransportu>",
            (
                "KSEF-SCHEMA-ENUM",
                "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]/RodzajTransportu[1]",
            ),
            id="terms-transport-mode",
        ),
        pytest.param(
            _TERMS,
            "<DataUmowy>2025-12-01</DataUmowy>",
            "<DataUmowy>1989-12-31</DataUmowy>",
            ("KSEF-SCHEMA-DATE", "/Faktura/Fa[1]/WarunkiTransakcji[1]/Umowy[1]/DataUmowy[1]"),
            id="terms-contract-date",
        ),
        pytest.param(
            _TERMS,
            "<NIP>1122334455</NIP>",
            "<NIP>112233445</NIP>",
            (
                "KSEF-SCHEMA-PATTERN",
                "/Faktura/Fa[1]/WarunkiTransakcji[1]/Transport[1]"
                "/Przewoznik[1]/DaneIdentyfikacyjne[1]/NIP[1]",
            ),
            id="terms-carrier-nip",
        ),
        pytest.param(
            _ORDER,
            "<P_8AZ>szt.</P_8AZ><P_8BZ>1</P_8BZ>",
            "<P_8BZ>1</P_8BZ><P_8AZ>szt.</P_8AZ>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/P_8AZ"),
            id="order-line-order",
        ),
        pytest.param(
            _ORDER,
            "<WartoscZamowienia>123.00</WartoscZamowienia>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz"),
            id="order-value-missing",
        ),
        pytest.param(
            _ORDER,
            "<NrWierszaZam>1</NrWierszaZam>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/P_7Z"),
            id="order-line-number-missing",
        ),
        pytest.param(
            _ORDER,
            "<ProceduraZ>TT_D</ProceduraZ>",
            "<ProceduraZ>I_42</ProceduraZ>",
            ("KSEF-SCHEMA-ENUM", "/Faktura/Fa[1]/Zamowienie[1]/ZamowienieWiersz[1]/ProceduraZ[1]"),
            id="order-procedure-of-lines-only",
        ),
        pytest.param(
            _FOOTER,
            "<Informacje>",
            "<Rejestry/><Informacje>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Stopka[1]/Informacje"),
            id="footer-order",
        ),
        pytest.param(
            _FOOTER,
            "<KRS>0000123456</KRS>",
            "<KRS> 0000123456</KRS>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Stopka[1]/Rejestry[1]/KRS[1]"),
            id="footer-krs",
        ),
        pytest.param(
            _FOOTER,
            "<REGON>123456789</REGON>",
            "<REGON>1234567890</REGON>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Stopka[1]/Rejestry[1]/REGON[1]"),
            id="footer-regon",
        ),
        pytest.param(
            _FOOTER,
            "<BDO>000012345</BDO>",
            "<BDO>0000123456</BDO>",
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Stopka[1]/Rejestry[1]/BDO[1]"),
            id="footer-bdo",
        ),
        pytest.param(
            _FOOTER,
            "<StopkaFaktury>Dziękujemy za zakupy.</StopkaFaktury>",
            "<StopkaFaktury></StopkaFaktury>",
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Stopka[1]/Informacje[1]/StopkaFaktury[1]"),
            id="footer-empty-text",
        ),
        pytest.param(
            _ATTACHMENT,
            "<MetaDane><ZKlucz>Licznik</ZKlucz><ZWartosc>GM-1</ZWartosc></MetaDane>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Zalacznik[1]/BlokDanych[1]/Tekst"),
            id="attachment-metadata-missing",
        ),
        pytest.param(
            _ATTACHMENT,
            "<Wiersz><WKom>2026",
            "<Suma><SKom>1</SKom></Suma><Wiersz><WKom>2026",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/Suma"),
            id="attachment-table-order",
        ),
        pytest.param(
            _ATTACHMENT,
            '<Kol Typ="date">',
            "<Kol>",
            (
                "KSEF-SCHEMA-ATTRIBUTE",
                "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[1]",
            ),
            id="attachment-column-type-missing",
        ),
        pytest.param(
            _ATTACHMENT,
            '<Kol Typ="dec">',
            '<Kol Typ="decimal">',
            (
                "KSEF-SCHEMA-ATTRIBUTE",
                "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[2]",
            ),
            id="attachment-column-type",
        ),
        pytest.param(
            _ATTACHMENT,
            '<Kol Typ="dec">',
            '<Kol Typ="dec" Szerokosc="5">',
            (
                "KSEF-SCHEMA-ATTRIBUTE",
                "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/TNaglowek[1]/Kol[2]",
            ),
            id="attachment-column-undeclared-attribute",
        ),
        pytest.param(
            _ATTACHMENT,
            "<WKom>47.5</WKom>",
            f"<WKom>{'x' * 257}</WKom>",
            (
                "KSEF-SCHEMA-LENGTH",
                "/Faktura/Zalacznik[1]/BlokDanych[1]/Tabela[1]/Wiersz[1]/WKom[2]",
            ),
            id="attachment-cell-length",
        ),
        pytest.param(
            _BUYER_ID,
            "ODB-0001",
            "x" * 33,
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Podmiot2[1]/IDNabywcy[1]"),
            id="buyer-id-length",
        ),
        pytest.param(
            _THIRD,
            "<IDNabywcy>ODB-7</IDNabywcy><NrEORI>PL123</NrEORI>",
            "<NrEORI>PL123</NrEORI><IDNabywcy>ODB-7</IDNabywcy>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Podmiot3[1]/IDNabywcy"),
            id="third-party-order",
        ),
        pytest.param(
            _THIRD,
            "<IDWew>1111111111-00001</IDWew>",
            "<NIP>1111111111</NIP><IDWew>1111111111-00001</IDWew>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Podmiot3[1]/DaneIdentyfikacyjne[1]/IDWew"),
            id="third-party-two-identifiers",
        ),
        pytest.param(
            _THIRD,
            "<IDWew>1111111111-00001</IDWew>",
            "<IDWew>1111111111-0001</IDWew>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Podmiot3[1]/DaneIdentyfikacyjne[1]/IDWew[1]"),
            id="third-party-internal-id",
        ),
        pytest.param(
            _THIRD,
            "<NrVatUE>123456789</NrVatUE>",
            "",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Podmiot3[2]/DaneIdentyfikacyjne[1]"),
            id="third-party-eu-vat-number-missing",
        ),
        pytest.param(
            _THIRD,
            "<KodKraju>US</KodKraju><NrID>12-3456789</NrID>",
            "<NrID>12-3456789</NrID><KodKraju>US</KodKraju>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Podmiot3[3]/DaneIdentyfikacyjne[1]/KodKraju"),
            id="third-party-foreign-id-order",
        ),
        pytest.param(
            _THIRD,
            "<BrakID>1</BrakID>",
            "<BrakID>2</BrakID>",
            ("KSEF-SCHEMA-ENUM", "/Faktura/Podmiot3[4]/DaneIdentyfikacyjne[1]/BrakID[1]"),
            id="third-party-no-id-flag",
        ),
        pytest.param(
            _AUTHORISED,
            "<RolaPU>1</RolaPU>",
            "",
            ("KSEF-SCHEMA-MISSING", "/Faktura/PodmiotUpowazniony[1]"),
            id="authorised-role-missing",
        ),
        pytest.param(
            _AUTHORISED,
            "<RolaPU>1</RolaPU>",
            "<RolaPU>4</RolaPU>",
            ("KSEF-SCHEMA-ENUM", "/Faktura/PodmiotUpowazniony[1]/RolaPU[1]"),
            id="authorised-role",
        ),
        pytest.param(
            _AUTHORISED,
            f"<Adres>{_ADDRESS}</Adres>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/PodmiotUpowazniony[1]/AdresKoresp"),
            id="authorised-address-missing",
        ),
        pytest.param(
            _AUTHORISED,
            "<NrEORI>PL9</NrEORI>",
            "<RolaPU>1</RolaPU><NrEORI>PL9</NrEORI>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/PodmiotUpowazniony[1]/RolaPU"),
            id="authorised-order",
        ),
        pytest.param(
            _AUTHORISED,
            "<NIP>5555555555</NIP><Nazwa>Komornik Sądowy</Nazwa>",
            "<BrakID>1</BrakID>",
            (
                "KSEF-SCHEMA-UNEXPECTED",
                "/Faktura/PodmiotUpowazniony[1]/DaneIdentyfikacyjne[1]/BrakID",
            ),
            id="authorised-needs-a-nip",
        ),
        pytest.param(
            _AUTHORISED,
            "<EmailPU>biuro@komornik.pl</EmailPU>",
            "<EmailPU>biuro.komornik.pl</EmailPU>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/PodmiotUpowazniony[1]/DaneKontaktowe[1]/EmailPU[1]"),
            id="authorised-email",
        ),
        pytest.param(
            _AUTHORISED,
            "<EmailPU>biuro@komornik.pl</EmailPU>",
            "<Email>biuro@komornik.pl</Email>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/PodmiotUpowazniony[1]/DaneKontaktowe[1]/Email"),
            id="authorised-email-of-a-party",
        ),
        pytest.param(
            _AUTHORISED,
            "<DaneKontaktowe/>",
            "<DaneKontaktowe/><DaneKontaktowe/><DaneKontaktowe/>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/PodmiotUpowazniony[1]/DaneKontaktowe"),
            id="authorised-contacts-too-many",
        ),
        pytest.param(
            _VEHICLES,
            "<P_22B1>TMBJJ7NE1L0123456</P_22B1>",
            "<P_22B1>TMBJJ7NE1L0123456</P_22B1><P_22B2>X</P_22B2>",
            ("KSEF-SCHEMA-UNEXPECTED", f"{_VEHICLE}[1]/P_22B2"),
            id="vehicle-two-land-numbers",
        ),
        pytest.param(
            _VEHICLES,
            "<P_22BT>osobowy</P_22BT>",
            "<P_22C>1</P_22C>",
            ("KSEF-SCHEMA-UNEXPECTED", f"{_VEHICLE}[1]/P_22C"),
            id="vehicle-land-and-water",
        ),
        pytest.param(
            _VEHICLES,
            "<P_22BMD>Octavia</P_22BMD><P_22BK>szary</P_22BK>",
            "<P_22BK>szary</P_22BK><P_22BMD>Octavia</P_22BMD>",
            ("KSEF-SCHEMA-UNEXPECTED", f"{_VEHICLE}[1]/P_22BMD"),
            id="vehicle-order",
        ),
        pytest.param(
            _VEHICLES,
            "<P_NrWierszaNST>2</P_NrWierszaNST>",
            "",
            ("KSEF-SCHEMA-UNEXPECTED", f"{_VEHICLE}[2]/P_22C"),
            id="vehicle-line-missing",
        ),
        pytest.param(
            _VEHICLES,
            "<P_22D>15</P_22D>",
            "",
            ("KSEF-SCHEMA-MISSING", f"{_VEHICLE}[3]"),
            id="vehicle-kind-missing",
        ),
        pytest.param(
            _VEHICLES,
            "<P_22A>2026-01-10</P_22A>",
            "<P_22A>2005-12-31</P_22A>",
            ("KSEF-SCHEMA-DATE", f"{_VEHICLE}[1]/P_22A[1]"),
            id="vehicle-date",
        ),
        pytest.param(
            _VEHICLES,
            "<P_NrWierszaNST>3</P_NrWierszaNST>",
            "<P_NrWierszaNST>0</P_NrWierszaNST>",
            ("KSEF-SCHEMA-PATTERN", f"{_VEHICLE}[3]/P_NrWierszaNST[1]"),
            id="vehicle-line-number",
        ),
        pytest.param(
            _CORRECTION,
            f"<Adres>{_ADDRESS}</Adres></Podmiot1K>",
            "</Podmiot1K>",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Fa[1]/Podmiot1K[1]"),
            id="corrected-seller-address-missing",
        ),
        pytest.param(
            _CORRECTION,
            "<PrefiksPodatnika>DE</PrefiksPodatnika>",
            "<PrefiksPodatnika>US</PrefiksPodatnika>",
            ("KSEF-SCHEMA-ENUM", "/Faktura/Fa[1]/Podmiot1K[1]/PrefiksPodatnika[1]"),
            id="corrected-seller-prefix",
        ),
        pytest.param(
            _CORRECTION,
            f"<Adres>{_ADDRESS}</Adres><IDNabywcy>ODB-1</IDNabywcy>",
            f"<IDNabywcy>ODB-1</IDNabywcy><Adres>{_ADDRESS}</Adres>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Podmiot2K[1]/Adres"),
            id="corrected-buyer-order",
        ),
        pytest.param(
            _CORRECTION,
            "<BrakID>1</BrakID>",
            "<IDWew>1111111111-00001</IDWew>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Podmiot2K[2]/DaneIdentyfikacyjne[1]/IDWew"),
            id="corrected-buyer-internal-id",
        ),
        pytest.param(
            _CORRECTION,
            "<NIP>9999999999</NIP><Nazwa>ABC</Nazwa>",
            "<NIP>9999999999</NIP>",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Fa[1]/Podmiot1K[1]/DaneIdentyfikacyjne[1]"),
            id="corrected-seller-name-missing",
        ),
        pytest.param(
            _DESCRIPTION,
            "<Klucz>Kolor</Klucz><Wartosc>czerwony</Wartosc>",
            "<Wartosc>czerwony</Wartosc><Klucz>Kolor</Klucz>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/DodatkowyOpis[1]/Wartosc"),
            id="description-order",
        ),
        pytest.param(
            _DESCRIPTION,
            "<Wartosc>brak</Wartosc>",
            "",
            ("KSEF-SCHEMA-MISSING", "/Faktura/Fa[1]/DodatkowyOpis[2]"),
            id="description-value-missing",
        ),
        pytest.param(
            _DESCRIPTION,
            "<NrWiersza>1</NrWiersza>",
            "<NrWiersza>0</NrWiersza>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Fa[1]/DodatkowyOpis[1]/NrWiersza[1]"),
            id="description-line-number",
        ),
        pytest.param(
            _DESCRIPTION,
            "<Klucz>Uwagi</Klucz>",
            f"<Klucz>{'x' * 257}</Klucz>",
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Fa[1]/DodatkowyOpis[2]/Klucz[1]"),
            id="description-key-length",
        ),
        pytest.param(
            _PAYMENT,
            _LINK,
            _LINK.replace("IPKSeF=", "id="),
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Fa[1]/Platnosc[1]/LinkDoPlatnosci[1]"),
            id="payment-link-without-id",
        ),
        pytest.param(
            _PAYMENT,
            _LINK,
            _LINK + "&amp;x=" + "y" * 470,
            ("KSEF-SCHEMA-LENGTH", "/Faktura/Fa[1]/Platnosc[1]/LinkDoPlatnosci[1]"),
            id="payment-link-length",
        ),
        pytest.param(
            _PAYMENT,
            "<IPKSeF>123AbCdE12345</IPKSeF>",
            "<IPKSeF>12AbCdE123456</IPKSeF>",
            ("KSEF-SCHEMA-PATTERN", "/Faktura/Fa[1]/Platnosc[1]/IPKSeF[1]"),
            id="payment-id",
        ),
        pytest.param(
            _PAYMENT,
            "<FormaPlatnosci>6</FormaPlatnosci>",
            "<FormaPlatnosci>6</FormaPlatnosci><IPKSeF>123AbCdE12345</IPKSeF>",
            ("KSEF-SCHEMA-UNEXPECTED", "/Faktura/Fa[1]/Platnosc[1]/LinkDoPlatnosci"),
            id="payment-id-before-link",
        ),
        pytest.param(
            "<PrefiksPodatnika>PL</PrefiksPodatnika>",
            "PL",
            "DE",
            ("KSEF-SCHEMA-ENUM", "/Faktura/Podmiot1[1]/PrefiksPodatnika[1]"),
            id="seller-prefix-fixed",
        ),
    ],
)
def test_broken_section_gets_the_finding_the_xsd_agrees_with(
    section: str, old: str, new: str, finding: tuple[str, str]
) -> None:
    # given
    data = _changed(section, old, new)
    # when
    findings = _schema_findings(data)
    # then
    assert not fa3_schema().validate(etree.fromstring(data))
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
        (
            _TERMS,
            "<RodzajTransportu>3</RodzajTransportu>",
            f"<RodzajTransportu>{value}</RodzajTransportu>",
            valid,
        )
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
        (
            _FOOTER,
            "<StopkaFaktury>Dziękujemy za zakupy.</StopkaFaktury>",
            f"<StopkaFaktury>{value}</StopkaFaktury>",
            valid,
        )
        for value, valid in [("   ", True), ("x" * 3500, True), ("x" * 3501, False)]
    ]
    + [
        (_PAYMENT, _LINK, _LINK.replace(old, new), valid)
        for old, new, valid in [
            ("https", "http", True),
            ("https", "HTTPS", False),
            (".pl/", ".pl:8443/", True),
            (".pl/", ".pl:123456/", False),
            (".pl/ksef", ".pl", True),  # no path
            ("pay.bank.pl", "localhost", False),  # the host needs a dot and a top level
            ("pay.bank.pl", "-pay.bank.pl", False),
            ("?IPKSeF", "?a=1&amp;IPKSeF", True),
            ("?IPKSeF", "?a=1IPKSeF", False),
            ("/ksef", "/ks ef", False),
            ("/ksef", "/k#sef", False),
            ("12345&amp;", "123456&amp;", False),  # the identifier has 13 characters
            ("&amp;lang=pl", "", True),
            ("&amp;lang=pl", "#x?y#z  w", True),  # a fragment takes anything, blanks collapse
            ("https", " https", True),
            ("/ksef", "/k\u00a0sef", True),  # the XSD's \\s is XML's four blanks only
        ]
    ]
    + [
        (_PAYMENT, _LINK, "https://a.pl/?IPKSeF=123AbCdE12345#" + "x" * size, size <= 477)
        for size in (477, 478)  # 512 characters and one more
    ]
    + [
        (_PAYMENT, "<IPKSeF>123AbCdE12345</IPKSeF>", f"<IPKSeF>{value}</IPKSeF>", valid)
        for value, valid in [
            (" 123AbCdE12345\n", True),
            ("1234567890123", True),
            ("A23AbCdE12345", False),
            ("123AbCdE1234Ł", False),
        ]
    ]
    + [
        (_BUYER_ID, "ODB-0001", value, valid)
        for value, valid in [
            ("x" * 32, True),
            (f" {'x' * 32}\n", True),
            ("", False),
            (f"{'x' * 16}  {'x' * 15}", True),
        ]
    ]
    + [
        (_THIRD, "<IDWew>1111111111-00001</IDWew>", f"<IDWew>{value}</IDWew>", valid)
        for value, valid in [
            (" 1111111111-00001 ", True),
            ("1011111111-00001", True),
            ("1111111111-000010", False),
            ("1111111111 -00001", False),
        ]
    ]
    + [
        ("<PrefiksPodatnika>PL</PrefiksPodatnika>", "PL", value, valid)
        for value, valid in [
            (" ", False),
            (" PL", False),
            ("pl", False),
            ("P<!-- x -->L", True),
            ("<!-- x -->", True),
        ]
    ]
    + [
        (
            _PAYMENT,
            "<FormaPlatnosci>6</FormaPlatnosci>",
            f"<FormaPlatnosci>6</FormaPlatnosci><RachunekBankowy>{account}</RachunekBankowy>",
            valid,
        )
        for account, valid in [
            ("<NrRB> 123456789 </NrRB>", True),  # xsd:string: the blanks count to 10
            ("<NrRB>123456789 </NrRB><SWIFT>BREXPLPW</SWIFT>", True),
            ("<NrRB>1234567890</NrRB><SWIFT>BREXPLPW </SWIFT>", False),
        ]
    ]
    + [
        (_AUTHORISED, "<EmailPU>biuro@komornik.pl</EmailPU>", f"<EmailPU>{value}</EmailPU>", valid)
        for value, valid in [("biuro\u00a0@komornik.pl", True), (" @a ", False), ("a@@", True)]
    ]
    + [
        (_TERMS, "<KursUmowny>4.5678</KursUmowny>", f"<KursUmowny>{value}</KursUmowny>", valid)
        for value, valid in [(" 4.5678\n", True), ("4.567\u0668", False), ("4.5678\u00a0", False)]
    ],
)
def test_simple_type_at_its_edge_agrees_with_the_xsd(
    section: str, old: str, new: str, valid: bool
) -> None:
    # given
    data = _changed(section, old, new)
    # when
    findings = _schema_findings(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)) is valid
    assert (findings == []) is valid
