"""Survey instruments, responses, focus groups and indices over REST. Indices are the protected
tables of kelisim.surveys.selectors; single responses go to holders of view_sensitive only."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from kelisim.accounts import policies
from kelisim.core.scoping import scoped
from kelisim.events.models import Event
from kelisim.registry.models import Person
from kelisim.registry.selectors import person_list
from kelisim.surveys import focus, selectors, services
from kelisim.surveys.models import Finding, FocusGroup, Instrument, Response

from .fields import ModelSerializer, ScopedPrimaryKeyRelatedField, Serializer
from .filters import _code, _date, _int
from .serializers import writable_territory


class InstrumentSerializer(ModelSerializer):
    version = serializers.IntegerField(source="current.number", read_only=True, default=None)
    form_id = serializers.CharField(source="current.form_id", read_only=True, default="")
    scoring = serializers.JSONField(source="current.scoring", read_only=True, default=dict)

    class Meta:
        model = Instrument
        fields = ["id", "code", "kind", "name_kk", "name_ru", "version", "form_id", "scoring"]


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InstrumentSerializer

    def get_queryset(self) -> QuerySet[Instrument]:
        return selectors.instrument_list(user=self.request.user).prefetch_related("versions").order_by("code")


class ResponseSerializer(Serializer):
    """One response as selectors.microdata_rows gives it: for holders of view_sensitive only."""

    id = serializers.IntegerField()
    instrument = serializers.CharField()
    collected_on = serializers.DateField()
    district_code = serializers.CharField()
    age_band = serializers.CharField()
    gender = serializers.CharField()
    ethnicity = serializers.CharField()
    language = serializers.CharField()
    occupation = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    band = serializers.CharField()
    subscales = serializers.DictField()
    answers = serializers.DictField()


@extend_schema(parameters=[OpenApiParameter("instrument", str), OpenApiParameter("territory", str)])
class ResponseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Single anonymous responses with every answer, ethnicity included: only for holders of
    view_sensitive (403 for anybody else: use /api/v1/indices/), and each page read is audited."""

    serializer_class = ResponseSerializer

    def get_queryset(self) -> QuerySet[Response]:
        if not selectors.microdata_allowed(self.request.user):
            raise PermissionDenied(
                _("Single responses are given only to those who may see sensitive records; use the indices.")
            )
        params = self.request.query_params
        instrument = (
            selectors.instrument_list(user=self.request.user)
            .filter(code=params.get("instrument", ""))
            .first()
            if params.get("instrument")
            else None
        )
        if params.get("instrument") and instrument is None:
            return Response.objects.none()
        return selectors.microdata(
            user=self.request.user, instrument=instrument, territory=_code(params, "territory")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.microdata_rows(user=request.user, rows=page or [], surface="api")
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class FindingSerializer(Serializer):
    theme = serializers.ChoiceField(choices=Finding.Theme.choices)
    tension_signal = serializers.BooleanField(default=False)
    severity = serializers.ChoiceField(
        choices=Finding.Severity.choices,
        allow_blank=True,
        default="",
        help_text=_("Required for a tension signal."),
    )
    quote = serializers.CharField(allow_blank=True, default="", max_length=2000)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": [focus.SMALL]}]})
class MaskedCountField(serializers.ReadOnlyField):
    """A head count, or "<5" for a reader without the sensitive capability."""


class FocusGroupSerializer(ModelSerializer):
    """A focus-group session. `composition` is {group: {category: count}} for the groups
    age_band, gender and ethnicity; it is given back with counts below five as "<5" (and one more
    as "…" where the total would give a small one away), without the ethnicity group, to a reader
    without the sensitive capability in the session's territory."""

    event = ScopedPrimaryKeyRelatedField(Event, scope=scoped(selectors.focus_group_events))
    territory = writable_territory(
        "collect_survey",
        required=False,
        help_text=_("KATO code within the visit's district; the event's territory when left out."),
    )
    moderator = ScopedPrimaryKeyRelatedField(
        Person, scope=scoped(person_list), required=False, allow_null=True
    )
    held_on = serializers.DateField(required=False, help_text=_("The event's day when left out."))
    composition = serializers.JSONField(required=False)
    findings = FindingSerializer(many=True, required=False)
    participants = MaskedCountField()

    class Meta:
        model = FocusGroup
        fields = [
            "id",
            "event",
            "held_on",
            "territory",
            "moderator",
            "participants",
            "composition",
            "guide_questions",
            "summary_kk",
            "summary_ru",
            "findings",
        ]
        read_only_fields = ["id", "participants"]

    def to_representation(self, instance: FocusGroup) -> dict[str, Any]:
        request = self.context.get("request")
        (shown,) = selectors.focus_groups_shown(
            user=getattr(request, "user", None), groups=[instance], via="api"
        )
        return {
            "id": instance.pk,
            "event": instance.event_id,
            "held_on": instance.held_on.isoformat() if instance.held_on else None,
            "territory": instance.territory.code if instance.territory else None,
            "moderator": instance.moderator_id,
            "participants": shown.participants,
            "composition": {
                part.code: {code: n for code, _label, n in part.counts} for part in shown.composition
            },
            "guide_questions": instance.guide_questions,
            "summary_kk": instance.summary_kk,
            "summary_ru": instance.summary_ru,
            "findings": [
                {
                    "theme": f.theme,
                    "tension_signal": f.tension_signal,
                    "severity": f.severity,
                    "quote": f.quote,
                }
                for f in shown.findings
            ],
        }


class FocusGroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Focus-group sessions: read with view_survey; recorded, changed and removed with
    collect_survey, through the same services as the pages. Sending `findings` replaces them all."""

    serializer_class = FocusGroupSerializer

    def get_queryset(self) -> QuerySet[FocusGroup]:
        reading = self.request.method in ("GET", "HEAD", "OPTIONS")
        return selectors.focus_groups(
            user=self.request.user, capability="view_survey" if reading else "collect_survey"
        )

    def _shown(self, obj: FocusGroup, status: int = 200) -> ApiResponse:
        fresh = FocusGroup.objects.select_related("event", "territory", "moderator").get(pk=obj.pk)
        return ApiResponse(self.get_serializer(fresh).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        if not policies.can(request.user, "collect_survey"):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group = services.focus_group_record(
            actor=request.user,
            event=data["event"],
            held_on=data.get("held_on"),
            territory=data.get("territory"),
            moderator=data.get("moderator"),
            composition=data.get("composition") or {},
            guide_questions=data.get("guide_questions", ""),
            summary_kk=data.get("summary_kk", ""),
            summary_ru=data.get("summary_ru", ""),
            findings=[dict(f) for f in data.get("findings", [])],
        )
        return self._shown(group, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        group = self.get_object()
        serializer = self.get_serializer(group, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        findings = (
            [dict(f) for f in data["findings"]]
            if "findings" in data
            else [
                {
                    "theme": f.theme,
                    "tension_signal": f.tension_signal,
                    "severity": f.severity,
                    "quote": f.quote,
                }
                for f in group.findings.all()
            ]
        )
        services.focus_group_update(
            actor=request.user,
            group=group,
            event=data.get("event", group.event),
            held_on=data.get("held_on", group.held_on),
            territory=data.get("territory", group.territory),
            moderator=data.get("moderator", group.moderator),
            composition=data.get("composition", group.composition),
            guide_questions=data.get("guide_questions", group.guide_questions),
            summary_kk=data.get("summary_kk", group.summary_kk),
            summary_ru=data.get("summary_ru", group.summary_ru),
            findings=findings,
        )
        return self._shown(group)

    def perform_destroy(self, instance: FocusGroup) -> None:
        services.focus_group_delete(actor=self.request.user, group=instance)


class IndexCellSerializer(Serializer):
    group = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    n = serializers.IntegerField()
    mean = serializers.DictField()
    shares = serializers.DictField()


class IndexTableSerializer(Serializer):
    count = serializers.IntegerField()
    results = IndexCellSerializer(many=True)


class IndicesView(APIView):
    """404 for an instrument the caller may not read, as for one that does not exist."""

    error_statuses = ("404",)  # kelisim.api.schema

    @extend_schema(
        parameters=[
            OpenApiParameter("instrument", str, required=True),
            OpenApiParameter("territory", str, description="KATO code of a region or a district"),
            OpenApiParameter(
                "group_by",
                str,
                enum=list(selectors.GROUPS),
                description="A grouping on a sensitive question is refused without view_sensitive.",
            ),
            OpenApiParameter("year", int, description="One calendar year (default: every year)"),
            OpenApiParameter("date_from", str, description="With date_to, within one calendar year"),
            OpenApiParameter("date_to", str),
        ],
        responses=IndexTableSerializer,
    )
    def get(self, request: Request) -> ApiResponse:
        params = request.query_params
        instrument = (
            selectors.instrument_list(user=request.user).filter(code=params.get("instrument", "")).first()
        )
        if instrument is None or not policies.can(request.user, "view_survey"):
            raise Http404
        group_by = params.get("group_by", "district")
        offered = selectors.groupings(user=request.user, instrument=instrument)
        if group_by not in offered:
            raise serializers.ValidationError(
                {"group_by": [_("One of: %(list)s.") % {"list": ", ".join(offered)}]}
            )
        territory = _code(params, "territory")
        where = selectors.place(territory)
        if where is not None and where.coarsened:
            raise serializers.ValidationError(
                {"territory": [_("Figures are given for regions and districts: give the code of one.")]}
            )
        year = _int(params, "year")
        try:
            chosen = selectors.period_year(_date(params, "date_from"), _date(params, "date_to"), year)
        except selectors.PeriodError:
            raise serializers.ValidationError(
                {
                    "date_to": [
                        _("Figures are given for whole calendar years: give dates within one year, or year.")
                    ]
                }
            ) from None
        cells = selectors.index_table(
            user=request.user,
            instrument=instrument,
            group_by=group_by,
            territory=territory,
            year=chosen,
        )

        def interval(i: Any) -> dict[str, float]:
            return {"estimate": round(i.estimate, 4), "low": round(i.low, 4), "high": round(i.high, 4)}

        return ApiResponse(
            {
                "count": len(cells),
                "results": [
                    {
                        "group": c.key,
                        "label": c.label,
                        "n": c.n,
                        "mean": interval(c.mean),
                        "shares": {b: interval(s) for b, s in c.shares.items()},
                    }
                    for c in cells
                ],
            }
        )
