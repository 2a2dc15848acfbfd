"""Programs, visits, events, organizations and people over REST, through the domain services."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kelisim.accounts import policies
from kelisim.accounts.models import Department
from kelisim.accounts.selectors import department_choices
from kelisim.core.audit import audit_export
from kelisim.core.scoping import Reference, scoped
from kelisim.events import ical
from kelisim.events import selectors as event_selectors
from kelisim.events import services as event_services
from kelisim.events.models import AudienceCategory, Event, EventFormat, EventOfficial, Topic
from kelisim.programs import selectors as program_selectors
from kelisim.programs import services as program_services
from kelisim.programs.models import Edition, Program, Visit, VisitPlan
from kelisim.registry import selectors as registry_selectors
from kelisim.registry import services as registry_services
from kelisim.registry.models import Organization, Person

from .fields import ModelSerializer, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, Serializer
from .filters import _code, _int, event_filters, visit_filters
from .reads import AuditedReads
from .serializers import writable_territory


class _Writable(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update; writes go through a service, never serializer.save()."""

    view_capability = ""
    manage_capability = ""

    def capability(self) -> str:
        return (
            self.view_capability
            if self.request.method in ("GET", "HEAD", "OPTIONS")
            else self.manage_capability
        )

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not policies.can(request.user, self.manage_capability):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_create(dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_update(obj, dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)


# Programs and visits ---------------------------------------------------------------------------


class ProgramSerializer(ModelSerializer):
    territory = writable_territory("manage_visit")
    editions = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = ["id", "name_kk", "name_ru", "name_en", "started", "territory", "editions"]

    def get_editions(self, obj: Program) -> list[int]:
        return sorted(e.year for e in obj.editions.all())


class ProgramViewSet(_Writable):
    serializer_class = ProgramSerializer
    view_capability, manage_capability = "view_visit", "manage_visit"

    def get_queryset(self) -> QuerySet[Program]:
        return program_selectors.program_list(user=self.request.user, capability=self.capability())

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        return program_services.program_create(actor=self.request.user, **data)

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        territory = data.pop("territory", obj.territory)
        if territory != obj.territory:
            raise serializers.ValidationError(
                {"territory": [_("A program stays in the territory it was created for.")]}
            )
        return program_services.program_update(actor=self.request.user, program=obj, **data)


class VisitSerializer(ModelSerializer):
    territory = writable_territory("manage_visit")
    # Programs of the caller's territories and of the units above them, where visits may be planned.
    program = ScopedPrimaryKeyRelatedField(
        Program, scope=scoped(program_selectors.program_list, capability="manage_visit"), write_only=True
    )
    year = serializers.IntegerField(source="edition.year", read_only=True)
    program_id = serializers.IntegerField(source="edition.program_id", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "program",
            "program_id",
            "year",
            "territory",
            "date_start",
            "date_end",
            "status",
            "goals_kk",
            "goals_ru",
        ]
        read_only_fields = ["status"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("territory", str, description="KATO code: the visits in its subtree"),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("status", str),
        ]
    )
)
class VisitViewSet(_Writable):
    serializer_class = VisitSerializer
    view_capability, manage_capability = "view_visit", "manage_visit"

    def get_queryset(self) -> QuerySet[Visit]:
        filters = visit_filters(self.request.query_params) if self.action == "list" else {}
        return program_selectors.visit_list(user=self.request.user, capability=self.capability(), **filters)

    def _edition(self, data: dict[str, Any]) -> Edition:
        program = data.pop("program")
        return program_services.edition_get_or_create(
            actor=self.request.user, program=program, year=data["date_start"].year
        )

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        data["edition"] = self._edition(data)
        return program_services.visit_create(actor=self.request.user, **data)

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        if "program" in data:
            data["edition"] = self._edition({**data, "date_start": data.get("date_start", obj.date_start)})
            data.pop("program", None)
        return program_services.visit_update(actor=self.request.user, visit=obj, **data)


