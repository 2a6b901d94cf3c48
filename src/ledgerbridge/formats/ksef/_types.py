"""Simple types of the FA(3) schema, checked in code.

Each checker takes the element text and returns ``None`` when the value is allowed, or a
``(code, message)`` pair. Codes are the stable ``KSEF-SCHEMA-*`` family; the value sets
are those of the FA(3) schema ``schemat_FA(3)_v1-0E`` and its imported base types
(``ElementarneTypyDanych_v10-0E``, ``KodyKrajow_v10-0E``). Values of the schema's
``xsd:token`` and numeric types are compared after collapsing XML's four blanks (a
no-break space is not one of them, it is text); ``xsd:string`` and ``xsd:normalizedString``
types are taken as written (no value they allow holds a blank), and a restricted date-time
must come without surrounding blanks, which is how libxml2 reads it.

>>> CHECKS["kwota"]("1000.123")[0]
'KSEF-SCHEMA-AMOUNT'
>>> CHECKS["kwota"]("-200") is None
True
>>> CHECKS["data"]("2026-02-30")[0]
'KSEF-SCHEMA-DATE'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

__all__ = ["CHECKS", "Check", "Problem"]

Problem = tuple[str, str]
Check = Callable[[str], Problem | None]


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COUNTRIES = _codes(
    """AF AX AL DZ AD AO AI AQ AG AN SA AR AM AW AU AT AZ BS BH BD BB BE BZ BJ BM BT BY BO BQ
    BA BW BR BN IO BG BF BI XC CL CN HR CW CY TD ME DK DM DO DJ EG EC ER EE ET FK FJ PH FI FR
    TF GA GM GH GI GR GD GL GE GU GG GY GF GP GT GN GQ GW HT ES HN HK IN ID IQ IR IE IS IL JM
    JP YE JE JO KY KH CM CA QA KZ KE KG KI CO KM CG CD KP XK CR CU KW LA LS LB LR LY LI LT LV
    LU MK MG YT MO MW MV MY ML MT MP MA MQ MR MU MX XL FM UM MD MC MN MS MZ MM NA NR NP NL DE
    NE NG NI NU NF NO NC NZ PS OM PK PW PA PG PY PE PN PF PL GS PT PR CF CZ KR ZA RE RU RO RW
    EH BL KN LC MF VC SV WS AS SM SN RS SC SL SG SK SI SO LK PM US SZ SD SS SR SJ SH SY CH SE
    TJ TH TW TZ TG TK TO TT TN TR TM TV UG UA UY UZ VU WF VA HU VE GB VN IT TL CI BV CX IM SX
    CK VI VG HM CC MH FO SB ST TC ZM CV ZW AE XI"""
)
_EU_COUNTRIES = _codes(
    "AT BE BG CY CZ DK EE FI FR DE EL HR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE XI"
)
_CURRENCIES = _codes(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD
    EGP ERN ETB EUR FJD FKP GBP GEL GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP
    INR IQD IRR ISK JEP JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VES VND VUV
    WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA XXX YER ZAR ZMW
    ZWL"""
)
_INVOICE_KINDS = frozenset({"VAT", "KOR", "ZAL", "ROZ", "UPR", "KOR_ZAL", "KOR_ROZ"})
_VAT_RATES = frozenset(
    {"23", "22", "8", "7", "5", "4", "3", "0 KR", "0 WDT", "0 EX", "zw", "oo", "np I", "np II"}
)
_GTU = frozenset(f"GTU_{n:02d}" for n in range(1, 14))
_PROCEDURES = frozenset(
    {"WSTO_EE", "IED", "TT_D", "I_42", "I_63", "B_SPV", "B_SPV_DOSTAWA", "B_MPV_PROWIZJA"}
)
_ORDER_PROCEDURES = _PROCEDURES - {"I_42", "I_63"}
_TRANSPORT_MODES = frozenset({1, 2, 3, 4, 5, 7, 8})
_COLUMN_TYPES = frozenset({"date", "datetime", "dec", "int", "time", "txt"})

