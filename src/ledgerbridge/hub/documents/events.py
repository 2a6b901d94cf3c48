"""What the documents app announces to the apps above it, called explicitly, not by signals.

An app above ``documents`` (the exchange, later the integrations) subscribes a handler at
start-up; the ingest calls :func:`publish` inside the transaction that created the
documents, so whatever a handler writes (a document sent by a link's rule, a delivery)
commits with them or not at all. A handler that raises fails the ingest: handlers must only
refuse what is truly wrong, never what is merely not for them.

>>> subscribed, _HANDLERS[DocumentEvent.READ] = _HANDLERS[DocumentEvent.READ], []
>>> seen = []
>>> subscribe(DocumentEvent.READ, lambda documents: seen.extend(documents))
>>> publish(DocumentEvent.READ, ["doc"])
>>> seen
['doc']
>>> _HANDLERS[DocumentEvent.READ] = subscribed
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ledgerbridge.hub.documents.models import Document

__all__ = ["DocumentEvent", "publish", "subscribe"]


class DocumentEvent(StrEnum):
    READ = "read"  # new documents were stored with what was read from their file


_HANDLERS: dict[DocumentEvent, list[Callable[[Sequence[Document]], None]]] = {
    event: [] for event in DocumentEvent
}


def subscribe(event: DocumentEvent, handler: Callable[[Sequence[Document]], None]) -> None:
    """Call ``handler`` with the documents of every ``event`` (once per handler)."""
    if handler not in _HANDLERS[event]:
        _HANDLERS[event].append(handler)


def publish(event: DocumentEvent, documents: Sequence[Document]) -> None:
    """Call the handlers of ``event`` in the order they subscribed."""
    for handler in _HANDLERS[event]:
        handler(documents)
