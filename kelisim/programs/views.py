from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.core.files import sniff
from kelisim.core.pagination import IdsFirstPaginator
from kelisim.territories.models import Territory

from . import plan_files, selectors, services
from .forms import ProgramForm, VisitCopyForm, VisitForm
from .models import Program, Visit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_YEAR, MAX_YEAR = 2020, 2100
VISIT_STATUS_FILTERS = {
    "held": gettext_lazy("held (completed or reported)"),
    "upcoming": gettext_lazy("not yet held"),
    **dict(Visit.Status.choices),
}


def _attach(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_visit"):
        raise Http404
    this_year = timezone.localdate().year
    programs = []
    for program in selectors.program_list(user=request.user):
        years = sorted({e.year for e in program.editions.all()} | {this_year}, reverse=True)
        tables = [
            selectors.plan_table(user=request.user, year_from=y, year_to=y, program=program) for y in years
        ]
        programs.append((program, tables))
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": programs,
            "can_add": policies.can(request.user, "manage_visit"),
            "editable": {
                p.pk for p, _t in programs if policies.can(request.user, "manage_visit", p.territory)
            },
        },
    )


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_visit"):
        raise Http404
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The program is created. Plan its visits for the year."))
            return redirect("visit-plan", pk=program.pk, year=timezone.localdate().year)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    if not policies.can(request.user, "manage_visit", program.territory):
        raise Http404  # a district coordinator sees the region's program but may not rename it
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The program is saved."))
            return redirect("program-list")
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_visit"):
        raise Http404
    filters: dict[str, Any] = {
        "territory": _kato(request.GET.get("territory")),
        "year": _year(request.GET.get("year")),
        "status": request.GET.get("status") if request.GET.get("status") in VISIT_STATUS_FILTERS else None,
        # The dashboard's period: its figures link here with the dates they were counted in.
        "date_from": _day(request.GET.get("date_from")),
        "date_to": _day(request.GET.get("date_to")),
    }
    visits = selectors.visit_list(user=request.user, **filters)
    page = IdsFirstPaginator(visits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/visit_list.html",
        {
            "page": page,
            "filters": filters,
            "territory": Territory.objects.filter(code=filters["territory"]).first()
            if filters["territory"]
            else None,
            "statuses": VISIT_STATUS_FILTERS.items(),
            "can_add": policies.can(request.user, "manage_visit"),
        },
    )


def _kato(value: str | None) -> str | None:
    return value if value and len(value) == 9 and value.isdigit() else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR else None


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
    # On a fresh install the program list is empty: say where to start rather than offer nothing.
    no_program = not form.fields["program"].queryset.exists()  # type: ignore[attr-defined]
    return render(
        request, "programs/visit_form.html", {"form": form, "visit": None, "no_program": no_program}
    )


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
    else:
        messages.success(
            request, _("The visit is now “%(status)s”.") % {"status": visit.get_status_display()}
        )
    return redirect("visit-detail", pk=pk)


@login_required
@require_POST
def visit_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the visit's public page on or off."""
    visit = selectors.visit_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    public = request.POST.get("public") == "on"
    services.visit_set_public(actor=request.user, visit=visit, public=public)
    if public:
        messages.success(request, _("The visit's public page is open: anyone with its address can see it."))
    else:
        messages.success(request, _("The visit's public page is closed."))
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


def _plan_context(request: HttpRequest, program: Program, year: int, posted: Any = None) -> dict[str, Any]:
    table = selectors.plan_table(user=request.user, year_from=year, year_to=year, program=program)
    by_district = {row.district.pk: row for row in table.rows if row.district}
    rows = []
    for district in selectors.plan_districts(program=program):
        if not policies.can(request.user, "view_visit", district):
            continue
        row = by_district.get(district.pk) or selectors.PlanRow(district, 0, 0, 0)
        value = posted.get(f"planned-{district.code}", row.planned) if posted else row.planned
        rows.append((row, policies.can(request.user, "manage_visit", district), value))
    return {
        "program": program,
        "year": year,
        "rows": rows,
        "total": table.total,
        "can_edit": any(editable for _row, editable, _value in rows),
    }


def _planned_from_post(request: HttpRequest, program: Program) -> tuple[dict[Territory, int], dict[str, str]]:
    planned: dict[Territory, int] = {}
    errors: dict[str, str] = {}
    for district in selectors.plan_districts(program=program):
        name = f"planned-{district.code}"
        if name not in request.POST or not policies.can(request.user, "manage_visit", district):
            continue
        value = request.POST[name].strip() or "0"
        if not value.isdigit() or int(value) > services.MAX_PLANNED:
            errors[district.code] = _("Give a whole number from 0 to %(max)d.") % {
                "max": services.MAX_PLANNED
            }
        else:
            planned[district] = int(value)
    return planned, errors


@login_required
def visit_plan(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A program's plan of visits per district for one year: read it, edit it, import it."""
    program = selectors.program_get_for_user(user=request.user, pk=pk)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    context = _plan_context(request, program, year)
    if request.method == "POST":
        if not context["can_edit"]:
            raise Http404
        planned, errors = _planned_from_post(request, program)
        if not errors:
            try:
                services.visit_plans_save(actor=request.user, program=program, year=year, planned=planned)
            except ValidationError as error:
                errors = {"": " ".join(error.messages)}
            else:
                messages.success(request, _("The plan for %(year)d is saved.") % {"year": year})
                return redirect("visit-plan", pk=pk, year=year)
        context = _plan_context(request, program, year, posted=request.POST)
        context["errors"] = errors
    return render(request, "programs/visit_plan.html", context)


@login_required
def visit_plan_template(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    program = selectors.program_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    response = HttpResponse(plan_files.plan_template(program=program, year=year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{program.pk}-{year}.xlsx"'
    return response


@login_required
@require_POST
def visit_plan_import(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    program = selectors.program_get_for_user(user=request.user, pk=pk, capability="manage_visit")
    upload = request.FILES.get("file")
    problems: list[str] = []
    if upload is None:
        problems = [_("Choose the XLSX file of the plan.")]
    else:
        try:
            sniffed = sniff(upload)
            if sniffed != XLSX:
                raise ValidationError(_("The plan is imported from an XLSX workbook."))
            parsed = plan_files.plan_parse(user=request.user, program=program, content=upload.read())
            problems = parsed.errors
            if not problems:
                services.visit_plans_save(
                    actor=request.user, program=program, year=year, planned=parsed.planned
                )
        except ValidationError as error:
            problems = list(error.messages)
    if problems:
        context = _plan_context(request, program, year)
        context["import_errors"] = problems
        return render(request, "programs/visit_plan.html", context, status=400)
    messages.success(
        request,
        ngettext(
            "The plan for %(year)d is imported: %(n)d district.",
            "The plan for %(year)d is imported: %(n)d districts.",
            len(parsed.planned),
        )
        % {"year": year, "n": len(parsed.planned)},
    )
    return redirect("visit-plan", pk=pk, year=year)
