"""Every write about receptions and appeals: one service per transition, atomic, audited,
each transition in the appeal's history; nothing of the applicant goes to the audit log."""

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core import bulk
from kelisim.core.audit import audit_record, audit_record_many
from kelisim.core.exceptions import ConflictError
from kelisim.core.scoping import not_found
from kelisim.core.signals import bulk_created
from kelisim.core.validation import year_out_of_range, year_range_message
from kelisim.notices import services as notices
from kelisim.notices.models import Kind as NoticeKind

from . import applicants, deadlines
from .models import (
    Appeal,
    AppealEvent,
    AppealExecutor,
    AppealSequence,
    Category,
    ConsentText,
    ExternalBody,
    Open311Key,
    PreRegistration,
    ReceptionSession,
    Visitor,
    VisitorOutcomeChange,
    WorkdayOverride,
)

S = Appeal.Status
TRANSITIONS: dict[str, set[str]] = {
    S.REGISTERED: {S.ASSIGNED, S.REDIRECTED},
    S.ASSIGNED: {S.IN_PROGRESS, S.EXTENDED, S.REDIRECTED, S.ANSWERED},
    S.IN_PROGRESS: {S.ANSWERED, S.EXTENDED, S.REDIRECTED},
    S.EXTENDED: {S.IN_PROGRESS, S.ANSWERED},
    S.ANSWERED: {S.CLOSED, S.REOPENED},
    S.CLOSED: {S.REOPENED},
    S.REDIRECTED: {S.REOPENED},
    S.REOPENED: {S.ASSIGNED, S.IN_PROGRESS},
}
ASSIGNABLE = (S.REGISTERED, S.ASSIGNED, S.REOPENED, S.IN_PROGRESS, S.EXTENDED)
APPEAL_FIELDS = (
    "type",
    "channel",
    "external_number",
    "applicant_kind",
    "applicant_name",
    "applicant_contact",
    "applicant_organization",
    "territory",
    "department",
    "category",
    "text",
    "received_on",
    "urgent",
    "latitude",
    "longitude",
    "address",
    "address_id",
    "media_url",
)


def _require(actor: Any, capability: str, territory: Any, field: str = "territory") -> None:
    if territory is None or not policies.can(actor, capability, territory):
        raise ValidationError({field: _("This territory is outside your scope.")})


def _require_links(actor: Any, fields: dict[str, Any]) -> None:
    """The records an appeal or a reception links to must be ones the actor may choose: of their
    territories or of the units above them. Anything else is answered as if it did not exist."""
    links = (
        ("department", "view_department"),
        ("applicant_organization", "view_registry"),
        ("visit", "view_visit"),
    )
    for field, capability in links:
        linked = fields.get(field)
        if linked is not None and not policies.can_use(actor, capability, linked.territory):
            raise not_found(field)


def _require_executors(territory: Any, lead: Any, co_executors: Any) -> None:
    """Executors must hold `manage_appeal` over the appeal's territory: nobody else may be handed
    an appeal they could not open."""
    for field, users in (
        ("lead_executor", [lead] if lead is not None else []),
        ("co_executors", co_executors),
    ):
        for user in users:
            # On a unit that holds the appeal's territory: a country-wide grant (an administrator's)
            # does not make its holder someone who answers citizens here.
            paths = policies.scope_paths(user, "manage_appeal") - {""}
            if not (user.is_active and any(territory.path.startswith(p) for p in paths)):
                raise not_found(field)


def _take_numbers(region_code: str, year: int, count: int = 1) -> int:
    """Take `count` consecutive numbers of the region's year and return the first, under a row lock
    (PostgreSQL) or the write lock every SQLite transaction takes at BEGIN (transaction_mode=IMMEDIATE):
    never twice, no gaps, since a failed registration rolls the increment back with it. An import
    takes all of its numbers in one locked update."""
    AppealSequence.objects.bulk_create(
        [AppealSequence(region_code=region_code, year=year)], ignore_conflicts=True
    )
    sequence = AppealSequence.objects.select_for_update().get(region_code=region_code, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first


def _history(appeal: Appeal, actor: Any, action: str, old: str, comment: str = "", **links: Any) -> None:
    """One step of the appeal's history; `links` names the departments or the external body the
    step moved it between (`from_department`, `to_department`, `external_body`)."""
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=old,
        to_status=appeal.status,
        comment=comment,
        **links,
    )
    audit_record(
        actor=actor,
        action=f"appeal.{action}",
        obj=appeal,
        territory_path=appeal.territory.path,
        params={"from": old or None, "to": appeal.status, **{k: v.pk for k, v in links.items()}},
    )


def validate_applicant(fields: dict[str, Any]) -> None:
    """Registration can't be refused, except for anonymous appeals that report neither a crime
    nor a threat to public security: those the law says are not considered."""
    kind = fields.get("applicant_kind", Appeal.Applicant.PERSON)
    if kind == Appeal.Applicant.ANONYMOUS and not fields.get("urgent"):
        raise ValidationError(
            {
                "applicant_kind": _(
                    "Anonymous appeals are not considered (Administrative Procedural Code, art. 64), unless they "
                    "report a crime or a threat to public security. Ask for a name and a contact, or mark the report."
                )
            }
        )
    if kind == Appeal.Applicant.PERSON and not (fields.get("applicant_name") or "").strip():
        raise ValidationError({"applicant_name": _("Give the applicant's name.")})
    if kind == Appeal.Applicant.ORGANIZATION and not (
        fields.get("applicant_organization") or fields.get("applicant_name")
    ):
        raise ValidationError({"applicant_organization": _("Give the applicant organization.")})
    if fields.get("channel") == Appeal.Channel.EOTINISH and not fields.get("external_number"):
        raise ValidationError({"external_number": _("Give the e-Otinish number.")})