class VisitPlanSerializer(ModelSerializer):
    # Programs of the caller's territories and of the units above them, as for visits.
    program = ScopedPrimaryKeyRelatedField(
        Program,
        scope=scoped(program_selectors.program_list, capability="manage_visit"),
        source="edition.program",
    )
    year = serializers.IntegerField(source="edition.year", min_value=2020, max_value=2100)
    district = writable_territory("manage_visit")
    planned = serializers.IntegerField(min_value=1, max_value=program_services.MAX_PLANNED)

    class Meta:
        model = VisitPlan
        fields = ["id", "program", "year", "district", "planned"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("program", int),
            OpenApiParameter("year", int),
            OpenApiParameter("territory", str, description="KATO code: the plans of its subtree"),
        ]
    )
)
class VisitPlanViewSet(mixins.DestroyModelMixin, _Writable):
    """A program's yearly plan: visits planned per district. Posting a district already in the
    year's plan changes its number; deleting a row takes the district out of the plan."""

    serializer_class = VisitPlanSerializer
    view_capability, manage_capability = "view_visit", "manage_visit"

    def get_queryset(self) -> QuerySet[VisitPlan]:
        params = self.request.query_params
        filters: dict[str, Any] = (
            {
                "program": _int(params, "program"),
                "year": _int(params, "year"),
                "territory": _code(params, "territory"),
            }
            if self.action == "list"
            else {}
        )
        return program_selectors.visit_plan_list(
            user=self.request.user, capability=self.capability(), **filters
        )

    def _save(self, program: Program, year: int, district: Any, planned: int) -> VisitPlan:
        edition = program_services.edition_get_or_create(actor=self.request.user, program=program, year=year)
        return program_services.visit_plan_set(
            actor=self.request.user, edition=edition, district=district, planned=planned
        )

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        edition = data.pop("edition")
        return self._save(edition["program"], edition["year"], data["district"], data["planned"])

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        edition = data.pop("edition", {})
        program, year = edition.get("program", obj.edition.program), edition.get("year", obj.edition.year)
        district = data.get("district", obj.district)
        if (program.pk, year, district.pk) != (obj.edition.program_id, obj.edition.year, obj.district_id):
            raise serializers.ValidationError(
                {"non_field_errors": ["Change the number only; post a new row for another district or year."]}
            )
        return self._save(program, year, district, data.get("planned", obj.planned))

    def perform_destroy(self, instance: VisitPlan) -> None:
        program_services.visit_plan_remove(actor=self.request.user, plan=instance)


class CalendarRenderer(renderers.BaseRenderer):
    """So that content negotiation lets a calendar client ask for text/calendar (a 406 before);
    the view writes the feed itself, and its errors are JSON."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return renderers.JSONRenderer().render(data)


class VisitCalendarView(APIView):
    """The visit's events as iCalendar (RFC 5545): only the events the caller may see."""

    renderer_classes = [renderers.JSONRenderer, CalendarRenderer]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response):  # an error: the API's JSON envelope, whatever was asked
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        visit = program_selectors.visit_get_for_user(user=request.user, pk=pk)
        filters = event_selectors.EventFilters(visit=visit.pk)
        events = event_selectors.events_shown(
            user=request.user,
            events=event_selectors.event_list(user=request.user, filters=filters),
            via="ical_visit",
            filters=filters,
        )
        body = ical.calendar_bytes(events, name=str(visit))
        audit_export(
            actor=request.user,
            kind="events",
            fmt="ics",
            rows=len(events),
            obj=visit,
            filters=filters,
            paths=[visit.territory.path],
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}.ics"'
        return response


# Events ----------------------------------------------------------------------------------------


class AudienceSerializer(Serializer):
    category = ScopedSlugRelatedField(
        AudienceCategory, slug_field="code", scope=Reference(AudienceCategory.objects.filter(is_active=True))
    )
    count = serializers.IntegerField(min_value=0, allow_null=True, required=False)


class OfficialSerializer(Serializer):
    """An official at the event: a person of the registry in the caller's scope (or only the
    position, when the registry has nobody), and their role there."""

    person = ScopedPrimaryKeyRelatedField(
        Person, scope=scoped(registry_selectors.person_list), allow_null=True, required=False
    )
    name = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=EventOfficial.Role.choices, default=EventOfficial.Role.OFFICIAL)
    position_kk = serializers.CharField(allow_blank=True, required=False, max_length=500)
    position_ru = serializers.CharField(allow_blank=True, required=False, max_length=500)

    def get_name(self, obj: EventOfficial) -> str:
        return obj.person.full_name if obj.person else ""


