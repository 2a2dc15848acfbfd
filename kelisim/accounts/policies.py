"""Every permission decision: capability × territory, from the user's memberships.

A grant is (capability, territory path); the empty path is the whole country. A membership on a
region covers its districts, okrugs and settlements because their paths start with the region's.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from kelisim.territories.models import Territory

from .roles import CAPABILITIES, ROLES

_CACHE = "_kelisim_grants"


def grants(user: Any) -> frozenset[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset((cap, "") for cap in CAPABILITIES)
        else:
            from .models import Membership

            rows = Membership.objects.filter(user=user, role__capabilities__isnull=False).values_list(
                "role__capabilities__code", "territory__path"
            )
            cached = frozenset((cap, path or "") for cap, path in rows)
        setattr(user, _CACHE, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Drop the per-request cache after a membership of `user` changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def scope_paths(user: Any, capability: str) -> set[str]:
    """Territory paths under which `user` holds `capability` ("" = everywhere)."""
    return {path for cap, path in grants(user) if cap == capability}


def unit_code(path: str) -> str:
    """The KATO code a territory path ends with ("" for none)."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def territory_codes(user: Any) -> list[str]:
    """The KATO codes of the territories `user` holds a grant on (none for country-wide grants)."""
    return sorted({unit_code(path) for _cap, path in grants(user) if path})


def can(user: Any, capability: str, territory: Territory | None = None) -> bool:
    """Whether `user` holds `capability` at `territory` (anywhere, when territory is None)."""
    paths = scope_paths(user, capability)
    if territory is None:
        return bool(paths)
    return any(territory.path.startswith(path) for path in paths)


def needs_second_factor(user: Any) -> bool:
    """Administrators and readers of restricted records sign in with two factors."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return can(user, "view_sensitive")


def second_factor_verified(user: Any) -> bool:
    """Whether this request's user proved a second factor (django-otp marks the session's user)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def second_factor_missing(user: Any) -> bool:
    """Whether `user` must still verify a second factor before doing more than setting it up.
    Only what the session proved counts: no header, token or password stands in for it."""
    return (
        bool(settings.KELISIM_REQUIRE_2FA) and needs_second_factor(user) and not second_factor_verified(user)
    )


def require_second_factor(user: Any) -> None:
    """For every service that mints a credential (API tokens, collection credentials, secret feed or
    form addresses): whoever signs in with two factors mints one only from a session that proved
    both, or the credential would be a way round the second factor."""
    if second_factor_missing(user):
        raise PermissionDenied(_("Verify your second factor first."))


def can_everywhere(user: Any, capability: str) -> bool:
    return "" in scope_paths(user, capability)


def related_q(user: Any, capability: str, path_field: str = "territory__path") -> Q:
    """Rows in the user's scope or above it: a region's program concerns each of its districts."""
    paths = scope_paths(user, capability)
    condition = scope_q(user, capability, path_field)
    for path in sorted(p for p in paths if p):
        parts = [p for p in path.split("/") if p]
        ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
        if ancestors:
            condition |= Q(**{f"{path_field}__in": ancestors})
    return condition


def can_use(user: Any, capability: str, territory: Territory) -> bool:
    """Whether the user holds `capability` at, below or above `territory`."""
    return any(
        territory.path.startswith(p) or p.startswith(territory.path) for p in scope_paths(user, capability)
    )


def scope_q(user: Any, capability: str, path_field: str = "territory__path", within: str | None = None) -> Q:
    """A filter keeping only rows whose territory lies in the user's scope for `capability` and,
    given `within` (a KATO code the user chose), at that unit or below it.

    The two are one condition on the territory: two `IN (territories…)` tests made SQLite walk
    every row of the scope (a region's 90,000 appeals) to keep a district's 4,000."""
    paths = scope_paths(user, capability)
    if within is not None:
        inside = Territory.objects.filter(code=within).values_list("path", flat=True).first()
        if inside is None:
            return Q(pk__in=[])
        paths = _narrowed(paths, inside)
    if "" in paths:
        # Not Q(): Django drops an empty Q from `|`, which would turn "everything" into "nothing more".
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    return under_q(sorted(paths), path_field)


