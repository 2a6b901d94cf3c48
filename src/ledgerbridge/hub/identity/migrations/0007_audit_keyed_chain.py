# Written by hand: key the audit chains (HMAC-SHA256, key derived from SECRET_KEY) and add
# the TRUNCATE guard on PostgreSQL.
#
# Each chain that still verifies under the old unkeyed SHA-256 scheme is re-hashed with the
# key, so its events verify as before. A chain that is already broken is left as it is:
# re-hashing it would launder the tampering, and `audit verify` keeps naming it.

import hashlib

from django.db import migrations

from ledgerbridge.hub.identity import append_only
from ledgerbridge.hub.identity.services import audit_key, event_hash, event_payload


def _payload(event, prev_hash):
    return event_payload(
        organization_id=event.organization_id,
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        subject_user_id=event.subject_user_id,
        category=event.category,
        action=event.action,
        details=event.details,
        ip=event.ip,
        prev_hash=prev_hash,
    )


def _rekeyed(events, key):
    """The chain's events with keyed hashes, or None if the unkeyed chain is broken."""
    old_prev = new_prev = ""
    for expected_seq, event in enumerate(events, start=1):
        intact = event.seq == expected_seq and event.prev_hash == old_prev
        if not intact or hashlib.sha256(_payload(event, old_prev)).hexdigest() != event.hash:
            return None
        old_prev = event.hash
        event.prev_hash = new_prev
        event.hash = new_prev = event_hash(_payload(event, new_prev), key=key)
    return events


def key_the_chains(apps, schema_editor):
    AuditEvent = apps.get_model("identity", "AuditEvent")
    key = audit_key()
    append_only.uninstall(schema_editor.connection)
    chains = AuditEvent.objects.values_list("organization_id", flat=True).distinct()
    for chain in list(chains):
        events = AuditEvent.objects.filter(organization_id=chain).order_by("seq")
        if (rekeyed := _rekeyed(list(events), key)) is not None:
            AuditEvent.objects.bulk_update(rekeyed, ["prev_hash", "hash"], batch_size=1000)
    # Also installs the TRUNCATE guard, new since 0003.
    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("identity", "0006_admins_manage_tokens")]  # noqa: RUF012  # Django's migration API

    operations = [  # noqa: RUF012  # Django's migration API
        # No way back: the unkeyed hashes are gone, and the old scheme is the weaker one.
        migrations.RunPython(key_the_chains, migrations.RunPython.noop),
    ]
