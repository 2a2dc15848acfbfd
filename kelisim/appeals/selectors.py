"""Reads of receptions and appeals, scoped by the user; the queues executors work from.

An appeal's applicant and text, and a reception's visitors, are personal data: whatever shows them
passes them through `appeals_shown` or `visitors_shown`, which write one audit row per read."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kelisim.accounts import policies
from kelisim.accounts.models import User
from kelisim.accounts.selectors import users_with_capability
from kelisim.core.audit import audit_read_records
from kelisim.territories import zones

from . import deadlines
from .models import (
    Appeal,
    ExternalBody,
    Open311Key,
    PreRegistration,
    ReceptionSession,
    Visitor,
    VisitorOutcomeChange,
)

_FINISHED = [Appeal.Status.ANSWERED, Appeal.Status.CLOSED, Appeal.Status.REDIRECTED]
OPEN = ~Q(status__in=_FINISHED)
# The same appeals, their statuses named: SQLite matches (territory, status, due date) to a list of
# statuses, but can't use a partial index or a range for "not these" once the statuses are bound
# parameters, and walked every appeal of the scope for a region's overdue page (15 ms nationally).
OPEN_LISTED = Q(status__in=[status for status in Appeal.Status if status not in _FINISHED])


@dataclass(frozen=True)
class AppealFilters:
    territory: str | None = None
    status: str | None = None
    department: int | None = None
    executor: int | None = None
    overdue: bool = False
    due_today: bool = False
    at_risk: bool = False
    q: str | None = None


def _windows(today: date) -> tuple[date, date]:
    return today, deadlines.cached_work_calendar().add_working_days(today, deadlines.AT_RISK_DAYS)


LIST_JOINS = ("territory", "department", "lead_executor", "category")


def appeal_list(
    *,
    user: Any,
    filters: AppealFilters | None = None,
    capability: str = "view_appeal",
    joins: tuple[str, ...] = LIST_JOINS,
) -> QuerySet[Appeal]:
    """Appeals in the user's scope, by due date; `joins` are the related rows read with each page
    (a reader that shows only their keys joins fewer: each is a model built per row)."""
    f = filters or AppealFilters()
    qs = Appeal.objects.filter(policies.scope_q(user, capability, within=f.territory or None))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.executor:
        qs = qs.filter(Q(lead_executor_id=f.executor) | Q(co_executors__user_id=f.executor)).distinct()
    if f.q:
        qs = qs.filter(number__icontains=f.q)
    if f.overdue or f.due_today or f.at_risk:
        today, risk_until = _windows(timezone.localdate())
        if f.overdue:
            qs = qs.filter(OPEN_LISTED, due_date__lt=today)
        if f.due_today:
            qs = qs.filter(OPEN_LISTED, due_date=today)
        if f.at_risk:
            qs = qs.filter(OPEN_LISTED, due_date__gt=today, due_date__lte=risk_until)
    return qs.select_related(*joins).order_by("due_date", "id")


def appeal_get_for_user(*, user: Any, pk: Any, capability: str = "view_appeal") -> Appeal:
    try:
        return appeal_list(user=user, capability=capability).get(pk=int(pk))
    except (Appeal.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def executor_choices(*, territory: Any) -> QuerySet[User]:
    """Who may be given an appeal of `territory`: active users holding `manage_appeal` over it."""
    return users_with_capability(capability="manage_appeal", territory=territory)


def appeals_shown(*, user: Any, appeals: Iterable[Appeal], via: str, filters: Any = None) -> list[Appeal]:
    """`appeals` as a list, after one audit row naming them: for pages and answers that show an
    applicant or an appeal's text (a detail, a receipt, the API). `via` names the page or answer."""
    shown = list(appeals)
    audit_read_records(
        actor=user,
        object_type=Appeal._meta.label_lower,
        ids=[a.pk for a in shown],
        territory_paths=[a.territory.path for a in shown],
        via=via,
        rows=len(shown),
        filters=filters,
    )
    return shown


