"""The API tokens page: a new token shown once, form errors, revoking one's own token only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from ledgerbridge.hub.identity.models import ApiToken
from ledgerbridge.hub.identity.permissions import Role
from tests.hub.factories import admin_of, make_membership, make_token
from tests.hub.helpers import client_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from ledgerbridge.hub.identity.models import Membership

pytestmark = pytest.mark.django_db


def test_token_created_is_shown_once_and_stored_hashed() -> None:
    # given
    member = make_membership(role=Role.EMPLOYEE)
    client = client_for(member)
    # when
    response = client.post(
        reverse("web:token_list"), {"name": "Scan app", "permissions": ["documents.upload"]}
    )
    # then
    raw = response.context["raw_token"]
    assert raw.startswith("lb_")
    token = ApiToken.objects.get(organization=member.organization)
    assert (token.name, token.permissions) == ("Scan app", ["documents.upload"])
    assert raw not in token.token_hash
    assert raw not in client.get(reverse("web:token_list")).content.decode()


def test_token_with_more_rights_than_the_user_is_a_form_error_and_not_created() -> None:
    # given
    member = make_membership(role=Role.APP)
    # when
    response = client_for(member).post(
        reverse("web:token_list"), {"name": "Too much", "permissions": ["users.manage"]}
    )
    # then
    assert response.status_code == 422
    assert "permissions" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_without_a_name_is_a_form_error() -> None:
    # when
    response = client_for(make_membership()).post(
        reverse("web:token_list"), {"name": "", "permissions": ["documents.view"]}
    )
    # then
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_revoke_asks_then_revokes_ones_own_token() -> None:
    # given
    member = make_membership()
    token = make_token(member)
    client = client_for(member)
    url = reverse("web:token_revoke", kwargs={"token_id": token.pk})
    # when
    assert client.get(url).status_code == 200
    client.post(url)
    # then
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    ("someone_else", "status"),
    [
        # a colleague in the same organization without users.manage
        pytest.param(
            lambda owner: make_membership(organization=owner.organization), 403, id="colleague"
        ),
        # an admin of another organization does not even see the token
        pytest.param(lambda owner: admin_of(), 404, id="foreign-admin"),
    ],
)
def test_token_revoke_of_someone_elses_token_is_refused(
    someone_else: Callable[[Membership], Membership], status: int
) -> None:
    # given
    owner = make_membership()
    caller = someone_else(owner)
    token = make_token(owner)
    # when
    response = client_for(caller).post(reverse("web:token_revoke", kwargs={"token_id": token.pk}))
    # then
    assert response.status_code == status
    token.refresh_from_db()
    assert token.revoked_at is None
