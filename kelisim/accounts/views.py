"""Thin views: parse the request, ask a selector or a service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kelisim.core.audit_words import object_type_words
from kelisim.core.selectors import audit_entries, audit_object_types
from kelisim.territories import services as territory_services
from kelisim.territories.forms import TerritoryNameForm
from kelisim.territories.models import NameSource
from kelisim.territories.selectors import territory_ancestors

from . import policies, selectors, services
from .forms import (
    AuditFilterForm,
    DepartmentForm,
    LanguageForm,
    MembershipForm,
    UserCreateForm,
    UserSearchForm,
)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = "/"
    response = HttpResponseRedirect(nxt)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response.set_cookie("kelisim_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def territory_workspace(request: HttpRequest, code: str) -> HttpResponse:
    territory = selectors.territory_get_for_user(user=request.user, code=code)
    departments = selectors.department_list(user=request.user).filter(territory__path__prefix=territory.path)
    children = territory.children.filter(is_active=True).order_by("code")
    return render(
        request,
        "accounts/territory_workspace.html",
        {
            "territory": territory,
            "ancestors": territory_ancestors(territory),
            "children": children,
            "departments": departments[:200],
            "team": selectors.territory_team(user=request.user, territory=territory),
            "can_edit_name": policies.can(request.user, "manage_territory_names", territory),
            "name_derived": territory.name_kk_source == NameSource.DERIVED,
        },
    )


@login_required
def territory_name_edit(request: HttpRequest, code: str) -> HttpResponse:
    """An administrator corrects a unit's Kazakh name (a derived one, usually)."""
    territory = selectors.territory_get_for_user(
        user=request.user, code=code, capability="manage_territory_names"
    )
    form = TerritoryNameForm(request.POST or None, initial={"name_kk": territory.name_kk})
    if request.method == "POST" and form.is_valid():
        try:
            territory_services.territory_name_kk_update(
                actor=request.user, territory=territory, name_kk=form.cleaned_data["name_kk"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The Kazakh name is saved."))
            return redirect("territory-workspace", code=territory.code)
    return render(request, "territories/name_form.html", {"form": form, "territory": territory})


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_department"):
        raise Http404
    page = Paginator(selectors.department_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/department_list.html",
        {"page": page, "can_add": policies.can(request.user, "manage_department")},
    )


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "accounts/department_detail.html",
        {
            "department": department,
            "can_edit": policies.can(request.user, "manage_department", department.territory),
        },
    )


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_department"):
        raise Http404
    form = DepartmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The department is saved."))
            return redirect("department-detail", pk=department.pk)
    return render(request, "accounts/department_form.html", {"form": form, "department": None})


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get_for_user(user=request.user, pk=pk, capability="manage_department")
    form = DepartmentForm(request.POST or None, instance=department, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # The form already wrote its values onto `department`; hand the service a fresh copy.
            fresh = selectors.department_get_for_user(
                user=request.user, pk=pk, capability="manage_department"
            )
            services.department_update(actor=request.user, department=fresh, **form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The department is saved."))
            return redirect("department-detail", pk=pk)
    return render(request, "accounts/department_form.html", {"form": form, "department": department})


@login_required
@require_POST
def department_remove(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get_for_user(user=request.user, pk=pk, capability="manage_department")
    try:
        services.department_remove(actor=request.user, department=department)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("department-detail", pk=pk)
    messages.success(request, _("The department is removed."))
    return redirect("department-list")


def _attach(form: Any, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "view_audit"):
        raise Http404
    form = AuditFilterForm(request.GET or None, user=request.user)
    types = sorted(((t, object_type_words(t)) for t in audit_object_types()), key=lambda choice: choice[1])
    form.fields["object_type"].choices = [("", "—"), *types]  # type: ignore[attr-defined]
    filters = form.cleaned_data if form.is_valid() else {}
    actor = filters.get("user")
    entries = audit_entries(
        scope=policies.scope_q(request.user, "view_audit", path_field="territory_path"),
        actor_id=actor.pk if actor else None,
        object_type=filters.get("object_type", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    rows = selectors.entries_in_words(page)
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "rows": rows})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: make one (its key shown once), revoke one."""
    from .models import ApiToken

    new_key = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(
                pk=request.POST.get("revoke", "0") if request.POST.get("revoke", "").isdecimal() else 0,
                user=request.user,
            ).first()  # type: ignore[misc]
            if token is None:
                raise Http404
            services.api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
            messages.success(request, _("The token is revoked."))
            return redirect("api-tokens")
        try:
            _token, new_key = services.api_token_create(user=request.user, name=request.POST.get("name", ""))  # type: ignore[arg-type]
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    tokens = ApiToken.objects.filter(user=request.user)  # type: ignore[misc]
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": tokens, "new_key": new_key, "can_collect": policies.can(request.user, "collect_survey")},
    )


@login_required
def collection_credentials(request: HttpRequest) -> HttpResponse:
    """The user's own collection credentials for ODK Collect, one per device: make one (its secret
    shown once), revoke one (a lost or handed-on phone)."""
    from .models import CollectionCredential

    if not policies.can(request.user, "collect_survey"):
        raise Http404
    shown_once = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            pk = request.POST.get("revoke", "")
            credential = CollectionCredential.objects.filter(
                pk=int(pk) if pk.isdecimal() else 0,
                user=request.user,  # type: ignore[misc]
            ).first()
            if credential is None:
                raise Http404
            services.collection_credential_revoke(user=request.user, credential=credential)  # type: ignore[arg-type]
            messages.success(
                request, _("The collection credential is revoked: that device can no longer send.")
            )
            return redirect("collection-credentials")
        try:
            _credential, shown_once = services.collection_credential_create(
                user=request.user,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    credentials = CollectionCredential.objects.filter(user=request.user)  # type: ignore[misc]
    return render(
        request,
        "accounts/collection_credentials.html",
        {
            "credentials": credentials,
            "shown_once": shown_once,
            "server_url": request.build_absolute_uri("/openrosa"),
        },
    )


# Administration ----------------------------------------------------------------------------------

# Each page of the administration, the check its view makes: the hub lists only what opens.
ADMIN_PAGES: tuple[tuple[str, Any, Any], ...] = (
    ("admin-users", lambda u: policies.can(u, "manage_users"), gettext_lazy("Users and their roles")),
    ("department-list", lambda u: policies.can(u, "manage_department"), gettext_lazy("Departments")),
    ("admin-open311-keys", lambda u: policies.can(u, "manage_open311"), gettext_lazy("Open311 keys")),
    (
        "admin-categories",
        lambda u: policies.can_everywhere(u, "manage_reference"),
        gettext_lazy("Appeal categories"),
    ),
    (
        "admin-consent",
        lambda u: policies.can_everywhere(u, "manage_reference"),
        gettext_lazy("Consent texts"),
    ),
    (
        "admin-notice-templates",
        lambda u: policies.can_everywhere(u, "manage_reference"),
        gettext_lazy("Notice texts"),
    ),
    (
        "admin-workdays",
        lambda u: policies.can_everywhere(u, "manage_reference"),
        gettext_lazy("Working-day transfers"),
    ),
    (
        "admin-restricted-templates",
        lambda u: policies.can_everywhere(u, "write_press_release"),
        gettext_lazy("Wording for restricted events"),
    ),
    ("admin:index", lambda u: bool(u.is_active and u.is_staff), gettext_lazy("Django admin site")),
)


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    """The administration's entry: the pages this user may manage, and nothing else."""
    if not policies.may_administer(request.user):
        raise Http404
    pages = [(name, label) for name, check, label in ADMIN_PAGES if check(request.user)]
    return render(request, "accounts/admin_home.html", {"pages": pages})


def _require_manage_users(request: HttpRequest) -> None:
    if not policies.can(request.user, "manage_users"):
        raise Http404


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manage_users(request)
    form = UserSearchForm(request.GET or None)
    query, active = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        active = {"1": True, "0": False}.get(form.cleaned_data["active"])
    page = Paginator(selectors.user_list(user=request.user, query=query, active=active), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manage_users(request)
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        role = form.role_object()
        data.pop("role")
        try:
            user, shown_once = services.user_create(actor=request.user, role=role, **data)
        except ValidationError as error:
            _attach(form, error)
        except PermissionDenied as error:
            form.add_error("role", str(error))
        else:
            messages.success(request, _("The user is created."))
            return _user_page(request, user, shown_once)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_page(
    request: HttpRequest, account: Any, shown_once: str = "", form: MembershipForm | None = None
) -> HttpResponse:
    memberships = selectors.user_memberships(user=account).order_by("territory__path", "role__code")
    held = [(m.role.code, m.territory) for m in memberships]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "memberships": [
                (m, policies.may_grant(request.user, m.role.code, m.territory)) for m in memberships
            ],
            "form": form or MembershipForm(user=request.user),
            "shown_once": shown_once,
            "may_manage": policies.may_manage_user(request.user, held)
            and not (account.is_superuser and not request.user.is_superuser),
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An account's roles × territories; grant one, revoke one, deactivate, a new password."""
    _require_manage_users(request)
    account = selectors.user_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return _user_page(request, account)
    action = request.POST.get("action", "")
    try:
        if action == "grant":
            form = MembershipForm(request.POST, user=request.user)
            if not form.is_valid():
                return _user_page(request, account, form=form)
            try:
                services.membership_grant(
                    actor=request.user,
                    user=account,
                    role=form.role_object(),
                    territory=form.cleaned_data["territory"],
                )
            except PermissionDenied as error:
                form.add_error("role", str(error))
                return _user_page(request, account, form=form)
            messages.success(request, _("The role is granted."))
        elif action == "revoke":
            membership = selectors.membership_get_for_user(
                user=request.user, pk=request.POST.get("membership")
            )
            if membership.user_id != account.pk:
                raise Http404
            services.membership_revoke(actor=request.user, membership=membership)
            messages.success(request, _("The role is revoked."))
        elif action in ("deactivate", "activate"):
            services.user_set_active(actor=request.user, user=account, active=action == "activate")
            messages.success(
                request,
                _("The account is deactivated.")
                if action == "deactivate"
                else _("The account is active again."),
            )
        elif action == "password":
            shown_once = services.user_password_reset(actor=request.user, user=account)
            messages.success(request, _("A new one-time password is made."))
            return _user_page(request, account, shown_once)
        else:
            raise Http404
    except (PermissionDenied, ValidationError) as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
        return _user_page(request, account)
    return redirect("admin-user", pk=account.pk)
