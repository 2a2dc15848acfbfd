"""Pages of a visit's working group: members from the staff directory or new, sub-groups and their
leads, each member's days, bookings elsewhere checked before saving, invitations and answers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.programs import selectors as program_selectors
from kelisim.programs import services as program_services
from kelisim.programs.forms import MemberEditForm, MemberForm, MemberReplaceForm, SubGroupForm
from kelisim.programs.models import Member, SubGroup, Visit
from kelisim.registry import services as registry_services
from kelisim.registry.models import Person

from . import booking, invitations


def _attach(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _visit(request: HttpRequest, pk: int) -> Visit:
    return program_selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")


def _member(request: HttpRequest, pk: int) -> Member:
    member = Member.objects.select_related("visit", "person", "department").filter(pk=pk).first()
    if member is None:
        raise Http404
    _visit(request, member.visit_id)  # the same 404 when the visit is not the user's to manage
    return member


def _page(request: HttpRequest, visit: Visit, **context: Any) -> HttpResponse:
    context.setdefault("member_form", MemberForm(user=request.user, context={"visit": visit}))
    context.setdefault("subgroup_form", SubGroupForm(user=request.user, context={"visit": visit}))
    members = list(program_selectors.working_group(visit=visit))
    return render(
        request,
        "events/visit_group.html",
        {
            "visit": visit,
            "members": members,
            "subgroups": visit.subgroups.select_related("lead__person"),
            "to_invite": [m for m in members if m.response == Member.Response.NONE],
            **context,
        },
        status=400 if context.get("invalid") else 200,
    )


def _confirming(request: HttpRequest) -> QueryDict:
    """The posted form again, with the box ticked that a second press of the button confirms."""
    data = request.POST.copy()
    data["booked_anyway"] = "on"
    return data


def _bookings(request: HttpRequest, visit: Visit, person: Person | None, days: list[Any]) -> list[Any]:
    if person is None:
        return []
    return booking.member_bookings(
        user=request.user, person_ids=[person.pk], visit=visit, days=days or visit.days
    )


@login_required
def visit_group(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    return _page(request, visit)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    form = MemberForm(request.POST, user=request.user, context={"visit": visit})
    if not form.is_valid():
        return _page(request, visit, member_form=form, invalid=True)
    data = form.cleaned_data
    bookings = _bookings(request, visit, data["person"], form.chosen_days())
    if bookings and not data["booked_anyway"]:
        form.data = _confirming(request)
        return _page(request, visit, member_form=form, bookings=bookings, invalid=True)
    try:
        with transaction.atomic():
            person = data["person"] or _new_person(request, visit, data)
            member = program_services.member_add(
                actor=request.user,
                visit=visit,
                person=person,
                department=data["department"],
                position_kk=data["position_kk"],
                position_ru=data["position_ru"],
                subgroup=data["subgroup"],
                days=form.chosen_days(),
            )
    except ValidationError as error:
        _attach(form, error)
        return _page(request, visit, member_form=form, invalid=True)
    messages.success(
        request,
        _("%(name)s is in the working group. Send the invitation when the group is complete.")
        % {"name": member.person.full_name},
    )
    return redirect("visit-group", pk=visit.pk)


def _new_person(request: HttpRequest, visit: Visit, data: dict[str, Any]) -> Person:
    """A person typed in on the form, with their position in the chosen department."""
    position = None
    if data["position_kk"] or data["position_ru"]:
        position = {
            "title_kk": data["position_kk"] or data["position_ru"],
            "title_ru": data["position_ru"],
            "department": data["department"],
        }
    # Filed under the department's territory when the user keeps that part of the directory, else
    # under the visit's district (a district coordinator adding someone from a regional department).
    territory = data["department"].territory
    if not policies.can(request.user, "manage_registry", territory):
        territory = visit.territory
    return registry_services.person_create(
        actor=request.user,
        full_name=data["full_name"],
        email=data["email"],
        phone=data["phone"],
        kind=Person.Kind.OFFICIAL,
        territory=territory,
        position=position,
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    visit = member.visit
    form = MemberEditForm(request.POST or None, member=member, user=request.user)
    bookings: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bookings = _bookings(request, visit, member.person, form.chosen_days())
        if bookings and not data["booked_anyway"]:
            form.data = _confirming(request)
        else:
            try:
                program_services.member_update(
                    actor=request.user,
                    member=member,
                    department=data["department"],
                    position_kk=data["position_kk"],
                    position_ru=data["position_ru"],
                    subgroup=data["subgroup"],
                    days=form.chosen_days(),
                )
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("The member's details are saved."))
                return redirect("visit-group", pk=visit.pk)
    return render(
        request,
        "events/member_form.html",
        {"visit": visit, "member": member, "form": form, "bookings": bookings, "replace": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def member_replace(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    visit = member.visit
    form = MemberReplaceForm(request.POST or None, user=request.user, context={"visit": visit})
    bookings: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bookings = _bookings(request, visit, data["person"], member.present_days)
        if bookings and not data["booked_anyway"]:
            form.data = _confirming(request)
        else:
            previous = member.person.full_name
            try:
                with transaction.atomic():
                    person = data["person"] or _new_person(
                        request, visit, {**data, "department": member.department}
                    )
                    program_services.member_replace(
                        actor=request.user,
                        member=member,
                        person=person,
                        position_kk=data["position_kk"],
                        position_ru=data["position_ru"],
                    )
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(
                    request,
                    _("%(new)s takes the place of %(old)s. Send them the invitation.")
                    % {"new": person.full_name, "old": previous},
                )
                return redirect("visit-group", pk=visit.pk)
    return render(
        request,
        "events/member_form.html",
        {"visit": visit, "member": member, "form": form, "bookings": bookings, "replace": True},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    name = member.person.full_name
    try:
        program_services.member_remove(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer in the working group.") % {"name": name})
    return redirect("visit-group", pk=member.visit_id)


@login_required
@require_POST
def subgroup_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    form = SubGroupForm(request.POST, user=request.user, context={"visit": visit})
    if form.is_valid():
        try:
            program_services.subgroup_create(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The sub-group is added."))
            return redirect("visit-group", pk=visit.pk)
    return _page(request, visit, subgroup_form=form, invalid=True)


def _subgroup(request: HttpRequest, pk: int) -> SubGroup:
    subgroup = SubGroup.objects.select_related("visit").filter(pk=pk).first()
    if subgroup is None:
        raise Http404
    _visit(request, subgroup.visit_id)
    return subgroup


@login_required
def subgroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subgroup = _subgroup(request, pk)
    initial = {"name_kk": subgroup.name_kk, "name_ru": subgroup.name_ru, "lead": subgroup.lead_id}
    form = SubGroupForm(
        request.POST or None, initial=initial, user=request.user, context={"visit": subgroup.visit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            program_services.subgroup_update(actor=request.user, subgroup=subgroup, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The sub-group is saved."))
            return redirect("visit-group", pk=subgroup.visit_id)
    return render(
        request,
        "events/subgroup_form.html",
        {"visit": subgroup.visit, "subgroup": subgroup, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def subgroup_remove(request: HttpRequest, pk: int) -> HttpResponse:
    subgroup = _subgroup(request, pk)
    program_services.subgroup_remove(actor=request.user, subgroup=subgroup)
    messages.success(request, _("The sub-group is removed; its members stay in the working group."))
    return redirect("visit-group", pk=subgroup.visit_id)


@login_required
@require_POST
def visit_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the members ticked, or, with none ticked, everyone not yet invited."""
    visit = _visit(request, pk)
    chosen = [int(v) for v in request.POST.getlist("member") if v.isdigit()]
    members = list(program_selectors.working_group(visit=visit))
    members = (
        [m for m in members if m.pk in chosen]
        if chosen
        else [m for m in members if m.response == Member.Response.NONE]
    )
    if not members:
        messages.info(request, _("Everyone in the working group has been invited already."))
        return redirect("visit-group", pk=visit.pk)
    sent = invitations.invite(
        actor=request.user,
        visit=visit,
        members=members,
        answer_url=lambda token: request.build_absolute_uri(reverse("invitation", args=[token])),
        host=request.get_host(),
    )
    if sent.invited:
        messages.success(
            request,
            ngettext(
                "The invitation is sent to %(n)d member.",
                "The invitation is sent to %(n)d members.",
                len(sent.invited),
            )
            % {"n": len(sent.invited)},
        )
    if sent.without_email:
        messages.warning(
            request,
            _(
                "No e-mail address for: %(names)s. Add it on their page in the directory, or tell them by phone."
            )
            % {"names": ", ".join(m.person.full_name for m in sent.without_email)},
        )
    return redirect("visit-group", pk=visit.pk)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The member's own page, reached from the e-mail without signing in: the programme of their
    days, and their answer."""
    member = program_services.member_by_invitation(token)
    if member is None:
        return render(request, "events/invitation.html", {"member": None}, status=404)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in ("confirm", "decline"):
            member = program_services.member_invitation_answer(token=token, confirmed=answer == "confirm")
            messages.success(
                request,
                _("Thank you: your participation is confirmed.")
                if answer == "confirm"
                else _("Thank you: the coordinator will know that you cannot come."),
            )
            return redirect("invitation", token=token)
    return render(
        request,
        "events/invitation.html",
        {
            "member": member,
            "visit": member.visit,
            "events": invitations.programme(visit=member.visit, member=member),
        },
    )