# The XSD writes \d, but an xsd:decimal has ASCII digits only: [0-9] is what both allow.
_AMOUNT = re.compile(r"-?([1-9][0-9]{0,15}|0)(\.[0-9]{1,2})?")
_AMOUNT8 = re.compile(r"-?([1-9][0-9]{0,13}|0)(\.[0-9]{1,8})?")
_QUANTITY = re.compile(r"-?([1-9][0-9]{0,15}|0)(\.[0-9]{1,6})?")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# libxml2 takes a restricted date-time only without surrounding blanks: none are stripped.
_DATETIME_PARTS = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)"
    r"(Z|[+-]([0-9]{2}):([0-9]{2}))?"
)
_NIP = re.compile(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}")
_NIP_INTERNAL = re.compile(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}-\d{5}")
_PAYMENT_ID = re.compile(r"[0-9]{3}[a-zA-Z0-9]{10}")
# The XSD's \s is only the four XML blanks and its "." anything but a line break.
_PAYMENT_LINK = re.compile(
    r"(https?)://([a-zA-Z0-9][a-zA-Z0-9-]*\.)+[a-zA-Z]{2,}(:[0-9]{1,5})?(/[^ \t\n\r?#]*)?"
    r"\?([^# \t\n\r]*&)?IPKSeF=[0-9]{3}[a-zA-Z0-9]{10}(&[^# \t\n\r]*)?(#[^\n\r]*)?"
)
_VAT_UE = re.compile(r"(\d|[A-Z]|\+|\*){1,12}")
_SWIFT = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
_NATURAL = re.compile(r"\+?[0-9]+")
_XSD_INTEGER = re.compile(r"[+-]?[0-9]+")
_XML_BLANKS = " \t\n\r"
_BLANK_RUNS = re.compile(r"[ \t\n\r]+")
# xsd:string patterns: no whitespace is collapsed, and \d is any Unicode digit, as in XSD.
_KRS = re.compile(r"\d{10}")
_REGON = re.compile(r"\d{9}|\d{14}")
_KSEF_NUMBER = re.compile(
    r"([1-9]((\d[1-9])|([1-9]\d))\d{7}|M\d{9}|[A-Z]{3}\d{7})-(20[2-9][0-9]|2[1-9][0-9]{2}|"
    r"[3-9][0-9]{3})(0[1-9]|1[0-2])(0[1-9]|[1-2][0-9]|3[0-1])-([0-9A-F]{6})-?([0-9A-F]{6})-"
    r"([0-9A-F]{2})"
)


def _collapse(value: str) -> str:
    """XML's whitespace collapse, which a no-break space or an em space survives."""
    if value.isascii() or value.isprintable():  # then str.split() splits at XML blanks only
        return " ".join(value.split())
    return _BLANK_RUNS.sub(" ", value).strip(" ")


def _pattern(regex: re.Pattern[str], code: str, what: str, *, collapse: bool = True) -> Check:
    """A pattern facet; ``collapse=False`` for an ``xsd:string``, whose blanks count.

    Stripping the ends is collapsing for these patterns: none allows a blank inside.
    """

    def check(value: str) -> Problem | None:
        if regex.fullmatch(value.strip(_XML_BLANKS) if collapse else value):
            return None
        return code, f"{value!r} is not {what}"

    return check


def _token(low: int, high: int) -> Check:
    def check(value: str) -> Problem | None:
        # _collapse inlined: this check runs on most leaves of an invoice
        plain = value.isascii() or value.isprintable()
        size = len(" ".join(value.split()) if plain else _collapse(value))
        if low <= size <= high:
            return None
        return "KSEF-SCHEMA-LENGTH", f"the text has {size} characters; {low} to {high} allowed"

    return check


def _enum(values: frozenset[str], what: str) -> Check:
    def check(value: str) -> Problem | None:
        if value in values or _collapse(value) in values:
            return None
        return "KSEF-SCHEMA-ENUM", f"{value!r} is not {what}"

    return check


def _number_enum(values: frozenset[int], what: str) -> Check:
    """An enumeration over ``xsd:integer`` or ``xsd:byte``: ``01`` and ``+1`` are 1."""
    canonical = frozenset(str(number) for number in values)

    def check(value: str) -> Problem | None:
        if value in canonical:  # the usual spelling, without the parse below
            return None
        text = value.strip(_XML_BLANKS)
        if _XSD_INTEGER.fullmatch(text) and int(text) in values:
            return None
        return "KSEF-SCHEMA-ENUM", f"{value!r} is not {what}"

    return check


def _exact(values: frozenset[str], what: str) -> Check:
    """An enumeration over ``xsd:string``: compared as written, blanks included."""

    def check(value: str) -> Problem | None:
        if value in values:
            return None
        return "KSEF-SCHEMA-ENUM", f"{value!r} is not {what}"

    return check


def _text(low: int, high: int) -> Check:
    """Length of an ``xsd:string``, whose blanks count."""

    def check(value: str) -> Problem | None:
        size = len(value)
        if low <= size <= high:
            return None
        return "KSEF-SCHEMA-LENGTH", f"the text has {size} characters; {low} to {high} allowed"

    return check


