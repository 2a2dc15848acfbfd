from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import policies

from . import selectors, services
from .forms import VisitCopyForm, VisitForm


def _attach(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_visit"):
        raise Http404
    programs = []
    for program in selectors.program_list(user=request.user):
        editions = [(e, selectors.plan_vs_fact(user=request.user, edition=e)) for e in program.editions.all()]
        programs.append((program, editions))
    return render(request, "programs/program_list.html", {"programs": programs})


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_visit"):
        raise Http404
    page = Paginator(selectors.visit_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/visit_list.html",
        {"page": page, "can_add": policies.can(request.user, "manage_visit")},
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_visit"):
        raise Http404
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        program = data.pop("program")
        try:
            edition = services.edition_get_or_create(
                actor=request.user, program=program, year=data["date_start"].year
            )
            visit = services.visit_create(actor=request.user, edition=edition, **data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The visit is planned."))
            return redirect("visit-detail", pk=visit.pk)
    return render(request, "programs/visit_form.html", {"form": form, "visit": None})


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    form = VisitForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        program = data.pop("program")
        fresh = selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")
        try:
            data["edition"] = services.edition_get_or_create(
                actor=request.user, program=program, year=data["date_start"].year
            )
            services.visit_update(actor=request.user, visit=fresh, **data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The visit is saved."))
            return redirect("visit-detail", pk=pk)
    return render(request, "programs/visit_form.html", {"form": form, "visit": visit})


@login_required
@require_POST
def visit_status(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    try:
        services.visit_set_status(actor=request.user, visit=visit, status=request.POST.get("status", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("visit-detail", pk=pk)


@login_required
def visit_copy(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    form = VisitCopyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.visit_copy_as_plan(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("A planned visit was made from this one."))
            return redirect("visit-detail", pk=copy.pk)
    return render(request, "programs/visit_copy.html", {"form": form, "visit": visit})
