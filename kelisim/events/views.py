"""Pages for events: the visit's timeline, event forms, the calendar, exports and feeds."""

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.appeals.selectors import reception_list, reception_summary
from kelisim.core.audit import audit_export
from kelisim.core.exceptions import ConflictError
from kelisim.programs.selectors import visit_get_for_user
from kelisim.surveys.selectors import focus_groups, focus_groups_shown

from . import booking, exports, ical, selectors, services
from .forms import (
    AttachmentForm,
    CalendarFilterForm,
    EthnicGroupFormSet,
    EventForm,
    OfficialFormSet,
    OrganizerFormSet,
    ethnic_group_initial,
    official_initial,
    organizer_initial,
)
from .models import Attachment, CalendarFeed, Event

# Photos shown in place (the preview list); any other file is only downloaded.
PREVIEWABLE = {"image/jpeg", "image/png"}


def _attach(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    members = visit.members.select_related("person", "department", "subgroup")
    receptions: dict = {}
    for session in reception_list(user=request.user, visit=visit).order_by("start"):
        receptions.setdefault(timezone.localtime(session.start).date(), []).append(session)
    # Readers of survey results see the sessions; a collector without that, the ones to correct.
    reading = "view_survey" if policies.can(request.user, "view_survey") else "collect_survey"
    sessions = focus_groups_shown(
        user=request.user,
        groups=focus_groups(user=request.user, capability=reading).filter(event__visit=visit),
        via="visit_detail",
    )
    return render(
        request,
        "events/visit_detail.html",
        {
            "visit": visit,
            "days": [
                (day, events, receptions.get(day, []))
                for day, events in selectors.timeline(user=request.user, visit=visit)
            ],
            "reception_summary": reception_summary(user=request.user, visit=visit),
            "members": members,
            "focus_groups": sessions,
            "can_record_focus_group": policies.can(request.user, "collect_survey", visit.territory),
            "can_manage": policies.can(request.user, "manage_visit", visit.territory),
            "can_add_event": policies.can(request.user, "manage_event", visit.territory),
            "can_open_reception": policies.can(request.user, "manage_reception", visit.territory),
            "next_statuses": _next_statuses(visit),
        },
    )


def _next_statuses(visit):  # type: ignore[no-untyped-def]
    from kelisim.programs.services import TRANSITIONS

    labels = dict(visit.Status.choices)
    return [(s, labels[s]) for s in TRANSITIONS.get(visit.status, ())]


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    sensitive = policies.can(request.user, "view_sensitive", event.territory)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "conflicts": booking.official_bookings(user=request.user, event=event),
            "can_edit": policies.can(request.user, "manage_event", event.territory),
            "audiences": selectors.audiences_shown(user=request.user, event=event),
            "organizers": event.organizers.select_related("organization", "department"),
            "ethnic_groups": event.ethnic_groups.all() if sensitive else None,
            **_attachments(event),
        },
    )


def _attachments(event: Event) -> dict[str, Any]:
    attachments = list(event.attachments.order_by("uploaded_at", "pk"))
    return {
        "attachments": attachments,
        "photos": [a for a in attachments if a.content_type in PREVIEWABLE],
        "attachment_form": AttachmentForm(),
    }


def _form(request: HttpRequest, data: Any, *, instance=None, visit=None) -> EventForm:  # type: ignore[no-untyped-def]
    initial = {}
    if visit is not None and instance is None:
        start = timezone.make_aware(datetime.combine(visit.date_start, time(10, 0)))
        initial = {"territory": visit.territory.code, "start": start, "end": start + timedelta(hours=1)}
    the_visit = visit or (instance.visit if instance else None)
    return EventForm(
        data,
        instance=instance,
        initial=initial,
        user=request.user,
        context={"visit": the_visit},
    )


