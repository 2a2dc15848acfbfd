"""Survey pages: instruments, the public web form, paper entry, analytics and exports."""

import re
import secrets
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.core import jobs
from kelisim.core.audit import audit_export
from kelisim.core.files import check_archive, store_waiting
from kelisim.core.models import Job
from kelisim.core.tabular import csv_bytes, xlsx_table
from kelisim.core.validation import key_or_none
from kelisim.programs.selectors import visit_get_for_user

from . import paper, selectors, services, webform
from .answers import answer_in
from .charts import band_shares_svg
from .forms import FocusGroupForm, LinkForm, PaperTerritoryForm, UploadForm, questions_for_display
from .models import CollectionLink, Finding, InstrumentVersion, Response
from .scoring import BAND_LABELS
from .stats import SUPPRESS_BELOW
from .tasks import upload_instrument_file
from .validation import checker
from .xlsform import ARCHIVE_LIMITS, XLSFormError, file_type_of, walk

GROUP_LABELS = {
    "all": gettext_lazy("all respondents"),
    "region": gettext_lazy("region"),
    "district": gettext_lazy("district"),
    "year": gettext_lazy("year"),
    "age_band": gettext_lazy("age band"),
    "gender": gettext_lazy("gender"),
    "language": gettext_lazy("language"),
    "occupation": gettext_lazy("occupation"),
    "ethnicity": gettext_lazy("ethnicity"),
}


def _language() -> str:
    return (translation.get_language() or "kk")[:2]


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    if not (policies.can(request.user, "view_survey") or policies.can(request.user, "collect_survey")):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not policies.can(request.user, "manage_instrument"):
            raise Http404
        if form.is_valid():
            # The worker converts the workbook (surveys/tasks.py); the request only measures it and
            # keeps it, with the files the form names, for the worker.
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                try:
                    if file_type_of(content) == ".xlsx":
                        check_archive(content, limits=ARCHIVE_LIMITS)
                except XLSFormError as error:
                    raise ValidationError(str(error)) from error
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                attachments = {
                    f.name: store_waiting(f.read(), suffix="bin") for f in form.cleaned_data["attachments"]
                }
                stored = store_waiting(
                    content,
                    suffix="xlsform",
                    extra={
                        "name_kk": form.cleaned_data["name_kk"],
                        "name_ru": form.cleaned_data["name_ru"],
                        "scoring": form.cleaned_data["scoring"],
                        "filename": upload.name,
                        "attachments": attachments,
                    },
                )
                job = jobs.job_create(
                    actor=request.user,
                    kind=Job.Kind.INSTRUMENT_UPLOAD,
                    params={"file": stored},
                    task=upload_instrument_file,
                )
                return redirect("job-detail", job.pk)
    return render(
        request,
        "surveys/instrument_list.html",
        {
            "instruments": selectors.instrument_list(user=request.user).prefetch_related("versions"),
            "form": form,
            "can_upload": policies.can(request.user, "manage_instrument"),
        },
    )


@login_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    form = LinkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.collection_link_create(
                actor=request.user, instrument=instrument, territory=form.cleaned_data["territory"]
            )
        except ValidationError as error:
            form.add_error("territory", error.messages)
        else:
            messages.success(
                request,
                _("The link is ready: %(url)s") % {"url": request.build_absolute_uri(f"/s/{link.token}/")},
            )
            return redirect("instrument-detail", pk=pk)
    links = instrument.links.filter(policies.scope_q(request.user, "collect_survey")).select_related(
        "territory"
    )
    return render(
        request,
        "surveys/instrument_detail.html",
        {
            "instrument": instrument,
            "versions": instrument.versions.all(),
            "form": form,
            "links": links,
            "questions": questions_for_display(instrument.current.definition, _language())
            if instrument.current
            else [],
        },
    )


