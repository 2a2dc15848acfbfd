"""The first account of a fresh install: `kelisim create_admin`."""

import io

import pytest
from django.core.management import CommandError, call_command

from kelisim.accounts import policies
from kelisim.accounts.models import Membership, User
from kelisim.accounts.services import administrator_create, roles_sync
from kelisim.core.models import AuditEntry

PASSWORD = "a-long-admin-secret-7"


@pytest.fixture
def roles(db: None) -> None:
    roles_sync()


def test_the_command_makes_a_system_administrator_over_the_whole_country(roles, monkeypatch):
    monkeypatch.setenv("KELISIM_ADMIN_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("create_admin", "--username", "aigerim", "--email", "a@example.kz", stdout=out)
    admin = User.objects.get(username="aigerim")
    assert admin.check_password(PASSWORD) and admin.email == "a@example.kz"
    membership = Membership.objects.get(user=admin)
    assert membership.role.code == "system_admin" and membership.territory is None
    assert policies.can(admin, "manage_users") and policies.needs_second_factor(admin)
    assert "aigerim" in out.getvalue()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.create_admin", "membership.grant"} <= actions
    assert PASSWORD not in str(list(AuditEntry.objects.values_list("params", flat=True)))


def test_the_command_asks_the_password_twice_when_it_is_not_in_the_environment(roles, monkeypatch):
    monkeypatch.delenv("KELISIM_ADMIN_PASSWORD", raising=False)
    answers = iter([PASSWORD, "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_admin", "--username", "aigerim", stdout=io.StringIO())
    assert not User.objects.exists()
    answers = iter([PASSWORD, PASSWORD])
    call_command("create_admin", "--username", "aigerim", stdout=io.StringIO())
    assert User.objects.get().check_password(PASSWORD)


def test_a_weak_password_or_a_taken_name_is_refused_naming_the_field_and_nothing_is_saved(roles, monkeypatch):
    monkeypatch.setenv("KELISIM_ADMIN_PASSWORD", "12345")
    with pytest.raises(CommandError, match="password"):
        call_command("create_admin", "--username", "aigerim", stdout=io.StringIO())
    assert not User.objects.exists() and not Membership.objects.exists()
    administrator_create(username="aigerim", password=PASSWORD)
    monkeypatch.setenv("KELISIM_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="username"):
        call_command("create_admin", "--username", "AIGERIM", stdout=io.StringIO())
    assert User.objects.count() == 1


def test_without_the_roles_the_command_says_to_sync_them_first(db, monkeypatch):
    monkeypatch.setenv("KELISIM_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="sync_roles"):
        call_command("create_admin", "--username", "aigerim", stdout=io.StringIO())
    assert not User.objects.exists()
