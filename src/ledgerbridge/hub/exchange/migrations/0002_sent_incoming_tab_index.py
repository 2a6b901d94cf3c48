"""The incoming-invoice tab gets its own partial index, in the tab's order.

The tab holds the incoming invoices and the QR-bills that carry one; with that OR no other
index gives its rows newest first, so one page of a client with thousands of documents
read and sorted all of them (``benchmarks/partner_space.py``). The status is included so
that the page's count, with or without the status filter, reads the index alone.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sentdocument",
            index=models.Index(
                condition=models.Q(
                    ("category", "incoming_invoice"), ("also_invoice", True), _connector="OR"
                ),
                fields=["office", "organization", "-sent_at", "-id"],
                include=("status",),
                name="exchange_sent_incoming_tab",
            ),
        ),
    ]
