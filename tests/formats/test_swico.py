"""Swico S1 bill information: decoding, escapes and lenient handling of broken parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledgerbridge.formats import Severity, swico


def test_every_tag_is_decoded() -> None:
    # given
    text = (
        "//S1/10/10201409/11/190512/20/1400.000-53/30/106017086/31/180508180531"
        "/32/8:1000;2.5:51.8/33/7.7:48.12/40/2:10;0:30"
    )
    # when
    bill, findings = swico.decode(text)
    # then
    assert findings == []
    assert bill is not None
    assert bill.invoice_number == "10201409"
    assert bill.invoice_date == date(2019, 5, 12)
    assert bill.customer_reference == "1400.000-53"
    assert bill.vat_number == "106017086"
    assert bill.vat_dates == (date(2018, 5, 8), date(2018, 5, 31))
    assert bill.vat_rates == ((Decimal(8), Decimal(1000)), (Decimal("2.5"), Decimal("51.8")))
    assert bill.import_vat == ((Decimal("7.7"), Decimal("48.12")),)
    assert bill.payment_conditions == ((Decimal(2), 10), (Decimal(0), 30))


def test_escaped_slash_and_backslash_are_undone() -> None:
    # given
    text = "//S1/10/A\\/B\\\\C/20/x"
    # when
    bill, findings = swico.decode(text)
    # then
    assert bill is not None
    assert (bill.invoice_number, bill.customer_reference, findings) == ("A/B\\C", "x", [])


def test_broken_parts_are_left_out_with_warnings() -> None:
    # given
    text = "//S1/10/X.1/11/190570/29/1/32/8:500;x:200/40/x:1;0:30/XX"
    # when
    bill, findings = swico.decode(text)
    # then
    assert bill is not None
    assert bill.invoice_number == "X.1"
    assert bill.invoice_date is None
    assert bill.vat_rates == ((Decimal(8), Decimal(500)),)
    assert bill.payment_conditions == ((Decimal(0), 30),)
    assert [(f.severity, f.code, f.location) for f in findings] == [
        (Severity.WARNING, "swico-truncated", "bill_information/XX"),
        (Severity.WARNING, "swico-invoice-date-invalid", "bill_information/11"),
        (Severity.WARNING, "swico-tag-unknown", "bill_information/29"),
        (Severity.WARNING, "swico-vat-rates-invalid", "bill_information/32"),
        (Severity.WARNING, "swico-payment-conditions-invalid", "bill_information/40"),
    ]


def test_tags_out_of_order_are_read_and_flagged() -> None:
    # given
    text = "//S1/11/190520/10/X.66711"
    # when
    bill, findings = swico.decode(text)
    # then
    assert bill is not None
    assert (bill.invoice_number, bill.invoice_date) == ("X.66711", date(2019, 5, 20))
    assert [f.code for f in findings] == ["swico-tag-order"]


def test_date_with_a_time_is_accepted_with_an_info() -> None:
    # given
    text = "//S1/11/200714210713"
    # when
    bill, findings = swico.decode(text)
    # then
    assert bill is not None
    assert bill.invoice_date == date(2020, 7, 14)
    assert [(f.severity, f.code) for f in findings] == [(Severity.INFO, "swico-date-format")]


def test_other_syntaxes_are_not_decoded() -> None:
    # given / when / then
    assert swico.decode("///S1/10/X") == (None, [])
    assert swico.decode("10/X.66711") == (None, [])


def test_backslash_that_escapes_nothing_is_kept_with_a_warning() -> None:
    # given
    text = "//S1/10/X.66711/20/\\405-1/40/0:30"
    # when
    bill, findings = swico.decode(text)
    # then
    assert bill is not None
    assert bill.customer_reference == "\\405-1"
    assert [(f.severity, f.code, f.location) for f in findings] == [
        (Severity.WARNING, "swico-escape-invalid", "bill_information/20")
    ]
