"""Receptions and appeals over REST, with the same services and policies as the pages."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kelisim.accounts import policies
from kelisim.accounts.models import Department, User
from kelisim.accounts.selectors import colleagues, department_choices
from kelisim.appeals import selectors, services
from kelisim.appeals.models import Appeal, Category, ExternalBody, ReceptionSession
from kelisim.core.scoping import NOT_FOUND, Reference, scoped
from kelisim.programs.models import Visit
from kelisim.programs.selectors import visit_list

from .fields import ModelSerializer, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, Serializer
from .filters import _code, _int
from .reads import AuditedReads
from .serializers import writable_territory


def _appeal_executors(user: Any, context: Mapping[str, Any]) -> QuerySet[User]:
    """Who may be given the appeal in `context["appeal"]`; nobody without one."""
    appeal = context.get("appeal")
    return selectors.executor_choices(territory=appeal.territory) if appeal else User.objects.none()


def _reroute_departments(user: Any, context: Mapping[str, Any]) -> QuerySet[Department]:
    """Where the appeal in `context["appeal"]` may be sent: the caller's departments and those of
    the working group of the visit whose reception took it."""
    appeal = context.get("appeal")
    if appeal is None:
        return Department.objects.none()
    visit = appeal.visitor.session.visit if appeal.visitor_id else None
    return services.routing_departments(actor=user, visit=visit)


class ExternalBodySerializer(ModelSerializer):
    territory = writable_territory("manage_department")
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ExternalBody
        fields = ["id", "name", "name_kk", "name_ru", "territory", "address", "is_active"]


class ExternalBodyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The directory of bodies outside the akimat that appeals are redirected to."""

    serializer_class = ExternalBodySerializer

    def get_queryset(self) -> QuerySet[ExternalBody]:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return selectors.external_body_list(user=self.request.user)
        return ExternalBody.objects.filter(policies.scope_q(self.request.user, "manage_department")).order_by(
            "id"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not policies.can(request.user, "manage_department"):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = services.external_body_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(body).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_object()
        serializer = self.get_serializer(body, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fresh = self.get_queryset().get(pk=body.pk)
        body = services.external_body_update(actor=request.user, body=fresh, **serializer.validated_data)
        return Response(self.get_serializer(body).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.external_body_delete(actor=request.user, body=self.get_object())
        return Response(status=204)


class ReceptionSerializer(ModelSerializer):
    visit = ScopedPrimaryKeyRelatedField(Visit, scope=scoped(visit_list), allow_null=True, required=False)
    department = ScopedPrimaryKeyRelatedField(Department, scope=scoped(department_choices))
    territory = writable_territory("manage_reception")
    visitor_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReceptionSession
        fields = [
            "id",
            "visit",
            "department",
            "specialist",
            "territory",
            "place",
            "start",
            "end",
            "visitor_count",
        ]
        read_only_fields = ["specialist"]


class ReceptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReceptionSerializer

    def get_queryset(self) -> QuerySet[ReceptionSession]:
        capability = "view_reception" if self.request.method == "GET" else "manage_reception"
        return selectors.reception_list(user=self.request.user, capability=capability).order_by(
            "-start", "id"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not policies.can(request.user, "manage_reception"):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.reception_open(
            actor=request.user, specialist=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.reception_update(actor=request.user, session=session, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.reception_delete(actor=request.user, session=self.get_object())
        return Response(status=204)


class AppealSerializer(ModelSerializer):
    territory = writable_territory("register_appeal")
    department = ScopedPrimaryKeyRelatedField(Department, scope=scoped(department_choices))
    category = ScopedSlugRelatedField(
        Category, slug_field="code", scope=Reference(Category.objects.all()), allow_null=True, required=False
    )
    # Anyone who works on appeals in the caller's territories; `validate` then keeps only those
    # who may work on this appeal's territory.
    lead_executor = ScopedPrimaryKeyRelatedField(
        User,
        scope=scoped(colleagues, capability="manage_appeal", within="register_appeal"),
        allow_null=True,
        required=False,
    )
    overdue = serializers.SerializerMethodField()
    # The applicant's notices (kelisim.notices): taken at registration only, never returned.
    notice_consent = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="The applicant agrees to notices."
    )
    notice_email = serializers.EmailField(write_only=True, required=False, allow_blank=True, default="")
    notice_phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default="", max_length=32
    )
    notice_language = serializers.ChoiceField(
        choices=["kk", "ru"], write_only=True, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "type",
            "channel",
            "external_number",
            "status",
            "registered_at",
            "received_on",
            "due_date",
            "overdue",
            "department",
            "territory",
            "category",
            "applicant_kind",
            "applicant_name",
            "applicant_contact",
            "text",
            "urgent",
            "lead_executor",
            "redirect_to",
            "redirect_body",
            "redirected_on",
            "redirect_notice_on",
            "body_answer",
            "body_answered_on",
            "answer",
            "version",
            "notice_consent",
            "notice_email",
            "notice_phone",
            "notice_language",
        ]
        read_only_fields = [
            "number",
            "status",
            "registered_at",
            "due_date",
            "redirect_to",
            "redirect_body",
            "redirected_on",
            "redirect_notice_on",
            "body_answer",
            "body_answered_on",
            "answer",
            "version",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lead, territory = attrs.get("lead_executor"), attrs.get("territory")
        if lead is None or territory is None:
            return attrs
        if not selectors.executor_choices(territory=territory).filter(pk=lead.pk).exists():
            raise serializers.ValidationError({"lead_executor": [NOT_FOUND]})
        return attrs

    def get_overdue(self, obj: Appeal) -> bool:
        from django.utils import timezone

        return obj.is_open and obj.due_date < timezone.localdate()


class TransitionSerializer(Serializer):
    action = serializers.ChoiceField(choices=["assign", *services.TRANSITION_SERVICES])
    version = serializers.IntegerField(help_text="The version you read; a stale one answers 409.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    until = serializers.DateField(required=False)
    to = serializers.CharField(required=False, allow_blank=True, default="")
    body = ScopedPrimaryKeyRelatedField(
        ExternalBody,
        scope=scoped(selectors.external_body_choices),
        required=False,
        help_text="redirect: the external body of the directory the appeal goes to.",
    )
    on = serializers.DateField(
        required=False, help_text="redirect, notice, body_answer: the day it happened (today if left out)."
    )
    # Only people who may work on the appeal being moved (the view puts it in the context).
    lead_executor = ScopedPrimaryKeyRelatedField(User, scope=_appeal_executors, required=False)
    department = ScopedPrimaryKeyRelatedField(
        Department, scope=_reroute_departments, required=False, help_text="reroute: the new department."
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("territory", str),
            OpenApiParameter("status", str),
            OpenApiParameter("department", int),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
        ]
    )
)
class AppealViewSet(
    AuditedReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AppealSerializer
    conflict_actions = ("transition",)  # a stale version (kelisim.api.schema)

    def _filters(self) -> selectors.AppealFilters | None:
        params = self.request.query_params
        return (
            selectors.AppealFilters(
                territory=_code(params, "territory"),
                status=params.get("status") or None,
                department=_int(params, "department"),
                overdue=params.get("overdue") == "true",
            )
            if self.action == "list"
            else None
        )

    def shown(self, rows: list[Any]) -> list[Any]:
        return selectors.appeals_shown(
            user=self.request.user, appeals=rows, via="api_appeals", filters=self._filters()
        )

    def get_queryset(self) -> QuerySet[Appeal]:
        filters = self._filters()
        capability = "view_appeal" if self.request.method == "GET" else "manage_appeal"
        # The serializer shows the department and executors by key: only what it names is joined.
        return selectors.appeal_list(
            user=self.request.user, filters=filters, capability=capability, joins=("territory", "category")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not policies.can(request.user, "register_appeal"):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_register(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(appeal).data, status=201)

    @extend_schema(request=TransitionSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk, capability="manage_appeal")
        body = TransitionSerializer(data=request.data, context={"request": request, "appeal": appeal})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        name, version, comment = data.pop("action"), data.pop("version"), data.pop("comment", "")
        if name == "assign":
            if "lead_executor" not in data:
                raise serializers.ValidationError({"lead_executor": [_("Required to assign.")]})
            result = services.appeal_assign(
                actor=request.user, appeal=appeal, version=version, lead_executor=data["lead_executor"]
            )
        else:
            kwargs: dict[str, Any] = {"actor": request.user, "appeal": appeal, "version": version}
            if name == "extend":
                if "until" not in data:
                    raise serializers.ValidationError({"until": [_("Required to extend.")]})
                kwargs.update(until=data["until"], reason=comment)
            elif name == "redirect":
                kwargs.update(
                    to=data.get("to", ""), body=data.get("body"), on=data.get("on"), comment=comment
                )
            elif name == "reroute":
                if "department" not in data:
                    raise serializers.ValidationError({"department": [_("Required to reroute.")]})
                kwargs.update(department=data["department"], comment=comment)
            elif name == "notice":
                kwargs.update(on=data.get("on"), comment=comment)
            elif name == "body_answer":
                kwargs.update(answer=comment, on=data.get("on"))
            elif name == "answer":
                kwargs.update(answer=comment)
            elif name == "reopen":
                kwargs.update(reason=comment)
            else:
                kwargs.update(comment=comment)
            result = services.TRANSITION_SERVICES[name](**kwargs)
        return Response(AppealSerializer(selectors.appeal_get_for_user(user=request.user, pk=result.pk)).data)
