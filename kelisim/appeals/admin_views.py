"""Administration pages of the appeals app: Open311 keys, working-day transfers, appeal categories
and the consent's versions. Thin: the checks and writes are the services'."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import policies

from . import selectors, services
from .forms import CategoryForm, ConsentTextForm, Open311KeyForm, WorkdayOverrideForm
from .models import Category, ConsentText, WorkdayOverride


def _attach(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require_reference(request: HttpRequest) -> None:
    if not policies.can_everywhere(request.user, "manage_reference"):
        raise Http404


@login_required
def open311_keys(request: HttpRequest) -> HttpResponse:
    """Keys of the Open311 clients in the user's territories: make one (shown once), revoke one."""
    if not policies.can(request.user, "manage_open311"):
        raise Http404
    form = Open311KeyForm(request.POST or None, user=request.user)
    shown_once = ""
    if request.method == "POST" and form.is_valid():
        try:
            _key, shown_once = services.open311_key_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The key is made."))
            form = Open311KeyForm(user=request.user)
    return render(
        request,
        "appeals/admin/open311_keys.html",
        {"form": form, "keys": selectors.open311_keys(user=request.user), "shown_once": shown_once},
    )


@login_required
@require_POST
def open311_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.can(request.user, "manage_open311"):
        raise Http404
    key = selectors.open311_key_get_for_user(user=request.user, pk=pk)
    services.open311_key_revoke(actor=request.user, key=key)
    messages.success(request, _("The key is revoked: that client can no longer send appeals."))
    return redirect("admin-open311-keys")


@login_required
def workdays(request: HttpRequest) -> HttpResponse:
    """The year's transfers of working days and days off; deadlines count them."""
    _require_reference(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdecimal() and 1990 < int(raw) < 2100 else timezone.localdate().year
    years = sorted({*selectors.workday_override_years(), year, timezone.localdate().year})
    return render(
        request,
        "appeals/admin/workdays.html",
        {"year": year, "years": years, "rows": selectors.workday_overrides(year=year)},
    )


@login_required
def workday_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_reference(request)
    row = get_object_or_404(WorkdayOverride, pk=pk) if pk else None
    form = WorkdayOverrideForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        fresh = WorkdayOverride.objects.get(pk=pk) if pk else None
        try:
            saved = services.workday_override_save(
                actor=request.user,
                override=fresh,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The transfer is saved."))
            return redirect(f"{_url('admin-workdays')}?year={saved.date.year}")
    return render(
        request,
        "appeals/admin/form.html",
        {"form": form, "title": _("Working-day transfer"), "back": "admin-workdays"},
    )


@login_required
@require_POST
def workday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reference(request)
    row = get_object_or_404(WorkdayOverride, pk=pk)
    year = row.date.year
    services.workday_override_remove(actor=request.user, override=row)
    messages.success(request, _("The transfer is removed."))
    return redirect(f"{_url('admin-workdays')}?year={year}")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    _require_reference(request)
    return render(request, "appeals/admin/categories.html", {"categories": Category.objects.order_by("code")})


@login_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_reference(request)
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        fresh = Category.objects.get(pk=pk) if pk else None
        try:
            services.category_save(actor=request.user, category=fresh, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("admin-categories")
    return render(
        request,
        "appeals/admin/form.html",
        {"form": form, "title": _("Appeal category"), "back": "admin-categories"},
    )


@login_required
def consent_texts(request: HttpRequest) -> HttpResponse:
    """The consent's versions; a new version is published, one already agreed to is never edited."""
    _require_reference(request)
    current = ConsentText.objects.filter(is_active=True).order_by("-pk").first()
    initial = {"text_kk": current.text_kk, "text_ru": current.text_ru} if current else {}
    form = ConsentTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_text_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request, _("The new version is published: visitors are asked this one from now on.")
            )
            return redirect("admin-consent")
    return render(
        request, "appeals/admin/consent.html", {"form": form, "versions": selectors.consent_texts()}
    )


@login_required
def consent_text_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reference(request)
    consent = get_object_or_404(ConsentText, pk=pk)
    form = ConsentTextForm(
        request.POST or None,
        initial={"code": consent.code, "text_kk": consent.text_kk, "text_ru": consent.text_ru},
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_text_update(
                actor=request.user,
                consent=consent,
                text_kk=form.cleaned_data["text_kk"],
                text_ru=form.cleaned_data["text_ru"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The consent text is saved."))
            return redirect("admin-consent")
    return render(
        request,
        "appeals/admin/form.html",
        {"form": form, "title": _("Consent text"), "back": "admin-consent"},
    )