def _unsaved(
    fields: dict[str, Any], calendar: Any = None, due_dates: dict[date, date] | None = None
) -> Appeal:
    validate_applicant(fields)
    received = fields.get("received_on") or timezone.localdate()
    due_dates = {} if due_dates is None else due_dates
    if received not in due_dates:
        due_dates[received] = deadlines.due_date(received, calendar=calendar)
    appeal = Appeal(
        **{k: v for k, v in fields.items() if k in APPEAL_FIELDS and k != "received_on"},
        region_code=fields["territory"].path.split("/")[0],
        year=received.year,
        received_on=received,
        due_date=due_dates[received],
    )
    if appeal.applicant_kind == Appeal.Applicant.ANONYMOUS:
        appeal.applicant_name = appeal.applicant_contact = ""
    for field, value in applicants.keys(appeal.applicant_name, appeal.applicant_contact).items():
        setattr(appeal, field, value)
    return appeal


def _create(actor: Any, fields: dict[str, Any]) -> Appeal:
    appeal = _unsaved(fields)
    region, received = appeal.region_code, appeal.received_on
    appeal.sequence = _take_numbers(region, received.year)
    appeal.number = f"{region[:2]}-{received.year}-{appeal.sequence:05d}"
    appeal.full_clean(exclude=["number", "lead_executor", "visitor"])
    appeal.save()
    _history(appeal, actor, "register", "")
    return appeal


@transaction.atomic
def appeal_register(
    *,
    actor: Any,
    co_executors: Any = (),
    lead_executor: Any = None,
    visit: Any = None,
    notice_consent: bool = False,
    notice_email: str = "",
    notice_phone: str = "",
    notice_language: str = "",
    **fields: Any,
) -> Appeal:
    """Register an appeal. `visit`: the visit whose reception took it; any department of its
    working group may then receive it, besides those of the actor's scope.

    `notice_*`: the applicant's consent to notices and where and in which language to send them;
    with consent, the registration's notice is sent (never for an anonymous appeal)."""
    _require(actor, "register_appeal", fields.get("territory"))
    links = dict(fields)
    department = fields.get("department")
    if (
        visit is not None
        and department is not None
        and routing_departments(actor=actor, visit=visit).filter(pk=department.pk).exists()
    ):
        del links["department"]
    _require_links(actor, links)
    appeal = _create(actor, fields)
    notices.preference_record(
        appeal=appeal,
        email=notice_email,
        phone=notice_phone,
        language=notice_language,
        consent=notice_consent,
    )
    if lead_executor is not None:
        _assign(appeal, actor, lead_executor, co_executors)
    notices.notify(appeal=appeal, kind=NoticeKind.REGISTERED)
    return appeal


