"""Pages of the reception desk and the appeal register."""

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.accounts.models import Department, User
from kelisim.accounts.selectors import department_list
from kelisim.core import files, jobs
from kelisim.core.audit import audit_export
from kelisim.core.exceptions import ConflictError
from kelisim.core.models import Job
from kelisim.core.pagination import IdsFirstPaginator
from kelisim.core.validation import key_or_none
from kelisim.notices import selectors as notice_selectors

from . import applicants, deadlines, importer, offline, selectors, services
from .forms import (
    AppealForm,
    ApplicantLookupForm,
    AssignForm,
    ExternalBodyForm,
    ImportForm,
    OutcomeForm,
    ReceptionForm,
    RerouteForm,
    TransitionForm,
    VisitorForm,
)
from .models import Appeal, Visitor
from .tasks import check_appeals_file, import_appeals_file


def _attach(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _filters(request: HttpRequest) -> selectors.AppealFilters:
    get = request.GET
    department = get.get("department", "")
    executor = get.get("executor", "")
    territory = get.get("territory", "")
    return selectors.AppealFilters(
        territory=territory if territory.isdecimal() and len(territory) == 9 else None,
        status=get.get("status") if get.get("status") in Appeal.Status.values else None,
        department=key_or_none(department),
        executor=request.user.pk if executor == "me" else key_or_none(executor),
        overdue=get.get("overdue") == "true",
        due_today=get.get("due_today") == "true",
        at_risk=get.get("at_risk") == "true",
        q=get.get("q", "")[:40] or None,
    )


# Receptions -------------------------------------------------------------------------------------


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_reception"):
        raise Http404
    page = IdsFirstPaginator(selectors.reception_list(user=request.user).order_by("-start"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "appeals/reception_list.html",
        {"page": page, "can_add": policies.can(request.user, "manage_reception")},
    )


@login_required
def reception_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_reception"):
        raise Http404
    visit = request.GET.get("visit", "")
    form = ReceptionForm(
        request.POST or None,
        user=request.user,
        initial={"visit": int(visit)} if visit.isdecimal() else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.reception_open(
                actor=request.user, specialist=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            if session.visit is not None and form.cleaned_data.get("visit") is None:
                messages.success(
                    request,
                    _("The reception belongs to the visit %(visit)s: its district and days hold it.")
                    % {"visit": session.visit},
                )
            return redirect("reception-desk", pk=session.pk)
    return render(request, "appeals/reception_form.html", {"form": form})


@login_required
def reception_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.reception_get_for_user(user=request.user, pk=pk, capability="manage_reception")
    form = ReceptionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The reception is changed."))
            return redirect("reception-desk", pk=session.pk)
    return render(request, "appeals/reception_form.html", {"form": form, "session": session})


@login_required
@require_POST
def reception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.reception_get_for_user(user=request.user, pk=pk, capability="manage_reception")
    try:
        services.reception_delete(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reception-desk", pk=session.pk)
    messages.success(request, _("The reception is removed."))
    return redirect("reception-list")


@login_required
def reception_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The walk-in queue: register a visitor, then record the outcome."""
    session = selectors.reception_get_for_user(user=request.user, pk=pk)
    can_manage = policies.can(request.user, "manage_reception", session.territory)
    form = VisitorForm(
        request.POST or None,
        user=request.user,
        context={"session": session},
        initial={"department": session.department_id},
    )
    if request.method == "POST":
        if not can_manage:
            raise Http404
        # The id the desk's script gives the entry: a form sent again after its answer was lost
        # (or sent later from the device's queue) finds the visitor it made.
        client_id = offline.parse_client_id(request.POST.get("client_id"))
        if client_id is not None and Visitor.objects.filter(client_id=client_id, session=session).exists():
            messages.success(request, _("The visitor is registered."))
            return redirect("reception-desk", pk=pk)
        if form.is_valid():
            data = dict(form.cleaned_data)
            consent = form.consent_text if data.pop("consent_given") else None
            outcome, appeal_type = data.pop("outcome_now"), data.pop("appeal_type")
            try:
                visitor = offline.visitor_with_outcome(
                    actor=request.user,
                    session=session,
                    fields={**data, "consent": consent},
                    outcome=outcome,
                    appeal_type=appeal_type,
                    client_id=client_id,
                )
            except ValidationError as error:
                _attach(form, error)
            else:
                appeal = Appeal.objects.filter(visitor=visitor).first()
                if appeal is not None:
                    messages.success(
                        request,
                        _(
                            "Appeal %(number)s is registered; due %(due)s. Print the receipt for the applicant on its page."
                        )
                        % {"number": appeal.number, "due": date_format(appeal.due_date, "DATE_FORMAT")},
                    )
                else:
                    messages.success(request, _("The visitor is registered."))
                return redirect("reception-desk", pk=pk)
    # The copy the offline desk keeps on the device (desk-offline.js): the form, no visitors.
    shell = request.method == "GET" and request.GET.get("shell") == "1" and can_manage
    visitors = [] if shell else selectors.visitors_shown(user=request.user, session=session)
    earlier = applicants.earlier_appeals_of_visitors(
        user=request.user, visitors=visitors, territory=session.territory
    )
    context: dict[str, Any] = {
        "session": session,
        "form": form,
        "visitors": [(v, earlier.get(v.pk, [])) for v in visitors],
        "can_manage": can_manage,
        "outcome_form": OutcomeForm(),
        "shell": shell,
    }
    if can_manage:
        context["offline"] = {
            "session": session.pk,
            "key": offline.desk_key(request.session),
            "user": offline.device_user_tag(request.user),
            "sync_url": reverse("reception-offline-sync"),
            "desk_url": reverse("reception-desk", args=[session.pk]),
            "worker_url": reverse("desk-service-worker"),
            "strings": _offline_strings(),
        }
    if shell:
        context["messages"] = []  # left for the page the specialist sees
    return render(request, "appeals/reception_desk.html", context)


def _offline_strings() -> dict[str, str]:
    """The words of the offline desk's script, in the page's language."""
    return {
        "queued": _("No network: the visitor is kept on this device and will be sent when it returns."),
        "waiting": _("Waiting to send"),
        "provisional": _("Provisional reference"),
        "sending": _("Sending…"),
        "sent": _("Sent"),
        "appeal": _("Appeal %(number)s, due %(due)s"),
        "receipt": _("Receipt"),
        "visitor": _("Visitor registered"),
        "conflict": _("Not accepted — resolve it"),
        "resend": _("Send again"),
        "edit": _("Edit"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this entry for good? It was never sent."),
        "unreadable": _("Written down in an earlier sign-in: it cannot be read now."),
        "other_user": _(
            "Written down by another specialist on this device: it is sent when they sign in here."
        ),
        "signed_out": _("Sign in again to send the waiting entries."),
        "offline": _("No network. Entries are kept on this device."),
        "logout_confirm": _(
            "Entries written down offline have not been sent yet. Signing out erases them from this device. Sign out anyway?"
        ),
        "declined": _("declined to give a name"),
        "provisional_receipt": _("Provisional receipt"),
        "provisional_note": _(
            "The registration number and the answer's due date are given when this entry reaches the "
            "server; the receipt is then issued again with them."
        ),
        "written_at": _("Written down"),
        "reception": _("Reception"),
        "question": _("Question"),
        "print": _("Print"),
        "close": _("Close"),
    }


@login_required
@require_POST
def reception_offline_sync(request: HttpRequest) -> JsonResponse:
    """The offline desk sends its queue here (JSON, the session and its CSRF token); each entry is
    answered on its own (kelisim/appeals/offline.py)."""
    try:
        payload = json.loads(request.body or b"{}")
        entries = payload["entries"]
        if not isinstance(entries, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("The request is not a list of entries.")}, status=400)
    return JsonResponse({"results": offline.entries_sync(actor=request.user, entries=entries)})


def desk_service_worker(request: HttpRequest) -> HttpResponse:
    """The offline desk's service worker, served from the root so that it may answer for the desk."""
    response = render(request, "appeals/desk-sw.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def web_manifest(request: HttpRequest) -> JsonResponse:
    """The installable application's manifest."""
    return JsonResponse(
        {
            "name": _("Kelisim"),
            "short_name": _("Kelisim"),
            "start_url": reverse("reception-list"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                {"src": static("kelisim/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_POST
def preregistration_admit(request: HttpRequest, pk: int) -> HttpResponse:
    """A citizen who signed up online has come: put them in the desk's queue as a visitor."""
    entry = selectors.preregistration_get_for_user(user=request.user, pk=pk)
    try:
        visitor = services.preregistration_admit(actor=request.user, entry=entry)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reception-desk", pk=entry.session_id)
    messages.success(
        request, _("The person who signed up is now in the queue; record the outcome when you finish.")
    )
    return redirect(f"{reverse('reception-desk', args=[entry.session_id])}#visitor-{visitor.pk}")


@login_required
@require_POST
def preregistration_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.preregistration_get_for_user(user=request.user, pk=pk)
    session_id = entry.session_id
    services.preregistration_remove(actor=request.user, entry=entry)
    messages.success(request, _("The sign-up is removed."))
    return redirect("reception-desk", pk=session_id)


OUTCOME_DONE: dict[str, Any] = {
    Visitor.Outcome.ADVICE: gettext_lazy("Advice given on the spot: recorded."),
    Visitor.Outcome.RESOLVED: gettext_lazy("Resolved on the spot: recorded."),
}


@login_required
@require_POST
def visitor_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a visitor's outcome, or correct a recorded one with a reason (kept in its history)."""
    visitor = Visitor.objects.select_related("session__territory").filter(pk=pk).first()
    if visitor is None:
        raise Http404
    session = selectors.reception_get_for_user(
        user=request.user, pk=visitor.session_id, capability="manage_reception"
    )
    old = visitor.get_outcome_display()
    correcting = visitor.outcome != Visitor.Outcome.WAITING
    form = OutcomeForm(request.POST, correcting=correcting)
    back = redirect(f"{reverse('reception-desk', args=[session.pk])}#visitor-{visitor.pk}")
    if not form.is_valid():
        _errors_as_messages(request, form)
        return back
    try:
        if correcting:
            visitor = services.visitor_outcome_correct(
                actor=request.user, visitor=visitor, **form.cleaned_data
            )
        else:
            visitor = services.visitor_outcome(actor=request.user, visitor=visitor, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    appeal = Appeal.objects.filter(visitor=visitor).first()
    if visitor.outcome == Visitor.Outcome.APPEAL and appeal is not None:
        messages.success(
            request,
            _(
                "Appeal %(number)s is registered; due %(due)s. Print the receipt for the applicant on its page."
            )
            % {"number": appeal.number, "due": date_format(appeal.due_date, "DATE_FORMAT")},
        )
    elif correcting:
        messages.success(
            request,
            _("The outcome is corrected: %(old)s → %(new)s. The change is kept in the visitor's history.")
            % {"old": old, "new": visitor.get_outcome_display()},
        )
    elif visitor.outcome == Visitor.Outcome.REDIRECTED:
        messages.success(
            request, _("Recorded: the visitor is sent to %(body)s.") % {"body": visitor.redirected_to}
        )
    else:
        messages.success(request, str(OUTCOME_DONE[visitor.outcome]))
    return back


# Appeals ----------------------------------------------------------------------------------------


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_appeal"):
        raise Http404
    filters = _filters(request)
    page = IdsFirstPaginator(selectors.appeal_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/appeal_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Appeal.Status.choices,
            "query": query.urlencode(),
            "departments": department_list(user=request.user),
            "today": timezone.localdate(),
            "can_register": policies.can(request.user, "register_appeal"),
            "can_import": policies.can(request.user, "import_appeals"),
        },
    )


@login_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_appeal"):
        raise Http404
    mine = selectors.appeal_list(
        user=request.user, filters=selectors.AppealFilters(executor=request.user.pk)
    ).filter(selectors.OPEN)
    groups = {}
    for group in ("department", "executor", "territory"):
        rows = selectors.queue_summary(user=request.user, group_by=group)
        keys = [r["key"] for r in rows if r["key"] is not None]
        model: Any = {
            "department": Department,
            "executor": User,
            "territory": Department._meta.get_field("territory").related_model,
        }[group]
        names = {o.pk: o for o in model.objects.filter(pk__in=keys)}
        groups[group] = [{**r, "object": names.get(r["key"])} for r in rows]
    calendar = deadlines.work_calendar()
    today = timezone.localdate()
    redirected = selectors.appeal_list(
        user=request.user, filters=selectors.AppealFilters(status=Appeal.Status.REDIRECTED)
    ).select_related("redirect_body")
    # Redirected appeals whose applicant has not been told yet, or whose body has not answered.
    followed = [
        (a, ds)
        for a in redirected.filter(Q(redirect_notice_on__isnull=True) | Q(body_answered_on__isnull=True))[
            :100
        ]
        if (
            ds := [d for d in selectors.appeal_deadlines(a, calendar=calendar, today=today) if d.done is None]
        )
    ]
    return render(
        request,
        "appeals/queue.html",
        {
            "mine": [
                (
                    a,
                    calendar.working_days_between(today, a.due_date),
                    selectors.appeal_deadlines(a, calendar=calendar, today=today),
                )
                for a in mine[:100]
            ],
            "followed": followed,
            "groups": groups,
        },
    )


@login_required
def appeal_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "register_appeal"):
        raise Http404
    form = AppealForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Appeal %(number)s is registered.") % {"number": appeal.number})
            return redirect("appeal-detail", pk=appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form})


NEXT_HINTS: dict[str, Any] = {
    Appeal.Status.REGISTERED: gettext_lazy(
        "Next: print the receipt for the applicant and assign the executor."
    ),
    Appeal.Status.ASSIGNED: gettext_lazy(
        "Next: the executor starts work, or the appeal is redirected if it is not ours."
    ),
    Appeal.Status.IN_PROGRESS: gettext_lazy("Next: answer by the due date, or extend it with a reason."),
    Appeal.Status.EXTENDED: gettext_lazy("Next: answer by the new due date."),
    Appeal.Status.REOPENED: gettext_lazy("Next: assign the executor again."),
    Appeal.Status.ANSWERED: gettext_lazy("Next: close the appeal once the applicant has the answer."),
    Appeal.Status.REDIRECTED: gettext_lazy(
        "Next: tell the applicant within 3 working days and record the external body's answer."
    ),
    Appeal.Status.CLOSED: gettext_lazy(
        "The appeal is closed; reopen it if the applicant disputes the answer."
    ),
}


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    selectors.appeals_shown(user=request.user, appeals=[appeal], via="appeal_detail")
    can_manage = policies.can(request.user, "manage_appeal", appeal.territory)
    can_close = policies.can(request.user, "close_appeal", appeal.territory)
    # Only the steps this user can take now: a form with no button is never shown.
    steps = services.TRANSITIONS.get(appeal.status, set()) - {Appeal.Status.ASSIGNED}
    if not can_close:
        steps -= {Appeal.Status.CLOSED, Appeal.Status.REOPENED}
    return render(
        request,
        "appeals/appeal_detail.html",
        {
            "next_hint": NEXT_HINTS.get(appeal.status),
            "assignable": appeal.status in services.ASSIGNABLE,
            "appeal": appeal,
            # The steps, and each notice to the applicant with its delivery status, by time.
            "history": sorted(
                [
                    *appeal.history.select_related(
                        "actor", "from_department", "to_department", "external_body"
                    ),
                    *notice_selectors.appeal_notice_steps(appeal=appeal),
                ],
                key=lambda step: step.at,
            ),
            "deadlines": selectors.appeal_deadlines(appeal),
            "notice_preference": notice_selectors.appeal_notice_preference(appeal=appeal),
            "transition_form": TransitionForm(user=request.user),
            "reroute_form": RerouteForm(
                user=request.user, context={"appeal": appeal}, initial={"version": appeal.version}
            )
            if appeal.is_open
            else None,
            "co_executors": appeal.co_executors.select_related("user"),
            "can_manage": can_manage,
            "can_close": can_close,
            "next": steps,
            "assign_form": AssignForm(
                user=request.user,
                context={"appeal": appeal},
                initial={"version": appeal.version, "lead_executor": appeal.lead_executor_id},
            ),
            "days_left": deadlines.days_left(appeal.due_date) if appeal.is_open else None,
            "may_look_up": applicants.may_look_up(request.user, appeal.territory),
            "earlier": applicants.earlier_appeals(user=request.user, appeal=appeal),
        },
    )


@login_required
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """A citizen's appeals by name or phone, for those who may look applicants up; audited."""
    if not applicants.may_look_up(request.user):
        raise Http404
    form = ApplicantLookupForm(request.GET or None)
    found = None
    if form.is_valid():
        found = applicants.applicant_lookup(
            user=request.user, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"]
        )
    return render(
        request,
        "appeals/applicant_lookup.html",
        {"form": form, "found": found, "limit": applicants.LIMIT},
    )


@login_required
@require_POST
def appeal_transition(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk, capability="manage_appeal")
    form = TransitionForm(request.POST, user=request.user)
    if not form.is_valid():
        for name, problems in form.errors.items():
            if name in ("action", "version", "__all__"):
                messages.error(request, _("The request was incomplete; reload the page."))
                continue
            label = form.fields[name].label
            for problem in problems:
                messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": problem})
        return redirect("appeal-detail", pk=pk)
    data = form.cleaned_data
    action, version, comment = data["action"], data["version"], data.get("comment", "")
    kwargs: dict[str, Any] = {"actor": request.user, "appeal": appeal, "version": version}
    if action == "extend":
        kwargs.update(until=data.get("until"), reason=comment)
        if kwargs["until"] is None:
            messages.error(request, _("Give the new due date."))
            return redirect("appeal-detail", pk=pk)
    elif action == "redirect":
        kwargs.update(to=data.get("to", ""), body=data.get("body"), on=data.get("on"), comment=comment)
    elif action == "notice":
        kwargs.update(on=data.get("on"), comment=comment)
    elif action == "body_answer":
        kwargs.update(answer=comment, on=data.get("on"))
    elif action == "answer":
        kwargs.update(answer=comment)
    elif action == "reopen":
        kwargs.update(reason=comment)
    else:
        kwargs.update(comment=comment)
    try:
        done = services.TRANSITION_SERVICES[action](**kwargs)
    except ConflictError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _transition_done(action, done))
    return redirect("appeal-detail", pk=pk)


def _transition_done(action: str, appeal: Appeal) -> str:
    """What a step on the appeal's page did, in words, with what comes next where it matters."""
    number = appeal.number
    if action == "extend":
        return _("Appeal %(number)s is extended to %(due)s; tell the applicant within 3 working days.") % {
            "number": number,
            "due": date_format(appeal.due_date, "DATE_FORMAT"),
        }
    if action == "redirect":
        return _("Appeal %(number)s is redirected to %(body)s; tell the applicant within 3 working days.") % {
            "number": number,
            "body": appeal.redirect_to,
        }
    words = {
        "start": _("Work on appeal %(number)s has started."),
        "answer": _("Appeal %(number)s is answered; close it once the applicant has the answer."),
        "close": _("Appeal %(number)s is closed."),
        "reopen": _("Appeal %(number)s is reopened; assign the executor again."),
        "notice": _("Recorded: the applicant of appeal %(number)s was told of the redirection."),
        "body_answer": _("Recorded: the external body answered appeal %(number)s."),
    }
    return words[action] % {"number": number}


@login_required
@require_POST
def appeal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk, capability="manage_appeal")
    form = AssignForm(request.POST, user=request.user, context={"appeal": appeal})
    if form.is_valid():
        try:
            services.appeal_assign(
                actor=request.user,
                appeal=appeal,
                version=form.cleaned_data["version"],
                lead_executor=form.cleaned_data["lead_executor"],
                co_executors=form.cleaned_data["co_executors"],
            )
        except ConflictError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            lead = form.cleaned_data["lead_executor"]
            messages.success(
                request,
                _("Appeal %(number)s is assigned to %(name)s.")
                % {"number": appeal.number, "name": lead.display_name if lead else "—"},
            )
    else:
        _errors_as_messages(request, form)
    return redirect("appeal-detail", pk=pk)


def _errors_as_messages(request: HttpRequest, form: Any) -> None:
    """A form posted from the appeal page answers on that page: each error as a message naming its field."""
    for name, problems in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        for problem in problems:
            messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": problem})


@login_required
@require_POST
def appeal_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the appeal to another department; the move is kept in its history."""
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk, capability="manage_appeal")
    form = RerouteForm(request.POST, user=request.user, context={"appeal": appeal})
    if form.is_valid():
        try:
            moved = services.appeal_reroute(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ConflictError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The appeal is sent to %(department)s.") % {"department": moved.department.name},
            )
    else:
        _errors_as_messages(request, form)
    return redirect("appeal-detail", pk=pk)


# External bodies --------------------------------------------------------------------------------


@login_required
def external_body_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_department"):
        raise Http404
    page = IdsFirstPaginator(selectors.external_body_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "appeals/external_body_list.html",
        {"page": page, "can_add": policies.can(request.user, "manage_department")},
    )


@login_required
def external_body_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_department"):
        raise Http404
    form = ExternalBodyForm(request.POST or None, user=request.user, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.external_body_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The external body is saved."))
            return redirect("external-body-list")
    return render(request, "appeals/external_body_form.html", {"form": form, "body": None})


@login_required
def external_body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.external_body_get_for_user(user=request.user, pk=pk, capability="manage_department")
    form = ExternalBodyForm(request.POST or None, instance=body, user=request.user)
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                services.external_body_delete(actor=request.user, body=body)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("external-body-edit", pk=pk)
            messages.success(request, _("The external body is removed."))
            return redirect("external-body-list")
        if form.is_valid():
            fresh = selectors.external_body_get_for_user(
                user=request.user, pk=pk, capability="manage_department"
            )
            try:
                services.external_body_update(actor=request.user, body=fresh, **form.cleaned_data)
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("The external body is saved."))
                return redirect("external-body-list")
    return render(request, "appeals/external_body_form.html", {"form": form, "body": body})


def _receipt_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    selectors.appeals_shown(user=request.user, appeals=[appeal], via="appeal_receipt")
    # Printed without the scheme: what a person types from a sheet of paper.
    status_url = request.build_absolute_uri(reverse("public-status")).split("://", 1)[-1]
    return {"appeal": appeal, "status_url": status_url}


@login_required
def appeal_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "appeals/receipt.html", _receipt_context(request, pk))


@login_required
def appeal_receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    context = _receipt_context(request, pk)
    html = render_to_string("appeals/receipt.html", {**context, "for_pdf": True}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{context["appeal"].number}.pdf"'
    return response


@login_required
def appeal_export(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "import_appeals"):
        raise Http404
    filters = _filters(request)
    appeals = selectors.appeal_list(user=request.user, filters=filters).filter(
        policies.scope_q(request.user, "import_appeals")
    )
    body, count = importer.export_xlsx(appeals)
    audit_export(
        actor=request.user,
        kind="appeals",
        fmt="xlsx",
        rows=count,
        obj=Appeal,
        filters=filters,
        paths=policies.export_paths(request.user, "import_appeals", filters.territory),
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="appeals.xlsx"'
    return response


@login_required
def appeal_import(request: HttpRequest) -> HttpResponse:
    """Upload; the worker checks every row; see the preview with the count; then import all or nothing.

    The web request never reads the workbook: it measures it (a zip bomb is refused unopened),
    stores it privately and queues the check (kelisim/appeals/tasks.py).
    """
    if not policies.can(request.user, "import_appeals"):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "token" in request.POST:
        # The file waits in the private upload folder between preview and import; the job checks it
        # again, so what is saved is exactly what passed the checks.
        try:
            token = signing.loads(request.POST["token"], salt="appeal-import", max_age=3600)
            stored = str(token["file"])
        except (signing.BadSignature, KeyError):
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("appeal-import")
        job = jobs.job_create(
            actor=request.user, kind=Job.Kind.APPEAL_IMPORT, params={"file": stored}, task=import_appeals_file
        )
        return redirect("job-detail", job.pk)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        suffix = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
        try:
            importer.check_upload(upload.name, content)
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            stored = files.store_waiting(content, suffix=suffix)
            job = jobs.job_create(
                actor=request.user,
                kind=Job.Kind.APPEAL_CHECK,
                params={"file": stored},
                task=check_appeals_file,
            )
            return redirect("job-detail", job.pk)
    elif "job" in request.GET:
        job = jobs.job_get_for_user(user=request.user, pk=_uuid(request.GET["job"]))
        if job.kind != Job.Kind.APPEAL_CHECK or job.status != Job.Status.DONE:
            return redirect("job-detail", job.pk)
        stored = str(job.params.get("file", ""))
        preview = importer.preview_load(stored)
        if preview is None:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("appeal-import")
        context.update(preview)
        context["token"] = signing.dumps({"file": stored}, salt="appeal-import")
    return render(request, "appeals/import.html", context)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