class OrganizerSerializer(Serializer):
    """An organizer: an organization of the registry or a department, one of the two."""

    organization = ScopedPrimaryKeyRelatedField(
        Organization, scope=scoped(registry_selectors.organization_list), allow_null=True, required=False
    )
    department = ScopedPrimaryKeyRelatedField(
        Department, scope=scoped(department_choices), allow_null=True, required=False
    )


class EthnicGroupSerializer(Serializer):
    name_kk = serializers.CharField(max_length=100)
    name_ru = serializers.CharField(max_length=100, allow_blank=True, required=False)
    count = serializers.IntegerField(min_value=0, allow_null=True, required=False)


class EventSerializer(ModelSerializer):
    title = serializers.CharField(read_only=True)
    format = ScopedSlugRelatedField(
        EventFormat, slug_field="code", scope=Reference(EventFormat.objects.filter(is_active=True))
    )
    territory = writable_territory("manage_event")
    visit = ScopedPrimaryKeyRelatedField(
        Visit, scope=scoped(program_selectors.visit_list), allow_null=True, required=False
    )
    venue = ScopedPrimaryKeyRelatedField(
        Organization, scope=scoped(registry_selectors.organization_list), allow_null=True, required=False
    )
    topics = ScopedSlugRelatedField(
        Topic, slug_field="code", many=True, scope=Reference(Topic.objects.all()), required=False
    )
    audiences = AudienceSerializer(
        many=True,
        required=False,
        help_text="Sensitive audiences (persons on probation…) are shown and taken only from holders "
        "of the sensitive capability; sending the list keeps the ones you may not see.",
    )
    officials = OfficialSerializer(many=True, required=False, help_text="Sending the list replaces it.")
    organizers = OrganizerSerializer(many=True, required=False, help_text="Sending the list replaces it.")
    ethnic_groups = EthnicGroupSerializer(
        many=True,
        required=False,
        allow_null=True,
        help_text="Restricted data: null for a caller without the sensitive capability in the "
        "event's territory, who may not send it either.",
    )
    version = serializers.IntegerField(
        required=False, help_text="The version you read; a stale one answers 409."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "title_kk",
            "title_ru",
            "format",
            "start",
            "end",
            "territory",
            "visit",
            "restricted",
            "summary_kk",
            "summary_ru",
            "venue",
            "venue_text",
            "total_participants",
            "outcomes_kk",
            "outcomes_ru",
            "topics",
            "audiences",
            "officials",
            "organizers",
            "ethnic_groups",
            "version",
        ]

    def validate_organizers(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            if (row.get("organization") is None) == (row.get("department") is None):
                raise serializers.ValidationError(
                    _("Each organizer is either an organization or a department.")
                )
        return rows

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Sensitive audiences (persons on probation…) are counted only by those who may see them.
        territory = attrs.get("territory") or (self.instance.territory if self.instance else None)
        user = getattr(self.context.get("request"), "user", None)
        if attrs.get("audiences") and not policies.can(user, "view_sensitive", territory):
            hidden = event_services.sensitive_categories()
            if any(row["category"].pk in hidden for row in attrs["audiences"]):
                raise serializers.ValidationError(
                    {"audiences": _("Only a user who may see restricted records can count this audience.")}
                )
        return attrs

    def to_representation(self, instance: Event) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        sensitive = policies.can(user, "view_sensitive", instance.territory)
        hidden: set[int] = set()
        if not sensitive:
            # Once per answer, however many events it holds.
            hidden = self.context.setdefault("sensitive_categories", event_services.sensitive_categories())
        data["audiences"] = [
            {"category": a.category.code, "count": a.count}
            for a in instance.audiences.all()
            if a.category_id not in hidden
        ]
        if not sensitive:
            data["ethnic_groups"] = None
        return data


def _event_children(data: dict[str, Any]) -> dict[str, Any]:
    children: dict[str, Any] = {}
    for name in ("topics", "officials", "organizers", "ethnic_groups"):
        if name in data:
            rows = data.pop(name)
            children[name] = [dict(row) for row in rows] if rows is not None and name != "topics" else rows
    if "audiences" in data:
        children["audiences"] = [(a["category"], a.get("count")) for a in data.pop("audiences")]
    return children


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("territory", str, description="KATO code: the events in its subtree"),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("format", str),
            OpenApiParameter("topic", str),
            OpenApiParameter("visit", int),
            OpenApiParameter("department", int),
        ]
    )
)
class EventViewSet(AuditedReads, _Writable):
    serializer_class = EventSerializer
    view_capability, manage_capability = "view_event", "manage_event"
    conflict_actions = ("update", "partial_update")  # a stale version (kelisim.api.schema)

    def shown(self, rows: list[Any]) -> list[Any]:
        return event_selectors.events_shown(
            user=self.request.user,
            events=rows,
            via="api_events",
            filters=event_filters(self.request.query_params),
        )

    def get_queryset(self) -> QuerySet[Event]:
        filters = event_filters(self.request.query_params) if self.action == "list" else None
        return (
            event_selectors.event_list_detailed(user=self.request.user, filters=filters)
            .filter(event_selectors.visible_q(self.request.user, self.capability()))
            .prefetch_related("organizers", "ethnic_groups")
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = event_selectors.event_get_for_user(user=request.user, pk=kwargs.get("pk"), via="api_events")
        return Response(self.get_serializer(event).data)

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        data.pop("version", None)
        return event_services.event_create(actor=self.request.user, **_event_children(data), **data)

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        version = data.pop("version", None)
        return event_services.event_update(
            actor=self.request.user, event=obj, version=version, **_event_children(data), **data
        )


# Registries ------------------------------------------------------------------------------------


class OrganizationSerializer(ModelSerializer):
    territory = writable_territory("manage_registry")
    head = ScopedPrimaryKeyRelatedField(
        Person, scope=scoped(registry_selectors.person_list), allow_null=True, required=False
    )

    class Meta:
        model = Organization
        fields = ["id", "type", "name_kk", "name_ru", "territory", "address", "head", "phone", "email"]


class OrganizationViewSet(_Writable):
    serializer_class = OrganizationSerializer
    view_capability, manage_capability = "view_registry", "manage_registry"

    def get_queryset(self) -> QuerySet[Organization]:
        return registry_selectors.organization_list(
            user=self.request.user,
            q=self.request.query_params.get("q", "")[:100],
            capability=self.capability(),
        )

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        return registry_services.organization_create(actor=self.request.user, **data)

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        return registry_services.organization_update(actor=self.request.user, organization=obj, **data)


class PersonSerializer(ModelSerializer):
    territory = writable_territory("manage_registry")
    positions = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "full_name", "kind", "territory", "positions"]

    def get_positions(self, obj: Person) -> list[dict[str, Any]]:
        return [
            {
                "title_kk": p.title_kk,
                "title_ru": p.title_ru,
                "organization": p.organization_id,
                "start": p.start,
                "end": p.end,
            }
            for p in obj.positions.all()
        ]


class PersonViewSet(AuditedReads, _Writable):
    serializer_class = PersonSerializer
    view_capability, manage_capability = "view_registry", "manage_registry"

    def shown(self, rows: list[Any]) -> list[Any]:
        return registry_selectors.people_shown(
            user=self.request.user,
            people=rows,
            via="api_people",
            filters={"q": bool(self.request.query_params.get("q"))},
        )

    def get_queryset(self) -> QuerySet[Person]:
        return registry_selectors.person_list(
            user=self.request.user,
            q=self.request.query_params.get("q", "")[:100],
            capability=self.capability(),
        )

    def perform_service_create(self, data: dict[str, Any]) -> Any:
        return registry_services.person_create(actor=self.request.user, **data)

    def perform_service_update(self, obj: Any, data: dict[str, Any]) -> Any:
        return registry_services.person_update(actor=self.request.user, person=obj, **data)
