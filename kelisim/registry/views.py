from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import policies
from kelisim.core.pagination import IdsFirstPaginator

from . import selectors, services
from .forms import MergeForm, OrganizationForm, PersonForm, PositionForm
from .models import Position

KINDS: dict[str, dict[str, Any]] = {
    "organizations": {
        "list": selectors.organization_list,
        "get": selectors.organization_get_for_user,
        "form": OrganizationForm,
        "create": services.organization_create,
        "update": services.organization_update,
        "arg": "organization",
    },
    "people": {
        "list": selectors.person_list,
        "get": selectors.person_get_for_user,
        "form": PersonForm,
        "create": services.person_create,
        "update": services.person_update,
        "arg": "person",
    },
}


def _kind(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@login_required
def registry_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    if not policies.can(request.user, "view_registry"):
        raise Http404
    q = request.GET.get("q", "")[:100]
    page = IdsFirstPaginator(spec["list"](user=request.user, q=q), 50).get_page(request.GET.get("page"))
    if kind == "people":
        page.object_list = selectors.people_shown(
            user=request.user,
            people=page.object_list,
            via="registry_list",
            filters={"q": bool(q), "page": page.number},
        )
    return render(
        request,
        "registry/list.html",
        {
            "kind": kind,
            "page": page,
            "q": q,
            "can_add": policies.can(request.user, "manage_registry"),
        },
    )


@login_required
def registry_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    obj = spec["get"](user=request.user, pk=pk)
    if kind == "people":
        selectors.people_shown(user=request.user, people=[obj], via="registry_detail")
    can_edit = policies.can(request.user, "manage_registry", obj.territory)
    merge = MergeForm(request.POST or None, user=request.user, context={"kind": kind}) if can_edit else None
    if request.method == "POST" and merge is not None and merge.is_valid():
        try:
            services.registry_merge(actor=request.user, keep=obj, duplicate=merge.cleaned_data["duplicate"])
        except ValidationError:
            merge.add_error("duplicate", _("No such record in your territories, or the same one."))
        else:
            messages.success(request, _("The records are merged; every link now points here."))
            return redirect("registry-detail", kind=kind, pk=pk)
    return render(
        request,
        "registry/detail.html",
        {
            "kind": kind,
            "obj": obj,
            "can_edit": can_edit,
            "merge": merge,
            "position_form": _position_form(request, None) if can_edit and kind == "people" else None,
            "today": timezone.localdate(),
        },
    )


def _position_form(request: HttpRequest, data: Any) -> PositionForm:
    return PositionForm(data, user=request.user)


@login_required
@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk, capability="manage_registry")
    form = _position_form(request, request.POST)
    if form.is_valid():
        try:
            services.position_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The position is added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(e) for e in errors)
            messages.error(request, f"{label}: {text}" if label else text)
    return redirect("registry-detail", kind="people", pk=person.pk)


@login_required
@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = Position.objects.select_related("person").filter(pk=pk).first()
    if position is None:
        raise Http404
    person = selectors.person_get_for_user(
        user=request.user, pk=position.person_id, capability="manage_registry"
    )
    try:
        end = date.fromisoformat(request.POST.get("end", ""))
        services.position_end(actor=request.user, position=position, end=end)
    except ValueError:
        messages.error(request, _("Give the date the position ended."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The position is closed; it stays in the person's history."))
    return redirect("registry-detail", kind="people", pk=person.pk)


@login_required
def registry_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    obj = spec["get"](user=request.user, pk=pk, capability="manage_registry") if pk else None
    if obj is None and not policies.can(request.user, "manage_registry"):
        raise Http404
    if obj is not None and kind == "people" and request.method != "POST":
        selectors.people_shown(user=request.user, people=[obj], via="registry_edit")
    form = spec["form"](request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        position = {k: data.pop(k) for k in ("title_kk", "title_ru") if k in data}
        try:
            if obj is None:
                if kind == "people" and position.get("title_kk"):
                    data["position"] = position
                obj = spec["create"](actor=request.user, **data)
            else:
                fresh = spec["get"](user=request.user, pk=pk, capability="manage_registry")
                obj = spec["update"](actor=request.user, **{spec["arg"]: fresh}, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry-detail", kind=kind, pk=obj.pk)
    return render(request, "registry/form.html", {"kind": kind, "form": form, "obj": obj})
