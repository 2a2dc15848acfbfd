"""The reviewed mapping of roles to capabilities. Change it here, then run `kelisim sync_roles`.

A capability is granted over the territory of a membership and every unit below it. Reading the
classifier is not a capability: territories are reference data for every signed-in user.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CAPABILITIES: dict[str, Promise] = {
    "view_territory": _("See a territory's workspace"),
    "view_department": _("See departments"),
    "manage_department": _("Add and edit departments"),
    "view_visit": _("See programs and visits"),
    "manage_visit": _("Plan and edit visits"),
    "view_event": _("See events"),
    "manage_event": _("Add and edit events"),
    "export_events": _("Export events (CSV, XLSX, iCalendar)"),
    "view_registry": _("See organizations and people"),
    "manage_registry": _("Add, edit and merge organizations and people"),
    "view_reception": _("See citizen receptions"),
    "manage_reception": _("Run citizen receptions"),
    "view_appeal": _("See appeals"),
    "register_appeal": _("Register appeals"),
    "manage_appeal": _("Work on appeals (assign, extend, redirect, answer)"),
    "close_appeal": _("Close and reopen appeals"),
    "import_appeals": _("Import and export appeals"),
    "lookup_applicant": _("Look up an applicant's earlier appeals by name or phone"),
    "view_survey": _("See survey results and focus groups"),
    "collect_survey": _("Collect survey responses and record focus groups"),
    "manage_instrument": _("Upload survey instruments"),
    "write_press_release": _("Write press releases"),
    "import_press_release": _("Import press releases into records"),
    "view_reports": _("See dashboards and reports"),
    "view_audit": _("Read the audit log"),
    "view_sensitive": _("See restricted records (probation, religion, ethnicity)"),
    "manage_users": _("Manage users and memberships"),
    "manage_open311": _("Issue and revoke Open311 keys"),
    "manage_reference": _(
        "Edit the country's reference lists (appeal categories, consent texts, working-day transfers)"
    ),
    "manage_territory_names": _("Correct the Kazakh names of territories"),
}


@dataclass(frozen=True)
class RoleSpec:
    name: Promise
    capabilities: frozenset[str]


_READ = frozenset(
    {"view_territory", "view_department", "view_visit", "view_event", "view_registry", "view_reports"}
)
_PLAN = frozenset({"manage_visit", "manage_event", "manage_registry", "export_events"})
_SURVEYS = frozenset({"view_survey", "collect_survey", "manage_instrument"})
_APPEALS = frozenset(
    {
        "view_reception",
        "manage_reception",
        "view_appeal",
        "register_appeal",
        "manage_appeal",
        "close_appeal",
        "lookup_applicant",
    }
)

ROLES: dict[str, RoleSpec] = {
    "system_admin": RoleSpec(_("System administrator"), frozenset(CAPABILITIES)),
    "regional_coordinator": RoleSpec(
        _("Regional coordinator"),
        _READ
        | _PLAN
        | _APPEALS
        | _SURVEYS
        | {"manage_department", "view_audit", "view_sensitive", "import_appeals", "write_press_release"}
        | {"import_press_release", "manage_territory_names", "manage_users", "manage_open311"},
    ),
    "district_coordinator": RoleSpec(
        _("District coordinator"),
        _READ | _PLAN | _APPEALS | {"manage_department", "import_appeals", "view_survey", "collect_survey"},
    ),
    "specialist": RoleSpec(
        _("Department specialist"),
        _READ
        | {
            "manage_event",
            "view_reception",
            "manage_reception",
            "view_appeal",
            "register_appeal",
            "manage_appeal",
            "lookup_applicant",
            "collect_survey",
        },
    ),
    "analyst": RoleSpec(_("Analyst"), _READ | _SURVEYS | {"export_events", "view_reception", "view_appeal"}),
    "press_officer": RoleSpec(
        _("Press officer"),
        _READ
        | {
            "export_events",
            "view_survey",
            "write_press_release",
            "import_press_release",
            "manage_event",
            "manage_visit",
        },
    ),
    "viewer": RoleSpec(_("Viewer"), frozenset({"view_territory"})),
}
