"""Every write about programs, plans and visits: atomic, audited, scope-checked."""

import hashlib
import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
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


PROGRAM_FIELDS = ("name_kk", "name_ru", "name_en", "started")


@transaction.atomic
def program_update(*, actor: Any, program: Program, **fields: Any) -> Program:
    """Names and the starting year; the territory of a program stays what it was created for."""
    _check_scope(actor, "manage_visit", program.territory)
    changed = [k for k, v in fields.items() if k in PROGRAM_FIELDS and getattr(program, k) != v]
    for name in changed:
        setattr(program, name, fields[name])
    program.full_clean()
    program.save()
    audit_record(
        actor=actor,
        action="program.update",
        obj=program,
        territory_path=program.territory.path,
        params={"fields": changed},
    )
    return program


@transaction.atomic
def edition_get_or_create(*, actor: Any, program: Program, year: int) -> Edition:
    if not policies.can_use(actor, "manage_visit", program.territory):
        raise not_found("program")
    edition, created = Edition.objects.get_or_create(program=program, year=year)
    if created:
        audit_record(actor=actor, action="edition.create", obj=edition, territory_path=program.territory.path)
    return edition


MAX_PLANNED = 99


@transaction.atomic
def visit_plan_set(*, actor: Any, edition: Edition, district: Territory, planned: int) -> VisitPlan:
    _check_scope(actor, "manage_visit", district, "district")
    if district.level != Level.DISTRICT:
        raise ValidationError({"district": _("A visit goes to a district or a city: choose one.")})
    if not district.path.startswith(edition.program.territory.path):
        raise ValidationError({"district": _("This district lies outside the program's territory.")})
    if not 1 <= planned <= MAX_PLANNED:
        raise ValidationError(
            {"planned": _("Give a number of visits from 1 to %(max)d.") % {"max": MAX_PLANNED}}
        )
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


@transaction.atomic
def visit_plan_remove(*, actor: Any, plan: VisitPlan) -> None:
    _check_scope(actor, "manage_visit", plan.district, "district")
    audit_record(actor=actor, action="visit_plan.remove", obj=plan, territory_path=plan.district.path)
    plan.delete()


@transaction.atomic
def visit_plans_save(*, actor: Any, program: Program, year: int, planned: dict[Territory, int]) -> Edition:
    """A year's plan for several districts at once, all or nothing: a number sets the district's
    plan, 0 removes it. Districts left out keep what they had."""
    edition = edition_get_or_create(actor=actor, program=program, year=year)
    existing = {p.district_id: p for p in edition.plans.select_related("district")}
    for district, number in planned.items():
        plan = existing.get(district.pk)
        if number:
            if plan is None or plan.planned != number:
                visit_plan_set(actor=actor, edition=edition, district=district, planned=number)
        elif plan is not None:
            visit_plan_remove(actor=actor, plan=plan)
    return edition


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
def visit_set_public(*, actor: Any, visit: Visit, public: bool) -> Visit:
    """Open or close the visit's public page. The first opening gives it an address nobody can guess;
    the address stays the same when the page is closed and opened again (printed posters)."""
    _check_scope(actor, "manage_visit", visit.territory)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    fields = ["public"]
    if public and not visit.public_slug:
        visit.public_slug = secrets.token_urlsafe(12)
        fields.append("public_slug")
    old = visit.public
    visit.public = public
    visit.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="visit.public",
        obj=visit,
        territory_path=visit.territory.path,
        params={"from": old, "to": public},
    )
    return visit


def _check_subgroup(visit: Visit, subgroup: SubGroup | None) -> None:
    if subgroup is not None and subgroup.visit_id != visit.pk:
        raise not_found("subgroup")


def _check_person(actor: Any, person: Person) -> None:
    if not policies.can_use(actor, "view_registry", person.territory):
        raise not_found("person")


def _check_department(visit: Visit, department: Department) -> None:
    """A member comes from a body of the district, or of the region above it."""
    here, there = visit.territory.path, department.territory.path
    if not (here.startswith(there) or there.startswith(here)):
        raise ValidationError({"department": _("Choose a department of this district or of its region.")})


def _check_days(visit: Visit, days: list[date] | None) -> list[str]:
    outside = [d for d in days or [] if not visit.date_start <= d <= visit.date_end]
    if outside:
        raise ValidationError(
            {
                "days": _("%(day)s is not a day of this visit.")
                % {"day": date_format(outside[0], "DATE_FORMAT")}
            }
        )
    chosen = sorted({d.isoformat() for d in days or []})
    # Every day chosen is the same as none chosen: stored as "every day", which follows the dates.
    return [] if len(chosen) == len(visit.days) else chosen


@transaction.atomic
def subgroup_create(
    *, actor: Any, visit: Visit, name_kk: str, name_ru: str = "", lead: Member | None = None
) -> SubGroup:
    _check_scope(actor, "manage_visit", visit.territory)
    if lead is not None and lead.visit_id != visit.pk:
        raise not_found("lead")
    subgroup = SubGroup.objects.create(visit=visit, name_kk=name_kk, name_ru=name_ru, lead=lead)
    audit_record(actor=actor, action="subgroup.create", obj=subgroup, territory_path=visit.territory.path)
    return subgroup


