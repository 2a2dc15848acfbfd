"""The main menu: every entry names the capability its page checks, so a link shows only where the
page answers 200 for this user.

When a view's check changes, change its entry here; `kelisim/tests/test_navigation.py` signs in as
every role and requests every link.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import policies


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise
    # The user needs one of these capabilities (anywhere); none: any signed-in user.
    capabilities: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    # A check of its own instead of `capabilities` (the administration: several, some country-wide).
    check: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: bool


MENU: tuple[Entry, ...] = (
    Entry("dashboard", _("Dashboard"), ("view_reports",)),  # reports.views.dashboard
    Entry("visit-list", _("Visits"), ("view_visit",)),  # programs.views.visit_list
    Entry("calendar", _("Calendar"), ("view_event",)),  # events.views.calendar
    Entry("reception-list", _("Receptions"), ("view_reception",)),  # appeals.views.reception_list
    Entry("appeal-queue", _("Appeals"), ("view_appeal",)),  # appeals.views.appeal_queue
    # appeals.views.applicant_lookup (appeals.applicants.may_look_up: this and view_appeal)
    Entry(
        "applicant-lookup", _("Applicants"), check=lambda user: _both(user, "lookup_applicant", "view_appeal")
    ),
    # surveys.views.instrument_list
    Entry("instrument-list", _("Surveys"), ("view_survey", "collect_survey")),
    Entry("focus-group-list", _("Focus groups"), ("view_survey",)),  # surveys.views.focus_group_list
    Entry("import-new", _("Import"), ("import_press_release",)),  # imports.views._can
    Entry("registry-list", _("Organizations"), ("view_registry",), args=("organizations",)),
    Entry("registry-list", _("People"), ("view_registry",), args=("people",)),
    Entry("territory-browse", _("Territories")),  # reference data: any signed-in user
    Entry("department-list", _("Departments"), ("view_department",)),  # accounts.views.department_list
    # appeals.views.external_body_list
    Entry("external-body-list", _("External bodies"), ("view_department",)),
    Entry("audit-log", _("Audit log"), ("view_audit",)),  # accounts.views.audit_log
    # accounts.views.admin_home: the pages the user may manage (Django's admin site among them, for staff)
    Entry("admin-home", _("Administration"), check=policies.may_administer),
)


def _both(user: Any, *capabilities: str) -> bool:
    return all(policies.can(user, cap) for cap in capabilities)


def _may_open(user: Any, entry: Entry) -> bool:
    if entry.check is not None:
        return entry.check(user)
    return not entry.capabilities or any(policies.can(user, cap) for cap in entry.capabilities)


def awaits_second_factor(user: Any) -> bool:
    """Until the second factor is verified every page but the set-up redirects: no menu yet."""
    return policies.second_factor_missing(user)


def menu_for(user: Any, path: str = "") -> list[Link]:
    """The entries `user` may open, the one `path` lies under marked current."""
    if not getattr(user, "is_authenticated", False) or awaits_second_factor(user):
        return []
    links = []
    for entry in MENU:
        if not _may_open(user, entry):
            continue
        url = reverse(entry.url_name, args=entry.args)
        links.append(Link(url=url, label=str(entry.label), current=path.startswith(url)))
    return links
