"""The FA(3) content model, written as data, and a validator that walks a tree against it.

The schema ``schemat_FA(3)_v1-0E`` is restated here as nested particles (:class:`El`,
:class:`Seq`, :class:`Choice` with min/max occurrences), so a file is checked for order,
presence and choice of elements and for the simple types of the leaves without loading
any XSD at run time. Every element is modelled to the leaf, none is opaque: header,
seller, buyer, third parties, authorised party, totals, annotations (new means of transport
included), corrections (with the seller and buyers as they were), additional descriptions,
lines, settlement, payment, transaction terms, order, footer and attachment. Attributes
are checked only on the elements that declare some (``KodFormularza``, ``Kol``); a stray
attribute elsewhere is not reported, which spares the walk reading the attributes of every
element.

Finding codes: ``KSEF-SCHEMA-UNEXPECTED`` (an element not allowed here),
``KSEF-SCHEMA-MISSING`` (a mandatory element absent), ``KSEF-SCHEMA-CONTENT`` (text in
an element that holds only elements, or the reverse), ``KSEF-SCHEMA-ATTRIBUTE`` and the
simple-type codes of :mod:`._types`.

>>> Seq((El("A", "znak"), El("B", "znak", min=0))).min
1
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ledgerbridge.formats.ksef._types import CHECKS
from ledgerbridge.formats.model import Finding, Severity
from ledgerbridge.formats.namespaces import KSEF_FA3_NS

__all__ = ["NAMESPACE", "ROOT", "Choice", "El", "Seq", "validate"]

NAMESPACE = KSEF_FA3_NS
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_BLANKS = " \t\n\r"  # XML's whitespace; a no-break space is text
_MAX_FINDINGS = 200


@dataclass(frozen=True, slots=True, eq=False)
class El:
    """An element: a simple ``type`` key, a complex ``model``, or neither (opaque).

    Its required attributes are ``fixed`` (name, only value) or ``attributes`` (name, type
    key); an element declaring either may carry no other attribute outside ``xsi``.
    """

    name: str
    type: str | None = None
    model: Particle | None = None
    min: int = 1
    max: int = 1
    fixed: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Seq:
    items: tuple[Particle, ...]
    min: int = 1
    max: int = 1


@dataclass(frozen=True, slots=True, eq=False)
class Choice:
    alts: tuple[Particle, ...]
    min: int = 1
    max: int = 1


Particle = El | Seq | Choice


def _opt(name: str, type_: str | None = None, *, model: Particle | None = None) -> El:
    return El(name, type_, model, min=0)


def _many(name: str, high: int, type_: str | None = None, model: Particle | None = None) -> El:
    return El(name, type_, model, min=0, max=high)


_ADDRESS = Seq((El("KodKraju", "kraj"), El("AdresL1", "znak512"), _opt("AdresL2", "znak512"),
                _opt("GLN", "gln")))  # fmt: skip
_CONTACT = Seq((_opt("Email", "email"), _opt("Telefon", "tel")), min=0)
_ID_SELLER = Seq((El("NIP", "nip"), El("Nazwa", "znak512")))


def _party_id(*after_nip: Particle) -> Seq:
    """TPodmiot2 or, with ``IDWew`` after the NIP, TPodmiot3: one identifier, then a name."""
    return Seq((
        Choice((
            El("NIP", "nip"), *after_nip,
            Seq((El("KodUE", "kraj_ue"), El("NrVatUE", "nrvatue"))),
            Seq((_opt("KodKraju", "kraj"), El("NrID", "nrid"))),
            El("BrakID", "wybor1"),
        )),
        _opt("Nazwa", "znak512"),
    ))  # fmt: skip


_ID_BUYER = _party_id()
_ID_THIRD = _party_id(El("IDWew", "nip_wew"))
_HEADER = Seq((
    El("KodFormularza", "kodform", fixed=(("kodSystemowy", "FA (3)"), ("wersjaSchemy", "1-0E"))),
    El("WariantFormularza", "wariant"),
    El("DataWytworzeniaFa", "dataczas"),
    _opt("SystemInfo", "znak"),
))  # fmt: skip
_SELLER = Seq((
    _opt("PrefiksPodatnika", "prefiks_pl"), _opt("NrEORI", "znak"),
    El("DaneIdentyfikacyjne", model=_ID_SELLER), El("Adres", model=_ADDRESS),
    _opt("AdresKoresp", model=_ADDRESS), _many("DaneKontaktowe", 3, model=_CONTACT),
    _opt("StatusInfoPodatnika", "wybor1234"),
))  # fmt: skip
_BUYER = Seq((
    _opt("NrEORI", "znak"), El("DaneIdentyfikacyjne", model=_ID_BUYER),
    _opt("Adres", model=_ADDRESS), _opt("AdresKoresp", model=_ADDRESS),
    _many("DaneKontaktowe", 3, model=_CONTACT), _opt("NrKlienta", "znak"),
    _opt("IDNabywcy", "znak32"), El("JST", "wybor12"), El("GV", "wybor12"),
))  # fmt: skip
_THIRD = Seq((
    _opt("IDNabywcy", "znak32"), _opt("NrEORI", "znak"), El("DaneIdentyfikacyjne", model=_ID_THIRD),
    _opt("Adres", model=_ADDRESS), _opt("AdresKoresp", model=_ADDRESS),
    _many("DaneKontaktowe", 3, model=_CONTACT),
    Choice((El("Rola", "rola3"), Seq((El("RolaInna", "wybor1"), El("OpisRoli", "znak"))))),
    _opt("Udzial", "procent"), _opt("NrKlienta", "znak"),
))  # fmt: skip
_AUTHORISED = Seq((
    _opt("NrEORI", "znak"), El("DaneIdentyfikacyjne", model=_ID_SELLER),
    El("Adres", model=_ADDRESS), _opt("AdresKoresp", model=_ADDRESS),
    _many("DaneKontaktowe", 3, model=Seq((_opt("EmailPU", "email"), _opt("TelefonPU", "tel")))),
    El("RolaPU", "wybor123"),
))  # fmt: skip


def _either(flag: str, no_flag: str, *detail: Particle) -> Choice:
    return Choice((Seq((El(flag, "wybor1"), *detail)), El(no_flag, "wybor1")))


_NEW_VEHICLE = Seq((
    El("P_22A", "data"), El("P_NrWierszaNST", "naturalny"),
    *(_opt(f"P_22B{x}", "znak") for x in ("MK", "MD", "K", "NR", "RP")),
    Choice((
        Seq((El("P_22B", "znak"), Choice(tuple(_opt(f"P_22B{n}", "znak") for n in "1234"), min=0),
             _opt("P_22BT", "znak"))),
        Seq((El("P_22C", "znak"), _opt("P_22C1", "znak"))),
        Seq((El("P_22D", "znak"), _opt("P_22D1", "znak"))),
    )),
))  # fmt: skip
_ANNOTATIONS = Seq((
    El("P_16", "wybor12"), El("P_17", "wybor12"), El("P_18", "wybor12"), El("P_18A", "wybor12"),
    El("Zwolnienie", model=_either(
        "P_19", "P_19N", Choice(tuple(El(f"P_19{x}", "znak") for x in "ABC")))),
    El("NoweSrodkiTransportu", model=_either(
        "P_22", "P_22N", El("P_42_5", "wybor12"),
        El("NowySrodekTransportu", model=_NEW_VEHICLE, max=10000))),
    El("P_23", "wybor12"),
    El("PMarzy", model=_either("P_PMarzy", "P_PMarzyN", Choice(tuple(
        El(f"P_PMarzy_{x}", "wybor1") for x in ("2", "3_1", "3_2", "3_3"))))),
))  # fmt: skip


def _vat_group(n: int, *, with_tax: bool = True) -> Seq:
    tax = El(f"P_14_{n}", "kwota", min=1 if with_tax else 0)
    items: tuple[Particle, ...] = (El(f"P_13_{n}", "kwota"), tax)
    if with_tax:
        items = (*items, _opt(f"P_14_{n}W", "kwota"))
    return Seq(items, min=0)


_CORRECTED = Seq((
    El("DataWystFaKorygowanej", "data"), El("NrFaKorygowanej", "znak"),
    Choice((Seq((El("NrKSeF", "wybor1"), El("NrKSeFFaKorygowanej", "nrksef"))),
            El("NrKSeFN", "wybor1"))),
))  # fmt: skip
_CORRECTION = Seq((
    _opt("PrzyczynaKorekty", "znak"), _opt("TypKorekty", "wybor123"),
    El("DaneFaKorygowanej", model=_CORRECTED, max=50000),
    _opt("OkresFaKorygowanej", "znak"), _opt("NrFaKorygowany", "znak"),
    _opt("Podmiot1K", model=Seq((_opt("PrefiksPodatnika", "kraj_ue"),
                                 El("DaneIdentyfikacyjne", model=_ID_SELLER),
                                 El("Adres", model=_ADDRESS)))),
    _many("Podmiot2K", 101, model=Seq((El("DaneIdentyfikacyjne", model=_ID_BUYER),
                                       _opt("Adres", model=_ADDRESS),
                                       _opt("IDNabywcy", "znak32")))),
    Seq((El("P_15ZK", "kwota"), _opt("KursWalutyZK", "ilosc")), min=0),
), min=0)  # fmt: skip
_LINE = Seq((
    El("NrWierszaFa", "naturalny"), _opt("UU_ID", "znak50"), _opt("P_6A", "data"),
    _opt("P_7", "znak512"), _opt("Indeks", "znak50"), _opt("GTIN", "znak20"),
    _opt("PKWiU", "znak50"), _opt("CN", "znak50"), _opt("PKOB", "znak50"), _opt("P_8A", "znak"),
    _opt("P_8B", "ilosc"), _opt("P_9A", "kwota8"), _opt("P_9B", "kwota8"), _opt("P_10", "kwota8"),
    _opt("P_11", "kwota"), _opt("P_11A", "kwota"), _opt("P_11Vat", "kwota"),
    _opt("P_12", "stawka"), _opt("P_12_XII", "procent"), _opt("P_12_Zal_15", "wybor1"),
    _opt("KwotaAkcyzy", "kwota"), _opt("GTU", "gtu"), _opt("Procedura", "procedura"),
    _opt("KursWaluty", "ilosc"), _opt("StanPrzed", "wybor1"),
))  # fmt: skip
_PAYMENT_FORM = Choice(
    (
        El("FormaPlatnosci", "forma"),
        Seq((El("PlatnoscInna", "wybor1"), El("OpisPlatnosci", "znak"))),
    ),
    min=0,
)
_PART_PAYMENT = Seq((
    El("KwotaZaplatyCzesciowej", "kwota"), El("DataZaplatyCzesciowej", "data2016"), _PAYMENT_FORM,
))  # fmt: skip
_DUE = Seq((
    _opt("Termin", "data2016"),
    _opt("TerminOpis", model=Seq((El("Ilosc", "calkowita"), El("Jednostka", "znak50"),
                                  El("ZdarzeniePoczatkowe", "znak")))),
), min=0)  # fmt: skip
_ACCOUNT = Seq((
    El("NrRB", "nrrb"), _opt("SWIFT", "swift"), _opt("RachunekWlasnyBanku", "wybor123"),
    _opt("NazwaBanku", "znak"), _opt("OpisRachunku", "znak"),
))  # fmt: skip
_PAYMENT = Seq((
    Choice((
        Seq((El("Zaplacono", "wybor1"), El("DataZaplaty", "data2016"))),
        Seq((El("ZnacznikZaplatyCzesciowej", "wybor12"),
             El("ZaplataCzesciowa", model=_PART_PAYMENT, max=100))),
    ), min=0),
    _many("TerminPlatnosci", 100, model=_DUE), _PAYMENT_FORM,
    _many("RachunekBankowy", 100, model=_ACCOUNT),
    _many("RachunekBankowyFaktora", 20, model=_ACCOUNT),
    _opt("Skonto", model=Seq((El("WarunkiSkonta", "znak"), El("WysokoscSkonta", "znak")))),
    _opt("LinkDoPlatnosci", "link_platnosci"), _opt("IPKSeF", "ipksef"),
))  # fmt: skip
_CHARGE = Seq((El("Kwota", "kwota"), El("Powod", "znak")))
_SETTLEMENT = Seq((
    _many("Obciazenia", 100, model=_CHARGE), _opt("SumaObciazen", "kwota"),
    _many("Odliczenia", 100, model=_CHARGE), _opt("SumaOdliczen", "kwota"),
    Choice((El("DoZaplaty", "kwota"), El("DoRozliczenia", "kwota")), min=0),
))  # fmt: skip
_CARRIER = Seq((El("DaneIdentyfikacyjne", model=_ID_BUYER), El("AdresPrzewoznika", model=_ADDRESS)))
_TRANSPORT = Seq((
    Choice((El("RodzajTransportu", "transport"),
            Seq((El("TransportInny", "wybor1"), El("OpisInnegoTransportu", "znak50"))))),
    _opt("Przewoznik", model=_CARRIER), _opt("NrZleceniaTransportu", "znak"),
    Choice((El("OpisLadunku", "ladunek"),
            Seq((El("LadunekInny", "wybor1"), El("OpisInnegoLadunku", "znak50"))))),
    _opt("JednostkaOpakowania", "znak"),
    Seq((
        _opt("DataGodzRozpTransportu", "dataczas2021"),
        _opt("DataGodzZakTransportu", "dataczas2021"),
        _opt("WysylkaZ", model=_ADDRESS), _many("WysylkaPrzez", 20, model=_ADDRESS),
        _opt("WysylkaDo", model=_ADDRESS),
    ), min=0),
))  # fmt: skip
_TERMS = Seq((
    _many("Umowy", 100, model=Seq((_opt("DataUmowy", "data1990"), _opt("NrUmowy", "znak")), min=0)),
    _many("Zamowienia", 100, model=Seq((_opt("DataZamowienia", "data1990"),
                                        _opt("NrZamowienia", "znak")), min=0)),
    _many("NrPartiiTowaru", 1000, "znak"), _opt("WarunkiDostawy", "znak"),
    Seq((El("KursUmowny", "ilosc"), El("WalutaUmowna", "waluta")), min=0),
    _many("Transport", 20, model=_TRANSPORT), _opt("PodmiotPosredniczacy", "wybor1"),
))  # fmt: skip
_ORDER_LINE = Seq((
    El("NrWierszaZam", "naturalny"), _opt("UU_IDZ", "znak50"), _opt("P_7Z", "znak512"),
    _opt("IndeksZ", "znak50"), _opt("GTINZ", "znak20"), _opt("PKWiUZ", "znak50"),
    _opt("CNZ", "znak50"), _opt("PKOBZ", "znak50"), _opt("P_8AZ", "znak"), _opt("P_8BZ", "ilosc"),
    _opt("P_9AZ", "kwota8"), _opt("P_11NettoZ", "kwota"), _opt("P_11VatZ", "kwota"),
    _opt("P_12Z", "stawka"), _opt("P_12Z_XII", "procent"), _opt("P_12Z_Zal_15", "wybor1"),
    _opt("GTUZ", "gtu"), _opt("ProceduraZ", "procedura_z"), _opt("KwotaAkcyzyZ", "kwota"),
    _opt("StanPrzedZ", "wybor1"),
))  # fmt: skip
_ORDER = Seq((
    El("WartoscZamowienia", "kwota"), El("ZamowienieWiersz", model=_ORDER_LINE, max=10000),
))  # fmt: skip
_KEY_VALUE_LINE = Seq((_opt("NrWiersza", "naturalny"), El("Klucz", "znak"), El("Wartosc", "znak")))
_ADVANCE = Seq((El("P_6Z", "data"), El("P_15Z", "kwota"), _opt("KursWalutyZW", "ilosc")))
_ADVANCE_INVOICE = Choice((
    Seq((El("NrKSeFZN", "wybor1"), El("NrFaZaliczkowej", "znak"))),
    El("NrKSeFFaZaliczkowej", "nrksef"),
))  # fmt: skip
_INVOICE = Seq((
    El("KodWaluty", "waluta"), El("P_1", "data"), _opt("P_1M", "znak"), El("P_2", "znak"),
    _many("WZ", 1000, "znak"),
    Choice((El("P_6", "data"), El("OkresFa", model=Seq((El("P_6_Od", "data"),
                                                        El("P_6_Do", "data"))))), min=0),
    *(_vat_group(n) for n in (1, 2, 3, 4)), _vat_group(5, with_tax=False),
    *(_opt(f"P_13_{n}", "kwota") for n in ("6_1", "6_2", "6_3", "7", "8", "9", "10", "11")),
    El("P_15", "kwota"), _opt("KursWalutyZ", "ilosc"),
    El("Adnotacje", model=_ANNOTATIONS), El("RodzajFaktury", "rodzaj"), _CORRECTION,
    _many("ZaliczkaCzesciowa", 31, model=_ADVANCE), _opt("FP", "wybor1"), _opt("TP", "wybor1"),
    _many("DodatkowyOpis", 10000, model=_KEY_VALUE_LINE),
    _many("FakturaZaliczkowa", 100, model=_ADVANCE_INVOICE),
    _opt("ZwrotAkcyzy", "wybor1"), _many("FaWiersz", 10000, model=_LINE),
    _opt("Rozliczenie", model=_SETTLEMENT), _opt("Platnosc", model=_PAYMENT),
    _opt("WarunkiTransakcji", model=_TERMS), _opt("Zamowienie", model=_ORDER),
))  # fmt: skip
_FOOTER = Seq((
    _many("Informacje", 3, model=Seq((_opt("StopkaFaktury", "tekst"),), min=0)),
    _many("Rejestry", 100, model=Seq((
        _opt("PelnaNazwa", "znak"), _opt("KRS", "krs"), _opt("REGON", "regon"), _opt("BDO", "bdo"),
    ), min=0)),
), min=0)  # fmt: skip
_KEY_VALUE = Seq((El("ZKlucz", "znak"), El("ZWartosc", "znak")))
_TABLE = Seq((
    _many("TMetaDane", 1000, model=Seq((El("TKlucz", "znak"), El("TWartosc", "znak")))),
    _opt("Opis", "znak512"),
    El("TNaglowek", model=El("Kol", model=El("NKom", "znak0"), max=20,
                             attributes=(("Typ", "kolumna"),))),
    El("Wiersz", model=El("WKom", "znak0", max=20), max=1000),
    _opt("Suma", model=El("SKom", "znak0", max=20)),
))  # fmt: skip
_ATTACHMENT = El("BlokDanych", max=1000, model=Seq((
    _opt("ZNaglowek", "znak512"), El("MetaDane", model=_KEY_VALUE, max=1000),
    _opt("Tekst", model=El("Akapit", "znak512", max=10)), _many("Tabela", 1000, model=_TABLE),
)))  # fmt: skip
ROOT = El("Faktura", model=Seq((
    El("Naglowek", model=_HEADER), El("Podmiot1", model=_SELLER), El("Podmiot2", model=_BUYER),
    _many("Podmiot3", 100, model=_THIRD), _opt("PodmiotUpowazniony", model=_AUTHORISED),
    El("Fa", model=_INVOICE),
    _opt("Stopka", model=_FOOTER), _opt("Zalacznik", model=_ATTACHMENT),
)))  # fmt: skip


def _once(p: Particle, names: list[str], pos: int, far: list[int]) -> set[int]:
    if isinstance(p, El):
        if pos < len(names) and names[pos] == p.name:
            far[0] = max(far[0], pos + 1)
            return {pos + 1}
        return set()
    if isinstance(p, Seq):
        current = {pos}
        for item in p.items:
            current = {end for start in current for end in _match(item, names, start, far)}
            if not current:
                break
        return current
    return {end for alt in p.alts for end in _match(alt, names, pos, far)}


def _match(p: Particle, names: list[str], pos: int, far: list[int]) -> set[int]:
    """Every position where ``p`` (with its occurrences) can end when started at ``pos``."""
    result = {pos} if p.min == 0 else set()
    current, seen, count = {pos}, set[int](), 0
    while current and count < p.max:
        count += 1
        current = {end for start in current for end in _once(p, names, start, far)}
        if count >= p.min:
            current -= seen  # an empty match repeated forever adds nothing new
            seen |= current
            result |= current
    return result


_DECLARATIONS: dict[int, dict[str, El]] = {}


def _declarations(p: Particle) -> dict[str, El]:
    found = _DECLARATIONS.get(id(p))
    if found is None:
        found = {}
        stack: list[Particle] = [p]
        while stack:
            item = stack.pop()
            if isinstance(item, El):
                found.setdefault(item.name, item)
            else:
                stack.extend(item.items if isinstance(item, Seq) else item.alts)
        _DECLARATIONS[id(p)] = found
    return found


def _local(node: etree._Element) -> str:
    qname = etree.QName(node)
    return qname.localname if qname.namespace == NAMESPACE else qname.text


def _error(out: list[Finding], code: str, location: str, message: str) -> None:
    if len(out) < _MAX_FINDINGS:
        out.append(Finding(Severity.ERROR, code, location, message))


def _check_leaf(node: etree._Element, decl: El, path: str, out: list[Finding]) -> None:
    text = node.text or ""
    if len(node):
        if any(isinstance(child.tag, str) for child in node):
            _error(out, "KSEF-SCHEMA-CONTENT", path, f"{decl.name} holds a value, not elements")
            return
        # a comment or processing instruction cuts the text, not the value, in two
        text += "".join(child.tail or "" for child in node)
    problem = CHECKS[decl.type or "znak"](text)
    if problem is not None:
        _error(out, problem[0], path, problem[1])


def _check_attributes(node: etree._Element, decl: El, path: str, out: list[Finding]) -> None:
    for attribute, value in decl.fixed:
        if node.get(attribute) != value:
            _error(out, "KSEF-SCHEMA-ATTRIBUTE", path, f"attribute {attribute} must be {value!r}")
    for attribute, type_ in decl.attributes:
        text = node.get(attribute)
        problem = ("", "is required") if text is None else CHECKS[type_](text)
        if problem is not None:
            _error(out, "KSEF-SCHEMA-ATTRIBUTE", path, f"attribute {attribute}: {problem[1]}")
    declared = {name for name, _ in (*decl.fixed, *decl.attributes)}
    for name in map(str, node.attrib):  # the stubs say str | bytes; lxml gives str
        if name not in declared and not name.startswith(_XSI):
            _error(out, "KSEF-SCHEMA-ATTRIBUTE", path, f"attribute {name} is not allowed")


def _check(node: etree._Element, decl: El, path: str, out: list[Finding]) -> None:
    if decl.fixed or decl.attributes:
        _check_attributes(node, decl, path, out)
    if decl.type is not None:
        _check_leaf(node, decl, path, out)
        return
    if decl.model is None:
        return
    children = [child for child in node if isinstance(child.tag, str)]
    texts = [node.text, *(child.tail for child in node)]
    if any(text and text.strip(_BLANKS) for text in texts):
        _error(out, "KSEF-SCHEMA-CONTENT", path, f"{decl.name} holds elements only, found text")
    names = [_local(child) for child in children]
    far = [0]
    if len(names) not in _match(decl.model, names, 0, far):
        if far[0] < len(names):
            where, what = f"{path}/{names[far[0]]}", f"element {names[far[0]]} is not allowed here"
            _error(out, "KSEF-SCHEMA-UNEXPECTED", where, what)
        else:
            _error(out, "KSEF-SCHEMA-MISSING", path, f"{decl.name} lacks a mandatory element")
    declared = _declarations(decl.model)
    seen: dict[str, int] = {}
    for name, child in zip(names, children, strict=True):
        seen[name] = seen.get(name, 0) + 1
        child_decl = declared.get(name)
        if child_decl is not None:
            _check(child, child_decl, f"{path}/{name}[{seen[name]}]", out)


def validate(root: etree._Element) -> list[Finding]:
    """Check ``root`` (a ``Faktura`` element) against the FA(3) content model."""
    out: list[Finding] = []
    _check(root, ROOT, "/Faktura", out)
    return out