class RowInvalid(ValidationError):
    """A row of a bulk registration is invalid; `index` is its position in the list given."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.message_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index


# Checked by the database (the territory, department and category come from the import's own lookups,
# already in scope) or given by the service itself.
BULK_CHUNK = 500
_BULK_EXCLUDE = ["number", "sequence", "lead_executor", "visitor", "territory", "department", "category"]


class _BulkRows:
    """An imported row as the values of the appeal's columns, in the model's order, without a model
    instance per row and its clean_fields: the profile of an import's commit had them at a quarter
    of its time, for values the import had checked already (kelisim.appeals.importer.parse).

    What a row gives is still checked here, since other callers may not have: plain values by their
    column's rules (type, blank, choices, length), read once from the model's fields. A row this
    check does not pass, or with values it does not know (coordinates, a link), goes the old way,
    `_unsaved` and clean_fields, so that its error is the model's own message, or its values the
    model's cleaned ones."""

    def __init__(self) -> None:
        self.fields = list(Appeal._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.position = {f.name: i for i, f in enumerate(self.fields)}
        self.callable_defaults = [
            (i, f) for i, f in enumerate(self.fields) if f.has_default() and callable(f.default)
        ]  # the public code
        self.template = [f.get_default() for f in self.fields]
        # territory, department, category, applicant_organization: foreign keys
        self.links: dict[str, Any] = {
            f.name: f for f in self.fields if f.is_relation and f.name in APPEAL_FIELDS
        }
        self.checks = {
            name: self._check(Appeal._meta.get_field(name))
            for name in APPEAL_FIELDS
            if name not in _BULK_EXCLUDE and name not in self.links
        }

    @staticmethod
    def _check(field: Any) -> Callable[[Any], bool]:
        """Whether `value` is one the field's clean() would keep as it is; False when unsure."""
        if isinstance(field, models.CharField | models.TextField) and not isinstance(field, models.URLField):
            choices = {str(value) for value, _label in field.flatchoices} if field.choices else None
            limit = field.max_length

            def text(value: Any) -> bool:
                if not isinstance(value, str):
                    return False
                if not value:
                    return bool(field.blank)
                return (choices is None or value in choices) and (limit is None or len(value) <= limit)

            return text
        if isinstance(field, models.BooleanField):
            return lambda value: isinstance(value, bool)
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return lambda value: isinstance(value, date) and not isinstance(value, datetime)
        if isinstance(field, models.URLField):
            return lambda value: value == ""
        # Anything else (coordinates) is checked by the model when it is given.
        return lambda value: value is None and field.null

    def values(
        self, fields: dict[str, Any], calendar: Any, due_dates: dict[date, date]
    ) -> tuple[list[Any], dict[str, Any]]:
        """The row's column values and the linked records it names (for the instance's cache)."""
        validate_applicant(fields)
        links: dict[str, Any] = {}
        for name, field in self.links.items():
            linked = fields.get(name)
            if linked is not None and not isinstance(linked, field.related_model):
                return self._cleaned(fields, calendar, due_dates)
            links[name] = linked
        row = self.template.copy()
        position, checks = self.position, self.checks
        for name, value in fields.items():
            check = checks.get(name)
            if check is not None:
                if not check(value):
                    return self._cleaned(fields, calendar, due_dates)
                row[position[name]] = value
        for i, field in self.callable_defaults:
            row[i] = field.get_default()
        for name, linked in links.items():
            row[position[name]] = linked.pk if linked is not None else None
        received = fields.get("received_on") or timezone.localdate()
        if received not in due_dates:
            due_dates[received] = deadlines.due_date(received, calendar=calendar)
        row[position["received_on"]] = received
        row[position["due_date"]] = due_dates[received]
        row[position["region_code"]] = links["territory"].path.split("/")[0]
        row[position["year"]] = received.year
        name, contact = row[position["applicant_name"]], row[position["applicant_contact"]]
        if row[position["applicant_kind"]] == Appeal.Applicant.ANONYMOUS:
            name = contact = row[position["applicant_name"]] = row[position["applicant_contact"]] = ""
        for key, value in applicants.keys(name, contact).items():
            row[position[key]] = value
        return row, links

    def _cleaned(
        self, fields: dict[str, Any], calendar: Any, due_dates: dict[date, date]
    ) -> tuple[list[Any], dict[str, Any]]:
        appeal = _unsaved(fields, calendar, due_dates)
        appeal.clean_fields(exclude=_BULK_EXCLUDE)
        links = {name: getattr(appeal, name) for name in self.links}
        return [getattr(appeal, attname) for attname in self.attnames], links

    def instance(self, row: list[Any], links: dict[str, Any]) -> Appeal:
        """The saved appeal, as the ORM builds one read from the database, with its linked records."""
        appeal = Appeal(*row)
        appeal._state.adding = False
        appeal._state.db = connection.alias
        for name, linked in links.items():
            if linked is not None:
                self.links[name].set_cached_value(appeal, linked)
        return appeal


def appeals_register_many(
    *, actor: Any, rows: list[dict[str, Any]], progress: Callable[[int], None] | None = None
) -> list[Appeal]:
    """Register many appeals in one transaction, all or none, as `appeal_register` would one by one
    (numbers, due dates, history, audit, search), in a few statements per thousand rows.

    An import of a department's year runs to 100,000 rows; one round of queries per row made that
    a matter of twenty minutes (docs/benchmarks.md). Rows become column values, not model
    instances, until they are written (_BulkRows), and are checked before the transaction begins:
    on SQLite it holds the database's write lock, which other writers wait for. `progress` is told
    how many rows each written chunk held."""
    calendar = deadlines.work_calendar()
    # An import's rows share a few hundred days of receipt: each day's due date is counted once.
    due_dates: dict[date, date] = {}
    allowed: dict[int, bool] = {}
    shape = _BulkRows()
    prepared: list[tuple[list[Any], dict[str, Any]]] = []
    for index, fields in enumerate(rows):
        territory = fields.get("territory")
        try:
            if territory is not None and territory.pk not in allowed:
                allowed[territory.pk] = policies.can(actor, "register_appeal", territory)
            if territory is None or not allowed[territory.pk]:
                raise ValidationError({"territory": _("This territory is outside your scope.")})
            prepared.append(shape.values(fields, calendar, due_dates))
        except ValidationError as error:
            raise RowInvalid(index, error) from error
    with transaction.atomic():
        return _write_many(actor, shape, prepared, progress)


def _write_many(
    actor: Any,
    shape: _BulkRows,
    prepared: list[tuple[list[Any], dict[str, Any]]],
    progress: Callable[[int], None] | None,
) -> list[Appeal]:
    at = shape.position
    region, year, sequence, number = at["region_code"], at["year"], at["sequence"], at["number"]
    counts = Counter((row[region], row[year]) for row, _links in prepared)
    # Sorted, so that two imports running at once lock the sequences in the same order.
    following = {key: _take_numbers(*key, count) for key, count in sorted(counts.items())}
    for row, _links in prepared:
        key = (row[region], row[year])
        row[sequence], following[key] = following[key], following[key] + 1
        row[number] = f"{row[region][:2]}-{row[year]}-{row[sequence]:05d}"
    actor_or_none = actor if getattr(actor, "pk", None) else None
    actor_id = actor_or_none.pk if actor_or_none else None
    appeals: list[Appeal] = []
    for start in range(0, len(prepared), BULK_CHUNK):
        chunk = prepared[start : start + BULK_CHUNK]
        now = timezone.now()
        for (row, _links), pk in zip(chunk, bulk.allocate_keys(Appeal, len(chunk)), strict=True):
            row[at["id"]], row[at["registered_at"]] = pk, now
        bulk.insert_values(Appeal, shape.attnames, (row for row, _links in chunk))
        written = [shape.instance(row, links) for row, links in chunk]
        appeals.extend(written)
        bulk.insert_values(
            AppealEvent,
            ["id", "appeal_id", "at", "actor_id", "action", "from_status", "to_status", "comment"],
            (
                [key, a.pk, now, actor_id, "register", "", a.status, ""]
                for key, a in zip(bulk.allocate_keys(AppealEvent, len(written)), written, strict=True)
            ),
        )
        audit_record_many(
            actor=actor,
            action="appeal.register",
            objs=written,
            territory_paths=[links["territory"].path for _row, links in chunk],
            params={"from": None, "to": Appeal.Status.REGISTERED},
        )
        if progress:
            progress(len(chunk))
    bulk_created.send(sender=Appeal, instances=appeals)
    return appeals


def _locked(appeal: Appeal, version: int | None) -> Appeal:
    current = Appeal.objects.select_for_update().select_related("territory").get(pk=appeal.pk)
    if version is not None and current.version != version:
        raise ConflictError()
    return current


def _move(
    actor: Any, appeal: Appeal, to: str, version: int | None, capability: str = "manage_appeal"
) -> tuple[Appeal, str]:
    current = _locked(appeal, version)
    _require(actor, capability, current.territory)
    if to not in TRANSITIONS.get(current.status, set()):
        raise ValidationError(
            {
                "status": _("An appeal that is “%(old)s” cannot become “%(new)s”.")
                % {"old": current.get_status_display(), "new": dict(S.choices).get(to, to)}
            }
        )
    old = current.status
    current.status = to
    current.version += 1
    return current, old


def _assign(appeal: Appeal, actor: Any, lead: Any, co_executors: Any) -> None:
    co_executors = list(co_executors)
    _require_executors(appeal.territory, lead, co_executors)
    appeal.lead_executor = lead
    appeal.save()
    AppealExecutor.objects.filter(appeal=appeal).delete()
    AppealExecutor.objects.bulk_create(
        [AppealExecutor(appeal=appeal, user=u) for u in co_executors if u != lead]
    )
    old = appeal.status
    if appeal.status in (S.REGISTERED, S.REOPENED):
        appeal.status = S.ASSIGNED
        appeal.save(update_fields=["status"])
    _history(appeal, actor, "assign", old)


@transaction.atomic
def appeal_assign(
    *, actor: Any, appeal: Appeal, lead_executor: Any, co_executors: Any = (), version: int | None = None
) -> Appeal:
    current = _locked(appeal, version)
    _require(actor, "manage_appeal", current.territory)
    if current.status not in ASSIGNABLE:
        raise ValidationError({"status": _("A finished appeal can't be assigned; reopen it first.")})
    current.version += 1
    _assign(current, actor, lead_executor, co_executors)
    return current


@transaction.atomic
def appeal_start(*, actor: Any, appeal: Appeal, version: int | None = None, comment: str = "") -> Appeal:
    current, old = _move(actor, appeal, S.IN_PROGRESS, version)
    current.save()
    _history(current, actor, "start", old, comment)
    return current


@transaction.atomic
def appeal_extend(
    *, actor: Any, appeal: Appeal, until: date, reason: str, version: int | None = None
) -> Appeal:
    """A reasoned extension, at most two months from receipt in total; the applicant must be
    told within three working days."""
    current, old = _move(actor, appeal, S.EXTENDED, version)
    limit = deadlines.work_calendar().extension_limit(current.received_on)
    if not reason.strip():
        raise ValidationError({"reason": _("An extension needs a reasoned decision: give the reason.")})
    if until <= current.due_date or until > limit:
        raise ValidationError(
            {
                "until": _("The new due date must come after %(due)s and not after %(limit)s.")
                % {
                    "due": date_format(current.due_date, "DATE_FORMAT"),
                    "limit": date_format(limit, "DATE_FORMAT"),
                }
            }
        )
    current.due_date = until
    current.extension_reason = reason
    current.save()
    _history(current, actor, "extend", old, reason)
    # The law gives three working days to tell the applicant; the notice goes at once, and the day
    # it is sent is recorded as the day they were told.
    notices.notify(appeal=current, kind=NoticeKind.EXTENDED, reason=reason, due_date=until)
    return current


def _require_body(actor: Any, body: Any) -> None:
    """An external body must be one of the directory open to the actor (their territories and the
    units above them), and in use; anything else is answered as a missing one."""
    if not (
        body.is_active
        and ExternalBody.objects.filter(pk=body.pk)
        .filter(policies.related_q(actor, "view_department"))
        .exists()
    ):
        raise not_found("body")


@transaction.atomic
def appeal_redirect(
    *,
    actor: Any,
    appeal: Appeal,
    to: str = "",
    body: ExternalBody | None = None,
    on: date | None = None,
    version: int | None = None,
    comment: str = "",
) -> Appeal:
    """Send the appeal to the competent body outside the akimat: one of the directory (`body`), or
    a body named in words (`to`), on the day `on` (today unless recorded afterwards). The applicant
    is then to be told within three working days, and the body's answer is followed on the appeal."""
    current, old = _move(actor, appeal, S.REDIRECTED, version)
    if body is not None:
        _require_body(actor, body)
        to = body.name
    if not to.strip():
        raise ValidationError({"to": _("Name the body the appeal goes to.")})
    on = on or timezone.localdate()
    if on < current.received_on or on > timezone.localdate():
        raise ValidationError({"on": _("The date must fall between the receipt and today.")})
    current.redirect_to = to
    current.redirect_body = body
    current.redirected_on = current.closed_on = on
    current.redirect_notice_on = None
    current.body_answer, current.body_answered_on = "", None
    current.save()
    _history(current, actor, "redirect", old, comment, **({"external_body": body} if body else {}))
    notices.notify(appeal=current, kind=NoticeKind.REDIRECTED, body=to)
    return current


def _redirected(actor: Any, appeal: Appeal, version: int | None) -> Appeal:
    current = _locked(appeal, version)
    _require(actor, "manage_appeal", current.territory)
    if current.status != S.REDIRECTED:
        raise ValidationError({"status": _("Only a redirected appeal has this step.")})
    current.version += 1
    return current


@transaction.atomic
def appeal_redirect_notice(
    *, actor: Any, appeal: Appeal, on: date | None = None, version: int | None = None, comment: str = ""
) -> Appeal:
    """Record the day the applicant was told where the appeal went (due within three working days)."""
    current = _redirected(actor, appeal, version)
    on = on or timezone.localdate()
    if on < (current.redirected_on or on) or on > timezone.localdate():
        raise ValidationError({"on": _("The date must fall between the redirection and today.")})
    current.redirect_notice_on = on
    current.save()
    _history(current, actor, "notice", current.status, comment)
    return current


@transaction.atomic
def appeal_body_answer(
    *, actor: Any, appeal: Appeal, answer: str, on: date | None = None, version: int | None = None
) -> Appeal:
    """Record the answer the external body gave on a redirected appeal."""
    current = _redirected(actor, appeal, version)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the external body's answer.")})
    on = on or timezone.localdate()
    if on < (current.redirected_on or on) or on > timezone.localdate():
        raise ValidationError({"on": _("The date must fall between the redirection and today.")})
    current.body_answer, current.body_answered_on = answer, on
    current.save()
    _history(current, actor, "body_answer", current.status, **_body_link(current))
    return current


def _body_link(appeal: Appeal) -> dict[str, Any]:
    return {"external_body": appeal.redirect_body} if appeal.redirect_body_id else {}


def routing_departments(*, actor: Any, visit: Any = None) -> Any:
    """Departments an appeal or a walk-in may be sent to: those open to the actor (their
    territories and the units above them) and every department of the visit's working group."""
    from django.db.models import Q

    from kelisim.accounts.models import Department
    from kelisim.programs.selectors import visit_list

    condition = policies.related_q(actor, "view_department")
    if visit is not None and visit_list(user=actor).filter(pk=visit.pk).exists():
        condition |= Q(pk__in=visit.members.values("department"))
    return Department.objects.filter(condition)


@transaction.atomic
def appeal_reroute(
    *, actor: Any, appeal: Appeal, department: Any, version: int | None = None, comment: str = ""
) -> Appeal:
    """Send an open appeal to another department (of the actor's scope, or of the working group
    of the visit whose reception took it); the move stays in the appeal's history."""
    current = _locked(appeal, version)
    _require(actor, "manage_appeal", current.territory)
    if not current.is_open:
        raise ValidationError({"department": _("A finished appeal can't be sent on; reopen it first.")})
    visit = current.visitor.session.visit if current.visitor_id else None  # type: ignore[union-attr]
    if (
        department is None
        or not routing_departments(actor=actor, visit=visit).filter(pk=department.pk).exists()
    ):
        raise not_found("department")
    if department.pk == current.department_id:
        raise ValidationError({"department": _("The appeal is already with this department.")})
    old_department = current.department
    current.department = department
    current.version += 1
    current.save()
    _history(
        current,
        actor,
        "reroute",
        current.status,
        comment,
        from_department=old_department,
        to_department=department,
    )
    return current


@transaction.atomic
def appeal_answer(*, actor: Any, appeal: Appeal, answer: str, version: int | None = None) -> Appeal:
    current, old = _move(actor, appeal, S.ANSWERED, version)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    current.answer = answer
    current.answered_on = timezone.localdate()
    current.save()
    _history(current, actor, "answer", old)
    notices.notify(appeal=current, kind=NoticeKind.ANSWERED, answer=answer)
    return current


@transaction.atomic
def appeal_close(*, actor: Any, appeal: Appeal, version: int | None = None, comment: str = "") -> Appeal:
    current, old = _move(actor, appeal, S.CLOSED, version, capability="close_appeal")
    current.closed_on = timezone.localdate()
    current.save()
    _history(current, actor, "close", old, comment)
    return current


@transaction.atomic
def appeal_reopen(*, actor: Any, appeal: Appeal, reason: str, version: int | None = None) -> Appeal:
    current, old = _move(actor, appeal, S.REOPENED, version, capability="close_appeal")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the appeal is reopened.")})
    current.closed_on = None
    current.due_date = deadlines.due_date(timezone.localdate())
    current.save()
    _history(current, actor, "reopen", old, reason)
    return current


TRANSITION_SERVICES: dict[str, Callable[..., Appeal]] = {
    "reroute": appeal_reroute,
    "notice": appeal_redirect_notice,
    "body_answer": appeal_body_answer,
    "start": appeal_start,
    "extend": appeal_extend,
    "redirect": appeal_redirect,
    "answer": appeal_answer,
    "close": appeal_close,
    "reopen": appeal_reopen,
}


# Receptions -------------------------------------------------------------------------------------


def _holds(visit: Any, territory: Any, start: Any) -> bool:
    day = timezone.localtime(start).date()
    return territory.path.startswith(visit.territory.path) and visit.date_start <= day <= visit.date_end


def reception_visit(*, actor: Any, territory: Any, start: Any) -> Any:
    """The visit a reception at `territory` and `start` belongs to: one the actor may see whose
    district holds the territory and whose days hold the start; None when there is none."""
    from kelisim.programs.selectors import visit_list

    if territory is None or start is None:
        return None
    day = timezone.localtime(start).date()
    candidates = visit_list(user=actor, date_from=day, date_to=day)
    # The closest district first: a visit of the district before one of the whole region.
    found = [v for v in candidates if _holds(v, territory, start)]
    found.sort(key=lambda v: (-len(v.territory.path), v.pk))
    return found[0] if found else None


def _reception_checked(actor: Any, session: ReceptionSession, visit_chosen: bool) -> None:
    """What opening and changing a reception share: the visit found or checked, times in order."""
    if not visit_chosen:
        session.visit = reception_visit(actor=actor, territory=session.territory, start=session.start)
    elif session.start is not None and not _holds(session.visit, session.territory, session.start):
        raise ValidationError(
            {"visit": _("The reception's territory and day lie outside this visit's district and days.")}
        )
    if session.end and session.start and session.end < session.start:
        raise ValidationError({"end": _("The end comes before the start.")})
    for name in ("start", "end"):
        if year_out_of_range(getattr(session, name)):
            raise ValidationError({name: year_range_message()})
    session.full_clean()


@transaction.atomic
def reception_open(*, actor: Any, **fields: Any) -> ReceptionSession:
    """Open a reception session. A session held in a visit's district during its days belongs to
    that visit: when none is chosen, the visit is found and set (`reception_visit`); a chosen visit
    must hold the session's territory and day."""
    _require(actor, "manage_reception", fields.get("territory"))
    _require_links(actor, fields)
    session = ReceptionSession(**fields)
    _reception_checked(actor, session, visit_chosen=fields.get("visit") is not None)
    session.save()
    audit_record(actor=actor, action="reception.open", obj=session, territory_path=session.territory.path)
    return session


RECEPTION_FIELDS = ("visit", "department", "territory", "place", "start", "end")


@transaction.atomic
def reception_update(*, actor: Any, session: ReceptionSession, **fields: Any) -> ReceptionSession:
    """Correct a reception's visit, department, place or times; the visitors stay with it."""
    _require(actor, "manage_reception", session.territory)
    if "territory" in fields:
        _require(actor, "manage_reception", fields["territory"])
    _require_links(actor, fields)
    before = session.visit_id
    for name in RECEPTION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    chosen = fields.get("visit") is not None and fields["visit"].pk != before
    if (
        not chosen
        and session.visit is not None
        and not _holds(session.visit, session.territory, session.start)
    ):
        # The visit was found for the old place or day, not chosen: find the one that holds the new.
        session.visit = None
    _reception_checked(actor, session, visit_chosen=session.visit is not None)
    session.save()
    audit_record(actor=actor, action="reception.update", obj=session, territory_path=session.territory.path)
    return session


@transaction.atomic
def reception_delete(*, actor: Any, session: ReceptionSession) -> None:
    """Remove a reception opened by mistake. One that has visitors is the record of who came and
    what they were told: it stays, and its details can be corrected instead."""
    _require(actor, "manage_reception", session.territory)
    # Locked, so that a visitor registered at this moment either waits and stops the removal or
    # comes after it and finds no reception.
    session = ReceptionSession.objects.select_for_update().get(pk=session.pk)
    if session.visitors.exists():
        raise ValidationError(
            _("Visitors were received at this reception, so it stays on record; correct its details instead.")
        )
    if session.preregistrations.exists():
        raise ValidationError(
            _(
                "Citizens signed up for this reception on the visit's public page: remove their sign-ups first."
            )
        )
    audit_record(actor=actor, action="reception.delete", obj=session, territory_path=session.territory.path)
    session.delete()


@transaction.atomic
def visitor_register(*, actor: Any, session: ReceptionSession, **fields: Any) -> Visitor:
    _require(actor, "manage_reception", session.territory)
    ReceptionSession.objects.select_for_update().filter(pk=session.pk).exists()  # see reception_delete
    department = fields.get("department")
    if (
        department is not None
        and department.pk != session.department_id
        and not routing_departments(actor=actor, visit=session.visit).filter(pk=department.pk).exists()
    ):
        raise not_found("department")
    settlement = fields.get("settlement")
    if settlement is not None and not policies.can(actor, "manage_reception", settlement):
        raise not_found("settlement")
    if not fields.get("declined_name") and not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("Write the name, or tick “declined to give a name”.")})
    if fields.get("declined_name"):
        fields["name"] = ""
    if fields.get("consent") is not None:
        fields.setdefault("consent_at", timezone.now())
    visitor = Visitor(session=session, **fields)
    visitor.full_clean()
    visitor.save()
    audit_record(actor=actor, action="visitor.register", obj=visitor, territory_path=session.territory.path)
    return visitor