@transaction.atomic
def subgroup_update(
    *, actor: Any, subgroup: SubGroup, name_kk: str, name_ru: str = "", lead: Member | None = None
) -> SubGroup:
    visit = subgroup.visit
    _check_scope(actor, "manage_visit", visit.territory)
    if lead is not None and lead.visit_id != visit.pk:
        raise not_found("lead")
    subgroup.name_kk, subgroup.name_ru, subgroup.lead = name_kk, name_ru, lead
    subgroup.full_clean()
    subgroup.save()
    audit_record(actor=actor, action="subgroup.update", obj=subgroup, territory_path=visit.territory.path)
    return subgroup


@transaction.atomic
def subgroup_remove(*, actor: Any, subgroup: SubGroup) -> None:
    """Its members stay in the working group, outside any sub-group."""
    _check_scope(actor, "manage_visit", subgroup.visit.territory)
    audit_record(
        actor=actor, action="subgroup.remove", obj=subgroup, territory_path=subgroup.visit.territory.path
    )
    subgroup.delete()


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
    _check_person(actor, person)
    if not policies.can_use(actor, "view_department", department.territory):
        raise not_found("department")
    _check_department(visit, department)
    _check_subgroup(visit, subgroup)
    if Member.objects.filter(visit=visit, person=person).exists():
        raise ValidationError({"person": _("%(name)s is already in this working group.") % {"name": person}})
    member = Member.objects.create(
        visit=visit,
        person=person,
        department=department,
        position_kk=position_kk,
        position_ru=position_ru,
        subgroup=subgroup,
        days=_check_days(visit, days),
    )
    audit_record(actor=actor, action="member.add", obj=member, territory_path=visit.territory.path)
    return member


MEMBER_FIELDS = ("department", "position_kk", "position_ru", "subgroup", "days")


@transaction.atomic
def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    visit = member.visit
    _check_scope(actor, "manage_visit", visit.territory)
    if "department" in fields:
        _check_department(visit, fields["department"])
    if "subgroup" in fields:
        _check_subgroup(visit, fields["subgroup"])
    if "days" in fields:
        fields["days"] = _check_days(visit, fields["days"])
    changed = [k for k, v in fields.items() if k in MEMBER_FIELDS and getattr(member, k) != v]
    for name in changed:
        setattr(member, name, fields[name])
    member.save()
    audit_record(
        actor=actor,
        action="member.update",
        obj=member,
        territory_path=visit.territory.path,
        params={"fields": changed},
    )
    return member


@transaction.atomic
def member_replace(
    *, actor: Any, member: Member, person: Person, position_kk: str = "", position_ru: str = ""
) -> Member:
    """Another person takes the member's place: the same department, sub-group and days; the
    invitation starts over, since it was addressed to someone else."""
    visit = member.visit
    _check_scope(actor, "manage_visit", visit.territory)
    _check_person(actor, person)
    if person.pk == member.person_id:
        raise ValidationError({"person": _("Choose someone else to take this place.")})
    if Member.objects.filter(visit=visit, person=person).exists():
        raise ValidationError({"person": _("%(name)s is already in this working group.") % {"name": person}})
    previous = member.person_id
    member.person = person
    member.position_kk, member.position_ru = position_kk, position_ru
    member.invitation_hash, member.invited_at = "", None
    member.response, member.responded_at = Member.Response.NONE, None
    member.save()
    audit_record(
        actor=actor,
        action="member.replace",
        obj=member,
        territory_path=visit.territory.path,
        params={"previous_person": previous, "person": person.pk},
    )
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: Member) -> None:
    visit = member.visit
    _check_scope(actor, "manage_visit", visit.territory)
    if member.person.event_roles.filter(event__visit=visit).exists():
        raise ValidationError(
            _("%(name)s takes part in this visit's events: take them out of those events first.")
            % {"name": member.person}
        )
    audit_record(actor=actor, action="member.remove", obj=member, territory_path=visit.territory.path)
    member.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def member_invitation_issue(*, actor: Any, member: Member) -> str:
    """A new link for the member to answer with; an earlier link stops working."""
    _check_scope(actor, "manage_visit", member.visit.territory)
    token = secrets.token_urlsafe(24)
    member.invitation_hash = _token_hash(token)
    member.invited_at = timezone.now()
    member.response, member.responded_at = Member.Response.PENDING, None
    member.save(update_fields=["invitation_hash", "invited_at", "response", "responded_at"])
    audit_record(actor=actor, action="member.invite", obj=member, territory_path=member.visit.territory.path)
    return token


def member_by_invitation(token: str) -> Member | None:
    if not token or len(token) > 64:
        return None
    return (
        Member.objects.select_related("visit__territory", "person", "department")
        .filter(invitation_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def member_invitation_answer(*, token: str, confirmed: bool) -> Member:
    """The member's own answer through the link in the invitation; no account needed."""
    member = member_by_invitation(token)
    if member is None:
        raise ValidationError(_("This invitation link is not valid any more."))
    member.response = Member.Response.CONFIRMED if confirmed else Member.Response.DECLINED
    member.responded_at = timezone.now()
    member.save(update_fields=["response", "responded_at"])
    audit_record(
        actor=None,
        action="member.answer",
        obj=member,
        territory_path=member.visit.territory.path,
        params={"confirmed": confirmed},
    )
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
