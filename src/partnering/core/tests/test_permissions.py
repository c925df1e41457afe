"""Role predicates of ``core.permissions``: every role, inactive accounts and superusers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from partnering.core import permissions
from partnering.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREDICATES = ["is_signed_in", "is_taskforce_staff", "is_adviser", "is_partner_member",
              "can_view_history", "can_manage_api_keys"]  # fmt: skip
EXPECTED = {
    "public": set(),
    "partner": {"is_signed_in", "is_partner_member", "can_manage_api_keys"},
    "adviser": {"is_signed_in", "is_adviser", "can_manage_api_keys"},
    "staff": {"is_signed_in", "is_taskforce_staff", "can_view_history", "can_manage_api_keys"},
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_has_exactly_its_permissions(user_for_role, role):
    user = user_for_role(role)

    granted = {name for name in PREDICATES if getattr(permissions, name)(user)}

    assert granted == EXPECTED[role]


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_public_has_no_permissions(user):
    assert not any(getattr(permissions, name)(user) for name in PREDICATES)


@pytest.mark.parametrize("role", ["partner", "adviser", "staff"])
def test_an_inactive_account_has_no_permissions(role):
    user = UserFactory(role=role, is_active=False)

    assert not any(getattr(permissions, name)(user) for name in PREDICATES)


def test_a_superuser_counts_as_taskforce_staff():
    user = UserFactory(role="partner", is_superuser=True)

    assert permissions.is_taskforce_staff(user)
    assert permissions.can_view_history(user)


def test_require_raises_permission_denied_with_the_message():
    permissions.require(True)
    with pytest.raises(PermissionDenied, match="Only staff"):
        permissions.require(False, "Only staff")
