"""Writes to the registries. Merging re-points every link, whichever app holds it."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.core.scoping import not_found

from .models import Organization, Person, Position

M = TypeVar("M", Organization, Person)

ORGANIZATION_FIELDS = ("type", "name_kk", "name_ru", "territory", "address", "head", "phone", "email")
PERSON_FIELDS = ("full_name", "kind", "territory", "phone", "email")


def _check_scope(actor: Any, territory: Any) -> None:
    if territory is None or not policies.can(actor, "manage_registry", territory):
        raise ValidationError({"territory": _("This territory is outside your scope.")})


# What a registry record links to, and the capability the actor needs over the linked record.
_LINKS = {"head": "view_registry", "organization": "view_registry", "department": "view_department"}


def _check_links(actor: Any, fields: dict[str, Any]) -> None:
    """Linked records must be ones the actor may choose (their territories or the units above
    them); anything else is answered as if it did not exist."""
    for field, capability in _LINKS.items():
        linked = fields.get(field)
        if linked is not None and not policies.can_use(actor, capability, linked.territory):
            raise not_found(field)


def _save(actor: Any, obj: M, fields: dict[str, Any], allowed: tuple[str, ...], action: str) -> M:
    changed = [k for k, v in fields.items() if k in allowed and getattr(obj, k, None) != v]
    if "territory" in changed or obj.pk is None:
        _check_scope(actor, fields.get("territory", getattr(obj, "territory", None)))
    if obj.pk is not None:
        _check_scope(actor, obj.territory)
    _check_links(actor, {k: fields[k] for k in changed})
    for field in changed:
        setattr(obj, field, fields[field])
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor, action=action, obj=obj, territory_path=obj.territory.path, params={"fields": changed}
    )
    return obj


@transaction.atomic
def organization_create(*, actor: Any, **fields: Any) -> Organization:
    return _save(actor, Organization(), fields, ORGANIZATION_FIELDS, "organization.create")


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **fields: Any) -> Organization:
    return _save(actor, organization, fields, ORGANIZATION_FIELDS, "organization.update")


@transaction.atomic
def person_create(*, actor: Any, position: dict[str, Any] | None = None, **fields: Any) -> Person:
    person = _save(actor, Person(), fields, PERSON_FIELDS, "person.create")
    if position:
        _check_links(actor, position)
        Position.objects.create(person=person, **position)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    return _save(actor, person, fields, PERSON_FIELDS, "person.update")


@transaction.atomic
def position_add(*, actor: Any, person: Person, **fields: Any) -> Position:
    _check_scope(actor, person.territory)
    _check_links(actor, fields)
    position = Position(person=person, **fields)
    position.full_clean()
    position.save()
    audit_record(actor=actor, action="position.add", obj=position, territory_path=person.territory.path)
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, end: Any) -> Position:
    """The person left the position on `end`; the history keeps it."""
    person = position.person
    _check_scope(actor, person.territory)
    if position.start and end < position.start:
        raise ValidationError({"end": _("The end comes before the start.")})
    position.end = end
    position.save(update_fields=["end"])
    audit_record(actor=actor, action="position.end", obj=position, territory_path=person.territory.path)
    return position


def _repoint(keep: models.Model, duplicate: models.Model) -> int:
    """Move every foreign key from `duplicate` to `keep`. Links to people and organizations are
    all foreign keys (many-to-many ones go through explicit models), so this reaches them all."""
    moved = 0
    for relation in duplicate._meta.related_objects:
        if relation.many_to_many:
            raise NotImplementedError(
                f"{relation}: link through an explicit model so that merges can move it"
            )
        model: Any = relation.related_model
        moved += model._default_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: keep}
        )
    return moved


@transaction.atomic
def registry_merge(*, actor: Any, keep: M, duplicate: M) -> M:
    """Merge `duplicate` into `keep`: every link moves to `keep`; the duplicate stays, marked."""
    if type(keep) is not type(duplicate) or keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records of the same kind."))
    _check_scope(actor, keep.territory)
    _check_scope(actor, duplicate.territory)
    moved = _repoint(keep, duplicate)
    type(duplicate)._default_manager.filter(pk=duplicate.pk).update(merged_into=keep)
    audit_record(
        actor=actor,
        action="registry.merge",
        obj=keep,
        territory_path=keep.territory.path,
        params={"duplicate": duplicate.pk, "links": moved},
    )
    keep.refresh_from_db()
    return keep
