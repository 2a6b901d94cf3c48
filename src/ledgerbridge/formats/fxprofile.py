"""Factur-X / ZUGFeRD 2.x profile conformance: only the elements the declared profile allows.

A Factur-X file declares its profile in BT-24 (``GuidelineSpecifiedDocumentContextParameter``);
each profile's XML schema is a subset of CII D16B. :func:`check` walks the document once
and reports ``FX-PROFILE-ELEMENT`` (error) for the first element of every branch that the
profile does not allow, naming the element path and the profile, e.g. a buyer's
invoice reference (BT-25) in a MINIMUM file or an item description (BT-154) in BASIC. The
allow-lists are data (:mod:`ledgerbridge.formats._fxprofile_tree`), kept for the four
profiles that restrict EN 16931: MINIMUM, BASIC WL, BASIC and EN16931 (EXTENDED and
XRECHNUNG are not restricted here).

Element variants, as the Factur-X schematrons name them, are checked too: a seller tax
registration whose ``ID/@schemeID`` is neither ``VA`` (BT-31) nor ``FC`` (BT-32) is a
variant no profile uses, so the number carries no business term.

Two paths that the current schemas exclude are reported as warnings instead, because the
reference samples published for the profile use them (see :data:`TOLERATED`).

:func:`level` maps a guideline ID to its profile; the plain EN 16931 ID
``urn:cen.eu:en16931:2017`` is the Factur-X EN16931 profile only inside a Factur-X PDF, as
a standalone CII invoice it is bound by EN 16931 alone, so :func:`level` takes the
container into account.

>>> from lxml import etree
>>> from ledgerbridge.formats.model import Container
>>> ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
>>> rsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
>>> root = etree.fromstring(
...     f'<rsm:CrossIndustryInvoice xmlns:rsm="{rsm}" xmlns:ram="{ram}">'
...     '<rsm:ExchangedDocument><ram:ID>1</ram:ID><ram:Name>x</ram:Name></rsm:ExchangedDocument>'
...     '</rsm:CrossIndustryInvoice>')
>>> profile = level("urn:factur-x.eu:1p0:minimum", Container.PDF)
>>> [(f.code, f.location) for f in check(root, profile)]
[('FX-PROFILE-ELEMENT', '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:Name')]
>>> level("urn:cen.eu:en16931:2017", Container.XML) is None
True
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from lxml import etree

from ledgerbridge.formats._fxprofile_tree import TREE
from ledgerbridge.formats.model import Container, Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["TOLERATED", "Profile", "check", "level"]


class Profile(enum.IntEnum):
    """The restricting Factur-X profiles, each allowing everything the one below allows."""

    MINIMUM = 0
    BASIC_WL = 1
    BASIC = 2
    EN16931 = 3

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


_LETTERS = {"M": Profile.MINIMUM, "W": Profile.BASIC_WL, "B": Profile.BASIC, "E": Profile.EN16931}

#: BT-24 spellings of Factur-X 1.0's first release (2017) -> the value the Factur-X code
#: list (``cl id="1"`` of the profile's codedb) has instead. They are read as that profile,
#: but the official Factur-X schematron rejects them, and so do we.
PRERELEASE_GUIDELINES = {
    "urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic": (
        "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"
    ),
}

# BT-24 values, both the Factur-X and the ZUGFeRD 2.x spellings, and the pre-release ones.
_GUIDELINES = {
    "urn:factur-x.eu:1p0:minimum": Profile.MINIMUM,
    "urn:zugferd.de:2p0:minimum": Profile.MINIMUM,
    "urn:factur-x.eu:1p0:basicwl": Profile.BASIC_WL,
    "urn:zugferd.de:2p0:basicwl": Profile.BASIC_WL,
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": Profile.BASIC,
    "urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic": Profile.BASIC,
    "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic": Profile.BASIC,
}
_EN16931 = "urn:cen.eu:en16931:2017"

_D16B_NAMESPACES = frozenset(
    f"urn:un:unece:uncefact:data:standard:{name}"
    for name in (
        "CrossIndustryInvoice:100",
        "ReusableAggregateBusinessInformationEntity:100",
        "UnqualifiedDataType:100",
        "QualifiedDataType:100",
    )
)

_SUMMATION = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/" + (
    "SpecifiedTradeSettlementHeaderMonetarySummation"
)
_CREDITOR_BANK = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/" + (
    "SpecifiedTradeSettlementPaymentMeans/PayeeSpecifiedCreditorFinancialInstitution"
)

#: (profile, path) -> why an element outside the current schema is only a warning there.
TOLERATED = {
    (Profile.MINIMUM, f"{_SUMMATION}/LineTotalAmount"): (
        "the ZUGFeRD 2.0 MINIMUM reference sample carries BT-106; later schemas dropped it"
    ),
    (Profile.EN16931, f"{_CREDITOR_BANK}/GermanBankleitzahlID"): (
        "a national bank code without a business term that published ZUGFeRD 2.0 EN16931 "
        "invoices carry next to the BIC; receivers ignore it"
    ),
}

_SELLER_TAX = "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement/SellerTradeParty/" + (
    "SpecifiedTaxRegistration"
)
_TAX_SCHEMES = frozenset({"VA", "FC"})


def _parse(tree: str) -> dict[str, Profile]:
    """Every path of ``tree`` with the lowest profile that allows it."""
    allowed: dict[str, Profile] = {}
    stack: list[tuple[str, Profile]] = []
    for line in tree.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name, _, letter = line.strip().partition(" ")
        del stack[depth:]
        parent_path, parent_profile = stack[-1] if stack else ("", Profile.MINIMUM)
        profile = _LETTERS[letter] if letter else parent_profile
        path = f"{parent_path}/{name}" if parent_path else name
        allowed[path] = profile
        stack.append((path, profile))
    return allowed


_ALLOWED = _parse(TREE)


def level(guideline: str | None, container: Container) -> Profile | None:
    """The restricting profile that BT-24 ``guideline`` declares, or ``None``."""
    if guideline is None:
        return None
    if guideline == _EN16931:
        return Profile.EN16931 if container is Container.PDF else None
    return _GUIDELINES.get(guideline)


def check(root: etree._Element, profile: Profile) -> list[Finding]:
    """Findings for every element of ``root`` that ``profile`` does not allow."""
    findings = list(_walk(root, "", profile))
    findings.extend(_tax_scheme_variants(root, profile))
    return findings


def _walk(parent: etree._Element, prefix: str, profile: Profile) -> Iterator[Finding]:
    for element in parent.iterchildren(tag=etree.Element):
        tag = str(element.tag)
        namespace, _, local = tag[1:].rpartition("}")
        name = local if namespace in _D16B_NAMESPACES else tag
        path = f"{prefix}/{name}" if prefix else name
        lowest = _ALLOWED.get(path)
        if lowest is not None and lowest <= profile:
            yield from _walk(element, path, profile)
            continue
        yield _finding(element, path, profile)


def _finding(element: etree._Element, path: str, profile: Profile) -> Finding:
    where = str(element.getroottree().getpath(element))
    name = etree.QName(element).localname
    reason = TOLERATED.get((profile, path))
    if reason is not None:
        return Finding(
            Severity.WARNING,
            "FX-PROFILE-ELEMENT",
            where,
            f"{name} is outside the {profile.label} profile; tolerated: {reason}",
        )
    return Finding(
        Severity.ERROR,
        "FX-PROFILE-ELEMENT",
        where,
        f"{name} is not allowed in the Factur-X {profile.label} profile",
    )


def _tax_scheme_variants(root: etree._Element, profile: Profile) -> Iterator[Finding]:
    for registration in root.iterfind(_SELLER_TAX_TAGS):
        schemes = {i.get("schemeID") for i in registration.iterfind(_ID_TAG)}
        if schemes & _TAX_SCHEMES:
            continue
        shown = ", ".join(sorted(repr(s) for s in schemes)) or "none"
        yield Finding(
            Severity.ERROR,
            "FX-PROFILE-ELEMENT",
            str(root.getroottree().getpath(registration)),
            f"a seller tax registration with schemeID {shown} (neither VA nor FC) is not "
            f"used in the Factur-X {profile.label} profile: it is neither BT-31 nor BT-32",
        )


def _clark(path: str) -> str:
    rsm = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
    ram = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    steps = path.split("/")
    return "/".join(
        (rsm if step == "SupplyChainTradeTransaction" else ram) + step for step in steps
    )


_SELLER_TAX_TAGS = _clark(_SELLER_TAX)
_ID_TAG = _clark("ID")