# Pre-registration from a visit's public page ----------------------------------------------------


@transaction.atomic
def preregistration_create(
    *, session: ReceptionSession, name: str, phone: str, topic: str, consent: ConsentText | None
) -> PreRegistration:
    """A citizen signs up for a reception of a public visit (no account: the actor is nobody).
    Only a reception of a visit whose page is public and that has not ended takes sign-ups; the
    consent is the version in use, recorded with its time. Nothing of the citizen goes to the audit."""
    # Locked, like a visitor's registration, against the reception's removal (see reception_delete).
    session = (
        ReceptionSession.objects.select_for_update(of=("self",))
        .select_related("visit", "territory")
        .get(pk=session.pk)
    )
    if session.visit is None or not session.visit.public or session.end < timezone.now():
        raise ValidationError(_("This reception does not take sign-ups."))
    if consent is None or not consent.is_active:
        raise ValidationError({"consent": _("Personal data can be written down only with your consent.")})
    entry = PreRegistration(
        session=session,
        name=name.strip(),
        phone=phone.strip(),
        topic=topic.strip(),
        consent=consent,
        consent_at=timezone.now(),
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=None, action="preregistration.create", obj=entry, territory_path=session.territory.path
    )
    return entry


@transaction.atomic
def preregistration_admit(*, actor: Any, entry: PreRegistration) -> Visitor:
    """The citizen came: the entry becomes a visitor in the desk's queue, with the consent given."""
    _require(actor, "manage_reception", entry.session.territory)
    entry = PreRegistration.objects.select_for_update().get(pk=entry.pk)
    if entry.visitor_id is not None:
        raise ValidationError(_("This person is already in the queue."))
    visitor = visitor_register(
        actor=actor,
        session=entry.session,
        name=entry.name,
        contact=entry.phone,
        question=entry.topic,
        department=entry.session.department,
        consent=entry.consent,
        consent_at=entry.consent_at,
    )
    entry.visitor = visitor
    entry.save(update_fields=["visitor"])
    audit_record(
        actor=actor, action="preregistration.admit", obj=entry, territory_path=entry.session.territory.path
    )
    return visitor