def under_q(paths: list[str], path_field: str = "territory__path") -> Q:
    """Rows whose territory's path starts with one of `paths`.

    Through a foreign key (`…territory__path`), the territories are chosen first in their own small
    table and the rows matched on the key's index: a join with LIKE on every row scanned the whole
    table, four seconds for a region's dashboard at a million appeals (docs/benchmarks.md). A path
    copied onto the row (`territory_path`) is matched directly.
    """
    if path_field.endswith("__path"):
        return _territory_in(path_field, _starts_with("path", paths))
    return _starts_with(path_field, paths)


def _narrowed(paths: set[str], inside: str) -> set[str]:
    """The paths under `inside` and under one of `paths`: `inside` itself when a path holds it,
    else the paths that lie under it."""
    if any(inside.startswith(path) for path in paths):
        return {inside}
    return {path for path in paths if path.startswith(inside)}


def within_q(code: str, path_field: str = "territory__path") -> Q:
    """Rows at the unit with this KATO code or below it (a filter the user chose, not a permission)."""
    path = Territory.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        return Q(pk__in=[])
    return _territory_in(path_field, Q(path__prefix=path))


def _starts_with(field: str, paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        # kelisim.core.lookups: a range on the column's index (startswith scans on SQLite).
        condition |= Q(**{f"{field}__prefix": path})
    return condition


def _territory_in(path_field: str, territories: Q) -> Q:
    keys = Territory.objects.filter(territories).values("pk")
    return Q(**{f"{path_field.removesuffix('__path')}__in": keys})


def export_paths(user: Any, capability: str, territory_code: str | None = None) -> list[str]:
    """The territories an export covers, for its audit entry (core.audit.audit_export): the one the
    user filtered on, or else the user's whole scope for the export's capability."""
    if territory_code:
        found = list(Territory.objects.filter(code=territory_code).values_list("path", flat=True))
        if found:
            return found
    return sorted(scope_paths(user, capability))


# Administration ---------------------------------------------------------------------------------
#
# A manager hands out only what they hold: a role at a territory is theirs to grant (or revoke)
# when `manage_users` covers that territory and they hold every capability of the role there.
# A regional coordinator thus gives district roles in their region, never a system administrator's
# role and never a membership on the whole country (docs/adr/0007).


def may_grant(actor: Any, role_code: str, territory: Territory | None) -> bool:
    """Whether `actor` may grant (or revoke) the role `role_code` at `territory` (None: the country)."""
    spec = ROLES.get(role_code)
    if spec is None:
        return False
    if territory is None:
        return can_everywhere(actor, "manage_users") and all(
            can_everywhere(actor, c) for c in spec.capabilities
        )
    return can(actor, "manage_users", territory) and all(can(actor, c, territory) for c in spec.capabilities)


def grantable_roles(actor: Any) -> list[str]:
    """The roles `actor` may grant somewhere in their scope (codes, in the order of roles.py)."""
    paths = scope_paths(actor, "manage_users")
    return [
        code
        for code, spec in ROLES.items()
        if any(
            all(any(path.startswith(p) for p in scope_paths(actor, c)) for c in spec.capabilities)
            for path in paths
        )
    ]


def may_manage_user(actor: Any, memberships: list[tuple[str, Territory | None]]) -> bool:
    """Whether `actor` may change an account (deactivate it, give it a new password): every
    membership it holds is one `actor` could revoke, so nobody locks out a wider manager."""
    if not can(actor, "manage_users"):
        return False
    if not memberships:  # an account of no territory: only a country-wide manager's
        return can_everywhere(actor, "manage_users")
    return all(may_grant(actor, role, territory) for role, territory in memberships)


def may_administer(user: Any) -> bool:
    """Whether any administration page is open to `user` (the menu's "Administration" entry)."""
    return (
        bool(getattr(user, "is_staff", False) and user.is_active)
        or any(can(user, c) for c in ("manage_users", "manage_open311", "manage_department"))
        or can_everywhere(user, "manage_reference")
        or can_everywhere(user, "write_press_release")
    )