@login_required
def version_download(request: HttpRequest, pk: int, number: int, kind: str) -> HttpResponse:
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    version = InstrumentVersion.objects.filter(instrument=instrument, number=number).first()
    if version is None or kind not in ("xlsx", "xml"):
        raise Http404
    if kind == "xlsx":
        response = HttpResponse(
            bytes(version.xlsform),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(version.xform, content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.form_id}-v{version.number}.{kind}"'
    return response


MAX_UPLOAD = 10 * 1024 * 1024


def _fields(request: HttpRequest) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]], list[str]]:
    """The answers a page posted, keyed by path (hidden inputs put an empty value before radios
    and checkboxes, so that clearing one is seen); uploaded files by a safe name."""
    fields: dict[str, Any] = {}
    for key in request.POST:
        if key.startswith("_") or key == "csrfmiddlewaretoken":
            continue
        values = [v for v in request.POST.getlist(key) if v.strip()]
        fields[key] = values if len(values) > 1 else (values[0] if values else "")
    files: dict[str, tuple[str, bytes]] = {}
    problems = []
    for key in request.FILES:
        upload = request.FILES.get(key)
        if not isinstance(upload, UploadedFile):
            continue
        if upload.size and upload.size > MAX_UPLOAD:
            problems.append(key)
            continue
        stem, dot, ext = (upload.name or "file").rpartition(".")
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", stem or "file")[:40] + (
            f".{re.sub(r'[^A-Za-z0-9]', '', ext)[:8]}" if dot else ""
        )
        name = f"{secrets.token_hex(4)}-{safe}"
        files[name] = (upload.content_type or "application/octet-stream", upload.read())
        fields[key] = name
    return fields, files, problems


def _started(request: HttpRequest) -> datetime | None:
    try:
        return datetime.fromisoformat(signing.loads(request.POST.get("_started", ""), max_age=86400))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _resize(fields: dict[str, Any], add: str, remove: str) -> None:
    key = add or remove
    numbers = [int(m.group(1)) for k in fields if (m := re.match(rf"{re.escape(key)}\[(\d+)\]", k))]
    last = max(numbers, default=0)
    if add:
        fields[f"{key}[{last + 1}]/"] = ""
    else:
        for k in [k for k in fields if k.startswith(f"{key}[{last}]")]:
            del fields[k]