@transaction.atomic
def preregistration_remove(*, actor: Any, entry: PreRegistration) -> None:
    """Remove a sign-up (nobody came, or a duplicate); a visitor made from it stays."""
    _require(actor, "manage_reception", entry.session.territory)
    audit_record(
        actor=actor, action="preregistration.remove", obj=entry, territory_path=entry.session.territory.path
    )
    entry.delete()


def _outcome_fields(outcome: str, redirected_to: str) -> str:
    """Check the outcome and the fields it needs; return the `redirected_to` it keeps (only a
    redirection names a body: any other outcome clears it)."""
    if outcome not in Visitor.Outcome.values or outcome == Visitor.Outcome.WAITING:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome != Visitor.Outcome.REDIRECTED:
        return ""
    if not redirected_to.strip():
        raise ValidationError({"redirected_to": _("Name the body the visitor was sent to.")})
    return redirected_to.strip()


def _visitor_appeal(actor: Any, visitor: Visitor, appeal_type: str, notice: dict[str, Any]) -> None:
    """Register the visitor's question as an appeal (once) through the ordinary registration."""
    if hasattr(visitor, "appeal"):
        return
    session = visitor.session
    if visitor.declined_name:
        raise ValidationError(
            {"outcome": _("An appeal needs the applicant's name: anonymous appeals are not considered.")}
        )
    appeal = appeal_register(
        actor=actor,
        type=appeal_type,
        channel=Appeal.Channel.RECEPTION,
        applicant_kind=Appeal.Applicant.PERSON,
        applicant_name=visitor.name,
        applicant_contact=visitor.contact,
        territory=visitor.settlement or session.territory,
        department=visitor.department,
        category=visitor.category,
        text=visitor.question,
        received_on=timezone.localtime(session.start).date(),
        visit=session.visit,
        **notice,
    )
    appeal.visitor = visitor
    appeal.save(update_fields=["visitor"])


