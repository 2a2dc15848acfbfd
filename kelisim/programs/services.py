"""Every write about programs, plans and visits: atomic, audited, scope-checked."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.accounts.models import Department
from kelisim.core.audit import audit_record
from kelisim.core.scoping import not_found
from kelisim.registry.models import Person
from kelisim.territories.models import Level, Territory

from .models import Edition, Member, Program, SubGroup, Visit, VisitPlan

VISIT_FIELDS = ("edition", "territory", "date_start", "date_end", "goals_kk", "goals_ru")
# Allowed moves of a visit's status; anything else is refused with a message.
TRANSITIONS = {
    Visit.Status.PLANNED: {Visit.Status.IN_PROGRESS},
    Visit.Status.IN_PROGRESS: {Visit.Status.COMPLETED, Visit.Status.PLANNED},
    Visit.Status.COMPLETED: {Visit.Status.REPORTED, Visit.Status.IN_PROGRESS},
    Visit.Status.REPORTED: set(),
}


def _check_scope(actor: Any, capability: str, territory: Territory | None, field: str = "territory") -> None:
    if territory is None or not policies.can(actor, capability, territory):
        raise ValidationError({field: _("This territory is outside your scope.")})


@transaction.atomic
def program_create(*, actor: Any, territory: Territory, **fields: Any) -> Program:
    _check_scope(actor, "manage_visit", territory)
    program = Program(territory=territory, **fields)
    program.full_clean()
    program.save()
    audit_record(actor=actor, action="program.create", obj=program, territory_path=territory.path)
    return program


@transaction.atomic
def edition_get_or_create(*, actor: Any, program: Program, year: int) -> Edition:
    if not policies.can_use(actor, "manage_visit", program.territory):
        raise not_found("program")
    edition, created = Edition.objects.get_or_create(program=program, year=year)
    if created:
        audit_record(actor=actor, action="edition.create", obj=edition, territory_path=program.territory.path)
    return edition


@transaction.atomic
def visit_plan_set(*, actor: Any, edition: Edition, district: Territory, planned: int) -> VisitPlan:
    _check_scope(actor, "manage_visit", district, "district")
    plan, _created = VisitPlan.objects.update_or_create(
        edition=edition, district=district, defaults={"planned": planned}
    )
    audit_record(
        actor=actor,
        action="visit_plan.set",
        obj=plan,
        territory_path=district.path,
        params={"planned": planned},
    )
    return plan


def _validate_visit(visit: Visit) -> None:
    errors: dict[str, str] = {}
    if visit.territory_id and visit.territory.level != Level.DISTRICT:
        errors["territory"] = _("A visit goes to a district or a city: choose one.")
    if visit.date_start and visit.date_end and visit.date_end < visit.date_start:
        errors["date_end"] = _("The last day comes before the first day.")
    if visit.date_start and visit.edition_id and visit.date_start.year != visit.edition.year:
        errors["date_start"] = _("The visit's dates fall outside the edition's year.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_create(*, actor: Any, **fields: Any) -> Visit:
    _check_scope(actor, "manage_visit", fields.get("territory"))
    visit = Visit(
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in VISIT_FIELDS},
    )
    _validate_visit(visit)
    visit.full_clean()
    visit.save()
    audit_record(actor=actor, action="visit.create", obj=visit, territory_path=visit.territory.path)
    return visit


@transaction.atomic
def visit_update(*, actor: Any, visit: Visit, **fields: Any) -> Visit:
    _check_scope(actor, "manage_visit", visit.territory)
    changed = [k for k, v in fields.items() if k in VISIT_FIELDS and getattr(visit, k) != v]
    if "territory" in changed:
        _check_scope(actor, "manage_visit", fields["territory"])
    for field in changed:
        setattr(visit, field, fields[field])
    _validate_visit(visit)
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        action="visit.update",
        obj=visit,
        territory_path=visit.territory.path,
        params={"fields": changed},
    )
    return visit


@transaction.atomic
def visit_set_status(*, actor: Any, visit: Visit, status: str) -> Visit:
    _check_scope(actor, "manage_visit", visit.territory)
    if status not in TRANSITIONS.get(Visit.Status(visit.status), set()):
        raise ValidationError(
            {
                "status": _("A visit cannot go from “%(old)s” to “%(new)s”.")
                % {"old": visit.get_status_display(), "new": dict(Visit.Status.choices).get(status, status)}
            }
        )
    old = visit.status
    visit.status = status
    visit.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="visit.status",
        obj=visit,
        territory_path=visit.territory.path,
        params={"from": old, "to": status},
    )
    return visit


@transaction.atomic
def subgroup_create(*, actor: Any, visit: Visit, name_kk: str, name_ru: str = "") -> SubGroup:
    _check_scope(actor, "manage_visit", visit.territory)
    subgroup = SubGroup.objects.create(visit=visit, name_kk=name_kk, name_ru=name_ru)
    audit_record(actor=actor, action="subgroup.create", obj=subgroup, territory_path=visit.territory.path)
    return subgroup


@transaction.atomic
def member_add(
    *,
    actor: Any,
    visit: Visit,
    person: Person,
    department: Department,
    position_kk: str = "",
    position_ru: str = "",
    subgroup: SubGroup | None = None,
    days: list[date] | None = None,
) -> Member:
    _check_scope(actor, "manage_visit", visit.territory)
    if not policies.can_use(actor, "view_registry", person.territory):
        raise not_found("person")
    if not policies.can_use(actor, "view_department", department.territory):
        raise not_found("department")
    if subgroup is not None and subgroup.visit_id != visit.pk:
        raise not_found("subgroup")
    outside = [d for d in days or [] if not visit.date_start <= d <= visit.date_end]
    if outside:
        raise ValidationError(
            {"days": _("%(day)s is not a day of this visit.") % {"day": outside[0].isoformat()}}
        )
    member, _created = Member.objects.update_or_create(
        visit=visit,
        person=person,
        defaults={
            "department": department,
            "position_kk": position_kk,
            "position_ru": position_ru,
            "subgroup": subgroup,
            "days": [d.isoformat() for d in days or []],
        },
    )
    audit_record(actor=actor, action="member.add", obj=member, territory_path=visit.territory.path)
    return member


@transaction.atomic
def visit_copy_as_plan(*, actor: Any, visit: Visit, territory: Territory, date_start: date) -> Visit:
    """A planned visit to another district with the same working group, sub-groups and goals."""
    shift = date_start - visit.date_start
    copy = visit_create(
        actor=actor,
        edition=visit.edition,
        territory=territory,
        date_start=date_start,
        date_end=visit.date_end + shift,
        goals_kk=visit.goals_kk,
        goals_ru=visit.goals_ru,
    )
    subgroups = {}
    for subgroup in visit.subgroups.all():
        subgroups[subgroup.pk] = SubGroup.objects.create(
            visit=copy, name_kk=subgroup.name_kk, name_ru=subgroup.name_ru
        )
    for member in visit.members.all():
        Member.objects.create(
            visit=copy,
            person_id=member.person_id,
            department_id=member.department_id,
            position_kk=member.position_kk,
            position_ru=member.position_ru,
            subgroup=subgroups.get(member.subgroup_id or 0),
            days=[(date.fromisoformat(d) + shift).isoformat() for d in member.days],
        )
    audit_record(
        actor=actor, action="visit.copy", obj=copy, territory_path=territory.path, params={"source": visit.pk}
    )
    return copy


def visit_days(visit: Visit) -> list[date]:
    return [visit.date_start + timedelta(days=i) for i in range((visit.date_end - visit.date_start).days + 1)]
