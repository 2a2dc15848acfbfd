"""Reads of people, departments and memberships, always scoped by the asking user."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kelisim.core.audit_words import action_words, object_type_words
from kelisim.core.models import AuditEntry
from kelisim.territories.models import Territory

from . import policies
from .models import Department, Membership, User


def department_list(*, user: Any, capability: str = "view_department") -> QuerySet[Department]:
    return (
        Department.objects.filter(policies.scope_q(user, capability))
        .select_related("territory")
        .order_by("territory__path", "name_kk")
    )


def department_choices(*, user: Any, capability: str = "view_department") -> QuerySet[Department]:
    """Departments a record may be linked to: those of the user's territories and of the units
    above them (the regional akimat's departments receive citizens and answer appeals in its
    districts). A sibling district's departments are not among them."""
    return (
        Department.objects.filter(policies.related_q(user, capability))
        .select_related("territory")
        .order_by("territory__path", "name_kk")
    )


def territory_choices(*, user: Any, capability: str) -> QuerySet[Territory]:
    """Units in force where `user` holds `capability`: where a record may be written. Reading the
    classifier is open to everyone; writing in a unit is not."""
    return Territory.objects.filter(policies.scope_q(user, capability, path_field="path"), is_active=True)


def department_get_for_user(*, user: Any, pk: Any, capability: str = "view_department") -> Department:
    """The department, or 404 alike for "missing" and "not yours": no existence leaks."""
    try:
        return department_list(user=user, capability=capability).get(pk=int(pk))
    except (Department.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def territory_get_for_user(*, user: Any, code: str, capability: str = "view_territory") -> Territory:
    territory = Territory.objects.select_related("parent").filter(code=code).first()
    if territory is None or not policies.can(user, capability, territory):
        raise Http404
    return territory


def territory_team(*, user: Any, territory: Territory) -> QuerySet[Membership]:
    """Memberships held on this unit or above it (who works here), for a user who may see it."""
    ancestors = [p + "/" for p in _prefixes(territory.path)]
    return (
        Membership.objects.filter(territory__path__in=ancestors)
        .select_related("user", "role", "territory")
        .order_by("territory__path", "user__last_name")
    )


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("role", "territory")


def users_with_capability(*, capability: str, territory: Territory) -> QuerySet[User]:
    """Active users who hold `capability` on `territory` or a unit above it. A country-wide grant
    (a system administrator's) is not a place of work: its holders are not offered here."""
    parts = [p for p in territory.path.split("/") if p]
    paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return (
        User.objects.filter(is_active=True)
        .filter(
            memberships__territory__path__in=paths,
            memberships__role__capabilities__code=capability,
        )
        .distinct()
        .order_by("last_name", "username")
    )


def colleagues(*, user: Any, capability: str | None, within: str) -> QuerySet[User]:
    """Active users holding `capability` (any, when None) on a unit of `user`'s scope for `within`,
    above it, or country-wide: whom `user` may choose before the record's own territory is known.
    Nobody who works only in a sibling district is among them."""
    memberships = Membership.objects.filter(
        policies.related_q(user, within) | Q(territory__isnull=True)
        if policies.scope_paths(user, within)
        else Q(pk__in=[])
    )
    if capability is not None:
        memberships = memberships.filter(role__capabilities__code=capability)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "last_name", "username"
    )


def user_list(*, user: Any, query: str = "", active: bool | None = None) -> QuerySet[User]:
    """Accounts `user` manages: those holding a membership in the manager's `manage_users` scope
    (a country-wide manager sees every account, those of no territory too)."""
    if policies.can_everywhere(user, "manage_users"):
        accounts = User.objects.all()
    elif policies.can(user, "manage_users"):
        held = Membership.objects.filter(policies.scope_q(user, "manage_users"))
        accounts = User.objects.filter(pk__in=held.values("user_id"), is_superuser=False)
    else:
        accounts = User.objects.none()
    query = query.strip()
    if query:
        # SQLite folds the case of ASCII letters only: "сейіт" finds "Сейітқали" as typed, lowered
        # or capitalized, which is how names are written.
        found = Q()
        for variant in {query, query.lower(), query.capitalize(), query.upper()}:
            for name in ("username", "first_name", "last_name", "email"):
                found |= Q(**{f"{name}__icontains": variant})
        accounts = accounts.filter(found)
    if active is not None:
        accounts = accounts.filter(is_active=active)
    return (
        accounts.select_related("department")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("role", "territory"))
        )
        .order_by("last_name", "first_name", "username")
    )


def user_get_for_user(*, user: Any, pk: Any) -> User:
    """An account the asking manager sees, or 404 alike for "missing" and "not yours"."""
    try:
        return user_list(user=user).get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_get_for_user(*, user: Any, pk: Any) -> Membership:
    """A membership the asking manager may revoke, or 404."""
    try:
        membership = Membership.objects.select_related("user", "role", "territory").get(pk=int(pk))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user_list(user=user).filter(pk=membership.user_id).exists():
        raise Http404
    return membership


def entries_in_words(entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Rows for the audit page: the people by name and the territories by their names."""
    entries = list(entries)
    codes = {policies.unit_code(e.territory_path) for e in entries}
    names = {t.code: t.name for t in Territory.objects.filter(code__in=codes - {""})}
    return [
        {
            "at": e.at,
            "actor": str(e.actor) if e.actor else "",
            "action": action_words(e.action),
            "object_type": object_type_words(e.object_type),
            "object_id": e.object_id,
            "territory": names.get(policies.unit_code(e.territory_path), ""),
        }
        for e in entries
    ]