NOTICE_FIELDS = ("notice_consent", "notice_email", "notice_phone", "notice_language")


def _notice_fields(notice: dict[str, Any]) -> dict[str, Any]:
    unknown = set(notice) - set(NOTICE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected arguments: {sorted(unknown)}")
    return notice


def _outcome_write(actor: Any, visitor: Visitor, outcome: str, redirected_to: str, reason: str) -> None:
    old = visitor.outcome
    visitor.outcome = outcome
    visitor.redirected_to = redirected_to
    visitor.save(update_fields=["outcome", "redirected_to"])
    VisitorOutcomeChange.objects.create(
        visitor=visitor,
        actor=actor,
        from_outcome=old,
        to_outcome=outcome,
        redirected_to=redirected_to,
        reason=reason,
    )
    # The reason and the body's name are the staff member's words: they stay out of the audit.
    audit_record(
        actor=actor,
        action="visitor.outcome" if old == Visitor.Outcome.WAITING else "visitor.outcome_correct",
        obj=visitor,
        territory_path=visitor.session.territory.path,
        params={"outcome": outcome} if old == Visitor.Outcome.WAITING else {"from": old, "to": outcome},
    )


@transaction.atomic
def visitor_outcome(
    *,
    actor: Any,
    visitor: Visitor,
    outcome: str,
    redirected_to: str = "",
    appeal_type: str = Appeal.Type.STATEMENT,
    **notice: Any,
) -> Visitor:
    """Record what came of the visit; "appeal" registers the question as an appeal (`notice`: the
    visitor's choice of notices about it, as `appeal_register` takes it).
    A recorded outcome is changed only by `visitor_outcome_correct`, with a reason."""
    _require(actor, "manage_reception", visitor.session.territory)
    visitor = Visitor.objects.select_for_update().select_related("session__territory").get(pk=visitor.pk)
    if visitor.outcome != Visitor.Outcome.WAITING:
        raise ValidationError(
            {"outcome": _("The outcome is already recorded; correct it and give the reason.")}
        )
    redirected_to = _outcome_fields(outcome, redirected_to)
    if outcome == Visitor.Outcome.APPEAL:
        _visitor_appeal(actor, visitor, appeal_type, _notice_fields(notice))
    _outcome_write(actor, visitor, outcome, redirected_to, "")
    return visitor


@transaction.atomic
def visitor_outcome_correct(
    *,
    actor: Any,
    visitor: Visitor,
    outcome: str,
    reason: str,
    redirected_to: str = "",
    appeal_type: str = Appeal.Type.STATEMENT,
    **notice: Any,
) -> Visitor:
    """Correct a recorded outcome, with the reason; the history keeps every version.

    Correcting to "appeal" registers the appeal through the same path as recording it. Correcting
    away from "appeal" once the appeal exists is refused: the appeal is a registered case with its
    own number, deadline and lifecycle (the law forbids refusing registration), so it is closed,
    redirected or answered on its own page, never undone from the reception desk.
    """
    _require(actor, "manage_reception", visitor.session.territory)
    visitor = Visitor.objects.select_for_update().select_related("session__territory").get(pk=visitor.pk)
    if visitor.outcome == Visitor.Outcome.WAITING:
        raise ValidationError({"outcome": _("No outcome is recorded yet; record it first.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the outcome is corrected.")})
    redirected_to = _outcome_fields(outcome, redirected_to)
    appeal = Appeal.objects.filter(visitor=visitor).first()
    if appeal is not None and outcome != Visitor.Outcome.APPEAL:
        raise ValidationError(
            {
                "outcome": _(
                    "Appeal %(number)s is registered from this visit and follows its own course: "
                    "redirect, answer or close it on the appeal's page."
                )
                % {"number": appeal.number}
            }
        )
    if outcome == visitor.outcome and redirected_to == visitor.redirected_to:
        raise ValidationError({"outcome": _("This is the outcome already recorded.")})
    if outcome == Visitor.Outcome.APPEAL:
        _visitor_appeal(actor, visitor, appeal_type, _notice_fields(notice))
    _outcome_write(actor, visitor, outcome, redirected_to, reason.strip())
    return visitor


@transaction.atomic
def appeal_register_open311(
    *,
    key: Any,
    category: Any,
    name: str,
    contact: str,
    text: str,
    external_number: str = "",
    location: dict[str, Any] | None = None,
) -> Appeal:
    """An appeal from an Open311 client: the key stands for the registering body.

    `location` holds what the client said of the place: `latitude` and `longitude` (both or
    neither), `address`, `address_id`, and `media_url`. Of the applicant only a name and one contact
    are kept (the e-mail, else the phone), as for any other appeal.
    """
    place = {k: v for k, v in (location or {}).items() if k in OPEN311_PLACE and v not in (None, "")}
    if ("latitude" in place) != ("longitude" in place):
        raise ValidationError({"long" if "latitude" in place else "lat": _("Give both lat and long.")})
    if not ({"latitude", "address", "address_id"} & set(place)):
        raise ValidationError({"lat": _("Give the location: lat and long, address_string or address_id.")})
    fields = {
        "type": Appeal.Type.STATEMENT,
        "channel": Appeal.Channel.OPEN311,
        "applicant_kind": Appeal.Applicant.PERSON,
        "applicant_name": name,
        "applicant_contact": contact,
        "territory": key.territory,
        "department": key.department,
        "category": category,
        "text": text,
        "external_number": external_number,
        **place,
    }
    return _create(None, fields)


OPEN311_PLACE = ("latitude", "longitude", "address", "address_id", "media_url")


def key_hash(key: str) -> str:
    """Open311 keys are kept only as this hash: a leaked table gives no working key."""
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


# Administration: Open311 keys and the country's reference lists ---------------------------------


@transaction.atomic
def open311_key_create(
    *, actor: Any, name: str, department: Any, territory: Any = None
) -> tuple[Open311Key, str]:
    """A key for an Open311 client registering appeals for `department` at `territory` (the
    department's own by default). The key is returned once and only its hash kept; it is a
    credential, so two factors are asked first."""
    policies.require_second_factor(actor)
    if territory is None and department is not None:
        territory = department.territory
    _require(actor, "manage_open311", territory)
    if department is None or not policies.can_use(actor, "manage_open311", department.territory):
        raise not_found("department")
    if not name.strip():
        raise ValidationError({"name": _("Name the client (for example, “eOtinish portal”).")})
    import secrets

    # Hex: a key a person pastes into a client's settings or a command line never starts with "-".
    secret = secrets.token_hex(24)
    key = Open311Key.objects.create(
        name=name.strip()[:100], key_hash=key_hash(secret), territory=territory, department=department
    )
    audit_record(
        actor=actor,
        action="open311_key.create",
        obj=key,
        territory_path=territory.path,
        params={"department": department.pk},
    )
    return key, secret


@transaction.atomic
def open311_key_revoke(*, actor: Any, key: Open311Key) -> None:
    """The client's key stops working at once; the row stays for the record."""
    _require(actor, "manage_open311", key.territory)
    if key.is_active:
        key.is_active = False
        key.save(update_fields=["is_active"])
        audit_record(actor=actor, action="open311_key.revoke", obj=key, territory_path=key.territory.path)


# External bodies --------------------------------------------------------------------------------

EXTERNAL_BODY_FIELDS = ("name_kk", "name_ru", "territory", "address", "is_active")


@transaction.atomic
def external_body_create(*, actor: Any, **fields: Any) -> ExternalBody:
    _require(actor, "manage_department", fields.get("territory"))
    body = ExternalBody(**{k: v for k, v in fields.items() if k in EXTERNAL_BODY_FIELDS})
    body.full_clean()
    body.save()
    audit_record(actor=actor, action="external_body.create", obj=body, territory_path=body.territory.path)
    return body


@transaction.atomic
def external_body_update(*, actor: Any, body: ExternalBody, **fields: Any) -> ExternalBody:
    _require(actor, "manage_department", body.territory)
    changed = [k for k, v in fields.items() if k in EXTERNAL_BODY_FIELDS and getattr(body, k) != v]
    if "territory" in changed:
        _require(actor, "manage_department", fields["territory"])
    for name in changed:
        setattr(body, name, fields[name])
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="external_body.update",
        obj=body,
        territory_path=body.territory.path,
        params={"fields": changed},
    )
    return body