def public_form(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's form: anonymous, no account, on a phone. The page asks the server for the
    form's state as the respondent types (relevance, choice filters, messages)."""
    link = (
        CollectionLink.objects.select_related("instrument", "territory")
        .filter(token=token, is_active=True)
        .first()
    )
    version = link.instrument.current if link else None
    if link is None or version is None:
        raise Http404
    language = _language()
    run = checker(version, language)
    page = webform.Page(
        run,
        version.definition,
        language,
        lambda name: reverse("public-form-media", args=[token, name]),
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        fields, files, too_big = _fields(request)
        if request.POST.get("_live"):
            doc = run.from_fields(fields)
            touched = request.POST.get("_touched", "").split()
            return JsonResponse(page.state(run.check(doc, live=True, touched=touched)))
        if request.POST.get("_add") or request.POST.get("_remove"):  # the page without its script
            _resize(fields, request.POST.get("_add", ""), request.POST.get("_remove", ""))
            outcome = run.check(run.from_fields(fields), live=True)
            return render(
                request,
                "surveys/public_form.html",
                {
                    "link": link,
                    "version": version,
                    "items": page.items(outcome, {}),
                    "errors": {},
                    "started": request.POST.get("_started", ""),
                },
            )
        try:
            if too_big:
                raise ValidationError({k: _("The file is larger than 10 MB.") for k in too_big})
            services.response_submit(
                actor=None,
                version=version,
                raw=fields,
                files=files,
                territory=link.territory,
                source=Response.Source.WEB,
                event=link.event,
                language=language,
                started=_started(request),
            )
        except ValidationError as error:
            errors = {k: v[0] for k, v in error.message_dict.items()}
        else:
            return render(request, "surveys/thanks.html", {"instrument": link.instrument})
        doc = run.from_fields(fields)
    else:
        doc = run.from_fields({}, minimum=1)
    outcome = run.check(doc, live=True)
    return render(
        request,
        "surveys/public_form.html",
        {
            "link": link,
            "version": version,
            "items": page.items(outcome, errors),
            "errors": errors,
            "started": signing.dumps(timezone.now().isoformat()),
        },
        status=400 if errors else 200,
    )


def public_media(request: HttpRequest, token: str, filename: str) -> HttpResponse:
    """An image, sound or video of the form's questions, for the respondent's page."""
    link = CollectionLink.objects.select_related("instrument").filter(token=token, is_active=True).first()
    version = link.instrument.current if link else None
    item = version.files.filter(name=filename).first() if version else None
    if item is None:
        raise Http404
    response = HttpResponse(bytes(item.content), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def paper_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire to print: numbered questions, each choice with the code typed in later."""
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    version = instrument.current
    if version is None:
        raise Http404
    return render(
        request,
        "surveys/print.html",
        {
            "instrument": instrument,
            "version": version,
            "questions": paper.coded_questions(version.definition, _language()),
        },
    )


@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Typing in coded paper questionnaires: one row per respondent, checked as it is saved."""
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    version = instrument.current
    if version is None or not policies.can(request.user, "collect_survey"):
        raise Http404
    language = _language()
    questions = paper.coded_questions(version.definition, language)
    setup = PaperTerritoryForm(
        request.GET or None, user=request.user, initial={"collected_on": timezone.localdate()}
    )
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    saved = None
    if request.method == "POST":
        setup = PaperTerritoryForm(request.POST, user=request.user)
        values = {q["name"]: request.POST.get(q["name"], "").strip() for q in questions}
        # The codes printed on the questionnaire become the form's choice names; a wrong code is
        # named with the codes its question allows, before the form's own checks run.
        decoded, errors = paper.decode(questions, values)
        if setup.is_valid() and not errors:
            try:
                saved, _created = services.response_submit(
                    actor=request.user,
                    version=version,
                    raw=decoded,
                    territory=setup.cleaned_data["territory"],
                    source=Response.Source.PAPER,
                    collected_on=setup.cleaned_data["collected_on"],
                    language=language,
                )
            except ValidationError as error:
                errors = {k: v[0] for k, v in error.message_dict.items()}
            else:
                values = {}
    if not policies.can(request.user, "view_sensitive"):
        # A sensitive answer is typed in, never shown back: after an error it is typed again.
        for name in selectors.sensitive_items(instrument) & values.keys():
            values.pop(name)
            if name in errors:
                errors[name] = _("Check this answer on the questionnaire and type it again.")
    template = "surveys/_paper_row.html" if request.htmx else "surveys/paper.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "instrument": instrument,
            "questions": questions,
            "setup": setup,
            "errors": errors,
            "values": values,
            "saved": saved,
        },
    )


def _period(request: HttpRequest) -> tuple[date | None, date | None]:
    def parse(name: str) -> date | None:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return parse("from"), parse("to")


def _year(request: HttpRequest) -> tuple[int | None, bool]:
    """The calendar year the request asks for (None: every year), and whether its dates had to be
    set aside (they were not within one year)."""
    value = request.GET.get("year", "")
    if value.isdigit() and len(value) == 4:
        return int(value), False
    try:
        return selectors.period_year(*_period(request)), False
    except selectors.PeriodError:
        return None, True


def _territory(request: HttpRequest) -> str | None:
    code = request.GET.get("territory", "")
    return code if code.isdigit() and len(code) == 9 else None


@login_required
def analytics(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    if not policies.can(request.user, "view_survey"):
        raise Http404
    offered = selectors.groupings(user=request.user, instrument=instrument)
    group_by = request.GET.get("group_by", "district")
    group_by = group_by if group_by in offered else "district"
    territory = _territory(request)
    year, period_dropped = _year(request)
    where = selectors.place(territory)
    if period_dropped:
        messages.warning(request, _("Figures are given for a whole calendar year: choose one year."))
    if where is not None and where.coarsened:
        messages.info(
            request,
            _("Figures are given for districts and regions: these are for the district of that unit."),
        )
    result = selectors.analytics(
        user=request.user,
        instrument=instrument,
        group_by=group_by,
        territory=territory,
        year=year,
        language=_language(),
    )
    bands = [b["code"] for b in (instrument.current.scoring.get("bands", []) if instrument.current else [])]
    query = request.GET.copy()
    query.pop("from", None)
    query.pop("to", None)
    query["group_by"] = group_by
    if year is not None:
        query["year"] = str(year)
    return render(
        request,
        "surveys/analytics.html",
        {
            "instrument": instrument,
            "cells": result.cells,
            "overall": result.overall,
            "hidden_total": result.hidden_total,
            "trend": result.trend,
            "groups_labelled": [(g, str(GROUP_LABELS.get(g, g))) for g in offered],
            "bands": bands,
            "band_labels": [str(BAND_LABELS.get(b, b)) for b in bands],
            "group_by": group_by,
            "territory": territory or "",
            "year": year,
            "years": sorted({*result.years, *([year] if year else [])}, reverse=True),
            "warnings": result.warnings,
            "complete": result.complete,
            "query": query.urlencode(),
            "suppress_below": SUPPRESS_BELOW,
            "can_read_responses": selectors.microdata_allowed(request.user),
            # Our own SVG: every label in it is escaped by band_shares_svg.
            "chart": mark_safe(band_shares_svg(result.cells, bands, title=instrument.name)),  # nosec B308 B703  # noqa: S308
        },
    )


RESPONSE_COLUMNS = ["collected_on", "district", "age_band", "gender", "ethnicity", "language", "occupation"]


@login_required
def export(request: HttpRequest, pk: int, what: str, kind: str) -> HttpResponse:
    instrument = selectors.instrument_get_for_user(user=request.user, pk=pk)
    if (
        not policies.can(request.user, "view_survey")
        or what not in ("responses", "aggregates")
        or kind not in ("csv", "xlsx")
    ):
        raise Http404
    territory = _territory(request)
    date_from = date_to = year = None
    if what == "responses":
        if not selectors.microdata_allowed(request.user):
            raise Http404
        date_from, date_to = _period(request)
        whole_year = request.GET.get("year", "")
        if whole_year.isdecimal() and len(whole_year) == 4:
            date_from, date_to = date(int(whole_year), 1, 1), date(int(whole_year), 12, 31)
        found = selectors.microdata(
            user=request.user,
            instrument=instrument,
            territory=territory,
            date_from=date_from,
            date_to=date_to,
        )
        questions = [
            q["name"]
            for q in (walk(instrument.current.definition) if instrument.current else [])
            if q["type"] not in ("note", "group") and q["name"] not in RESPONSE_COLUMNS
        ]
        header = [*RESPONSE_COLUMNS, "total", "band", *questions]
        rows = [
            [
                r["collected_on"].isoformat(),
                r["district_code"],
                *[r[c] for c in RESPONSE_COLUMNS[2:]],
                r["total"],
                r["band"],
                *[_cell(answer_in(r["answers"], q) or "") for q in questions],
            ]
            for r in selectors.microdata_rows(user=request.user, rows=found.iterator(), surface=kind)
        ]
    else:
        offered = selectors.groupings(user=request.user, instrument=instrument)
        group_by = request.GET.get("group_by", "district")
        year, _dropped = _year(request)
        cells = selectors.index_table(
            user=request.user,
            instrument=instrument,
            group_by=group_by if group_by in offered else "district",
            territory=territory,
            year=year,
            language=_language(),
        )
        bands = sorted({b for c in cells for b in c.shares})
        header = [
            "group",
            "label",
            "n",
            "mean",
            "mean_low",
            "mean_high",
            *[f"{b}_{p}" for b in bands for p in ("share", "low", "high")],
        ]
        rows = [
            [
                c.key,
                c.label,
                c.n,
                round(c.mean.estimate, 2),
                round(c.mean.low, 2),
                round(c.mean.high, 2),
                *[round(getattr(c.shares[b], p), 4) for b in bands for p in ("estimate", "low", "high")],
            ]
            for c in cells
        ]
    if kind == "csv":
        body, count = csv_bytes(header, rows)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body, count = xlsx_table(what, header, rows)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    audit_export(
        actor=request.user,
        kind=f"survey_{what}",
        fmt=kind,
        rows=count,
        obj=instrument,
        filters={
            "territory": territory,
            "date_from": date_from,
            "date_to": date_to,
            "year": year,
            "group_by": request.GET.get("group_by") if what == "aggregates" else None,
        },
        paths=policies.export_paths(request.user, "view_survey", territory),
    )
    response["Content-Disposition"] = f'attachment; filename="{instrument.code}-{what}.{kind}"'
    return response


def _cell(value: Any) -> Any:
    """An answer as a spreadsheet cell: a list (several choices) as its codes separated by spaces."""
    return " ".join(map(str, value)) if isinstance(value, list) else value


@login_required
@require_POST
def link_close(request: HttpRequest, pk: int) -> HttpResponse:
    link = (
        CollectionLink.objects.filter(pk=pk).filter(policies.scope_q(request.user, "collect_survey")).first()
    )
    if link is None:
        raise Http404
    services.collection_link_close(actor=request.user, link=link)
    messages.success(
        request,
        _("The link for %(territory)s is closed: respondents can no longer open it.")
        % {"territory": link.territory.name},
    )
    return redirect("instrument-detail", pk=link.instrument_id)


# Focus groups: sessions held during a visit, their coded findings and tension signals.


def _focus_capability(user: Any) -> str:
    """Readers see sessions with view_survey; a collector without it sees the ones in their scope
    to correct or remove them."""
    return "view_survey" if policies.can(user, "view_survey") else "collect_survey"


@login_required
def focus_group_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_survey"):
        raise Http404
    groups = selectors.focus_groups(user=request.user)
    territory = request.GET.get("territory", "")
    if territory.isdecimal() and len(territory) == 9:
        groups = groups.filter(policies.within_q(territory))
    month = request.GET.get("month", "")
    if re.fullmatch(r"\d{4}-\d{2}", month) and 1 <= int(month[5:]) <= 12:
        groups = groups.filter(held_on__year=int(month[:4]), held_on__month=int(month[5:]))
    if request.GET.get("signals") == "1":
        groups = groups.filter(findings__tension_signal=True).distinct()
    if request.GET.get("severity") in Finding.Severity.values:
        groups = groups.filter(findings__severity=request.GET["severity"]).distinct()
    visit = key_or_none(request.GET.get("visit", ""))
    if visit is not None:
        groups = groups.filter(event__visit_id=visit)
    return render(
        request,
        "surveys/focus_group_list.html",
        {"groups": selectors.focus_groups_shown(user=request.user, groups=groups, via="focus_group_list")},
    )


@login_required
def focus_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.focus_group_get_for_user(
        user=request.user, pk=pk, capability=_focus_capability(request.user)
    )
    (shown,) = selectors.focus_groups_shown(user=request.user, groups=[group], via="focus_group_detail")
    where = group.territory or group.event.territory
    return render(
        request,
        "surveys/focus_group_detail.html",
        {
            "shown": shown,
            "group": group,
            "questions": [q for q in group.guide_questions.splitlines() if q.strip()],
            "can_edit": policies.can(request.user, "collect_survey", where),
        },
    )


def _focus_saved(request: HttpRequest, group: Any) -> HttpResponse:
    if policies.can(request.user, "view_survey", group.territory):
        return redirect("focus-group-detail", pk=group.pk)
    return redirect("visit-detail", pk=group.event.visit_id)


@login_required
def focus_group_create(request: HttpRequest, visit: int) -> HttpResponse:
    the_visit = visit_get_for_user(user=request.user, pk=visit)
    if not policies.can(request.user, "collect_survey", the_visit.territory):
        raise Http404
    form = FocusGroupForm(
        request.POST or None,
        user=request.user,
        context={"visit": the_visit},
        initial={"held_on": the_visit.date_start, "territory": the_visit.territory.code},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.focus_group_record(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The focus group is recorded."))
            return _focus_saved(request, group)
    return render(request, "surveys/focus_group_form.html", {"form": form, "visit": the_visit, "group": None})


@login_required
def focus_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.focus_group_get_for_user(user=request.user, pk=pk, capability="collect_survey")
    visit = group.event.visit
    form = FocusGroupForm(request.POST or None, instance=group, user=request.user, context={"visit": visit})
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_group_update(actor=request.user, group=group, **form.service_kwargs())
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The focus group is saved."))
            return _focus_saved(request, group)
    return render(request, "surveys/focus_group_form.html", {"form": form, "visit": visit, "group": group})


@login_required
def focus_group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.focus_group_get_for_user(user=request.user, pk=pk, capability="collect_survey")
    if request.method == "POST":
        visit = group.event.visit_id
        try:
            services.focus_group_delete(actor=request.user, group=group)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("focus-group-delete", pk=pk)
        messages.success(request, _("The focus group is removed."))
        return redirect("visit-detail", pk=visit) if visit else redirect("focus-group-list")
    return render(request, "surveys/focus_group_delete.html", {"group": group})


def _attach_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
