"""UN/EDIFACT (UNTDID) codes that both invoice syntaxes, UBL and CII, interpret alike.

>>> "381" in CREDIT_NOTE_TYPE_CODES, "380" in CREDIT_NOTE_TYPE_CODES
(True, False)
"""

from __future__ import annotations

__all__ = ["CREDIT_NOTE_TYPE_CODES"]

#: UNTDID 1001 document types that EN 16931 treats as credit notes.
CREDIT_NOTE_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)