def visitors_shown(*, user: Any, session: ReceptionSession, via: str = "reception_desk") -> list[Visitor]:
    """The session's visitors (names, contacts) as a list, after one audit row naming them."""
    shown = list(
        session.visitors.select_related("department", "category", "settlement", "appeal").prefetch_related(
            Prefetch("outcome_changes", queryset=VisitorOutcomeChange.objects.select_related("actor"))
        )
    )
    audit_read_records(
        actor=user,
        object_type=Visitor._meta.label_lower,
        ids=[v.pk for v in shown],
        territory_paths=[session.territory.path],
        via=via,
        rows=len(shown),
        filters={"session": session.pk},
    )
    return shown


def queue_summary(*, user: Any, group_by: str = "department") -> list[dict[str, Any]]:
    """Open appeals per department, executor or territory: total, due today, at risk, overdue."""
    today, risk_until = _windows(timezone.localdate())
    field = {"department": "department", "executor": "lead_executor", "territory": "territory"}[group_by]
    rows = (
        Appeal.objects.filter(policies.scope_q(user, "view_appeal"))
        .filter(OPEN)
        .values(f"{field}_id")
        # Counted by the territory key (never null, so the same counts as by id): it and the due
        # date are in the scope index, which PostgreSQL then answers from alone, without the rows.
        .annotate(
            total=Count("territory"),
            due_today=Count("territory", filter=Q(due_date=today)),
            at_risk=Count("territory", filter=Q(due_date__gt=today, due_date__lte=risk_until)),
            overdue=Count("territory", filter=Q(due_date__lt=today)),
        )
        .order_by(f"{field}_id")
    )
    return [
        {"key": r[f"{field}_id"], **{k: r[k] for k in ("total", "due_today", "at_risk", "overdue")}}
        for r in rows
    ]


def reception_list(
    *, user: Any, visit: Any = None, capability: str = "view_reception"
) -> QuerySet[ReceptionSession]:
    qs = ReceptionSession.objects.filter(policies.scope_q(user, capability))
    if visit is not None:
        qs = qs.filter(visit=visit)
    return qs.select_related("department", "territory", "specialist", "visit__territory").annotate(
        visitor_count=Count("visitors")
    )


