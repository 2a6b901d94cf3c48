"""The embedded default e-mail backend: print each message and keep a copy on disk.

Nobody has to configure SMTP to try the hub; the verification codes and invitation
links are on the console and in ``<data dir>/mail/`` as ``.eml`` files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.core.mail.message import EmailMessage


class ConsoleAndFileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._console = ConsoleBackend(*args, **kwargs)
        self._file = FileBackend(*args, **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self._file.send_messages(email_messages)
        return self._console.send_messages(email_messages)
