"""The audit log: hash chain per organization, append-only, tampering named by verify."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ledgerbridge.hub.identity import append_only, services
from ledgerbridge.hub.identity.models import AuditAction, AuditCategory, AuditEvent, Organization
from tests.hub.factories import make_organization, make_user

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.django_db


def _record(
    organization: Organization | None, action: AuditAction = AuditAction.LOGIN_SUCCEEDED, **kw: Any
) -> AuditEvent:
    return services.audit_record(
        organization=organization,
        actor=kw.pop("actor", None),
        category=AuditCategory.SECURITY,
        action=action,
        ip=kw.pop("ip", "2001:db8::1"),
        **kw,
    )


def test_events_chain_by_hash_per_organization() -> None:
    # given
    first_org, second_org = make_organization(), make_organization()
    user = make_user()
    # when
    a1 = _record(first_org, actor=user, subject_user=user, details={"b": 1, "a": [1, "x"]})
    b1 = _record(second_org)
    a2 = _record(first_org, action=AuditAction.MFA_ADDED)
    g1 = _record(None, action=AuditAction.LOGIN_FAILED, details={"email": "who@example.test"})
    # then
    assert [(e.seq, e.prev_hash) for e in (a1, a2)] == [(1, ""), (2, a1.hash)]
    assert (b1.seq, b1.prev_hash, g1.seq, g1.prev_hash) == (1, "", 1, "")
    canonical = json.dumps(
        {
            "organization": first_org.pk,
            "seq": 1,
            "time": a1.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": user.pk,
            "subject": user.pk,
            "category": "security",
            "action": "login_succeeded",
            "details": {"a": [1, "x"], "b": 1},
            "ip": "2001:db8::1",
            "prev_hash": "",
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    key = services.audit_key()
    assert a1.hash == hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    assert services.audit_verify() == []


def test_stored_events_verify_after_reading_back() -> None:
    # given
    organization = make_organization()
    _record(organization, details={"float": 0.1, "nested": {"z": None, "ä": "ü"}})
    _record(organization, ip=None)
    # then
    assert services.audit_verify(organization=organization) == []


def test_orm_refuses_update_and_delete() -> None:
    # given
    event = _record(make_organization())
    # when / then
    event.action = "changed"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE identity_auditevent SET action = 'x'", "DELETE FROM identity_auditevent"],
)
def test_database_trigger_refuses_raw_update_and_delete(statement: str) -> None:
    # given
    event = _record(make_organization())
    # when
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    # then
    assert AuditEvent.objects.get(pk=event.pk).action == "login_succeeded"


def _tamper(sql: str, params: list[str | int]) -> None:
    """Edit the audit table behind the application's back, as an attacker with DB access."""
    append_only.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    append_only.install(connection)


def test_edited_event_is_named_by_verify_and_the_command() -> None:
    # given
    organization = make_organization()
    _record(organization)
    second = _record(organization, details={"email": "a@example.test"})
    _record(organization)
    other = _record(make_organization())
    _tamper(
        "UPDATE identity_auditevent SET details = %s WHERE id = %s",
        ['{"email": "b@example.test"}', second.pk],
    )
    # when
    broken = services.audit_verify()
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    # then
    assert [(b.event_id, b.seq, b.organization_id, b.reason) for b in broken] == [
        (second.pk, 2, organization.pk, "hash-mismatch")
    ]
    assert caught.value.returncode == 1
    assert services.audit_verify(organization=other.organization) == []


def test_verify_command_prints_the_broken_event(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    organization = make_organization()
    first = _record(organization)
    _record(organization)
    _tamper("UPDATE identity_auditevent SET ip = %s WHERE id = %s", ["192.0.2.66", first.pk])
    # when
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    # then
    err = capsys.readouterr().err
    assert f"BROKEN: event {first.pk} (seq 1, organization {organization.pk} chain): " in err
    assert "hash-mismatch" in err


def test_removed_event_breaks_the_chain_at_the_next_one() -> None:
    # given
    organization = make_organization()
    _record(organization)
    second = _record(organization)
    third = _record(organization)
    _tamper("DELETE FROM identity_auditevent WHERE id = %s", [second.pk])
    # when
    broken = services.audit_verify(organization=organization)
    # then
    assert [(b.event_id, b.reason) for b in broken] == [(third.pk, "seq-gap")]


def test_rehashed_event_breaks_the_link_to_the_next_one() -> None:
    # given: the attacker recomputes the edited event's own hash, but not the chain after it
    organization = make_organization()
    first = _record(organization, details={"n": 1})
    second = _record(organization)
    forged = services.event_hash(
        services.event_payload(
            organization_id=organization.pk,
            seq=1,
            created_at=first.created_at,
            actor_id=None,
            subject_user_id=None,
            category="security",
            action="login_succeeded",
            details={"n": 2},
            ip="2001:db8::1",
            prev_hash="",
        ),
        key=services.audit_key(),
    )
    _tamper(
        "UPDATE identity_auditevent SET details = %s, hash = %s WHERE id = %s",
        ['{"n": 2}', forged, first.pk],
    )
    # when
    broken = services.audit_verify()
    # then
    assert [(b.event_id, b.reason) for b in broken] == [(second.pk, "prev-hash-mismatch")]


def test_verify_command_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    _record(make_organization())
    _record(make_organization())
    _record(None)
    # when
    call_command("audit", "verify")
    # then
    assert capsys.readouterr().out.strip() == "OK: 3 events in 3 chains"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table_and_keeps_the_triggers() -> None:
    # given: transactional tests and operators empty the database with flush
    _record(make_organization())
    # when
    call_command("flush", interactive=False, verbosity=0)
    event = _record(make_organization())
    # then
    assert AuditEvent.objects.count() == 1
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM identity_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db(transaction=True)  # the console script runs outside a test transaction
def test_console_script_exits_1_on_a_broken_chain(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    from ledgerbridge.cli import main

    organization = make_organization()
    event = _record(organization)
    ok = main(["audit", "verify"])
    _tamper("UPDATE identity_auditevent SET action = %s WHERE id = %s", ["logout", event.pk])
    # when
    code = main(["audit", "verify"])
    # then
    output = capsys.readouterr()
    assert (ok, code) == (0, 1)
    assert "OK: 1 events in 1 chains" in output.out
    assert f"BROKEN: event {event.pk} (seq 1, organization {organization.pk} chain)" in output.err


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain() -> None:
    # given
    if connection.vendor != "postgresql":
        pytest.skip("row locks matter on PostgreSQL: set LEDGERBRIDGE_TEST_DATABASE_URL")
    organization = make_organization()
    errors: list[BaseException] = []

    def append(n: int) -> None:
        try:
            for _ in range(n):
                _record(organization)
        except BaseException as err:  # reported by the main thread
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(10,)) for _ in range(4)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    seqs = list(AuditEvent.objects.filter(organization=organization).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, 41))
    assert services.audit_verify(organization=organization) == []


