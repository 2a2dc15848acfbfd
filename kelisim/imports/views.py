"""Paste or upload a release, review its drafts beside the text, accept them into records."""

import tempfile
from datetime import date
from pathlib import Path
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
from kelisim.core import untrusted_xml
from kelisim.events.models import EventFormat
from kelisim.text.extract import UnreadableDocument, read_text

from . import services
from .models import DraftEvent, ImportBatch

FIELDS = ["date_text", "date_start", "date_end", "region", "district", "settlement", "venue", "format"]


class ImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the press release"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(label=gettext_lazy("or a file (.txt, .docx)"), required=False)
    pub_date = forms.DateField(
        label=gettext_lazy("publication date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(
        label=gettext_lazy("language"),
        required=False,
        choices=[("", gettext_lazy("detect")), ("kk", "Қазақша"), ("ru", "Русский")],
    )


def _can(request: HttpRequest) -> None:
    if not policies.can(request.user, "import_press_release"):
        raise Http404


def _uploaded_text(upload: Any) -> str:
    """The text of an uploaded .txt or .docx; a .docx's XML parts are checked first (no DTD, a
    bounded depth and size), and UnsafeXml says which part failed."""
    untrusted_xml.check_office_file(upload)
    suffix = ".docx" if upload.name.lower().endswith(".docx") else ".txt"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return read_text(Path(handle.name))


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    _can(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if form.cleaned_data["file"] is not None:
                text = _uploaded_text(form.cleaned_data["file"])
            batch = services.import_text(
                actor=request.user,
                text=text,
                pub_date=form.cleaned_data["pub_date"],
                language=form.cleaned_data["language"] or None,
            )
        except untrusted_xml.UnsafeXml as error:
            form.add_error("file", error.message(getattr(error, "part", "") or "file"))
        except UnreadableDocument:
            form.add_error("file", _("The file cannot be read as text: send a UTF-8 .txt or a .docx."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
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
    for draft in batch.drafts.select_related("event"):
        rows = []
        for field in FIELDS:
            value = draft.data.get(field)
            rows.append(
                {
                    "field": field,
                    "value": value or "",
                    "span": services.span(batch.text, str(value))
                    if value and field not in ("date_start", "date_end", "format")
                    else None,
                }
            )
        people = [
            {
                "name": o.get("name"),
                "position": o.get("position"),
                "span": services.span(batch.text, o.get("name") or ""),
            }
            for o in draft.data.get("officials") or []
        ]
        drafts.append(
            {
                "draft": draft,
                "rows": rows,
                "people": people,
                "audiences": draft.data.get("audiences") or [],
                "topics": draft.data.get("topics") or [],
            }
        )
    return render(
        request,
        "imports/review.html",
        {"batch": batch, "drafts": drafts, "formats": EventFormat.objects.filter(is_active=True)},
    )


@login_required
@require_POST
def draft_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _can(request)
    draft = DraftEvent.objects.select_related("batch").filter(pk=pk, batch__created_by=request.user).first()  # type: ignore[misc]
    if draft is None:
        raise Http404
    changes = {
        k: request.POST.get(k, "").strip()
        for k in ("date_start", "date_end", "venue", "format")
        if k in request.POST
    }
    try:
        services.draft_decide(
            actor=request.user, draft=draft, status=request.POST.get("status", ""), changes=changes
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(
                request, _("Draft %(n)d: %(message)s") % {"n": draft.position + 1, "message": message}
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
