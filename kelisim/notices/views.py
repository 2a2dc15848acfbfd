"""Administration pages for the notices' texts (ADR 0007): country-wide `manage_reference` only.
Thin: checks and writes are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kelisim.accounts import policies

from . import selectors, services
from .forms import NoticeTemplateForm
from .models import NoticeTemplate


def _require_reference(request: HttpRequest) -> None:
    if not policies.can_everywhere(request.user, "manage_reference"):
        raise Http404


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_reference(request)
    return render(request, "notices/template_list.html", {"templates": selectors.templates()})


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_reference(request)
    template = get_object_or_404(NoticeTemplate, pk=pk) if pk else None
    form = NoticeTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        fresh = NoticeTemplate.objects.get(pk=pk) if pk else None
        try:
            services.template_save(actor=request.user, template=fresh, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The notice text is saved."))
            return redirect("admin-notice-templates")
    return render(
        request,
        "appeals/admin/form.html",
        {"form": form, "title": _("Notice text"), "back": "admin-notice-templates"},
    )
