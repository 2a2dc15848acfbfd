"""Survey instruments, responses, focus groups and indices over REST. Indices are the protected
tables of kelisim.surveys.selectors; single responses go to holders of view_sensitive only."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from kelisim.accounts import policies
from kelisim.surveys import selectors
from kelisim.surveys.models import FocusGroup, Instrument, Response

from .fields import ModelSerializer, Serializer
from .filters import _code, _date, _int


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


class IndexCellSerializer(Serializer):
    group = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    n = serializers.IntegerField()
    mean = serializers.DictField()
    shares = serializers.DictField()


class IndicesView(APIView):
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