def _unkeyed_hash(event: AuditEvent, *, details: Any, prev_hash: str) -> str:
    """The hash of the old, unkeyed scheme: what anyone with the database can compute."""
    canonical = json.dumps(
        {
            "organization": event.organization_id,
            "seq": event.seq,
            "time": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": event.actor_id,
            "subject": event.subject_user_id,
            "category": event.category,
            "action": event.action,
            "details": details,
            "ip": event.ip,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_chain_rewritten_with_recomputed_unkeyed_hashes_fails_verify() -> None:
    # given: an attacker edits the first event and recomputes every hash after it
    organization = make_organization()
    events = [_record(organization, details={"n": n}) for n in (1, 2, 3)]
    prev_hash = ""
    for event in events:
        details = {"n": 9} if event.seq == 1 else event.details
        forged = _unkeyed_hash(event, details=details, prev_hash=prev_hash)
        _tamper(
            "UPDATE identity_auditevent SET details = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(details), prev_hash, forged, event.pk],
        )
        prev_hash = forged
    # when
    broken = services.audit_verify()
    # then
    assert [(b.event_id, b.seq, b.reason) for b in broken] == [(events[0].pk, 1, "hash-mismatch")]


def test_newest_event_deleted_fails_verify_against_the_checkpoint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given: a verify checkpointed the chain's head, then its newest event is deleted
    organization = make_organization()
    _record(organization)
    _record(organization)
    newest = _record(organization)
    call_command("audit", "verify")
    _tamper("DELETE FROM identity_auditevent WHERE id = %s", [newest.pk])
    # when
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    # then
    assert caught.value.returncode == 1
    assert capsys.readouterr().err == (
        f"BROKEN: no event at seq 3 (organization {organization.pk} chain): cut-before-checkpoint\n"
    )


def test_verify_against_an_export_made_before_a_deletion_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, audit_checkpoint_dir: Path
) -> None:
    # given: the operator exported the heads; later the newest event and the stored
    # checkpoints are removed, so a plain verify sees a valid, shorter chain
    organization = make_organization()
    _record(organization)
    newest = _record(organization)
    call_command("audit", "checkpoint", "--export")
    export = tmp_path / "heads.jsonl"
    export.write_text(capsys.readouterr().out, "utf-8")
    _tamper("DELETE FROM identity_auditevent WHERE id = %s", [newest.pk])
    for path in audit_checkpoint_dir.iterdir():
        path.unlink()
    call_command("audit", "verify")
    capsys.readouterr()
    # when
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", "--against", str(export))
    # then
    assert caught.value.returncode == 1
    assert capsys.readouterr().err == (
        f"BROKEN: no event at seq 2 (organization {organization.pk} chain): cut-before-checkpoint\n"
    )


def test_untouched_chains_pass_verify_and_are_checkpointed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # given
    organization = make_organization()
    _record(organization)
    call_command("audit", "verify")
    head = _record(organization)
    _record(None)
    capsys.readouterr()
    call_command("audit", "checkpoint", "--export")
    export = tmp_path / "heads.jsonl"
    export.write_text(capsys.readouterr().out, "utf-8")
    # when
    call_command("audit", "verify", "--against", str(export))
    # then
    assert capsys.readouterr().out == "OK: 3 events in 2 chains\n"
    exported = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    assert [(p["organization"], p["seq"], p["hash"]) for p in exported] == [
        (None, 1, AuditEvent.objects.get(organization=None).hash),
        (organization.pk, 2, head.hash),
    ]


def test_forged_checkpoint_is_refused(tmp_path: Path) -> None:
    # given: a checkpoint claiming a shorter head, signed without the key
    organization = make_organization()
    event = _record(organization)
    line = {"organization": organization.pk, "seq": 1, "hash": event.hash}
    forged = tmp_path / "forged.jsonl"
    forged.write_text(json.dumps({**line, "time": "2026-01-01T00:00:00+00:00", "signature": "00"}))
    # when
    with pytest.raises(CommandError, match="signature does not match") as caught:
        call_command("audit", "verify", "--against", str(forged))
    # then
    assert caught.value.returncode == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed rows: no pending FK checks in the way
def test_truncate_of_the_audit_table_is_refused() -> None:
    # given
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's: set LEDGERBRIDGE_TEST_DATABASE_URL")
    event = _record(make_organization())
    # when
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE identity_auditevent")
    # then
    assert AuditEvent.objects.filter(pk=event.pk).exists()