def reception_get_for_user(*, user: Any, pk: Any, capability: str = "view_reception") -> ReceptionSession:
    try:
        return reception_list(user=user, capability=capability).get(pk=int(pk))
    except (ReceptionSession.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def preregistrations_shown(
    *, user: Any, session: ReceptionSession, via: str = "reception_desk"
) -> list[PreRegistration]:
    """The session's online sign-ups still waiting (names, phones), after one audit row naming them."""
    shown = list(session.preregistrations.filter(visitor__isnull=True))
    audit_read_records(
        actor=user,
        object_type=PreRegistration._meta.label_lower,
        ids=[p.pk for p in shown],
        territory_paths=[session.territory.path],
        via=via,
        rows=len(shown),
        filters={"session": session.pk},
    )
    return shown


def preregistration_get_for_user(*, user: Any, pk: Any) -> PreRegistration:
    """A sign-up, for someone who manages its reception; the same 404 for missing and not yours."""
    try:
        return PreRegistration.objects.select_related("session__territory", "session__department").get(
            pk=int(pk), session__in=reception_list(user=user, capability="manage_reception").values("pk")
        )
    except (PreRegistration.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def public_receptions(*, visit: Any) -> QuerySet[ReceptionSession]:
    """The receptions of a visit, for its public page: place, time and department only."""
    return (
        ReceptionSession.objects.filter(visit=visit)
        .select_related("department", "territory")
        .order_by("start", "id")
    )


def active_consent() -> Any:
    """The version of the consent asked today (None when none is in use)."""
    from .models import ConsentText

    return ConsentText.objects.filter(is_active=True).first()


@dataclass(frozen=True)
class PublicStatus:
    """What the public status lookup tells: the status and its dates, nothing of the applicant."""

    number: str
    status: str
    status_label: str
    received_on: date
    due_date: date
    answered_on: date | None
    closed_on: date | None


def appeal_public_status(*, number: str, code: str) -> PublicStatus | None:
    """The appeal with this number and receipt code, or None: a wrong code and an unknown number
    answer alike. The code is compared in constant time."""
    import hmac

    row = (
        Appeal.objects.filter(number=number.strip(), anonymized=False)
        .values_list("number", "public_code", "status", "received_on", "due_date", "answered_on", "closed_on")
        .first()
    )
    given = code.strip().upper().encode()
    if row is None:
        hmac.compare_digest(given, b"-" * len(given))
        return None
    if not row[1] or not hmac.compare_digest(given, row[1].encode()):
        return None
    labels = dict(Appeal.Status.choices)
    return PublicStatus(
        number=row[0],
        status=row[2],
        status_label=str(labels.get(row[2], row[2])),
        received_on=row[3],
        due_date=row[4],
        answered_on=row[5],
        closed_on=row[6],
    )


def reception_summary(*, user: Any, visit: Any) -> list[dict[str, Any]]:
    """Visitors per department and outcome, for the visit's summary."""
    labels = dict(Visitor.Outcome.choices)
    rows = (
        Visitor.objects.filter(session__in=reception_list(user=user, visit=visit))
        .values("department__name_kk", "department__name_ru", "outcome")
        .annotate(n=Count("id"))
        .order_by("department__name_kk", "outcome")
    )
    return [{**row, "outcome_label": str(labels.get(row["outcome"], row["outcome"]))} for row in rows]


def open311_key_active(raw: str) -> Open311Key | None:
    """The working Open311 key whose hash matches `raw`, or None (missing, wrong or revoked)."""
    from .services import key_hash

    if not raw:
        return None
    return (
        Open311Key.objects.select_related("territory", "department")
        .filter(key_hash=key_hash(raw), is_active=True)
        .first()
    )


def open311_requests() -> QuerySet[Appeal]:
    """Appeals as Open311 shows them to anyone: those that came in through Open311, each with the
    time of its latest step (`updated_at`, from the history)."""
    return (
        Appeal.objects.filter(channel=Appeal.Channel.OPEN311)
        .select_related("category", "department")
        .annotate(updated_at=Max("history__at"))
    )


@dataclass(frozen=True)
class ReceptionFigures:
    """What a visit's receptions came to, in counts only (no visitor is named)."""

    sessions: int = 0
    visitors: int = 0
    departments: int = 0  # departments whose specialists received the visitors
    department_kinds: frozenset[str] = frozenset()
    advice: int = 0  # advice or an explanation given, or the matter resolved, on the spot
    appeals: int = 0  # registered as an appeal
    redirected: int = 0  # sent on to another body


def visit_receptions_q(visit: Any, prefix: str = "") -> Q:
    """Reception sessions of a visit: linked to it, or, when a session was opened without a visit,
    held inside the visit's district during its days (the desk could not link them at first)."""
    tz = zones.zone_for_code(visit.territory.code)  # the district's days, whoever asks
    start = datetime.combine(visit.date_start, time.min, tzinfo=tz)
    end = datetime.combine(visit.date_end + timedelta(days=1), time.min, tzinfo=tz)
    linked = Q(**{f"{prefix}visit": visit})
    inside = Q(**{f"{prefix}visit__isnull": True, f"{prefix}start__gte": start, f"{prefix}start__lt": end})
    inside &= policies.within_q(visit.territory.code, path_field=f"{prefix}territory__path")
    return linked | inside


def reception_figures_for_visit(
    *, user: Any, visit: Any, capability: str = "view_reception"
) -> ReceptionFigures:
    """Counts of the visit's receptions within the user's scope for `capability`: sessions,
    visitors, the departments that received them, and what they left with. Counts only, so a
    press officer may pass `write_press_release`; the visitors themselves stay with
    `visitors_shown`."""
    sessions = ReceptionSession.objects.filter(policies.scope_q(user, capability)).filter(
        visit_receptions_q(visit)
    )
    visitors = Visitor.objects.filter(session__in=sessions.values("pk"))
    outcome = Visitor.Outcome
    counts = visitors.aggregate(
        visitors=Count("id"),
        departments=Count("department", distinct=True),
        advice=Count("id", filter=Q(outcome__in=[outcome.ADVICE, outcome.RESOLVED])),
        appeals=Count("id", filter=Q(outcome=outcome.APPEAL)),
        redirected=Count("id", filter=Q(outcome=outcome.REDIRECTED)),
    )
    kinds = frozenset(visitors.values_list("department__kind", flat=True).distinct())
    return ReceptionFigures(sessions=sessions.count(), department_kinds=kinds, **counts)


def external_body_list(*, user: Any, capability: str = "view_department") -> QuerySet[ExternalBody]:
    """Bodies of the user's territories and of the units above them (a region's prosecutor's
    office receives appeals from every district)."""
    return (
        ExternalBody.objects.filter(policies.related_q(user, capability))
        .select_related("territory")
        .order_by("territory__path", "name_kk")
    )


def external_body_choices(*, user: Any) -> QuerySet[ExternalBody]:
    """The bodies an appeal may be redirected to."""
    return external_body_list(user=user).filter(is_active=True)


def external_body_get_for_user(*, user: Any, pk: Any, capability: str = "view_department") -> ExternalBody:
    """For writes (`manage_department`) only the bodies of the user's own territories."""
    qs = (
        external_body_list(user=user)
        if capability == "view_department"
        else ExternalBody.objects.filter(policies.scope_q(user, capability)).select_related("territory")
    )
    try:
        return qs.get(pk=int(pk))
    except (ExternalBody.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class Deadline:
    """A due date the law sets on an appeal, besides the answer's: `done` is the day it was met."""

    code: str
    label: str
    due: date
    done: date | None
    overdue: bool


def appeal_deadlines(appeal: Appeal, *, calendar: Any = None, today: date | None = None) -> list[Deadline]:
    """The redirection deadlines of the Administrative Procedural Code: an appeal outside the
    akimat's competence goes to the competent body within three working days of receipt, the
    applicant is told within three working days of the redirection, and the body's answer is
    followed for the usual fifteen working days."""
    from django.utils.translation import gettext as _

    calendar = calendar or deadlines.cached_work_calendar()
    today = today or timezone.localdate()
    found = []

    def add(code: str, label: str, due: date, done: date | None) -> None:
        # Overdue while open past the day, and marked late for good when met after it.
        found.append(Deadline(code, label, due, done, (done or today) > due))

    if appeal.status == Appeal.Status.REDIRECTED and appeal.redirected_on:
        add(
            "redirect",
            _("Redirect by"),
            deadlines.redirect_by(appeal.received_on, calendar),
            appeal.redirected_on,
        )
        add(
            "notice",
            _("Tell the applicant by"),
            deadlines.tell_applicant_by(appeal.redirected_on, calendar),
            appeal.redirect_notice_on,
        )
        if appeal.redirect_body_id:
            add(
                "body_answer",
                _("Answer of the external body expected by"),
                deadlines.due_date(appeal.redirected_on, calendar=calendar),
                appeal.body_answered_on,
            )
    elif appeal.is_open and appeal.status in (Appeal.Status.REGISTERED, Appeal.Status.ASSIGNED):
        # Until someone takes it up, an appeal may still turn out to be another body's.
        due = deadlines.redirect_by(appeal.received_on, calendar)
        if today <= due:
            add("redirect", _("If outside competence, redirect by"), due, None)
    return found


def open311_keys(*, user: Any) -> QuerySet[Any]:
    """Open311 keys of the territories where `user` manages them."""
    from .models import Open311Key

    return (
        Open311Key.objects.filter(policies.scope_q(user, "manage_open311"))
        .select_related("territory", "department")
        .order_by("-is_active", "territory__path", "name")
    )


def open311_key_get_for_user(*, user: Any, pk: Any) -> Any:
    try:
        return open311_keys(user=user).get(pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


def workday_overrides(*, year: int) -> QuerySet[Any]:
    """The administrator's transfers of one year (reference data, the same for everyone)."""
    from .models import WorkdayOverride

    return WorkdayOverride.objects.filter(date__year=year).order_by("date")


def workday_override_years() -> list[int]:
    from .models import WorkdayOverride

    return sorted({d.year for d in WorkdayOverride.objects.dates("date", "year")})


def consent_texts() -> list[tuple[Any, bool]]:
    """Every version of the consent, the one in use first, each with whether visitors agreed to it."""
    from .models import ConsentText

    used = set(Visitor.objects.filter(consent__isnull=False).values_list("consent_id", flat=True).distinct())
    return [(c, c.pk in used) for c in ConsentText.objects.order_by("-is_active", "-pk")]
