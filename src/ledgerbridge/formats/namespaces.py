"""The XML namespaces that tell the business document formats apart.

Constants only, so that the dispatcher (:mod:`ledgerbridge.formats.xmldocs`) and every
syntax reader name a namespace from one place without importing one another.

>>> UBL_INVOICE_NS.rsplit(":", 1)[-1], KSEF_FA3_NS.startswith("http://crd.gov.pl/")
('Invoice-2', True)
"""

from __future__ import annotations

__all__ = [
    "CAMT053_NS_PREFIX",
    "CII_NS",
    "KSEF_FA3_NS",
    "UBL_CREDIT_NOTE_NS",
    "UBL_INVOICE_NS",
    "ZUGFERD1_NS",
    "ZUGFERD1_RC_NS",
]

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"
#: The ZUGFeRD 1.0 release candidate (2014), before the final 1.0 namespace.
ZUGFERD1_RC_NS = "urn:un:unece:uncefact:data:standard:CBFBUY:5"
#: KSeF FA(3), the Polish structured invoice (schema of 2025-06-25).
KSEF_FA3_NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
#: Every version of camt.053 (``...camt.053.001.02`` to ``.13``) starts with this.
CAMT053_NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053."
