"""Paste or upload a release, review its drafts beside the text, accept them into records."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.core import files, jobs, untrusted_xml
from kelisim.core.models import Job
from kelisim.events.models import AudienceCategory, EventFormat, Topic
from kelisim.text.extract import UnreadableDocument
from kelisim.text.extract.reading import read_bytes

from . import services
from .models import DraftEvent, ImportBatch
from .tasks import UNREADABLE, check_upload, import_press_release_file, job_params

FIELDS = {
    "date_text": gettext_lazy("date as written"),
    "date_start": gettext_lazy("first day"),
    "date_end": gettext_lazy("last day"),
    "region": gettext_lazy("region"),
    "district": gettext_lazy("district"),
    "settlement": gettext_lazy("settlement"),
    "venue": gettext_lazy("venue"),
    "format": gettext_lazy("format"),
}


class ImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the press release"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(label=gettext_lazy("or a file (.txt, .docx)"), required=False)
    pub_date = forms.DateField(
        label=gettext_lazy("publication date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("language"),
        required=False,
        choices=[("", gettext_lazy("detect")), ("kk", "Қазақша"), ("ru", "Русский")],
    )


def _can(request: HttpRequest) -> None:
    if not policies.can(request.user, "import_press_release"):
        raise Http404


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    _can(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = form.cleaned_data["text"]
        try:
            content = upload.read() if upload is not None else b""
            if content.startswith(b"PK"):
                # A .docx is read by the worker (imports/tasks.py); the request only measures it.
                check_upload(upload.name, content)
                stored = files.store_waiting(content, suffix="docx")
                job = jobs.job_create(
                    actor=request.user,
                    kind=Job.Kind.PRESS_RELEASE_IMPORT,
                    params=job_params(
                        stored=stored,
                        pub_date=form.cleaned_data["pub_date"],
                        language=form.cleaned_data["language"] or None,
                    ),
                    task=import_press_release_file,
                )
                return redirect("job-detail", job.pk)
            if upload is not None:
                text = read_bytes(content)  # plain text: nothing to unpack
            batch = services.import_text(
                actor=request.user,
                text=text,
                pub_date=form.cleaned_data["pub_date"],
                language=form.cleaned_data["language"] or None,
            )
        except untrusted_xml.UnsafeXml as error:
            form.add_error("file", error.message(getattr(error, "part", "") or "file"))
        except UnreadableDocument:
            form.add_error("file", str(UNREADABLE))
        except ValidationError as error:
            field = "file" if upload is not None else None
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else field, errors)
            else:
                form.add_error(field, error.messages)
        else:
            return redirect("import-review", pk=batch.pk)
    batches = ImportBatch.objects.filter(created_by=request.user)[:20]  # type: ignore[misc]
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "imports/new.html", {"form": form, "batches": batches}, status=status)


@login_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    _can(request)
    batch = ImportBatch.objects.filter(pk=pk, created_by=request.user).first()  # type: ignore[misc]
    if batch is None:
        raise Http404
    drafts = []
    formats = {f.code: f.name for f in EventFormat.objects.all()}
    for draft in batch.drafts.select_related("event"):
        rows = []
        inferred = draft.data.get("inferred") or {}
        for field, label in FIELDS.items():
            value = draft.data.get(field)
            if field == "format" and value:
                value = formats.get(value, value)
            rows.append(
                {
                    "field": label,
                    "inferred": inferred.get(field) == services.INFERRED_YEAR,
                    "value": value or "",
                    "span": services.span(batch.text, str(value))
                    if value and field not in ("date_start", "date_end", "format")
                    else None,
                }
            )
        people = [
            {
                "index": i,
                "name": o.get("name"),
                "position": o.get("position"),
                "span": services.span(batch.text, o.get("name") or ""),
            }
            for i, o in enumerate(draft.data.get("officials") or [])
        ]
        drafts.append(
            {
                "draft": draft,
                "rows": rows,
                "people": people,
                "audiences": draft.data.get("audiences") or [],
                "topics": draft.data.get("topics") or [],
                "audience_codes": set(draft.data.get("audience_codes") or []),
                "topic_codes": set(draft.data.get("topic_codes") or []),
                "organizations": "\n".join(draft.data.get("organizations") or []),
            }
        )
    return render(
        request,
        "imports/review.html",
        {
            "batch": batch,
            "drafts": drafts,
            "formats": EventFormat.objects.filter(is_active=True),
            "audience_list": AudienceCategory.objects.filter(is_active=True),
            "topic_list": Topic.objects.filter(is_active=True),
        },
    )


@login_required
@require_POST
def draft_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _can(request)
    draft = DraftEvent.objects.select_related("batch").filter(pk=pk, batch__created_by=request.user).first()  # type: ignore[misc]
    if draft is None:
        raise Http404
    changes: dict[str, Any] = {
        k: request.POST.get(k, "").strip()
        for k in ("date_start", "date_end", "venue", "format")
        if k in request.POST
    }
    if "lists" in request.POST:  # the form carries the lists: an empty choice is a choice too
        changes["audience_codes"] = request.POST.getlist("audience_codes")
        changes["topic_codes"] = request.POST.getlist("topic_codes")
        changes["organizations"] = [
            line.strip() for line in request.POST.get("organizations", "").splitlines() if line.strip()
        ]
        kept = {int(i) for i in request.POST.getlist("official") if i.isdigit()}
        changes["officials"] = [o for i, o in enumerate(draft.data.get("officials") or []) if i in kept]
    try:
        services.draft_decide(
            actor=request.user, draft=draft, status=request.POST.get("status", ""), changes=changes
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(
                request, _("Draft %(n)d: %(message)s") % {"n": draft.position + 1, "message": message}
            )
    else:
        messages.success(
            request,
            _("Draft %(n)d: %(status)s.") % {"n": draft.position + 1, "status": draft.get_status_display()},
        )
    return redirect("import-review", pk=draft.batch_id)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    _can(request)
    batch = ImportBatch.objects.filter(pk=pk, created_by=request.user).first()  # type: ignore[misc]
    if batch is None:
        raise Http404
    try:
        events = services.batch_commit(actor=request.user, batch=batch)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("import-review", pk=pk)
    messages.success(request, _("%(count)d events are saved.") % {"count": len(events)})
    return redirect(f"/visits/{batch.visit_id}/") if batch.visit_id else redirect("import-review", pk=pk)


__all__ = ["date"]