def _date(low: date, high: date) -> Check:
    def check(value: str) -> Problem | None:
        match = _DATE.fullmatch(value.strip(_XML_BLANKS))
        try:
            day = date(*(int(g) for g in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            return "KSEF-SCHEMA-DATE", f"{value!r} is not a date YYYY-MM-DD"
        if not low <= day <= high:
            return "KSEF-SCHEMA-DATE", f"{value} is outside {low}..{high}"
        return None

    return check


_DAY = 86400
_Instant = tuple[int, Decimal]


def _instant(value: str) -> tuple[_Instant, bool] | None:
    """Day number and second of that day in UTC, as libxml2 orders date-times.

    The flag says whether the value has a time zone. ``24:00:00`` stays the end of its own
    day unless an offset moves it, as in libxml2. ``None`` if not a date-time.
    """
    match = _DATETIME_PARTS.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    second = Decimal(match[6])
    try:
        ordinal = date(year, month, day).toordinal()
    except ValueError:
        return None
    end_of_day = hour == 24 and minute == 0 and second == 0
    if not end_of_day and (hour > 23 or minute > 59 or second >= 60):
        return None
    seconds = hour * 3600 + minute * 60 + second
    zone = match[7]
    if zone is None or zone == "Z":
        return (ordinal, seconds), zone is not None
    hours, minutes = int(match[8]), int(match[9])
    if minutes > 59 or hours * 60 + minutes > 14 * 60:
        return None
    offset = (hours * 60 + minutes) * 60 * (1 if zone[0] == "+" else -1)
    if offset == 0:
        return (ordinal, seconds), True
    total = ordinal * _DAY + seconds - offset
    return (int(total // _DAY), total % _DAY), True


def _datetime_between(low: str, high: str) -> Check:
    """``xsd:dateTime`` within the facets ``low`` and ``high`` (UTC), both inclusive.

    A value without a time zone is compared as UTC, except that libxml2 takes one equal to
    a bound as indeterminate, hence outside; so does this check.
    """
    bounds = _instant(low), _instant(high)
    if bounds[0] is None or bounds[1] is None:
        raise ValueError(f"facets {low}, {high} are not date-times")
    lowest, highest = bounds[0][0], bounds[1][0]
    what = f"a date-time from {low} to {high}"

    def check(value: str) -> Problem | None:
        found = _instant(value)
        if found is None:
            return "KSEF-SCHEMA-DATE", f"{value!r} is not a date-time"
        instant, zoned = found
        if lowest <= instant <= highest if zoned else lowest < instant < highest:
            return None
        return "KSEF-SCHEMA-DATE", f"{value!r} is not {what}"

    return check


def _payment_link(value: str) -> Problem | None:
    """LinkDoPlatnosci: a TZnakowy512 whose pattern asks for an http(s) link with IPKSeF."""
    text = _collapse(value)
    if not 1 <= len(text) <= 512:
        return "KSEF-SCHEMA-LENGTH", f"the text has {len(text)} characters; 1 to 512 allowed"
    if _PAYMENT_LINK.fullmatch(text):
        return None
    return "KSEF-SCHEMA-PATTERN", f"{value!r} is not an http(s) payment link with IPKSeF"


def _prefix_pl(value: str) -> Problem | None:
    """PrefiksPodatnika of the seller: fixed to PL, which an empty element takes."""
    if value in ("PL", ""):
        return None
    return "KSEF-SCHEMA-ENUM", f"{value!r} is not PL, the only prefix of the seller"


def _percent(value: str) -> Problem | None:
    """TProcentowy: a decimal 0..100 with at most 6 decimals, trailing zeros not counted."""
    text = value.strip(_XML_BLANKS)
    if _DECIMAL.fullmatch(text):
        number = Decimal(text)
        exponent = number.normalize().as_tuple().exponent
        if 0 <= number <= 100 and isinstance(exponent, int) and exponent >= -6:
            return None
    return "KSEF-SCHEMA-PATTERN", f"{value!r} is not a percentage 0..100"


def _natural(value: str) -> Problem | None:
    """TNaturalny: 1 up to 14 digits, leading zeros not counted."""
    text = value.strip(_XML_BLANKS)
    if _NATURAL.fullmatch(text) and 0 < int(text) < 10**14:
        return None
    return "KSEF-SCHEMA-PATTERN", f"{value!r} is not a positive whole number"


def _email(value: str) -> Problem | None:
    """TAdresEmail: a token of 3 to 255 characters matching ``(.)+@(.)+``, blanks allowed."""
    text = _collapse(value)
    if 3 <= len(text) <= 255 and "@" in text[1:-1]:
        return None
    return "KSEF-SCHEMA-PATTERN", f"{value!r} is not an e-mail address"


CHECKS: dict[str, Check] = {
    "kwota": _pattern(_AMOUNT, "KSEF-SCHEMA-AMOUNT", "an amount with at most 2 decimals"),
    "kwota8": _pattern(_AMOUNT8, "KSEF-SCHEMA-AMOUNT", "an amount with at most 8 decimals"),
    "ilosc": _pattern(_QUANTITY, "KSEF-SCHEMA-AMOUNT", "a quantity with at most 6 decimals"),
    "data": _date(date(2006, 1, 1), date(2050, 1, 1)),
    "data2016": _date(date(2016, 7, 1), date(2050, 1, 1)),
    "data1990": _date(date(1990, 1, 1), date(2050, 1, 1)),  # TDataU
    "dataczas": _datetime_between("2025-09-01T00:00:00Z", "2050-01-01T23:59:59Z"),
    "dataczas2021": _datetime_between(  # TDataCzas
        "2021-10-01T00:00:00Z", "2050-01-01T23:59:59Z"
    ),
    "znak": _token(1, 256),
    "znak20": _token(1, 20),
    "znak32": _token(1, 32),  # IDNabywcy, a TZnakowy50 of at most 32 characters
    "znak50": _token(1, 50),
    "znak512": _token(1, 512),
    "znak0": _token(0, 256),  # TZnakowy2, may be empty
    "bdo": _token(1, 9),  # TZnakowy restricted to 9 characters
    "tekst": _text(1, 3500),  # etd:TTekstowy
    "tel": _token(1, 16),
    "gln": _token(1, 13),
    "nrid": _text(1, 50),  # whiteSpace replace: a blank is a character like any other
    "nrrb": _text(10, 34),
    "nip": _pattern(_NIP, "KSEF-SCHEMA-PATTERN", "a NIP (10 digits)", collapse=False),
    "nip_wew": _pattern(_NIP_INTERNAL, "KSEF-SCHEMA-PATTERN", "a NIP with a unit number"),
    "ipksef": _pattern(_PAYMENT_ID, "KSEF-SCHEMA-PATTERN", "a payment identifier IPKSeF"),
    "link_platnosci": _payment_link,
    "nrvatue": _pattern(
        _VAT_UE, "KSEF-SCHEMA-PATTERN", "an EU VAT number without prefix", collapse=False
    ),
    "swift": _pattern(_SWIFT, "KSEF-SCHEMA-PATTERN", "a BIC", collapse=False),
    "nrksef": _pattern(_KSEF_NUMBER, "KSEF-SCHEMA-PATTERN", "a KSeF number"),
    "krs": _pattern(_KRS, "KSEF-SCHEMA-PATTERN", "a KRS number (10 digits)", collapse=False),
    "regon": _pattern(_REGON, "KSEF-SCHEMA-PATTERN", "a REGON (9 or 14 digits)", collapse=False),
    "calkowita": _pattern(_XSD_INTEGER, "KSEF-SCHEMA-PATTERN", "a whole number"),
    "naturalny": _natural,
    "procent": _percent,
    "email": _email,
    "kraj": _exact(_COUNTRIES, "an ISO 3166 country code"),
    "kraj_ue": _exact(_EU_COUNTRIES, "an EU country code"),
    "prefiks_pl": _prefix_pl,
    "waluta": _exact(_CURRENCIES, "an ISO 4217 currency code"),
    "wybor1": _number_enum(frozenset({1}), "1"),
    "wybor12": _number_enum(frozenset({1, 2}), "1 or 2"),
    "wybor123": _number_enum(frozenset({1, 2, 3}), "1, 2 or 3"),
    "wybor1234": _number_enum(frozenset({1, 2, 3, 4}), "1, 2, 3 or 4"),
    "rola3": _number_enum(frozenset(range(1, 12)), "a third-party role 1..11"),
    "forma": _number_enum(frozenset(range(1, 8)), "a payment form 1..7"),
    "rodzaj": _enum(_INVOICE_KINDS, "an invoice kind (RodzajFaktury)"),
    "stawka": _enum(_VAT_RATES, "a VAT rate of the FA(3) list"),
    "gtu": _enum(_GTU, "a GTU code GTU_01..GTU_13"),
    "procedura": _enum(_PROCEDURES, "a procedure code of the FA(3) list"),
    "procedura_z": _enum(_ORDER_PROCEDURES, "a procedure code of the order list"),
    "transport": _number_enum(_TRANSPORT_MODES, "a transport mode 1..5, 7 or 8"),
    "ladunek": _number_enum(frozenset(range(1, 21)), "a cargo kind 1..20"),
    "kolumna": _exact(_COLUMN_TYPES, "a column type (date, datetime, dec, int, time, txt)"),
    "kodform": _exact(frozenset({"FA"}), "FA"),
    "wariant": _number_enum(frozenset({3}), "3"),
}
