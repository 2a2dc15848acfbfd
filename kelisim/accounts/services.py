"""Every write about people, departments and permissions: atomic, audited."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.core.audit import audit_record
from kelisim.territories.models import Territory

from . import policies
from .models import ApiToken, Capability, CollectionCredential, Department, Membership, Role, User
from .roles import CAPABILITIES, ROLES

DEPARTMENT_FIELDS = ("code", "kind", "sector", "name_kk", "name_ru", "name_en", "territory", "is_active")


def _check_scope(actor: Any, capability: str, territory: Territory | None) -> None:
    if territory is None or not policies.can(actor, capability, territory):
        raise ValidationError({"territory": _("This territory is outside your scope.")})


@transaction.atomic
def department_create(*, actor: Any, **fields: Any) -> Department:
    _check_scope(actor, "manage_department", fields.get("territory"))
    department = Department(**{k: v for k, v in fields.items() if k in DEPARTMENT_FIELDS})
    department.full_clean()
    department.save()
    audit_record(
        actor=actor,
        action="department.create",
        obj=department,
        territory_path=department.territory.path,
    )
    return department


@transaction.atomic
def department_update(*, actor: Any, department: Department, **fields: Any) -> Department:
    _check_scope(actor, "manage_department", department.territory)
    changed = [k for k, v in fields.items() if k in DEPARTMENT_FIELDS and getattr(department, k) != v]
    if "territory" in changed:
        _check_scope(actor, "manage_department", fields["territory"])
    for field in changed:
        setattr(department, field, fields[field])
    department.full_clean()
    department.save()
    audit_record(
        actor=actor,
        action="department.update",
        obj=department,
        territory_path=department.territory.path,
        params={"fields": changed},
    )
    return department


@transaction.atomic
def department_remove(*, actor: Any, department: Department) -> None:
    """Remove a department nothing refers to; one with records stays, to be marked inactive."""
    from django.db.models import ProtectedError, RestrictedError

    _check_scope(actor, "manage_department", department.territory)
    audit_record(
        actor=actor,
        action="department.remove",
        obj=department,
        territory_path=department.territory.path,
    )
    try:
        if department.staff.exists():
            raise ProtectedError("staff", set())
        with transaction.atomic():
            department.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            _("Records refer to this department, so it cannot be removed: mark it inactive instead.")
        ) from None


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(actor=user, action="user.set_language", obj=user, params={"language": language})


def _check_grant(actor: Any, role: Role, territory: Territory | None) -> None:
    """A manager grants and revokes only what they hold themselves (policies.may_grant)."""
    if actor is None:  # a command or the demo's seeder: no signed-in user
        return
    if policies.may_grant(actor, role.code, territory):
        return
    if territory is None:
        raise PermissionDenied(
            _("Only an administrator of the whole country may grant a role on the whole country.")
        )
    if not policies.can(actor, "manage_users", territory):
        raise PermissionDenied(_("This territory is outside your scope."))
    raise PermissionDenied(
        _("You may not grant the role “%(role)s”: it holds capabilities you do not have there.")
        % {"role": role}
    )


@transaction.atomic
def membership_grant(*, actor: Any, user: User, role: Role, territory: Territory | None) -> Membership:
    """`user` holds `role` over `territory` (None: the whole country). `actor` None is a command."""
    _check_grant(actor, role, territory)
    membership, created = Membership.objects.get_or_create(user=user, role=role, territory=territory)
    if created:
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            territory_path=territory.path if territory else "",
            params={"role": role.code, "user": user.pk},
        )
    policies.forget_grants(user)
    return membership


@transaction.atomic
def administrator_create(
    *, username: str, password: str, email: str = "", first_name: str = "", last_name: str = ""
) -> User:
    """The first system administrator of a fresh install (or another one, from the shell): the
    system_admin role over the whole country. Run `roles_sync` first; two factors apply to them."""
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Type a user name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("The user name “%(name)s” is taken.") % {"name": username}]
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    role = Role.objects.filter(code="system_admin").first()
    if role is None:
        errors.setdefault("__all__", []).append(
            _("The roles are not in the database: run `kelisim sync_roles` first.")
        )
    if errors or role is None:
        raise ValidationError(errors)
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_superuser=True,
    )
    membership = Membership.objects.create(user=user, role=role, territory=None)
    audit_record(actor=None, action="user.create_admin", obj=user)
    audit_record(
        actor=None,
        action="membership.grant",
        obj=membership,
        params={"role": "system_admin", "user": user.pk},
    )
    return user


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    _check_grant(actor, membership.role, membership.territory)
    if actor is not None and membership.user_id == actor.pk and membership.role.code == "system_admin":
        raise PermissionDenied(_("You cannot take away your own administrator role."))
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        territory_path=membership.territory.path if membership.territory else "",
        params={"role": membership.role.code, "user": membership.user_id},
    )
    user = membership.user
    membership.delete()
    policies.forget_grants(user)


USER_FIELDS = ("username", "first_name", "last_name", "email", "position", "department", "language")
# A one-time password is read off a screen and told to its owner: letters and digits without the
# look-alikes, in groups of four; 16 characters, about 79 bits.
PASSWORD_LENGTH = 16


def _one_time_password() -> str:
    raw = "".join(secrets.choice(CREDENTIAL_ALPHABET) for _ in range(PASSWORD_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, PASSWORD_LENGTH, 4))


def _user_memberships(user: User) -> list[tuple[str, Territory | None]]:
    return [
        (m.role.code, m.territory)
        for m in Membership.objects.filter(user=user).select_related("role", "territory")
    ]


def _check_manage_user(actor: Any, user: User) -> None:
    if user.is_superuser and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a superuser may change a superuser's account."))
    if not policies.may_manage_user(actor, _user_memberships(user)):
        raise PermissionDenied(
            _("This account holds roles outside your scope: ask an administrator above you.")
        )


@transaction.atomic
def user_create(
    *, actor: Any, role: Role, territory: Territory | None, password: str = "", **fields: Any
) -> tuple[User, str]:
    """A new account with its first membership, so that it belongs to a territory from the start.
    Without `password` a one-time password is made; it is returned once and never stored in clear."""
    _check_grant(actor, role, territory)
    values = {k: v for k, v in fields.items() if k in USER_FIELDS}
    values["username"] = (values.get("username") or "").strip()
    if User.objects.filter(username__iexact=values["username"]).exists():
        raise ValidationError({"username": _("A user with this name already exists.")})
    department = values.get("department")
    if (
        department is not None
        and actor is not None
        and not policies.can_use(actor, "manage_users", department.territory)
    ):
        raise ValidationError({"department": _("This department is outside your scope.")})
    user = User(**values)
    shown = password or _one_time_password()
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    user.set_password(shown)
    user.password_must_change = not password
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor, action="user.create", obj=user, territory_path=territory.path if territory else ""
    )
    membership_grant(actor=actor, user=user, role=role, territory=territory)
    return user, "" if password else shown


@transaction.atomic
def user_password_reset(*, actor: Any, user: User) -> str:
    """A new one-time password for `user` (forgotten, or the first one lost); returned once."""
    _check_manage_user(actor, user)
    shown = _one_time_password()
    user.set_password(shown)
    user.password_must_change = True
    user.save(update_fields=["password", "password_must_change"])
    audit_record(actor=actor, action="user.password_reset", obj=user)
    return shown


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in; its records keep its name) or restore it."""
    if actor is not None and user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    _check_manage_user(actor, user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
            CollectionCredential.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        audit_record(actor=actor, action="user.activate" if active else "user.deactivate", obj=user)
    policies.forget_grants(user)
    return user


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Make the database match roles.py. Idempotent: a second run changes nothing."""
    capabilities = {}
    created = 0
    for code in CAPABILITIES:
        capabilities[code], was_created = Capability.objects.get_or_create(code=code)
        created += was_created
    for code, spec in ROLES.items():
        role, was_created = Role.objects.get_or_create(code=code)
        created += was_created
        wanted = {capabilities[c].pk for c in spec.capabilities}
        if set(role.capabilities.values_list("pk", flat=True)) != wanted:
            role.capabilities.set(wanted)
    return {"roles": len(ROLES), "capabilities": len(CAPABILITIES), "created": created}


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token; the key is returned once and never stored."""
    policies.require_second_factor(user)
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:8],
        key_hash=token_hash(key),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
        second_factor=policies.second_factor_verified(user),
    )
    audit_record(actor=user, action="api_token.create", obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk and not user.is_superuser:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="api_token.revoke", obj=token)