class _EventPage:
    """The event form with its lists (officials, organizers and, for holders of the sensitive
    capability, ethnic groups), each a formset of rows. "Add a row" is a submit button, so it
    works without JavaScript: the page comes back with one more blank row and nothing saved."""

    def __init__(self, request: HttpRequest, *, instance: Event | None = None, visit: Any = None) -> None:
        self.request, self.instance = request, instance
        self.visit = visit or (instance.visit if instance else None)
        territory = instance.territory if instance else (visit.territory if visit else None)
        # Ethnic groups are sensitive data: only holders of the capability see or edit them.
        self.sensitive = policies.can(request.user, "view_sensitive", territory)
        data: Any = request.POST if request.method == "POST" else None
        self.adding = data is not None and data.get("add_row", "") in self.prefixes()
        if self.adding:
            data = data.copy()
            total = f"{data['add_row']}-TOTAL_FORMS"
            if data.get(total, "").isdecimal():
                data[total] = str(min(int(data[total]) + 1, 100))
        self.form = _form(request, data, instance=instance, visit=visit)
        # A list whose rows were not sent at all (a client posting the fields only) stays as it is.
        self.sent = {p for p in self.prefixes() if data is None or f"{p}-TOTAL_FORMS" in data}
        self.formsets = {
            prefix: formset(
                data if prefix in self.sent else None,
                prefix=prefix,
                initial=initial(instance) if instance else None,
                user=request.user,
            )
            for prefix, formset, initial in self.kinds()
        }
        self.bookings: list[booking.Booking] = []

    def kinds(self) -> list[tuple[str, Any, Any]]:
        kinds = [
            ("officials", OfficialFormSet, official_initial),
            ("organizers", OrganizerFormSet, organizer_initial),
        ]
        if self.sensitive:
            kinds.append(("ethnic_groups", EthnicGroupFormSet, ethnic_group_initial))
        return kinds

    def prefixes(self) -> set[str]:
        return {prefix for prefix, _formset, _initial in self.kinds()}

    def valid(self) -> bool:
        if self.adding:
            return False
        form_ok = self.form.is_valid()
        return all([form_ok, *(f.is_valid() for f in self.formsets.values() if f.is_bound)])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.form.service_kwargs()
        for prefix in ("officials", "organizers", "ethnic_groups"):
            # None leaves the list as it is: not sent, or (ethnic groups) not the user's to see.
            formset = self.formsets.get(prefix)
            data[prefix] = formset.rows() if formset is not None and formset.is_bound else None
        return data

    def booked_elsewhere(self, data: dict[str, Any]) -> bool:
        """Whether the chosen officials are booked elsewhere at that time and the user has not yet
        confirmed these very bookings (a changed list of clashes asks again)."""
        venue = data.get("venue")
        self.bookings = booking.officials_bookings(
            user=self.request.user,
            person_ids=self._official_ids(data),
            start=data.get("start"),
            end=data.get("end"),
            place=venue.name if venue else data.get("venue_text", ""),
            territory_id=data["territory"].pk if data.get("territory") else None,
            event=self.instance,
            visit=self.visit,
        )
        return bool(self.bookings) and self.request.POST.get("booked_anyway") != self.bookings_key()

    def _official_ids(self, data: dict[str, Any]) -> list[int]:
        if data["officials"] is None:  # the list not sent: the officials the event has
            return [row["person"] for row in official_initial(self.instance)] if self.instance else []
        return [row["person"].pk for row in data["officials"] if row.get("person")]

    def bookings_key(self) -> str:
        text = "\n".join(sorted(str(b) for b in self.bookings))
        return hashlib.sha256(text.encode()).hexdigest()[:16] if self.bookings else ""

    def row_errors(self) -> list[str]:
        """Each refused row, named by its list and number, for the summary at the top."""
        if self.adding:
            return []
        labels = {
            "officials": _("Officials present"),
            "organizers": _("Organizers"),
            "ethnic_groups": _("Ethnic groups taking part"),
        }
        found = []
        for prefix, formset in self.formsets.items():
            if not formset.is_bound:
                continue
            for error in formset.non_form_errors():
                found.append(f"{labels[prefix]}: {error}")
            for number, form in enumerate(formset.forms, start=1):
                for name, errors in form.errors.items():
                    field = form.fields[name].label if name in form.fields else ""
                    for error in errors:
                        found.append(
                            _("%(list)s, row %(row)s: %(field)s: %(error)s")
                            % {"list": labels[prefix], "row": number, "field": field, "error": error}
                        )
        return found

    def render(self) -> HttpResponse:
        if self.adding:
            _quiet(self.form, *self.formsets.values())
        legends = {
            "officials": (
                _("Officials present"),
                _("People from the registry, with their role at the event."),
            ),
            "organizers": (_("Organizers"), _("Organizations or departments that hold the event.")),
            "ethnic_groups": (
                _("Ethnic groups taking part"),
                _("Restricted data: groups and head counts only, never names of people."),
            ),
        }
        return render(
            self.request,
            "events/event_form.html",
            {
                "form": self.form,
                "formsets": [(p, f, *legends[p]) for p, f in self.formsets.items()],
                **self.formsets,
                "row_errors": self.row_errors(),
                "bookings": self.bookings,
                "bookings_key": self.bookings_key(),
                "visit": self.visit,
                "event": self.instance,
                **(_attachments(self.instance) if self.instance else {}),
            },
        )


