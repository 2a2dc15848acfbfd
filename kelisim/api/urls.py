from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import appeals, events, open311, openrosa, surveys, views

router = DefaultRouter(trailing_slash=True)
router.register("territories", views.TerritoryViewSet, basename="api-territory")
router.register("departments", views.DepartmentViewSet, basename="api-department")
router.register("programs", events.ProgramViewSet, basename="api-program")
router.register("visits", events.VisitViewSet, basename="api-visit")
router.register("visit-plans", events.VisitPlanViewSet, basename="api-visit-plan")
router.register("events", events.EventViewSet, basename="api-event")
router.register("organizations", events.OrganizationViewSet, basename="api-organization")
router.register("people", events.PersonViewSet, basename="api-person")
router.register("receptions", appeals.ReceptionViewSet, basename="api-reception")
router.register("appeals", appeals.AppealViewSet, basename="api-appeal")
router.register("external-bodies", appeals.ExternalBodyViewSet, basename="api-external-body")
router.register("instruments", surveys.InstrumentViewSet, basename="api-instrument")
router.register("responses", surveys.ResponseViewSet, basename="api-response")
router.register("focus-groups", surveys.FocusGroupViewSet, basename="api-focus-group")

urlpatterns = [
    # RFC 5545 feeds are addressed by file name, without the router's trailing slash.
    path(
        "api/v1/visits/<int:pk>/calendar.ics",
        events.VisitCalendarView.as_view(),
        name="visit-calendar-ics",
    ),
    path("api/v1/", include(router.urls)),
    path("open311/v2/", include(open311.urlpatterns)),
    path("openrosa/", include(openrosa.urlpatterns)),
    path("api/v1/me/", views.MeView.as_view(), name="api-me"),
    path("api/v1/indices/", surveys.IndicesView.as_view(), name="api-indices"),
    path("api/v1/search/", views.SearchView.as_view(), name="api-search"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script, as the CSP demands.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
