"""Enqueue background work by the task's dotted name, committed with the caller's data.

Services enqueue through :func:`enqueue` and name the task as a string, so a domain's
``services`` never import its ``tasks`` (the tasks import the services they run; the
import-linter contracts in ``pyproject.toml`` hold that line).

When the work is enqueued depends on where the task backend keeps its queue. django-tasks'
database backend writes the task row with an ``INSERT`` in the caller's transaction: that
row *is* the outbox, committed with the data or not at all, and a crash right after the
commit leaves it for the worker. The immediate backend (tests) runs the task in place, and
the dummy one only records it. Any other backend keeps its queue outside this database, so
the task is enqueued in ``transaction.on_commit``: a broker must never see work whose data
may still roll back.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend

if TYPE_CHECKING:
    from datetime import timedelta

    from django_tasks.base import Task

__all__ = ["enqueue"]

# Backends whose enqueue is safe inside the transaction (see the module docstring).
_IN_TRANSACTION = (DatabaseBackend, ImmediateBackend, DummyBackend)

JSONValue = str | int | float | bool | None


def enqueue(task_path: str, /, *, delay: timedelta | None = None, **kwargs: JSONValue) -> None:
    """Enqueue the task at ``task_path`` with JSON keyword arguments (IDs, counts).

    ``delay``: run it that much later, on a backend that can defer (others run it now).
    """
    task: Task[..., Any] = import_string(task_path)
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    if isinstance(task.get_backend(), _IN_TRANSACTION):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, **kwargs))