def _quiet(*forms: Any) -> None:
    """A page re-shown for one more row is not a refused one: no error on what is not sent yet."""
    from django.forms.utils import ErrorDict, ErrorList

    for item in forms:
        if hasattr(item, "forms"):
            item._errors, item._non_form_errors = [], ErrorList()
            _quiet(*item.forms)
        else:
            item._errors = ErrorDict()


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    visit = None
    if request.GET.get("visit", "").isdecimal():
        visit = visit_get_for_user(user=request.user, pk=request.GET["visit"])
    if not policies.can(request.user, "manage_event", visit.territory if visit else None):
        raise Http404
    page = _EventPage(request, visit=visit)
    if page.valid():
        data = page.service_kwargs()
        data.pop("version", None)
        if not page.booked_elsewhere(data):
            try:
                event = services.event_create(actor=request.user, visit=visit, **data)
            except ValidationError as error:
                _attach(page.form, error)
            else:
                messages.success(request, _("The event is saved."))
                if visit is not None and "another" in request.POST:
                    return redirect(f"{request.path}?visit={visit.pk}")
                return redirect("event-detail", pk=event.pk)
    return page.render()


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(
        user=request.user, pk=pk, capability="manage_event", via="event_edit"
    )
    page = _EventPage(request, instance=event)
    if page.valid():
        data = page.service_kwargs()
        version = data.pop("version", None)
        if not page.booked_elsewhere(data):
            fresh = selectors.event_get_for_user(
                user=request.user, pk=pk, capability="manage_event", via="event_edit"
            )
            try:
                services.event_update(actor=request.user, event=fresh, version=version, **data)
            except ConflictError as error:
                page.form.add_error(None, str(error))
            except ValidationError as error:
                _attach(page.form, error)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("event-detail", pk=pk)
    return page.render()


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(
        user=request.user, pk=pk, capability="manage_event", via="event_attachment"
    )
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, event=event, upload=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file is attached."))
    else:
        for text in form.errors.get("file", []):
            messages.error(request, str(text))
    if request.POST.get("next") == "edit":
        return redirect("event-edit", pk=pk)
    return redirect("event-detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = Attachment.objects.select_related("event").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    # 404 unless the event is visible (and the read of a restricted one's file is audited)
    selectors.event_get_for_user(user=request.user, pk=attachment.event_id, via="event_attachment")
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )


@login_required
def attachment_preview(request: HttpRequest, pk: int) -> FileResponse:
    """A photo shown in place on the event's pages; other files are only downloaded."""
    attachment = Attachment.objects.filter(pk=pk, content_type__in=PREVIEWABLE).first()
    if attachment is None:
        raise Http404
    selectors.event_get_for_user(user=request.user, pk=attachment.event_id, via="event_attachment")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, selectors.EventFilters]:
    form = CalendarFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    fmt, topic, department = data.get("format"), data.get("topic"), data.get("department")
    return form, selectors.EventFilters(
        territory=data.get("territory") or None,
        format=fmt.code if fmt else None,
        topic=topic.code if topic else None,
        department=department.pk if department else None,
    )


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_event"):
        raise Http404
    view = request.GET.get("view", "month")
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    form, filters = _filters(request)
    if view == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    elif view == "list":
        first, last = day, day + timedelta(days=90)
    else:
        view = "month"
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    filters = selectors.EventFilters(**{**filters.__dict__, "date_from": first, "date_to": last})
    events = selectors.events_shown(
        user=request.user,
        events=selectors.event_list(user=request.user, filters=filters),
        via="calendar",
        filters=filters,
    )
    by_day: dict[date, list] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.start).date(), []).append(event)
    weeks = [
        [(d, by_day.get(d, [])) if d else (None, []) for d in week] for week in selectors.month_grid(day)
    ]
    days = [
        (first + timedelta(days=i), by_day.get(first + timedelta(days=i), []))
        for i in range((last - first).days + 1)
    ]
    query = request.GET.copy()
    query.pop("day", None)
    query.pop("view", None)
    return render(
        request,
        "events/calendar.html",
        {
            "view": view,
            "day": day,
            "first": first,
            "last": last,
            "form": form,
            "events": events,
            "weeks": weeks,
            "days": [d for d in days if d[1]] if view == "list" else days,
            "prev": (first - timedelta(days=1)).isoformat(),
            "next": (last + timedelta(days=1)).isoformat(),
            "filter_query": query.urlencode(),
            "can_export": policies.can(request.user, "export_events"),
            "feed": CalendarFeed.objects.filter(user=request.user).first(),  # type: ignore[misc]
        },
    )


@login_required
def events_export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("csv", "xlsx") or not policies.can(request.user, "export_events"):
        raise Http404
    _form_unused, filters = _filters(request)
    events = selectors.event_list_detailed(user=request.user, filters=filters).filter(
        policies.scope_q(request.user, "export_events")
    )
    if kind == "csv":
        body, count = exports.events_csv(events, request.user)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body, count = exports.events_xlsx(events, request.user)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    audit_export(
        actor=request.user,
        kind="events",
        fmt=kind,
        rows=count,
        obj=Event,
        filters=filters,
        paths=policies.export_paths(request.user, "export_events", filters.territory),
    )
    response["Content-Disposition"] = f'attachment; filename="events.{kind}"'
    return response


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_renew(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("calendar")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed: calendar apps can't sign in, so the secret address stands for the user."""
    subscription = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404
    since = timezone.localdate() - timedelta(days=90)
    filters = selectors.EventFilters(date_from=since)
    events = selectors.events_shown(
        user=subscription.user,
        events=selectors.event_list(user=subscription.user, filters=filters),
        via="ical_feed",
        filters=filters,
    )
    body = ical.calendar_bytes(events, name=_("Kelisim: my events"))
    audit_export(
        actor=subscription.user,
        kind="events_feed",
        fmt="ics",
        rows=len(events),
        obj=Event,
        filters=filters,
        paths=policies.export_paths(subscription.user, "view_event"),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
