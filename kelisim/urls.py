from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kelisim.accounts import twofactor
from kelisim.accounts import views as accounts
from kelisim.appeals import admin_views as appeals_admin
from kelisim.appeals import views as appeals
from kelisim.core import views as core
from kelisim.events import group_views as group
from kelisim.events import views as events
from kelisim.imports import views as imports
from kelisim.notices import views as notices
from kelisim.programs import views as programs
from kelisim.public import views as public
from kelisim.registry import views as registry
from kelisim.reports import views as reports
from kelisim.search import views as search
from kelisim.surveys import views as surveys
from kelisim.territories import views as territories

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("jobs/<uuid:pk>/", core.job_detail, name="job-detail"),
    path("readyz", core.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html", success_url="/accounts/password/done/"
        ),
        name="password-change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password-changed",
    ),
    path("accounts/2fa/", twofactor.second_factor, name="second-factor"),
    path("accounts/tokens/", accounts.api_tokens, name="api-tokens"),
    path("accounts/collection-credentials/", accounts.collection_credentials, name="collection-credentials"),
    path("language/", accounts.set_language, name="set-language"),
    path("territories/", territories.territory_browse, name="territory-browse"),
    path("territories/picker/", territories.territory_picker_options, name="territory-picker-options"),
    path("t/<str:code>/", accounts.territory_workspace, name="territory-workspace"),
    path("t/<str:code>/name/", accounts.territory_name_edit, name="territory-name-edit"),
    path("departments/", accounts.department_list, name="department-list"),
    path("departments/new/", accounts.department_create, name="department-create"),
    path("departments/<int:pk>/", accounts.department_detail, name="department-detail"),
    path("departments/<int:pk>/edit/", accounts.department_edit, name="department-edit"),
    path("departments/<int:pk>/remove/", accounts.department_remove, name="department-remove"),
    path("manage/", accounts.admin_home, name="admin-home"),
    path("manage/users/", accounts.user_list, name="admin-users"),
    path("manage/users/new/", accounts.user_create, name="admin-user-create"),
    path("manage/users/<int:pk>/", accounts.user_detail, name="admin-user"),
    path("manage/open311/", appeals_admin.open311_keys, name="admin-open311-keys"),
    path(
        "manage/open311/<int:pk>/revoke/", appeals_admin.open311_key_revoke, name="admin-open311-key-revoke"
    ),
    path("manage/workdays/", appeals_admin.workdays, name="admin-workdays"),
    path("manage/workdays/new/", appeals_admin.workday_edit, name="admin-workday-create"),
    path("manage/workdays/<int:pk>/", appeals_admin.workday_edit, name="admin-workday-edit"),
    path("manage/workdays/<int:pk>/remove/", appeals_admin.workday_remove, name="admin-workday-remove"),
    path("manage/categories/", appeals_admin.categories, name="admin-categories"),
    path("manage/categories/new/", appeals_admin.category_edit, name="admin-category-create"),
    path("manage/categories/<int:pk>/", appeals_admin.category_edit, name="admin-category-edit"),
    path("manage/consent/", appeals_admin.consent_texts, name="admin-consent"),
    path("manage/notices/", notices.template_list, name="admin-notice-templates"),
    path("manage/notices/new/", notices.template_edit, name="admin-notice-template-create"),
    path("manage/notices/<int:pk>/", notices.template_edit, name="admin-notice-template-edit"),
    path("manage/consent/<int:pk>/", appeals_admin.consent_text_edit, name="admin-consent-edit"),
    path("manage/restricted-wording/", reports.restricted_templates, name="admin-restricted-templates"),
    path("audit/", accounts.audit_log, name="audit-log"),
    path("programs/", programs.program_list, name="program-list"),
    path("programs/new/", programs.program_create, name="program-create"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program-edit"),
    path("programs/<int:pk>/plans/<int:year>/", programs.visit_plan, name="visit-plan"),
    path(
        "programs/<int:pk>/plans/<int:year>/template.xlsx",
        programs.visit_plan_template,
        name="visit-plan-template",
    ),
    path("programs/<int:pk>/plans/<int:year>/import/", programs.visit_plan_import, name="visit-plan-import"),
    path("visits/", programs.visit_list, name="visit-list"),
    path("visits/new/", programs.visit_create, name="visit-create"),
    path("visits/<int:pk>/", events.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", programs.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/group/", group.visit_group, name="visit-group"),
    path("visits/<int:pk>/group/add/", group.member_add, name="member-add"),
    path("visits/<int:pk>/group/invite/", group.visit_invite, name="visit-invite"),
    path("visits/<int:pk>/subgroups/add/", group.subgroup_add, name="subgroup-add"),
    path("members/<int:pk>/", group.member_edit, name="member-edit"),
    path("members/<int:pk>/replace/", group.member_replace, name="member-replace"),
    path("members/<int:pk>/remove/", group.member_remove, name="member-remove"),
    path("subgroups/<int:pk>/", group.subgroup_edit, name="subgroup-edit"),
    path("subgroups/<int:pk>/remove/", group.subgroup_remove, name="subgroup-remove"),
    path("invitations/<str:token>/", group.invitation, name="invitation"),
    path("visits/<int:pk>/status/", programs.visit_status, name="visit-status"),
    path("visits/<int:pk>/public/", programs.visit_public, name="visit-public"),
    path("visits/<int:pk>/copy/", programs.visit_copy, name="visit-copy"),
    path("visits/<int:pk>/press-release/", reports.press_release, name="press-release"),
    path(
        "visits/<int:pk>/press-release/generate/",
        reports.press_release_generate,
        name="press-release-generate",
    ),
    path("visits/<int:pk>/press-release/save/", reports.press_release_save, name="press-release-save"),
    path(
        "visits/<int:pk>/press-release/<int:number>.<str:kind>",
        reports.press_release_download,
        name="press-release-download",
    ),
    path("visits/<int:pk>/report.<str:kind>", reports.report_download, name="visit-report"),
    path("dashboard/", reports.dashboard, name="dashboard"),
    path("search/", search.search_page, name="search"),
    path("imports/", imports.import_new, name="import-new"),
    path("imports/<int:pk>/", imports.import_review, name="import-review"),
    path("imports/<int:pk>/commit/", imports.import_commit, name="import-commit"),
    path("imports/drafts/<int:pk>/", imports.draft_decide, name="draft-decide"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/attachments/", events.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/", events.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/preview/", events.attachment_preview, name="attachment-preview"),
    path("calendar/", events.calendar, name="calendar"),
    path("calendar/export.<str:kind>", events.events_export, name="events-export"),
    path("calendar/feed/renew/", events.feed_renew, name="feed-renew"),
    path("calendar/feed/<str:token>.ics", events.feed, name="feed"),
    path("receptions/", appeals.reception_list, name="reception-list"),
    path("receptions/new/", appeals.reception_create, name="reception-create"),
    path("receptions/<int:pk>/", appeals.reception_desk, name="reception-desk"),
    path("receptions/offline-sync/", appeals.reception_offline_sync, name="reception-offline-sync"),
    path("sw.js", appeals.desk_service_worker, name="desk-service-worker"),
    path("manifest.webmanifest", appeals.web_manifest, name="web-manifest"),
    path("receptions/<int:pk>/edit/", appeals.reception_edit, name="reception-edit"),
    path("receptions/<int:pk>/delete/", appeals.reception_delete, name="reception-delete"),
    path("preregistrations/<int:pk>/admit/", appeals.preregistration_admit, name="preregistration-admit"),
    path("preregistrations/<int:pk>/remove/", appeals.preregistration_remove, name="preregistration-remove"),
    path("visitors/<int:pk>/outcome/", appeals.visitor_outcome, name="visitor-outcome"),
    path("appeals/", appeals.appeal_list, name="appeal-list"),
    path("appeals/queue/", appeals.appeal_queue, name="appeal-queue"),
    path("appeals/new/", appeals.appeal_create, name="appeal-create"),
    path("appeals/import/", appeals.appeal_import, name="appeal-import"),
    path("appeals/applicants/", appeals.applicant_lookup, name="applicant-lookup"),
    path("appeals/export.xlsx", appeals.appeal_export, name="appeal-export"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal-detail"),
    path("appeals/<int:pk>/transition/", appeals.appeal_transition, name="appeal-transition"),
    path("appeals/<int:pk>/assign/", appeals.appeal_assign, name="appeal-assign"),
    path("appeals/<int:pk>/reroute/", appeals.appeal_reroute, name="appeal-reroute"),
    path("external-bodies/", appeals.external_body_list, name="external-body-list"),
    path("external-bodies/new/", appeals.external_body_create, name="external-body-create"),
    path("external-bodies/<int:pk>/", appeals.external_body_edit, name="external-body-edit"),
    path("appeals/<int:pk>/receipt/", appeals.appeal_receipt, name="appeal-receipt"),
    path("appeals/<int:pk>/receipt.pdf", appeals.appeal_receipt_pdf, name="appeal-receipt-pdf"),
    path("surveys/", surveys.instrument_list, name="instrument-list"),
    path("surveys/<int:pk>/", surveys.instrument_detail, name="instrument-detail"),
    path("surveys/<int:pk>/v<int:number>.<str:kind>", surveys.version_download, name="instrument-download"),
    path("surveys/<int:pk>/paper/", surveys.paper_entry, name="paper-entry"),
    path("surveys/<int:pk>/print/", surveys.paper_print, name="paper-print"),
    path("surveys/<int:pk>/analytics/", surveys.analytics, name="survey-analytics"),
    path("surveys/<int:pk>/<str:what>.<str:kind>", surveys.export, name="survey-export"),
    path("focus-groups/", surveys.focus_group_list, name="focus-group-list"),
    path("focus-groups/<int:pk>/", surveys.focus_group_detail, name="focus-group-detail"),
    path("focus-groups/<int:pk>/edit/", surveys.focus_group_edit, name="focus-group-edit"),
    path("focus-groups/<int:pk>/delete/", surveys.focus_group_delete, name="focus-group-delete"),
    path("visits/<int:visit>/focus-groups/new/", surveys.focus_group_create, name="focus-group-create"),
    path("surveys/links/<int:pk>/close/", surveys.link_close, name="collection-link-close"),
    path("s/<str:token>/", surveys.public_form, name="public-form"),
    path("feedback/<str:token>/", reports.appeal_feedback, name="appeal-feedback"),
    path("registry/people/<int:pk>/positions/", registry.position_add, name="position-add"),
    path("positions/<int:pk>/end/", registry.position_end, name="position-end"),
    path("s/<str:token>/media/<str:filename>", surveys.public_media, name="public-form-media"),
    path("registry/<str:kind>/", registry.registry_list, name="registry-list"),
    path("registry/<str:kind>/new/", registry.registry_edit, name="registry-create"),
    path("registry/<str:kind>/<int:pk>/", registry.registry_detail, name="registry-detail"),
    path("registry/<str:kind>/<int:pk>/edit/", registry.registry_edit, name="registry-edit"),
    # Public pages: no sign-in (kelisim/public)
    path("p/<str:slug>/", public.visit_page, name="public-visit"),
    path("p/<str:slug>/calendar.ics", public.visit_calendar, name="public-visit-calendar"),
    path("p/<str:slug>/poster/", public.visit_poster, name="public-visit-poster"),
    path("p/<str:slug>/receptions/<int:reception>/", public.preregister, name="public-preregister"),
    path("status/", public.status_lookup, name="public-status"),
    path("admin/", admin.site.urls),
    path("", include("kelisim.api.urls")),
]

# Our pages, in the base layout and the user's language (kelisim/core/errors.py).
handler400 = "kelisim.core.errors.bad_request"
handler403 = "kelisim.core.errors.permission_denied"
handler404 = "kelisim.core.errors.page_not_found"
handler500 = "kelisim.core.errors.server_error"
