"""Administrators manage users and memberships here; every change goes through the services
so that it lands in the audit log like any other write."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kelisim.core.audit import audit_record

from . import services
from .models import ApiToken, Capability, CollectionCredential, Department, Membership, Role, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["territory"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "department", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Work"), {"fields": ("department", "position", "language")}),
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if f != "password"]
        audit_record(
            actor=request.user,
            action="user.update" if change else "user.create",
            obj=obj,
            params={"fields": changed},
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            audit_record(
                actor=request.user,
                action="membership.revoke",
                obj=deleted,
                territory_path=deleted.territory.path if deleted.territory else "",
                params={"role": deleted.role.code, "user": deleted.user_id},
            )
            deleted.delete()
        for membership in instances:
            membership.save()
            audit_record(
                actor=request.user,
                action="membership.grant",
                obj=membership,
                territory_path=membership.territory.path if membership.territory else "",
                params={"role": membership.role.code, "user": membership.user_id},
            )
        formset.save_m2m()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "territory"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "territory"]
    search_fields = ["user__username", "territory__code", "territory__name_ru", "territory__name_kk"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_kk", "name_ru", "kind", "territory", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_kk", "name_ru", "code"]
    autocomplete_fields = ["territory"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="department.update" if change else "department.create",
            obj=obj,
            territory_path=obj.territory.path,
            params={"fields": list(form.changed_data)},
        )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Read-only: roles come from roles.py through `kelisim sync_roles`."""

    list_display = ["code", "__str__"]
    filter_horizontal = ["capabilities"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Capability)
class CapabilityAdmin(RoleAdmin):
    list_display = ["code", "__str__"]
    filter_horizontal = []


class _KeyAdmin(admin.ModelAdmin):
    """Keys are made by their owners (shown to them once); an administrator can only see them and
    revoke one (a lost phone, a leaked key), through the service, so that it is audited."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name"]
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected keys"), permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        try:
            for key in queryset.filter(revoked_at__isnull=True):
                if isinstance(key, ApiToken):
                    services.api_token_revoke(user=request.user, token=key)  # type: ignore[arg-type]
                else:
                    services.collection_credential_revoke(user=request.user, credential=key)  # type: ignore[arg-type]
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)


@admin.register(ApiToken)
class ApiTokenAdmin(_KeyAdmin):
    pass


@admin.register(CollectionCredential)
class CollectionCredentialAdmin(_KeyAdmin):
    pass
