"""The exchange between a company and its accounting office.

A :class:`~.models.ClientLink` joins an accounting office and a client company once the
other side accepted it and both carry the tax ID it was made for. Over an active link the
company sends documents (:class:`~.models.SentDocument`, a snapshot of the file and data as
sent); the office marks them received, booked or rejected, and the company sees those
statuses. A withdrawn or replaced document is shown to the office as cancelled or changed
at source. The app sits above ``documents`` and below the interfaces (``api``, ``web``).
"""