@transaction.atomic
def external_body_delete(*, actor: Any, body: ExternalBody) -> None:
    """Remove a body from the directory. One that appeals were redirected to stays on them: it is
    taken out of use instead, and the caller is told so."""
    _require(actor, "manage_department", body.territory)
    path = body.territory.path
    if (
        Appeal.objects.filter(redirect_body=body).exists()
        or AppealEvent.objects.filter(external_body=body).exists()
    ):
        raise ValidationError(
            {
                "is_active": _(
                    "Appeals were redirected to this body: take it out of use instead of removing it."
                )
            }
        )
    audit_record(actor=actor, action="external_body.delete", obj=body, territory_path=path)
    body.delete()


def _require_reference(actor: Any) -> None:
    """The reference lists are the country's: only a country-wide holder of `manage_reference`."""
    if not policies.can_everywhere(actor, "manage_reference"):
        raise PermissionDenied(_("Only an administrator of the whole country may change this list."))


@transaction.atomic
def workday_override_save(
    *, actor: Any, override: WorkdayOverride | None = None, day: date, kind: str, note: str = ""
) -> WorkdayOverride:
    """Add or change a government transfer: deadlines computed from now on count it."""
    _require_reference(actor)
    taken = WorkdayOverride.objects.filter(date=day)
    if override is not None:
        taken = taken.exclude(pk=override.pk)
    if taken.exists():
        raise ValidationError({"date": _("This date is in the table already: edit that row.")})
    row = override or WorkdayOverride()
    row.date, row.kind, row.note = day, kind, note.strip()
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="workday_override.update" if override else "workday_override.create",
        obj=row,
        params={"kind": kind, "date": day.strftime("%Y%m%d")},
    )
    return row