# A collection credential is read off a screen and typed into ODK Collect on a phone: 20 letters
# and digits without the look-alikes (i l o 0 1), in groups of four; about 99 bits of chance.
CREDENTIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CREDENTIAL_LENGTH = 20


def _credential_normal(secret: str) -> str:
    """What was typed, without the dashes, spaces and capitals a person may add or drop."""
    return "".join(ch for ch in secret.lower() if ch not in "- ")


@transaction.atomic
def collection_credential_create(
    *, user: User, name: str, days: int | None = None
) -> tuple[CollectionCredential, str]:
    """A credential for one device's ODK Collect; the secret is returned once and never stored."""
    policies.require_second_factor(user)
    if not policies.can(user, "collect_survey"):
        raise PermissionDenied(
            _("You do not collect survey responses, so you need no collection credential.")
        )
    if not name.strip():
        raise ValidationError({"name": _("Name the device (for example, “Samsung A14, Korday”).")})
    raw = "".join(secrets.choice(CREDENTIAL_ALPHABET) for _ in range(CREDENTIAL_LENGTH))
    credential = CollectionCredential.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:4],
        key_hash=token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.COLLECTION_CREDENTIAL_DAYS),
    )
    audit_record(actor=user, action="collection_credential.create", obj=credential)
    return credential, "-".join(raw[i : i + 4] for i in range(0, CREDENTIAL_LENGTH, 4))


@transaction.atomic
def collection_credential_revoke(*, user: User, credential: CollectionCredential) -> None:
    if credential.user_id != user.pk and not user.is_superuser:
        raise ValidationError(_("This credential is not yours."))
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="collection_credential.revoke", obj=credential)


def collection_credential_check(*, username: str, secret: str) -> CollectionCredential | None:
    """The live credential `secret` of the user named `username`, or None. A credential is no
    password: it is checked here and only here, for the OpenRosa endpoints."""
    normal = _credential_normal(secret)
    if len(normal) != CREDENTIAL_LENGTH:
        return None
    credential = (
        CollectionCredential.objects.select_related("user").filter(key_hash=token_hash(normal)).first()
    )
    now = timezone.now()
    if (
        credential is None
        or credential.revoked_at is not None
        or credential.expires_at <= now
        or not credential.user.is_active
        or not hmac.compare_digest(credential.user.username.encode(), username.encode())
        or not policies.can(credential.user, "collect_survey")
    ):
        return None
    if credential.last_used_at is None or (now - credential.last_used_at).total_seconds() > 300:
        # once in five minutes is enough
        CollectionCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now
    return credential
