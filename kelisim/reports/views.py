"""Pages for press releases, visit reports and dashboards."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.core.audit import audit_export
from kelisim.core.validation import DOCUMENT_LANGUAGES, checked_language
from kelisim.programs.selectors import visit_get_for_user

from . import dashboards, services, visit_report
from .models import PressRelease


@login_required
def press_release(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    language = checked_language(request.GET.get("lang"), allowed=DOCUMENT_LANGUAGES, default="kk")
    can_write = policies.can(request.user, "write_press_release", visit.territory)
    versions = PressRelease.objects.filter(visit=visit, language=language).select_related("created_by")
    current = versions.first()
    if request.GET.get("version", "").isdecimal():
        current = versions.filter(number=int(request.GET["version"])).first() or current
    return render(
        request,
        "reports/press_release.html",
        {
            "visit": visit,
            "language": language,
            "versions": versions,
            "current": current,
            "can_write": can_write,
        },
    )


@login_required
@require_POST
def press_release_generate(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    language = checked_language(request.POST.get("lang"), allowed=DOCUMENT_LANGUAGES, default="kk")
    try:
        release = services.press_release_generate(actor=request.user, visit=visit, language=language)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("press-release", pk=pk)
    messages.success(request, _("Draft version %(number)d is ready.") % {"number": release.number})
    return redirect(f"/visits/{pk}/press-release/?lang={release.language}")


@login_required
@require_POST
def press_release_save(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    language = checked_language(request.POST.get("lang"), allowed=DOCUMENT_LANGUAGES, default="kk")
    try:
        release = services.press_release_save(
            actor=request.user, visit=visit, language=language, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"/visits/{pk}/press-release/?lang={language}")
    messages.success(request, _("Version %(number)d is saved.") % {"number": release.number})
    return redirect(f"/visits/{pk}/press-release/?lang={language}")


@login_required
def press_release_download(request: HttpRequest, pk: int, number: int, kind: str) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    release = PressRelease.objects.filter(visit=visit, pk=number).first()
    if release is None or kind not in ("docx", "txt"):
        raise Http404
    if kind == "txt":
        response = HttpResponse(release.text.encode(), content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(
            services.as_docx(release),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    audit_export(
        actor=request.user,
        kind="press_release",
        fmt=kind,
        rows=1,
        obj=release,
        filters={"language": release.language, "version": release.number},
        paths=[visit.territory.path],
    )
    response["Content-Disposition"] = (
        f'attachment; filename="press-release-{visit.pk}-{release.language}-v{release.number}.{kind}"'
    )
    return response


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    visit = visit_get_for_user(user=request.user, pk=pk)
    if kind not in ("docx", "pdf", "xlsx") or not policies.can(request.user, "view_reports", visit.territory):
        raise Http404
    interface = (translation.get_language() or "kk")[:2]
    language = checked_language(
        request.GET.get("lang"),
        allowed=DOCUMENT_LANGUAGES,
        default=interface if interface in DOCUMENT_LANGUAGES else "kk",
    )
    body, content_type, rows = visit_report.render(
        user=request.user, visit=visit, language=language, kind=kind
    )
    audit_export(
        actor=request.user,
        kind="visit_report",
        fmt=kind,
        rows=rows,
        obj=visit,
        filters={"language": language},
        paths=[visit.territory.path],
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}-{language}.{kind}"'
    return response


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(month=1, day=1) - timedelta(days=365 * 4)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, end


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_reports"):
        raise Http404
    code = request.GET.get("territory", "")
    territory = code if code.isdecimal() and len(code) == 9 else None
    start, end = _period(request)
    board = dashboards.build(
        user=request.user,
        territory=territory,
        date_from=start,
        date_to=end,
        language=(translation.get_language() or "kk")[:2],
    )
    return render(request, "reports/dashboard.html", {"board": board})


@login_required
def restricted_templates(request: HttpRequest) -> HttpResponse:
    """The press office's wording for restricted events, in Kazakh and in Russian."""
    from .forms import RestrictedTemplateForm
    from .models import RestrictedTemplate
    from .press_release import DEFAULT_RESTRICTED

    if not policies.can_everywhere(request.user, "write_press_release"):
        raise Http404
    saved = {t.language: t for t in RestrictedTemplate.objects.all()}
    forms = {}
    for language in DOCUMENT_LANGUAGES:
        current = saved.get(language)
        initial = {
            "text": current.text if current else DEFAULT_RESTRICTED[language],
            "allow_counts": bool(current and current.allow_counts),
        }
        posted = request.method == "POST" and request.POST.get("language") == language
        forms[language] = RestrictedTemplateForm(
            request.POST if posted else None, initial=initial, prefix=language
        )
        form = forms[language]
        if posted and form.is_valid():
            try:
                services.restricted_template_set(actor=request.user, language=language, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The wording is saved."))
                return redirect("admin-restricted-templates")
    return render(
        request,
        "reports/restricted_templates.html",
        {"forms": [(language, forms[language]) for language in DOCUMENT_LANGUAGES]},
    )


def appeal_feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The follow-up survey the answer's notice offers: no account, the link's token names the
    appeal and the applicant's language; one response per appeal, anonymous like every survey."""
    from kelisim.appeals.models import Appeal
    from kelisim.notices.feedback import feedback_read
    from kelisim.surveys.models import Instrument, Response
    from kelisim.surveys.ready import SATISFACTION_CODE
    from kelisim.surveys.services import response_submit

    from .dashboards import FEEDBACK_PREFIX
    from .forms import satisfaction_form

    found = feedback_read(token)
    appeal = (
        Appeal.objects.filter(
            pk=found[0], anonymized=False, status__in=[Appeal.Status.ANSWERED, Appeal.Status.CLOSED]
        )
        .select_related("territory")
        .first()
        if found
        else None
    )
    instrument = Instrument.objects.filter(code=SATISFACTION_CODE).first()
    version = instrument.current if instrument else None
    if found is None or appeal is None or version is None:
        raise Http404
    language = found[1]
    instance_id = f"{FEEDBACK_PREFIX}{appeal.pk}"
    with translation.override(language):
        if Response.objects.filter(instance_id=instance_id).exists():
            return render(request, "reports/feedback.html", {"done": True, "language": language})
        form = satisfaction_form(language, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                response_submit(
                    actor=None,
                    version=version,
                    raw=form.cleaned_data,
                    territory=appeal.territory,
                    source=Response.Source.WEB,
                    instance_id=instance_id,
                    language=language,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return render(request, "reports/feedback.html", {"done": True, "language": language})
        return render(request, "reports/feedback.html", {"form": form, "language": language})
