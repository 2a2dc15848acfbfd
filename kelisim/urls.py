from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kelisim.accounts import views as accounts
from kelisim.core import views as core
from kelisim.territories import views as territories

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", accounts.set_language, name="set-language"),
    path("territories/", territories.territory_browse, name="territory-browse"),
    path("territories/picker/", territories.territory_picker_options, name="territory-picker-options"),
    path("t/<str:code>/", accounts.territory_workspace, name="territory-workspace"),
    path("departments/", accounts.department_list, name="department-list"),
    path("departments/new/", accounts.department_create, name="department-create"),
    path("departments/<int:pk>/", accounts.department_detail, name="department-detail"),
    path("departments/<int:pk>/edit/", accounts.department_edit, name="department-edit"),
    path("audit/", accounts.audit_log, name="audit-log"),
    path("admin/", admin.site.urls),
    path("", include("kelisim.api.urls")),
]
