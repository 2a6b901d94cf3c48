"""Factur-X profile conformance: elements outside MINIMUM, BASIC WL, BASIC, EN16931."""

from __future__ import annotations

import pytest
from lxml import etree

from ledgerbridge.formats import fxprofile
from ledgerbridge.formats.fxprofile import Profile
from ledgerbridge.formats.model import Container, Severity

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"


def _invoice(agreement: str = "", settlement: str = "", line: str = "") -> etree._Element:
    xml = (
        f'<rsm:CrossIndustryInvoice xmlns:rsm="{RSM}" xmlns:ram="{RAM}" xmlns:udt="{UDT}">'
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        "<ram:ID>x</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        "</rsm:ExchangedDocumentContext>"
        "<rsm:ExchangedDocument><ram:ID>1</ram:ID><ram:TypeCode>380</ram:TypeCode>"
        '<ram:IssueDateTime><udt:DateTimeString format="102">20250101</udt:DateTimeString>'
        "</ram:IssueDateTime></rsm:ExchangedDocument>"
        f"<rsm:SupplyChainTradeTransaction>{line}"
        "<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>S</ram:Name>"
        f"{agreement}</ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>"
        "<ram:ApplicableHeaderTradeDelivery/>"
        "<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"
        f"{settlement}</ram:ApplicableHeaderTradeSettlement>"
        "</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
    )
    return etree.fromstring(xml.encode())


_LINE = (
    "<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument>"
    "<ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>"
    "<ram:SpecifiedTradeProduct><ram:Name>n</ram:Name>"
    "<ram:Description>d</ram:Description></ram:SpecifiedTradeProduct>"
    "</ram:IncludedSupplyChainTradeLineItem>"
)
_INVOICE_REFERENCE = (
    "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>F-1</ram:IssuerAssignedID>"
    "</ram:InvoiceReferencedDocument>"
)


def test_a_bare_minimum_invoice_conforms_to_every_profile() -> None:
    # given
    root = _invoice()

    # when
    found = [fxprofile.check(root, profile) for profile in Profile]

    # then
    assert found == [[], [], [], []]


@pytest.mark.parametrize(
    ("profile", "codes"),
    [
        (Profile.MINIMUM, ["FX-PROFILE-ELEMENT"]),
        (Profile.BASIC_WL, []),
        (Profile.EN16931, []),
    ],
)
def test_preceding_invoice_reference_starts_at_basic_wl(profile: Profile, codes: list[str]) -> None:
    # given: BT-25, which MINIMUM does not carry
    root = _invoice(settlement=_INVOICE_REFERENCE)

    # when
    found = fxprofile.check(root, profile)

    # then
    assert [f.code for f in found] == codes


def test_the_finding_names_the_element_path_and_the_profile() -> None:
    # given: an item description (BT-154), an EN16931 term, in a BASIC file
    root = _invoice(line=_LINE)

    # when
    (finding,) = fxprofile.check(root, Profile.BASIC)

    # then
    assert finding.severity == Severity.ERROR
    assert finding.location == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
        "ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:Description"
    )
    assert finding.message == "Description is not allowed in the Factur-X BASIC profile"
    assert fxprofile.check(root, Profile.EN16931) == []


def test_only_the_outermost_disallowed_element_is_reported() -> None:
    # given: a line item (with children) in MINIMUM, which has no lines at all
    root = _invoice(line=_LINE)

    # when
    found = fxprofile.check(root, Profile.MINIMUM)

    # then
    assert [f.location.rsplit("/", 1)[1] for f in found] == ["ram:IncludedSupplyChainTradeLineItem"]


def test_an_element_of_a_foreign_namespace_is_never_allowed() -> None:
    # given
    root = _invoice(agreement='<x:Name xmlns:x="urn:other">S</x:Name>')

    # when
    found = fxprofile.check(root, Profile.EN16931)

    # then
    assert [f.code for f in found] == ["FX-PROFILE-ELEMENT"]


def test_a_seller_tax_registration_needs_scheme_va_or_fc() -> None:
    # given
    bad = _invoice(
        agreement='<ram:SpecifiedTaxRegistration><ram:ID schemeID="VAT">DE1</ram:ID>'
        "</ram:SpecifiedTaxRegistration>"
    )
    good = _invoice(
        agreement='<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE1</ram:ID>'
        "</ram:SpecifiedTaxRegistration>"
    )

    # when
    found = fxprofile.check(bad, Profile.EN16931)

    # then
    assert [f.code for f in found] == ["FX-PROFILE-ELEMENT"]
    assert "'VAT'" in found[0].message
    assert fxprofile.check(good, Profile.EN16931) == []


def test_a_tolerated_path_is_a_warning() -> None:
    # given: BT-106 in MINIMUM, as the ZUGFeRD 2.0 reference sample has it
    root = _invoice(
        settlement="<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "<ram:LineTotalAmount>1.00</ram:LineTotalAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
    )

    # when
    (finding,) = fxprofile.check(root, Profile.MINIMUM)

    # then
    assert (finding.severity, finding.code) == (Severity.WARNING, "FX-PROFILE-ELEMENT")
    assert fxprofile.check(root, Profile.BASIC_WL) == []


@pytest.mark.parametrize(
    ("guideline", "container", "expected"),
    [
        ("urn:factur-x.eu:1p0:minimum", Container.XML, Profile.MINIMUM),
        ("urn:zugferd.de:2p0:basicwl", Container.PDF, Profile.BASIC_WL),
        ("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic", Container.PDF, Profile.BASIC),
        (
            "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic",
            Container.XML,
            Profile.BASIC,
        ),
        ("urn:cen.eu:en16931:2017", Container.PDF, Profile.EN16931),
        ("urn:cen.eu:en16931:2017", Container.XML, None),
        ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", Container.PDF, None),
        (None, Container.PDF, None),
    ],
)
def test_level_maps_the_guideline(
    guideline: str | None, container: Container, expected: Profile | None
) -> None:
    # when
    profile = fxprofile.level(guideline, container)

    # then
    assert profile is expected


def test_the_allow_lists_nest() -> None:
    # given
    allowed = fxprofile._ALLOWED

    # when: every path's parent is allowed wherever the path is
    inverted = [
        path
        for path, profile in allowed.items()
        if "/" in path and allowed[path.rsplit("/", 1)[0]] > profile
    ]

    # then
    assert inverted == []
    assert len(allowed) > 400
