"""KSeF FA(3): mapping into the invoice model, schema checks in code, semantic checks.

The FA(3) XSD of the shared corpus serves as an oracle: for every mutation of the
example invoice, the schema checks written in code must agree with libxml2's verdict.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from ledgerbridge.formats import Document, Invoice, Kind, ReadOptions, UnsupportedFormat, read
from ledgerbridge.formats.errors import MalformedDocument
from ledgerbridge.formats.ksef import NAMESPACE, sniff
from ledgerbridge.formats.ksef import read as ksef_read
from tests.formats.ksef_sample import FA3_MINIMAL, fa3_schema, mutate

OPTIONS = ReadOptions()


def _invoice(doc: Document) -> Invoice:
    assert isinstance(doc.data, Invoice)
    return doc.data


def _codes(data: bytes) -> list[str]:
    return [f.code for f in ksef_read(data, options=OPTIONS).documents[0].findings]


def test_example_maps_every_field() -> None:
    # given
    data = FA3_MINIMAL
    # when
    result = read(data)
    # then
    doc = result.documents[0]
    invoice = _invoice(doc)
    assert (doc.format.value, doc.container.value, doc.kind, doc.profile) == (
        "ksef-fa3",
        "xml",
        Kind.INVOICE,
        "FA (3)",
    )
    assert (invoice.number, invoice.type_code, str(invoice.issue_date), invoice.currency) == (
        "FV/1",
        "380",
        "2026-02-15",
        "PLN",
    )
    assert invoice.seller.vat_id == "PL9999999999"
    assert invoice.seller.tax_registration_id == "9999999999"
    assert (invoice.seller.name, invoice.seller.country) == ("ABC sp. z o.o.", "PL")
    assert (invoice.buyer.vat_id, invoice.buyer.name) == ("PL1111111111", "Jan Kowalski")
    totals = invoice.totals
    assert (totals.net, totals.tax, totals.gross, totals.due, totals.line_net) == (
        Decimal("100.00"),
        Decimal("23.00"),
        Decimal("123.00"),
        Decimal("123.00"),
        Decimal("100.00"),
    )
    assert [(v.category, v.rate, v.taxable, v.tax) for v in invoice.vat_breakdown] == [
        ("S", Decimal(23), Decimal("100.00"), Decimal("23.00"))
    ]
    line = invoice.lines[0]
    assert (line.id, line.name, line.quantity, line.unit, line.net) == (
        "1",
        "Usługa",
        Decimal(1),
        "szt.",
        Decimal("100.00"),
    )
    assert (line.vat_category, line.vat_rate) == ("S", Decimal(23))
    assert doc.findings == ()


def test_example_is_valid_for_the_official_schema() -> None:
    # given
    tree = etree.fromstring(FA3_MINIMAL)
    # when
    valid = fa3_schema().validate(tree)
    # then
    assert valid, fa3_schema().error_log


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("<P_15>123.00</P_15>", "", "KSEF-SCHEMA-UNEXPECTED"),
        ("<P_15>123.00</P_15>", "<P_15>123.001</P_15>", "KSEF-SCHEMA-AMOUNT"),
        ("<P_1>2026-02-15</P_1>", "<P_1>2026-02-30</P_1>", "KSEF-SCHEMA-DATE"),
        ("<KodWaluty>PLN</KodWaluty>", "<KodWaluty>ZZZ</KodWaluty>", "KSEF-SCHEMA-ENUM"),
        ("<KodKraju>PL</KodKraju>", "<KodKraju>POL</KodKraju>", "KSEF-SCHEMA-ENUM"),
        ("<NIP>1111111111</NIP>", "<NIP>0111111111</NIP>", "KSEF-SCHEMA-PATTERN"),
        ("<P_2>FV/1</P_2>", "<P_2> </P_2>", "KSEF-SCHEMA-LENGTH"),
        ("<Nazwa>Jan Kowalski</Nazwa>", "<Nazw>Jan Kowalski</Nazw>", "KSEF-SCHEMA-UNEXPECTED"),
        ("<P_18A>2</P_18A>", "", "KSEF-SCHEMA-UNEXPECTED"),
        ("<P_PMarzyN>1</P_PMarzyN>", "", "KSEF-SCHEMA-MISSING"),
        ("<P_19N>1</P_19N>", "<P_19N>1</P_19N><P_19>1</P_19>", "KSEF-SCHEMA-UNEXPECTED"),
        ('wersjaSchemy="1-0E"', 'wersjaSchemy="1-0"', "KSEF-SCHEMA-ATTRIBUTE"),
        ("<P_12>23</P_12>", "<P_12>24</P_12>", "KSEF-SCHEMA-ENUM"),
        ("<Adnotacje>", "<Adnotacje>x", "KSEF-SCHEMA-CONTENT"),
        ("<JST>2</JST>", "<JST>2</JST><JST>2</JST>", "KSEF-SCHEMA-UNEXPECTED"),
        (
            "<RodzajFaktury>VAT</RodzajFaktury>",
            "<RodzajFaktury>FV</RodzajFaktury>",
            "KSEF-SCHEMA-ENUM",
        ),
        ("10:00:00Z", "25:00:00Z", "KSEF-SCHEMA-DATE"),
        ("2026-02-01T10:00:00Z", "2025-09-01T00:00:00", "KSEF-SCHEMA-DATE"),  # no zone, at min
        ("<FaWiersz>", "<FaWiersz>\u00a0", "KSEF-SCHEMA-CONTENT"),  # a no-break space is text
        ("<NrWierszaFa>1</", "<NrWierszaFa>\u0661</", "KSEF-SCHEMA-PATTERN"),  # Arabic-Indic 1
        ("<P_1>2026-02-15</P_1>", "<P_1>\u0662026-02-15</P_1>", "KSEF-SCHEMA-DATE"),
        ("<P_15>123.00</P_15>", "<P_15>1\u06623.00</P_15>", "KSEF-SCHEMA-AMOUNT"),  # decimal: 0-9
        ("<P_1>2026-02-15</P_1>", "<P_1>2026-02-15\u00a0</P_1>", "KSEF-SCHEMA-DATE"),
        ("<RodzajFaktury>VAT</", "<RodzajFaktury>VAT\u00a0</", "KSEF-SCHEMA-ENUM"),  # not a blank
        ("<NIP>1111111111</NIP>", "<NIP>1111111111 </NIP>", "KSEF-SCHEMA-PATTERN"),  # xsd:string
        ("<KodWaluty>PLN</", "<KodWaluty> PLN</", "KSEF-SCHEMA-ENUM"),  # normalizedString
        ("<KodKraju>PL</KodKraju>", "<KodKraju>PL\t</KodKraju>", "KSEF-SCHEMA-ENUM"),
        (">FA</KodFormularza>", "> FA</KodFormularza>", "KSEF-SCHEMA-ENUM"),
    ],
)
def test_schema_check_agrees_with_the_xsd(old: str, new: str, code: str) -> None:
    # given
    data = mutate(old, new)
    # when
    codes = _codes(data)
    xsd_valid = fa3_schema().validate(etree.fromstring(data))
    # then
    assert code in codes
    assert not xsd_valid


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<P_15>123.00</P_15>", "<P_15>-123</P_15>"),
        ("<NIP>1111111111</NIP>", "<KodUE>DE</KodUE><NrVatUE>123456789</NrVatUE>"),
        ("<NIP>1111111111</NIP><Nazwa>Jan Kowalski</Nazwa>", "<BrakID>1</BrakID>"),
        ("<P_19N>1</P_19N>", "<P_19>1</P_19><P_19A>art. 43</P_19A>"),
        ("</FaWiersz>", "</FaWiersz><Platnosc><FormaPlatnosci>6</FormaPlatnosci></Platnosc>"),
        ("<P_1>2026-02-15</P_1>", "<P_1>2026-02-15</P_1><!-- note --><?pi x?>"),
        ("<P_16>2</P_16>", "<P_16>02</P_16>"),
        ("<WariantFormularza>3</", "<WariantFormularza>+3</"),
        ("<NrWierszaFa>1</", "<NrWierszaFa>000000000000001</"),
        ("<P_12>23</P_12>", "<P_12>23</P_12><P_12_XII>5.0000000</P_12_XII>"),
        ("2026-02-01T10:00:00Z", "2025-08-31T23:00:00-02:00"),
        ("<P_2>FV/1</P_2>", "<P_2>\u00a0</P_2>"),  # a no-break space is a character, not a blank
        ("<P_1>2026-02-15</P_1>", "<P_1>2026-<!-- x -->02-15</P_1>"),  # one value, cut by a comment
        ("<NIP>1111111111</NIP>", "<NrID>  </NrID>"),  # whiteSpace replace: two characters
        ("<JST>", "<DaneKontaktowe><Email>jan kowalski@example.pl</Email></DaneKontaktowe><JST>"),
    ],
)
def test_schema_check_accepts_what_the_xsd_accepts(old: str, new: str) -> None:
    # given
    data = mutate(old, new)
    # when
    codes = _codes(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert [c for c in codes if c.startswith("KSEF-SCHEMA")] == []


def test_wrong_nip_check_digit_of_the_buyer_is_a_warning() -> None:
    # given
    data = mutate("<NIP>1111111111</NIP>", "<NIP>1111111112</NIP>")
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert [(f.severity.value, f.code, f.location) for f in findings] == [
        ("warning", "KSEF-NIP-CHECKSUM", "/Faktura/Podmiot2/DaneIdentyfikacyjne/NIP")
    ]


@pytest.mark.parametrize(
    ("identifier", "location"),
    [
        ("<NIP>1111111112</NIP>", "/Faktura/Podmiot3/DaneIdentyfikacyjne/NIP"),
        ("<IDWew>1111111112-00001</IDWew>", "/Faktura/Podmiot3/DaneIdentyfikacyjne/IDWew"),
    ],
)
def test_wrong_nip_check_digit_of_a_third_party_is_a_warning(
    identifier: str, location: str
) -> None:
    # given
    third = (
        f"<Podmiot3><DaneIdentyfikacyjne>{identifier}<Nazwa>Szkoła</Nazwa>"
        "</DaneIdentyfikacyjne><Rola>6</Rola></Podmiot3>"
    )
    data = mutate("</Podmiot2>", "</Podmiot2>" + third)
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert [(f.severity.value, f.code, f.location) for f in findings] == [
        ("warning", "KSEF-NIP-CHECKSUM", location)
    ]


def test_wrong_nip_check_digit_of_the_corrected_buyer_is_a_warning() -> None:
    # given: the buyer as named on the corrected invoice
    corrected = (
        "<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>zmiana nabywcy</PrzyczynaKorekty>"
        "<DaneFaKorygowanej><DataWystFaKorygowanej>2026-02-01</DataWystFaKorygowanej>"
        "<NrFaKorygowanej>FV/0</NrFaKorygowanej><NrKSeFN>1</NrKSeFN></DaneFaKorygowanej>"
        "<Podmiot2K><DaneIdentyfikacyjne><NIP>1111111112</NIP><Nazwa>Jan</Nazwa>"
        "</DaneIdentyfikacyjne></Podmiot2K>"
    )
    data = mutate("<RodzajFaktury>VAT</RodzajFaktury>", corrected)
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert [(f.severity.value, f.code, f.location) for f in findings] == [
        ("warning", "KSEF-NIP-CHECKSUM", "/Faktura/Fa/Podmiot2K/DaneIdentyfikacyjne/NIP")
    ]


def test_tax_amount_off_the_rate_is_an_error() -> None:
    # given
    data = mutate("<P_14_1>23.00</P_14_1><P_15>123.00", "<P_14_1>15.00</P_14_1><P_15>115.00")
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert [(f.severity.value, f.code, f.location, f.message) for f in findings] == [
        (
            "error",
            "KSEF-TAX-AMOUNT",
            "/Faktura/Fa/P_14_1",
            "P_14_1 = 15.00 is not 23 % or 22 % of P_13_1 = 100.00",
        )
    ]


@pytest.mark.parametrize("tax", ["22.00", "23.02", "22.98"])
def test_tax_amount_at_the_older_rate_or_within_rounding_is_accepted(tax: str) -> None:
    # given
    data = mutate("<P_14_1>23.00</P_14_1>", f"<P_14_1>{tax}</P_14_1>")
    # when
    codes = _codes(data)
    # then
    assert codes == []


def test_tax_amount_beyond_the_rounding_of_each_line_is_an_error() -> None:
    # given: one line allows a drift of two groszy, three are too many
    data = mutate("<P_14_1>23.00</P_14_1>", "<P_14_1>23.03</P_14_1>")
    # when
    codes = _codes(data)
    # then
    assert codes == ["KSEF-TAX-AMOUNT"]


@pytest.mark.parametrize("tax", ["NaN", "1E+999999", "-Infinity", "15.001"])
def test_tax_amount_not_of_the_schema_form_is_only_a_schema_finding(tax: str) -> None:
    # given
    data = mutate("<P_14_1>23.00</P_14_1>", f"<P_14_1>{tax}</P_14_1>")
    # when
    codes = _codes(data)
    # then
    assert codes == ["KSEF-SCHEMA-AMOUNT"]


def test_correction_of_the_tax_alone_is_accepted() -> None:
    # given
    corrected = (
        "<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>błędny podatek</PrzyczynaKorekty>"
        "<DaneFaKorygowanej><DataWystFaKorygowanej>2026-02-01</DataWystFaKorygowanej>"
        "<NrFaKorygowanej>FV/0</NrFaKorygowanej><NrKSeFN>1</NrKSeFN></DaneFaKorygowanej>"
    )
    data = mutate("<RodzajFaktury>VAT</RodzajFaktury>", corrected)
    data = data.replace(b"<P_13_1>100.00</P_13_1><P_14_1>23.00", b"<P_13_1>0</P_13_1><P_14_1>5.00")
    assert b"<P_14_1>5.00</P_14_1>" in data
    # when
    codes = _codes(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert codes == []


@pytest.mark.parametrize(
    ("flag", "code"), [("GV", "KSEF-GV-PODMIOT3"), ("JST", "KSEF-JST-PODMIOT3")]
)
def test_group_member_or_subordinate_unit_without_third_party_is_an_error(
    flag: str, code: str
) -> None:
    # given
    data = mutate(f"<{flag}>2</{flag}>", f"<{flag}>1</{flag}>")
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert [(f.severity.value, f.code, f.location) for f in findings] == [
        ("error", code, f"/Faktura/Podmiot2/{flag}")
    ]


@pytest.mark.parametrize(("flag", "role"), [("GV", "10"), ("JST", "8")])
def test_group_member_or_subordinate_unit_named_as_third_party_is_accepted(
    flag: str, role: str
) -> None:
    # given
    third = (
        "<Podmiot3><DaneIdentyfikacyjne><NIP>5555555555</NIP><Nazwa>Jednostka</Nazwa>"
        f"</DaneIdentyfikacyjne><Rola>{role}</Rola></Podmiot3>"
    )
    flags = "<JST>2</JST><GV>2</GV></Podmiot2>"
    data = mutate(flags, flags.replace(f"<{flag}>2", f"<{flag}>1") + third)
    # when
    codes = _codes(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert codes == []


def test_duplicate_line_number_is_an_error_outside_corrections() -> None:
    # given
    line = "<FaWiersz><NrWierszaFa>1</NrWierszaFa><P_7>x</P_7></FaWiersz>"
    data = mutate("</FaWiersz>", "</FaWiersz>" + line)
    # when
    codes = _codes(data)
    # then
    assert codes == ["KSEF-LINE-DUPLICATE"]


def test_negative_quantity_outside_a_correction_is_an_error() -> None:
    # given: a return written on a VAT invoice
    data = mutate("<P_8B>1</P_8B>", "<P_8B>-1</P_8B>")
    # when
    findings = ksef_read(data, options=OPTIONS).documents[0].findings
    # then
    assert [(f.severity.value, f.code, f.location) for f in findings] == [
        ("error", "KSEF-LINE-NEGATIVE-QUANTITY", "/Faktura/Fa/FaWiersz[1]/P_8B")
    ]


def test_negative_quantity_on_a_correction_is_accepted() -> None:
    # given
    corrected = (
        "<RodzajFaktury>KOR</RodzajFaktury><PrzyczynaKorekty>zwrot</PrzyczynaKorekty>"
        "<DaneFaKorygowanej><DataWystFaKorygowanej>2026-02-01</DataWystFaKorygowanej>"
        "<NrFaKorygowanej>FV/0</NrFaKorygowanej><NrKSeFN>1</NrKSeFN></DaneFaKorygowanej>"
    )
    data = mutate("<RodzajFaktury>VAT</RodzajFaktury>", corrected).replace(
        b"<P_8B>1</P_8B>", b"<P_8B>-1</P_8B>"
    )
    # when
    codes = _codes(data)
    # then
    assert fa3_schema().validate(etree.fromstring(data)), fa3_schema().error_log
    assert codes == []


def test_bank_account_with_wrong_check_digits_is_a_warning() -> None:
    # given
    account = "<RachunekBankowy><NrRB>61109010140000071219812875</NrRB></RachunekBankowy>"
    data = mutate("</FaWiersz>", f"</FaWiersz><Platnosc>{account}</Platnosc>")
    # when
    doc = ksef_read(data, options=OPTIONS).documents[0]
    # then
    assert [(f.severity.value, f.code) for f in doc.findings] == [
        ("warning", "KSEF-ACCOUNT-CHECKSUM")
    ]
    assert _invoice(doc).payment.iban == "PL61109010140000071219812875"


def test_correction_is_a_credit_note() -> None:
    # given
    corrected = (
        "<RodzajFaktury>KOR</RodzajFaktury><DaneFaKorygowanej>"
        "<DataWystFaKorygowanej>2026-02-01</DataWystFaKorygowanej>"
        "<NrFaKorygowanej>FV/0</NrFaKorygowanej><NrKSeFN>1</NrKSeFN></DaneFaKorygowanej>"
    )
    data = mutate("<RodzajFaktury>VAT</RodzajFaktury>", corrected)
    # when
    doc = ksef_read(data, options=OPTIONS).documents[0]
    # then
    assert (doc.kind, _invoice(doc).type_code, doc.findings) == (Kind.CREDIT_NOTE, "381", ())


def test_validation_can_be_switched_off() -> None:
    # given
    data = mutate("<P_15>123.00</P_15>", "<P_15>1.001</P_15>")
    # when
    doc = ksef_read(data, options=ReadOptions(validate=False)).documents[0]
    # then
    assert doc.findings == ()
    assert _invoice(doc).totals.gross == Decimal("1.001")


def test_other_root_is_refused() -> None:
    # given
    data = f'<Faktura xmlns="{NAMESPACE}x"/>'.encode()
    # when
    with pytest.raises(UnsupportedFormat) as caught:
        ksef_read(data, options=OPTIONS)
    # then
    assert caught.value.code == "unsupported-xml-root"


def test_broken_xml_is_malformed() -> None:
    # given
    data = FA3_MINIMAL[:-20]
    # when
    with pytest.raises(MalformedDocument) as caught:
        ksef_read(data, options=OPTIONS)
    # then
    assert caught.value.code == "malformed-xml"


def test_sniff_needs_the_namespace() -> None:
    # given
    heads = [FA3_MINIMAL[:4096], b"<Invoice/>", b"SPC\n0200"]
    # when
    answers = [sniff(head) for head in heads]
    # then
    assert answers == [True, False, False]
