"""A minimal valid KSeF FA(3) invoice shared by the KSeF, CLI and contract tests.

:func:`mutate` rewrites one part of it, :func:`fa3_schema` is the FA(3) XSD of the corpus.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from ledgerbridge.formats.namespaces import KSEF_FA3_NS
from tests.formats.conformance.corpus import corpus_root

__all__ = ["FA3_MINIMAL", "fa3_schema", "mutate"]

FA3_MINIMAL = f"""<?xml version="1.0" encoding="UTF-8"?>
<Faktura xmlns="{KSEF_FA3_NS}">
 <Naglowek><KodFormularza kodSystemowy="FA (3)" wersjaSchemy="1-0E">FA</KodFormularza>
  <WariantFormularza>3</WariantFormularza><DataWytworzeniaFa>2026-02-01T10:00:00Z</DataWytworzeniaFa>
 </Naglowek>
 <Podmiot1><DaneIdentyfikacyjne><NIP>9999999999</NIP><Nazwa>ABC sp. z o.o.</Nazwa>
  </DaneIdentyfikacyjne><Adres><KodKraju>PL</KodKraju><AdresL1>ul. Kwiatowa 1</AdresL1></Adres>
 </Podmiot1>
 <Podmiot2><DaneIdentyfikacyjne><NIP>1111111111</NIP><Nazwa>Jan Kowalski</Nazwa>
  </DaneIdentyfikacyjne><JST>2</JST><GV>2</GV></Podmiot2>
 <Fa><KodWaluty>PLN</KodWaluty><P_1>2026-02-15</P_1><P_2>FV/1</P_2>
  <P_13_1>100.00</P_13_1><P_14_1>23.00</P_14_1><P_15>123.00</P_15>
  <Adnotacje><P_16>2</P_16><P_17>2</P_17><P_18>2</P_18><P_18A>2</P_18A>
   <Zwolnienie><P_19N>1</P_19N></Zwolnienie><NoweSrodkiTransportu><P_22N>1</P_22N>
   </NoweSrodkiTransportu><P_23>2</P_23><PMarzy><P_PMarzyN>1</P_PMarzyN></PMarzy></Adnotacje>
  <RodzajFaktury>VAT</RodzajFaktury>
  <FaWiersz><NrWierszaFa>1</NrWierszaFa><P_7>Usługa</P_7><P_8A>szt.</P_8A><P_8B>1</P_8B>
   <P_9A>100.00</P_9A><P_11>100.00</P_11><P_12>23</P_12></FaWiersz>
 </Fa>
</Faktura>""".encode()


def mutate(old: str, new: str) -> bytes:
    """The sample with the first ``old`` replaced by ``new`` (which must be there)."""
    source = FA3_MINIMAL.decode()
    assert old in source
    return source.replace(old, new, 1).encode()


class _BaseSchemas(etree.Resolver):
    """Serve the schema's http:// imports from the corpus copy (tests never go online)."""

    def resolve(  # type: ignore[override]  # lxml passes a context the stubs omit
        self, system_url: str, public_id: str, context: object
    ) -> object:
        base = corpus_root() / "ksef/xsd/bazowe"
        local = base / system_url.rsplit("/", 1)[-1]
        if not local.is_file():
            return None
        return self.resolve_filename(str(local), context)  # type: ignore[attr-defined]  # not in lxml-stubs


@cache
def fa3_schema() -> etree.XMLSchema:
    """The FA(3) XSD, its imports served from the corpus (tests never go online)."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_BaseSchemas())
    path = corpus_root() / "ksef/xsd/schemat_FA(3)_v1-0E.xsd"
    return etree.XMLSchema(etree.parse(str(path), parser))
