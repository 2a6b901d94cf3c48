"""The bearer token lookup reads the same rows, with the same values, as the ORM would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledgerbridge.hub.identity import services
from ledgerbridge.hub.identity.models import ApiToken, Membership, Organization, User
from tests.hub.factories import admin_of, make_membership, make_token_with_secret

pytestmark = pytest.mark.django_db


def _fields(instance: object, model: type[object]) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}  # type: ignore[attr-defined]  # every model has _meta


def test_the_grant_holds_the_token_user_organization_and_membership_as_stored() -> None:
    # given: a member of two organizations, with a token in the second one
    admin = admin_of()
    member = make_membership(organization=admin.organization)
    other = make_membership(user=member.user)
    token, raw = make_token_with_secret(other, name="scan", permissions=("documents.upload",))
    services.api_token_authenticate(raw)  # writes last_used_at
    # when
    with CaptureQueriesContext(connection) as queries:
        grant = services.api_token_authenticate(raw)
    # then: one query, and every loaded value equals what the ORM reads
    assert grant is not None
    assert len(queries) == 1
    assert _fields(grant.token, ApiToken) == _fields(ApiToken.objects.get(pk=token.pk), ApiToken)
    assert _fields(grant.token.user, User) == _fields(User.objects.get(pk=member.user.pk), User)
    stored_org = Organization.objects.get(pk=other.organization.pk)
    assert _fields(grant.token.organization, Organization) == _fields(stored_org, Organization)
    assert _fields(grant.membership, Membership) == _fields(
        Membership.objects.get(pk=other.pk), Membership
    )
    assert grant.membership.organization is grant.token.organization
    assert grant.token.last_used_at is not None
    assert grant.token.last_used_at.tzinfo is not None
