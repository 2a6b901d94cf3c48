"""PDFs read from several threads at once, as the hub's threaded web server does."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ledgerbridge.formats import ReadOptions, read
from tests.formats.conformance.corpus import manifest


def test_pdfs_read_in_parallel_threads_give_the_same_documents() -> None:
    # given: the generated QR-bills embedded in A4 PDF pages
    entries = [e for e in manifest("qrbill/generated") if str(e["file"]).endswith(".pdf")]
    files = [e["path"].read_bytes() for e in entries] * 4
    options = ReadOptions(pdf_dpi=150)
    expected = [read(data, options=options).documents[0].data for data in files]

    # when: four threads share PDFium
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda data: read(data, options=options), files))

    # then
    assert len(entries) == 5
    assert [result.documents[0].data for result in results] == expected
