"""The stable error codes of the hub: every ``code`` a client may branch on, defined once.

A :class:`~ledgerbridge.hub.core.errors.ServiceError` carries one of these, and so does
every error answer of the API (``{"code": ..., "message": ...}``). The values are the wire
format: kebab-case, never renamed. A refusal that the formats library found keeps that
library's code (:class:`ledgerbridge.formats.ErrorCode`, re-exported here as
:data:`FormatCode`), which the hub passes through unchanged and never defines again.

>>> ErrorCode.TAX_ID_TAKEN == "tax-id-taken", f"{ErrorCode.NOT_FOUND}"
(True, 'not-found')
>>> FormatCode("malformed-xml") is FormatCode.MALFORMED_XML
True
>>> {code.value for code in ErrorCode} & {code.value for code in FormatCode}
set()
"""

from __future__ import annotations

from enum import StrEnum, unique
from typing import TypeAlias

from ledgerbridge.formats import ErrorCode as FormatCode

__all__ = ["ErrorCode", "FindingCode", "FormatCode"]


@unique
class ErrorCode(StrEnum):
    """Why the hub refused a request."""

    # the defaults of the error classes
    ERROR = "error"
    NOT_FOUND = "not-found"
    PERMISSION_DENIED = "permission-denied"
    CONFLICT = "conflict"
    INVALID = "invalid"

    # the API and the login: who is asking, and is the request well-formed
    INVALID_REQUEST = "invalid-request"
    NOT_AUTHENTICATED = "not-authenticated"
    ACCESS_LOCKED = "access-locked"
    MFA_REQUIRED = "mfa-required"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    CSRF_FAILED = "csrf-failed"
    TEXT_NUL_BYTE = "text-nul-byte"
    TOO_MANY_FAILED_ATTEMPTS = "too-many-failed-attempts"
    TOO_MANY_CONNECTIONS = "too-many-connections"

    # organizations
    NAME_REQUIRED = "name-required"
    NAME_TOO_LONG = "name-too-long"
    INVALID_KIND = "invalid-kind"
    UNKNOWN_REGIONAL_FORMAT = "unknown-regional-format"
    UNKNOWN_FIELD = "unknown-field"
    INVALID_TAX_ID = "invalid-tax-id"
    UNSUPPORTED_COUNTRY = "unsupported-country"
    TAX_ID_TAKEN = "tax-id-taken"

    # plans: the operator's limits (409, the state may change) and features (403)
    PLAN_LIMIT_REACHED = "plan-limit-reached"
    PLAN_FEATURE_DISABLED = "plan-feature-disabled"
    UNKNOWN_PLAN = "unknown-plan"

    # users, memberships, roles and permissions
    EMAIL_TAKEN = "email-taken"
    UNKNOWN_LANGUAGE = "unknown-language"
    WEAK_PASSWORD = "weak-password"  # noqa: S105  # a code, not a secret
    ALREADY_MEMBER = "already-member"
    LAST_ADMIN = "last-admin"
    CANNOT_LOCK_SELF = "cannot-lock-self"
    CANNOT_DELETE_SELF = "cannot-delete-self"
    ALREADY_LOCKED = "already-locked"
    NOT_LOCKED = "not-locked"
    UNKNOWN_ROLE = "unknown-role"
    UNKNOWN_PERMISSION = "unknown-permission"
    PERMISSION_EXCEEDS_ACTOR = "permission-exceeds-actor"

    # invitations
    INVALID_EMAIL = "invalid-email"
    INVALID_SALUTATION = "invalid-salutation"
    INVITATION_PENDING = "invitation-pending"
    INVITATION_NOT_FOUND = "invitation-not-found"
    INVITATION_USED = "invitation-used"
    INVITATION_REVOKED = "invitation-revoked"
    INVITATION_EXPIRED = "invitation-expired"
    INVITATION_EMAIL_MISMATCH = "invitation-email-mismatch"

    # API tokens
    TOKEN_NAME_REQUIRED = "token-name-required"  # noqa: S105  # a code, not a secret
    TOKEN_PERMISSIONS_EMPTY = "token-permissions-empty"  # noqa: S105  # a code, not a secret
    TOKEN_PERMISSIONS_EXCEED_USER = "token-permissions-exceed-user"  # noqa: S105  # a code, not a secret
    TOKEN_REVOKED = "token-revoked"  # noqa: S105  # a code, not a secret

    # uploads: the request and the file
    FILE_MISSING = "file-missing"
    CONTENT_LENGTH_INVALID = "content-length-invalid"
    MULTIPART_INVALID = "multipart-invalid"
    IDEMPOTENCY_KEY_INVALID = "idempotency-key-invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused"
    SOURCE_INVALID = "source-invalid"
    # Retired: the storage quota is a plan limit now and answers plan-limit-reached
    # (limit storage_bytes). Kept so the value is never given another meaning.
    QUOTA_EXCEEDED = "quota-exceeded"
    QR_PAYLOAD_TOO_LONG = "qr-payload-too-long"
    RECEIPT_CATEGORY_INVALID = "receipt-category-invalid"

    # what was (not) found in the file
    QR_NOT_A_QR_BILL = "qr-not-a-qr-bill"
    NO_PAYMENT_SLIP = "no-payment-slip"

    # documents and payment slips
    DOCUMENT_NOT_FOUND = "document-not-found"
    PAYMENT_SLIP_NOT_FOUND = "payment-slip-not-found"
    SLIP_REJECTED = "slip-rejected"
    SLIP_ALREADY_PROCESSED = "slip-already-processed"
    SLIP_ALREADY_EXPORTED = "slip-already-exported"
    SLIP_NOT_PAYABLE = "slip-not-payable"
    SLIPS_REQUIRED = "slips-required"
    REASON_REQUIRED = "reason-required"
    CURSOR_INVALID = "cursor-invalid"
    # a document's kind (its category), chosen at upload or corrected later
    DOCUMENT_KIND_INVALID = "document-kind-invalid"
    DOCUMENT_KIND_NEEDS_QR_BILL = "document-kind-needs-qr-bill"
    DOCUMENT_KIND_NEEDS_BANK_STATEMENT = "document-kind-needs-bank-statement"
    DOCUMENT_KIND_SLIP_NOT_PENDING = "document-kind-slip-not-pending"

    # the exchange: client links, sending, statuses
    TAX_ID_MISMATCH = "tax-id-mismatch"
    LINK_TO_SELF = "link-to-self"
    LINK_EXISTS = "link-exists"
    LINK_REQUEST_EXPIRED = "link-request-expired"
    LINK_REVOKED = "link-revoked"
    LINK_ALREADY_ACTIVE = "link-already-active"
    LINK_OWN_REQUEST = "link-own-request"
    LINK_NOT_ACTIVE = "link-not-active"
    WRONG_ORGANIZATION_KIND = "wrong-organization-kind"
    DIRECTION_INVALID = "direction-invalid"
    CATEGORY_INVALID = "category-invalid"
    CATEGORY_NOT_SHARED = "category-not-shared"
    DOCUMENT_NOT_SENT = "document-not-sent"
    DOCUMENT_WITHDRAWN = "document-withdrawn"
    DOCUMENT_REPLACED = "document-replaced"
    REPLACEMENT_SAME_FILE = "replacement-same-file"
    EXCHANGE_STATUS_INVALID = "exchange-status-invalid"
    STATUS_TRANSITION_INVALID = "status-transition-invalid"
    REPLACEMENT_NOT_ONE_DOCUMENT = "replacement-not-one-document"
    NOT_ASSIGNABLE = "not-assignable"


# Any code a refusal may carry: the hub's own or one passed through from the formats library.
Code: TypeAlias = ErrorCode | FormatCode


@unique
class FindingCode(StrEnum):
    """The hub's own findings on a stored document, beside those of the formats library
    (a warning, not a refusal: the document is stored with it)."""

    NOT_ADDRESSED_TO_ORGANIZATION = "not-addressed-to-organization"
