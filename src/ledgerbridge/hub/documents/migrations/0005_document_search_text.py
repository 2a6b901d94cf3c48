"""Documents get ``search_text``: their searchable fields folded (accents, case), so that
the search finds "Sørensen" for "sorensen" and "3009.64" for "3'009.64" on every database.
The rows that exist are filled here, in batches; new ones are filled by the ingest service."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from ledgerbridge.hub.documents.searchtext import search_text

_BATCH = 500


def fill_search_text(apps: Any, schema_editor: Any) -> None:
    document_model = apps.get_model("documents", "Document")
    rows = document_model.objects.select_related("file").order_by("pk")
    batch = []
    for document in rows.iterator(chunk_size=_BATCH):
        document.search_text = search_text(
            creditor_name=document.creditor_name,
            iban=document.iban,
            reference=document.reference,
            invoice_number=document.invoice_number,
            file_name=document.file.original_name,
            amount=document.amount,
        )
        batch.append(document)
        if len(batch) >= _BATCH:
            document_model.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        document_model.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_slip_exported_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="search_text",
            field=models.TextField(blank=True, default="", verbose_name="search text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
