"""Write operations of the identity domain, each atomic and audited.

Every service takes keyword arguments only, runs in one transaction, and writes its audit
event in that same transaction. A refused request raises a
:class:`~ledgerbridge.hub.core.errors.ServiceError` with a stable ``code`` and changes
nothing.
"""

from __future__ import annotations

from ledgerbridge.hub.identity.services._audit import (
    BreakReason,
    BrokenLink,
    ChainHead,
    audit_key,
    audit_record,
    audit_verify,
    audit_walk,
    event_hash,
    event_payload,
)
from ledgerbridge.hub.identity.services._audit_checkpoints import (
    Checkpoint,
    CheckpointError,
    audit_checkpoint,
    audit_checkpoints_read,
    audit_checkpoints_stored,
)
from ledgerbridge.hub.identity.services._common import actor_membership, is_admin
from ledgerbridge.hub.identity.services._invitations import (
    INVITATION_VALIDITY,
    invitation_accept,
    invitation_check_open,
    invitation_create,
    invitation_link,
    invitation_mail_requeue,
    invitation_mail_send,
    invitation_resend,
    invitation_revoke,
    invitation_token,
)
from ledgerbridge.hub.identity.services._memberships import (
    membership_delete,
    membership_lock,
    membership_unlock,
    membership_update_permissions,
)
from ledgerbridge.hub.identity.services._organizations import (
    organization_create,
    organization_set_require_mfa,
    organization_update,
)
from ledgerbridge.hub.identity.services._plans import (
    FEATURE_LABELS,
    LIMIT_LABELS,
    clean_plan_key,
    plan_catalogue,
    plan_figure,
    plan_of,
    plan_require,
    plan_require_feature,
    plan_set,
)
from ledgerbridge.hub.identity.services._tokens import (
    LAST_USED_RESOLUTION,
    TokenGrant,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from ledgerbridge.hub.identity.services._users import (
    membership_add_admin,
    user_create_verified,
    user_set_preferences,
)

__all__ = [
    "FEATURE_LABELS",
    "INVITATION_VALIDITY",
    "LAST_USED_RESOLUTION",
    "LIMIT_LABELS",
    "BreakReason",
    "BrokenLink",
    "ChainHead",
    "Checkpoint",
    "CheckpointError",
    "TokenGrant",
    "actor_membership",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "audit_checkpoint",
    "audit_checkpoints_read",
    "audit_checkpoints_stored",
    "audit_key",
    "audit_record",
    "audit_verify",
    "audit_walk",
    "clean_plan_key",
    "event_hash",
    "event_payload",
    "invitation_accept",
    "invitation_check_open",
    "invitation_create",
    "invitation_link",
    "invitation_mail_requeue",
    "invitation_mail_send",
    "invitation_resend",
    "invitation_revoke",
    "invitation_token",
    "is_admin",
    "membership_add_admin",
    "membership_delete",
    "membership_lock",
    "membership_unlock",
    "membership_update_permissions",
    "organization_create",
    "organization_set_require_mfa",
    "organization_update",
    "plan_catalogue",
    "plan_figure",
    "plan_of",
    "plan_require",
    "plan_require_feature",
    "plan_set",
    "user_create_verified",
    "user_set_preferences",
]