@transaction.atomic
def workday_override_remove(*, actor: Any, override: WorkdayOverride) -> None:
    _require_reference(actor)
    audit_record(
        actor=actor,
        action="workday_override.remove",
        obj=override,
        params={"kind": override.kind, "date": override.date.strftime("%Y%m%d")},
    )
    override.delete()


CATEGORY_FIELDS = ("code", "name_kk", "name_ru", "name_en", "is_active")


@transaction.atomic
def category_save(*, actor: Any, category: Category | None = None, **fields: Any) -> Category:
    """Add an appeal category (also an Open311 service) or change one; one no longer offered is
    marked not in use, so the appeals that have it keep it."""
    _require_reference(actor)
    row = category or Category()
    changed = [k for k in CATEGORY_FIELDS if k in fields and getattr(row, k) != fields[k]]
    for name in changed:
        setattr(row, name, fields[name])
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="category.update" if category else "category.create",
        obj=row,
        params={"fields": changed},
    )
    return row


def consent_in_use(consent: ConsentText) -> bool:
    """Whether a visitor (or a citizen signing up online) agreed to this version: then its words are
    the record and stay as they are."""
    return (
        Visitor.objects.filter(consent=consent).exists()
        or PreRegistration.objects.filter(consent=consent).exists()
    )


@transaction.atomic
def consent_text_publish(*, actor: Any, code: str, text_kk: str, text_ru: str) -> ConsentText:
    """A new version of the consent; from now on visitors are asked this one. Earlier versions stay
    (visitors' consents point at them) but are no longer offered."""
    _require_reference(actor)
    if not text_kk.strip() or not text_ru.strip():
        raise ValidationError(
            {
                name: _("Write the text of the consent.")
                for name, text in (("text_kk", text_kk), ("text_ru", text_ru))
                if not text.strip()
            }
        )
    if ConsentText.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A version with this code exists already.")})
    consent = ConsentText(code=code, text_kk=text_kk.strip(), text_ru=text_ru.strip(), is_active=True)
    consent.full_clean()
    ConsentText.objects.filter(is_active=True).update(is_active=False)
    consent.save()
    audit_record(actor=actor, action="consent_text.publish", obj=consent)
    return consent


@transaction.atomic
def consent_text_update(*, actor: Any, consent: ConsentText, text_kk: str, text_ru: str) -> ConsentText:
    """Correct a version nobody has agreed to yet; one in use is kept as it was agreed."""
    _require_reference(actor)
    if consent_in_use(consent):
        raise ValidationError(
            _(
                "Visitors have agreed to this version, so its text stays as it is: publish a new version instead."
            )
        )
    if not text_kk.strip() or not text_ru.strip():
        raise ValidationError({"text_kk": _("Write the text of the consent.")})
    consent.text_kk, consent.text_ru = text_kk.strip(), text_ru.strip()
    consent.full_clean()
    consent.save()
    audit_record(actor=actor, action="consent_text.update", obj=consent)
    return consent
