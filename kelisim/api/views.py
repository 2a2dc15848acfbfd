"""The REST API: the same selectors, services and policies as the pages."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kelisim.accounts import policies, selectors, services
from kelisim.accounts.models import Department
from kelisim.search import selectors as search_selectors
from kelisim.territories.models import Territory
from kelisim.territories.selectors import territory_list

from .filters import _code
from .serializers import DepartmentSerializer, MeSerializer, TerritorySerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("parent", str, description="KATO code of the parent unit"),
            OpenApiParameter("level", int, enum=[1, 2, 3, 4], description="1 region … 4 settlement"),
            OpenApiParameter("q", str, description="part of a kk/ru name, or a code"),
        ]
    )
)
class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The KATO classifier: reference data that any signed-in user may read."""

    serializer_class = TerritorySerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{9}"

    def get_queryset(self) -> QuerySet[Territory]:
        params = self.request.query_params
        level = params.get("level", "")
        if self.action == "retrieve":
            return Territory.objects.select_related("parent")
        return territory_list(
            parent=_code(params, "parent"),
            level=int(level) if level.isdecimal() else None,
            q=(params.get("q") or "")[:100] or None,
        ).select_related("parent")


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self) -> Any:
        return self.request.user


class DepartmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DepartmentSerializer

    def get_queryset(self) -> QuerySet[Department]:
        capability = (
            "view_department" if self.request.method in ("GET", "HEAD", "OPTIONS") else "manage_department"
        )
        return selectors.department_list(user=self.request.user, capability=capability)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not policies.can(request.user, "manage_department"):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = services.department_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(department).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        department = self.get_object()
        serializer = self.get_serializer(department, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        department = services.department_update(
            actor=request.user, department=department, **serializer.validated_data
        )
        return Response(self.get_serializer(department).data)


class SearchView(APIView):
    """One search box over visits, events, organizations, people and appeals, in your scope."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True), OpenApiParameter("page", int)],
        responses=inline_serializer(
            "SearchResults",
            {
                "count": serializers.IntegerField(help_text="Matches, counted up to 1,000."),
                "capped": serializers.BooleanField(help_text="There are more matches than `count`."),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if not query.strip():
            raise serializers.ValidationError({"q": [_("Type something to search for.")]})
        page = request.query_params.get("page", "1")
        offset = (int(page) - 1) * 50 if page.isdecimal() and int(page) > 0 else 0
        total, hits = search_selectors.search(
            user=request.user, query=query, limit=50, offset=offset, via="api_search"
        )
        return Response(
            {
                "count": min(total, search_selectors.COUNT_CAP),
                "capped": total > search_selectors.COUNT_CAP,
                "results": [
                    {
                        "type": h.type,
                        "id": h.id,
                        "title": str(h.title),
                        "snippet": str(h.snippet),
                        "url": h.url,
                    }
                    for h in hits
                ],
            }
        )
