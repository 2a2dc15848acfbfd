"""Survey instruments, responses, focus groups and indices over REST; the small-cell rule holds."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from kelisim.accounts import policies
from kelisim.surveys import selectors
from kelisim.surveys.models import FocusGroup, Instrument, Response

from .fields import ModelSerializer
from .filters import _code, _date


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


class ResponseSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="version.instrument.code", read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "instrument",
            "collected_on",
            "district_code",
            "age_band",
            "gender",
            "language",
            "occupation",
            "total",
            "band",
            "subscales",
            "answers",
        ]


@extend_schema(parameters=[OpenApiParameter("instrument", str), OpenApiParameter("territory", str)])
class ResponseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Single anonymous responses, only from districts with at least five of them."""

    serializer_class = ResponseSerializer

    def get_queryset(self) -> QuerySet[Response]:
        if not policies.can(self.request.user, "view_survey"):
            return Response.objects.none()
        params = self.request.query_params
        instrument = (
            Instrument.objects.filter(code=params.get("instrument", "")).first()
            if params.get("instrument")
            else None
        )
        return selectors.exportable_responses(
            user=self.request.user, instrument=instrument, territory=_code(params, "territory")
        ).select_related("version__instrument")


class FocusGroupSerializer(ModelSerializer):
    findings = serializers.SerializerMethodField()
    participants = serializers.IntegerField(read_only=True)

    class Meta:
        model = FocusGroup
        fields = [
            "id",
            "event",
            "moderator",
            "participants",
            "composition",
            "guide_questions",
            "summary_kk",
            "summary_ru",
            "findings",
        ]
        # Focus groups are recorded on the pages; here they are read.
        read_only_fields = fields

    def get_findings(self, obj: FocusGroup) -> list[dict[str, Any]]:
        return [
            {"theme": f.theme, "tension_signal": f.tension_signal, "quote": f.quote}
            for f in obj.findings.all()
        ]

    def to_representation(self, instance: FocusGroup) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Composition counts below five would single people out: show them as "<5".
        data["composition"] = {
            part: {k: (v if v >= 5 or v == 0 else "<5") for k, v in counts.items()}
            for part, counts in instance.composition.items()
        }
        return data


class FocusGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FocusGroupSerializer

    def get_queryset(self) -> QuerySet[FocusGroup]:
        return selectors.focus_groups(user=self.request.user).order_by("id")


class IndexCellSerializer(serializers.Serializer):
    group = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    n = serializers.IntegerField()
    mean = serializers.DictField()
    shares = serializers.DictField()


class IndicesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("instrument", str, required=True),
            OpenApiParameter("territory", str),
            OpenApiParameter("group_by", str, enum=list(selectors.GROUPS)),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
        ],
        responses=IndexCellSerializer(many=True),
    )
    def get(self, request: Request) -> ApiResponse:
        params = request.query_params
        instrument = (
            selectors.instrument_list(user=request.user).filter(code=params.get("instrument", "")).first()
        )
        if instrument is None or not policies.can(request.user, "view_survey"):
            raise Http404
        group_by = params.get("group_by", "district")
        if group_by not in selectors.GROUPS:
            raise serializers.ValidationError({"group_by": [f"One of: {', '.join(selectors.GROUPS)}"]})
        cells = selectors.index_table(
            user=request.user,
            instrument=instrument,
            group_by=group_by,
            territory=_code(params, "territory"),
            date_from=_date(params, "date_from"),
            date_to=_date(params, "date_to"),
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
