"""Every relation a user can write is chosen among the records open to that user.

The first test finds the relation fields by itself: every writable related field of every
serializer the API serves (its router's viewsets, its views, and every serializer class in
`kelisim.api`, nested ones included) and every ModelChoiceField of every form class in
`kelisim.*.forms` and `kelisim.*.views`. Each must take its choices from a scope, and each must
have a case below: a new relation field without one turns the suite red.

Each case then posts, as a user holding every capability in Shu (district 316600000), the id of a
Korday (314800000) record and an id that does not exist. Both answers must be the same (status and
body; on pages the form's errors and the messages), nothing may change in the database, and no
answer may hold the Korday record's name. The same request with a Shu record must pass that field,
so the refusal is the field's doing. Reference data (formats, topics, audience and appeal
categories) is the same for everyone: there a missing id is refused, a real one taken.
"""

import importlib
import json
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver
from rest_framework import serializers as drf

import kelisim
from kelisim.core.forms import SCOPED_FIELDS as SCOPED_FORM_FIELDS
from kelisim.core.scoping import NOT_FOUND, Reference

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
MISSING_CODE, MISSING_PK, MISSING_SLUG = "999999999", 987654321, "no-such-code"
AT = datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty"))
REFERENCE_MODELS = {"events.eventformat", "events.topic", "events.audiencecategory", "appeals.category"}


# Discovery -------------------------------------------------------------------------------------


def _api_serializer_classes() -> set[type[drf.BaseSerializer]]:
    """Serializers of every API view (router viewsets and plain views), and every serializer
    class the API modules define (request bodies of actions such as an appeal's transition)."""
    import kelisim.api
    from kelisim.api import urls

    found: set[type[drf.BaseSerializer]] = set()

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                serializer = getattr(view, "serializer_class", None)
                if serializer is not None:
                    found.add(serializer)

    walk(urls.urlpatterns)
    for _finder, name, _pkg in pkgutil.iter_modules(kelisim.api.__path__):
        if name == "tests":
            continue
        module = importlib.import_module(f"kelisim.api.{name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, drf.BaseSerializer)
                and obj.__module__ == module.__name__
            ):
                found.add(obj)
    return found


def _writable_relations(prefix: str, serializer: drf.Serializer) -> Iterator[tuple[str, drf.RelatedField]]:
    for name, item in serializer.fields.items():
        if item.read_only:
            continue
        path = f"{prefix}.{name}"
        if isinstance(item, drf.ListSerializer):
            yield from _writable_relations(path, item.child)  # type: ignore[arg-type]
        elif isinstance(item, drf.Serializer):
            yield from _writable_relations(path, item)
        elif isinstance(item, drf.ManyRelatedField):
            yield path, item.child_relation
        elif isinstance(item, drf.RelatedField):
            yield path, item


def _nested(serializer: drf.Serializer) -> Iterator[type[drf.BaseSerializer]]:
    for item in serializer.fields.values():
        child = item.child if isinstance(item, drf.ListSerializer) else item
        if isinstance(child, drf.Serializer):
            yield type(child)
            yield from _nested(child)


def api_relations() -> dict[str, drf.RelatedField]:
    """Writable relations, named by the path a client writes them at: a serializer used only
    inside another (an event's officials) is named through the one that carries it."""
    roots = {
        cls: cls()
        for cls in _api_serializer_classes()
        # a list of a serializer found on its own; an abstract base
        if not issubclass(cls, drf.ListSerializer)
        and not (issubclass(cls, drf.ModelSerializer) and not hasattr(cls, "Meta"))
    }
    nested = {inner for serializer in roots.values() for inner in _nested(serializer)}
    found = {}
    for cls, serializer in roots.items():
        if cls not in nested:
            found.update(_writable_relations(cls.__name__, serializer))
    return found


def form_relations() -> dict[str, forms.ModelChoiceField]:
    """ModelChoiceFields (TerritoryField and ModelMultipleChoiceField among them) of every form
    class in the apps' forms and views modules."""
    found = {}
    for _finder, app, is_package in pkgutil.iter_modules(kelisim.__path__):
        if not is_package:
            continue
        for part in ("forms", "views"):
            try:
                module = importlib.import_module(f"kelisim.{app}.{part}")
            except ModuleNotFoundError as error:
                if error.name != f"kelisim.{app}.{part}":
                    raise
                continue
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                ):
                    for name, item in obj.base_fields.items():
                        if isinstance(item, forms.ModelChoiceField):
                            found[f"{obj.__name__}.{name}"] = item
    return found


def _scope_of(item: Any) -> Any:
    return getattr(item, "scope", None)


# The cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    field: str  # Serializer.path or Form.field, as discovered
    url: str  # formatted with the world's keys
    base: dict[str, Any]  # a request that passes, before the value goes in
    at: str  # where the value goes: "venue", "officials.0.person", "topics", "officials-0-person"
    outside: str = ""  # key of the Korday value; empty for reference data
    inside: str = ""  # key of a value that passes
    missing: Any = MISSING_PK
    many: bool = False  # the value goes in a list
    method: str = "post"
    form: str = "form"  # the form's (or the formset's) name in the page's context
    survey: bool = False  # needs the ready-made instruments
    ok: int = 0  # the status of a request that passes, when not 200/201 (API) or 302 (page form)

    @property
    def api(self) -> bool:
        return self.url.startswith("/api/")

    def __str__(self) -> str:
        return self.field


DEPARTMENT = {"code": "new_dept", "kind": "division", "name_kk": "Жаңа бөлім", "name_ru": "Новый отдел"}
EVENT = {
    "format": "meeting",
    "title_kk": "Шу кездесуі",
    "start": "2024-06-03T10:00:00+05:00",
    "end": "2024-06-03T12:00:00+05:00",
    "territory": SHU,
    "visit": "{shu_visit}",
    "venue": "{shu_org}",
    "topics": ["family_values"],
    "audiences": [{"category": "youth", "count": 12}],
    "officials": [{"person": "{shu_person}", "role": "speaker"}],
}
RECEPTION = {
    "visit": "{shu_visit}",
    "department": "{shu_department}",
    "territory": SHU,
    "place": "Әкімдік",
    "start": "2024-06-03T10:00:00+05:00",
    "end": "2024-06-03T12:00:00+05:00",
}
APPEAL = {
    "type": "statement",
    "channel": "written",
    "applicant_name": "Шу тұрғыны",
    "territory": SHU,
    "department": "{shu_department}",
    "category": "land",
    "text": "Мәтін",
    "received_on": "2024-06-03",
    "lead_executor": "{shu_executor}",
}
APPEAL_PAGE = {**APPEAL, "applicant_kind": "person", "category": "{category}"}
EVENT_PAGE = {
    "format": "{format}",
    "title_kk": "Шу кездесуі",
    "start": "2024-06-03T10:00",
    "end": "2024-06-03T12:00",
    "territory": SHU,
    "venue": "{shu_org}",
    "topics": ["{topic}"],
    "subgroup": "{shu_subgroup}",
}


def _rows(prefix: str) -> dict[str, str]:
    """The management form of a one-row formset on a page."""
    return {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}


VISIT_PAGE = {"program": "{program}", "territory": SHU, "date_start": "2024-06-03", "date_end": "2024-06-04"}
VISITOR = {
    "name": "Шу тұрғыны",
    "question": "Сұрақ",
    "department": "{shu_department}",
    "category": "{category}",
    "settlement": "{shu_village}",
    "consent_given": "on",
}
TERRITORY = {"outside": "korday", "inside": "shu", "missing": MISSING_CODE}
NEW_USER = {
    "username": "new.shu",
    "last_name": "Жаңа",
    "role": "specialist",
    "department": "{shu_department}",
}
OPEN311_KEY = {"name": "Portal", "department": "{shu_department}"}
FOCUS = {
    "event": "{shu_event}",
    "held_on": "2024-06-03",
    "territory": SHU,
    "composition": {"gender": {"female": 6}},
    "findings": [{"theme": "sport"}],
}
FOCUS_PAGE = {"event": "{shu_event}", "held_on": "2024-06-03", "territory": SHU, "finding_1_theme": "sport"}

CASES = [
    # The API
    Case(
        "DepartmentSerializer.territory",
        "/api/v1/departments/",
        {**DEPARTMENT, "is_active": True},
        "territory",
        **TERRITORY,
    ),
    Case(
        "ProgramSerializer.territory",
        "/api/v1/programs/",
        {"name_kk": "Б", "name_ru": "П", "started": 2024},
        "territory",
        **TERRITORY,
    ),
    Case(
        "VisitSerializer.territory",
        "/api/v1/visits/",
        {"program": "{program}", "date_start": "2024-06-03", "date_end": "2024-06-04"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "VisitSerializer.program",
        "/api/v1/visits/",
        {"territory": SHU, "date_start": "2024-06-03", "date_end": "2024-06-04"},
        "program",
        "korday_program",
        "program",
    ),
    Case("EventSerializer.territory", "/api/v1/events/", EVENT, "territory", **TERRITORY),
    Case("EventSerializer.visit", "/api/v1/events/", EVENT, "visit", "korday_visit", "shu_visit"),
    Case("EventSerializer.venue", "/api/v1/events/", EVENT, "venue", "korday_org", "shu_org"),
    Case(
        "EventSerializer.officials.person",
        "/api/v1/events/",
        EVENT,
        "officials.0.person",
        "korday_person",
        "shu_person",
    ),
    Case(
        "EventSerializer.organizers.organization",
        "/api/v1/events/",
        {**EVENT, "organizers": [{"organization": "{shu_org}"}]},
        "organizers.0.organization",
        "korday_org",
        "shu_org",
    ),
    Case(
        "EventSerializer.organizers.department",
        "/api/v1/events/",
        {**EVENT, "organizers": [{"department": "{shu_department}"}]},
        "organizers.0.department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "EventSerializer.format",
        "/api/v1/events/",
        EVENT,
        "format",
        inside="format_code",
        missing=MISSING_SLUG,
    ),
    Case(
        "EventSerializer.topics",
        "/api/v1/events/",
        EVENT,
        "topics",
        inside="topic_code",
        missing=MISSING_SLUG,
        many=True,
    ),
    Case(
        "EventSerializer.audiences.category",
        "/api/v1/events/",
        EVENT,
        "audiences.0.category",
        inside="audience_code",
        missing=MISSING_SLUG,
    ),
    Case(
        "OrganizationSerializer.territory",
        "/api/v1/organizations/",
        {"type": "library", "name_kk": "Ұйым"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "OrganizationSerializer.head",
        "/api/v1/organizations/",
        {"type": "library", "name_kk": "Ұйым", "territory": SHU},
        "head",
        "korday_person",
        "shu_person",
    ),
    Case(
        "PersonSerializer.territory",
        "/api/v1/people/",
        {"full_name": "Жаңа Адам", "kind": "official"},
        "territory",
        **TERRITORY,
    ),
    Case("ReceptionSerializer.territory", "/api/v1/receptions/", RECEPTION, "territory", **TERRITORY),
    Case("ReceptionSerializer.visit", "/api/v1/receptions/", RECEPTION, "visit", "korday_visit", "shu_visit"),
    Case(
        "ReceptionSerializer.department",
        "/api/v1/receptions/",
        RECEPTION,
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "ExternalBodySerializer.territory",
        "/api/v1/external-bodies/",
        {"name_kk": "Шу прокуратурасы", "name_ru": "Прокуратура Шу"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "TransitionSerializer.body",
        "/api/v1/appeals/{shu_appeal}/transition/",
        {"action": "redirect", "version": 1},
        "body",
        "korday_body",
        "shu_body",
    ),
    Case(
        "TransitionSerializer.department",
        "/api/v1/appeals/{shu_appeal}/transition/",
        {"action": "reroute", "version": 1},
        "department",
        "korday_department",
        "shu_other_department",
    ),
    Case(
        "AppealSerializer.territory",
        "/api/v1/appeals/",
        {**APPEAL, "lead_executor": None},
        "territory",
        **TERRITORY,
    ),
    Case(
        "AppealSerializer.department",
        "/api/v1/appeals/",
        APPEAL,
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "AppealSerializer.lead_executor",
        "/api/v1/appeals/",
        APPEAL,
        "lead_executor",
        "korday_executor",
        "shu_executor",
    ),
    Case(
        "AppealSerializer.category",
        "/api/v1/appeals/",
        APPEAL,
        "category",
        inside="category_code",
        missing=MISSING_SLUG,
    ),
    Case(
        "TransitionSerializer.lead_executor",
        "/api/v1/appeals/{shu_appeal}/transition/",
        {"action": "assign", "version": 1},
        "lead_executor",
        "korday_executor",
        "shu_executor",
    ),
    # The pages
    Case(
        "DepartmentForm.territory",
        "/departments/new/",
        {**DEPARTMENT, "is_active": "on"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "ReceptionForm.department",
        "/receptions/new/",
        {"territory": SHU, "place": "Әкімдік", "start": "2024-06-03T10:00", "end": "2024-06-03T12:00"},
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "ReceptionForm.visit",
        "/receptions/new/",
        {
            "department": "{shu_department}",
            "territory": SHU,
            "place": "Әкімдік",
            "start": "2024-06-03T10:00",
            "end": "2024-06-03T12:00",
        },
        "visit",
        "korday_visit",
        "shu_visit",
    ),
    Case(
        "ReceptionForm.territory",
        "/receptions/new/",
        {
            "department": "{shu_department}",
            "place": "Әкімдік",
            "start": "2024-06-03T10:00",
            "end": "2024-06-03T12:00",
        },
        "territory",
        **TERRITORY,
    ),
    Case(
        "VisitorForm.settlement",
        "/receptions/{shu_session}/",
        VISITOR,
        "settlement",
        "korday_village",
        "shu_village",
        MISSING_CODE,
    ),
    Case(
        "VisitorForm.department",
        "/receptions/{shu_session}/",
        VISITOR,
        "department",
        "korday_department",
        "shu_department",
    ),
    Case("VisitorForm.category", "/receptions/{shu_session}/", VISITOR, "category", inside="category"),
    Case(
        "AppealForm.territory",
        "/appeals/new/",
        {**APPEAL_PAGE, "lead_executor": ""},
        "territory",
        **TERRITORY,
    ),
    Case(
        "AppealForm.department",
        "/appeals/new/",
        APPEAL_PAGE,
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "AppealForm.lead_executor",
        "/appeals/new/",
        APPEAL_PAGE,
        "lead_executor",
        "korday_executor",
        "shu_executor",
    ),
    Case("AppealForm.category", "/appeals/new/", APPEAL_PAGE, "category", inside="category"),
    Case(
        "RerouteForm.department",
        "/appeals/{shu_appeal}/reroute/",
        {"version": 1},
        "department",
        "korday_department",
        "shu_other_department",
    ),
    Case(
        "TransitionForm.body",
        "/appeals/{shu_appeal}/transition/",
        {"action": "redirect", "version": 1},
        "body",
        "korday_body",
        "shu_body",
    ),
    Case(
        "ExternalBodyForm.territory",
        "/external-bodies/new/",
        {"name_kk": "Шу прокуратурасы", "name_ru": "Прокуратура Шу", "is_active": "on"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "AssignForm.lead_executor",
        "/appeals/{shu_appeal}/assign/",
        {"version": 1},
        "lead_executor",
        "korday_executor",
        "shu_executor",
    ),
    Case(
        "AssignForm.co_executors",
        "/appeals/{shu_appeal}/assign/",
        {"version": 1, "lead_executor": "{shu_executor}"},
        "co_executors",
        "korday_executor",
        "shu_other_executor",
        many=True,
    ),
    Case("EventForm.territory", "/events/new/?visit={shu_visit}", EVENT_PAGE, "territory", **TERRITORY),
    Case("EventForm.venue", "/events/new/?visit={shu_visit}", EVENT_PAGE, "venue", "korday_org", "shu_org"),
    Case(
        "EventForm.subgroup",
        "/events/new/?visit={shu_visit}",
        EVENT_PAGE,
        "subgroup",
        "korday_subgroup",
        "shu_subgroup",
    ),
    Case("EventForm.format", "/events/new/?visit={shu_visit}", EVENT_PAGE, "format", inside="format"),
    Case(
        "EventForm.topics", "/events/new/?visit={shu_visit}", EVENT_PAGE, "topics", inside="topic", many=True
    ),
    Case(
        "OfficialForm.person",
        "/events/new/?visit={shu_visit}",
        {**EVENT_PAGE, **_rows("officials"), "officials-0-role": "speaker"},
        "officials-0-person",
        "korday_person",
        "shu_person",
        form="officials",
    ),
    Case(
        "OrganizerForm.organization",
        "/events/new/?visit={shu_visit}",
        {**EVENT_PAGE, **_rows("organizers")},
        "organizers-0-organization",
        "korday_org",
        "shu_org",
        form="organizers",
    ),
    Case(
        "OrganizerForm.department",
        "/events/new/?visit={shu_visit}",
        {**EVENT_PAGE, **_rows("organizers")},
        "organizers-0-department",
        "korday_department",
        "shu_department",
        form="organizers",
    ),
    Case(
        "CalendarFilterForm.department",
        "/calendar/",
        {},
        "department",
        "korday_department",
        "shu_department",
        method="get",
    ),
    Case(
        "CalendarFilterForm.format",
        "/calendar/",
        {},
        "format",
        inside="format_code",
        missing=MISSING_SLUG,
        method="get",
    ),
    Case(
        "CalendarFilterForm.topic",
        "/calendar/",
        {},
        "topic",
        inside="topic_code",
        missing=MISSING_SLUG,
        method="get",
    ),
    Case("VisitForm.program", "/visits/new/", VISIT_PAGE, "program", "korday_program", "program"),
    Case("VisitForm.territory", "/visits/new/", VISIT_PAGE, "territory", **TERRITORY),
    Case(
        "VisitCopyForm.territory",
        "/visits/{shu_visit}/copy/",
        {"date_start": "2024-09-02"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "OrganizationForm.territory",
        "/registry/organizations/new/",
        {"type": "library", "name_kk": "Ұйым"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "PersonForm.territory",
        "/registry/people/new/",
        {"full_name": "Жаңа Адам", "kind": "official"},
        "territory",
        **TERRITORY,
    ),
    Case(
        "MergeForm.duplicate",
        "/registry/people/{shu_person}/",
        {},
        "duplicate",
        "korday_person",
        "shu_person_twin",
        form="merge",
    ),
    Case("LinkForm.territory", "/surveys/{instrument}/", {}, "territory", survey=True, **TERRITORY),
    Case(
        "PaperTerritoryForm.territory",
        "/surveys/{instrument}/paper/",
        {"collected_on": "2024-06-03"},
        "territory",
        form="setup",
        survey=True,
        ok=200,  # the territory passes; the empty questionnaire row is then refused on its own
        **TERRITORY,
    ),
    # Focus groups: the page of a visit and the API
    Case(
        "FocusGroupForm.event",
        "/visits/{shu_visit}/focus-groups/new/",
        FOCUS_PAGE,
        "event",
        "korday_event",
        "shu_event",
    ),
    Case(
        "FocusGroupForm.moderator",
        "/visits/{shu_visit}/focus-groups/new/",
        FOCUS_PAGE,
        "moderator",
        "korday_person",
        "shu_person",
    ),
    Case(
        "FocusGroupForm.territory",
        "/visits/{shu_visit}/focus-groups/new/",
        FOCUS_PAGE,
        "territory",
        **TERRITORY,
    ),
    Case("FocusGroupSerializer.event", "/api/v1/focus-groups/", FOCUS, "event", "korday_event", "shu_event"),
    Case(
        "FocusGroupSerializer.moderator",
        "/api/v1/focus-groups/",
        FOCUS,
        "moderator",
        "korday_person",
        "shu_person",
    ),
    Case("FocusGroupSerializer.territory", "/api/v1/focus-groups/", FOCUS, "territory", **TERRITORY),
    Case("AuditFilterForm.user", "/audit/", {}, "user", "korday_executor", "shu_executor", method="get"),
    # Administration: roles are granted at the manager's territories, keys issued for them
    Case(
        "MembershipForm.territory",
        "/manage/users/{shu_executor}/",
        {"action": "grant", "role": "analyst"},
        "territory",
        **TERRITORY,
    ),
    Case("UserCreateForm.territory", "/manage/users/new/", NEW_USER, "territory", ok=200, **TERRITORY),
    Case(
        "UserCreateForm.department",
        "/manage/users/new/",
        {**NEW_USER, "territory": SHU},
        "department",
        "korday_department",
        "shu_department",
        ok=200,
    ),
    Case("Open311KeyForm.territory", "/manage/open311/", OPEN311_KEY, "territory", ok=200, **TERRITORY),
    Case(
        "Open311KeyForm.department",
        "/manage/open311/",
        {**OPEN311_KEY, "territory": SHU},
        "department",
        "korday_department",
        "shu_department",
        ok=200,
    ),
    # Plans, programs, the working group, positions
    Case(
        "VisitPlanSerializer.program",
        "/api/v1/visit-plans/",
        {"year": 2030, "district": SHU, "planned": 1},
        "program",
        "korday_program",
        "program",
    ),
    Case(
        "VisitPlanSerializer.district",
        "/api/v1/visit-plans/",
        {"program": "{program}", "year": 2030, "planned": 1},
        "district",
        **TERRITORY,
    ),
    Case(
        "ProgramForm.territory",
        "/programs/new/",
        {"name_kk": "Бағдарлама", "name_ru": "Программа", "started": 2024},
        "territory",
        **TERRITORY,
    ),
    *(
        Case(
            name,
            "/visits/{shu_visit}/group/add/",
            {"department": "{shu_department}"},
            "person",
            "korday_person",
            "shu_person",
            form="member_form",
        )
        for name in ("MemberForm.person", "_PersonChoice.person")
    ),
    Case(
        "MemberForm.department",
        "/visits/{shu_visit}/group/add/",
        {"person": "{shu_person}"},
        "department",
        "korday_department",
        "shu_department",
        form="member_form",
    ),
    Case(
        "MemberForm.subgroup",
        "/visits/{shu_visit}/group/add/",
        {"person": "{shu_person}", "department": "{shu_department}"},
        "subgroup",
        "korday_subgroup",
        "shu_subgroup",
        form="member_form",
    ),
    Case(
        "MemberEditForm.department",
        "/members/{shu_member}/",
        {},
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "MemberEditForm.subgroup",
        "/members/{shu_member}/",
        {"department": "{shu_department}"},
        "subgroup",
        "korday_subgroup",
        "shu_subgroup",
    ),
    Case(
        "MemberReplaceForm.person",
        "/members/{shu_member}/replace/",
        {},
        "person",
        "korday_person",
        "shu_person",
    ),
    Case(
        "SubGroupForm.lead",
        "/visits/{shu_visit}/subgroups/add/",
        {"name_kk": "Топ"},
        "lead",
        "korday_member",
        "shu_member",
        form="subgroup_form",
    ),
    Case(
        "PositionForm.department",
        "/registry/people/{shu_person}/positions/",
        {"title_kk": "Маман"},
        "department",
        "korday_department",
        "shu_department",
    ),
    Case(
        "PositionForm.organization",
        "/registry/people/{shu_person}/positions/",
        {"title_kk": "Маман"},
        "organization",
        "korday_org",
        "shu_org",
    ),
]
KORDAY_NAMES = [
    "Қордай ауданының мәдениет бөлімі",
    "Отдел культуры Кордайского района",
    "Қордай құпия бағдарламасы",
    "Қордай құпия ұйымы",
    "Қордай Құпия Адамы",
    "Қордай құпия топшасы",
    "qordai.oryndaushy",
    "Құпиябек",
    "Қордай ауданы мүшесі",
    "Қордай құпия органы",
]


# The world -------------------------------------------------------------------------------------


@pytest.fixture
def world(zhambyl, make_user, territory, korday_department, shu_department) -> dict[str, Any]:
    from kelisim.accounts.models import Department, Role, User
    from kelisim.accounts.services import membership_grant
    from kelisim.appeals import services as appeal_services
    from kelisim.appeals.models import Category, ExternalBody, ReceptionSession
    from kelisim.events.models import EventFormat, Topic
    from kelisim.programs.models import Edition, Member, Program, SubGroup, Visit
    from kelisim.registry.models import Organization, Person
    from kelisim.territories.models import Territory

    korday, shu, region = territory(KORDAY), territory(SHU), territory(ZHAMBYL)

    def executor(username: str, first: str, code: str) -> User:
        user = User.objects.create_user(username=username, first_name=first, last_name="Орындаушы")
        membership_grant(
            actor=None, user=user, role=Role.objects.get(code="specialist"), territory=territory(code)
        )
        return user

    program = Program.objects.create(
        name_kk="Облыс бағдарламасы", name_ru="Программа", started=2020, territory=region
    )
    korday_program = Program.objects.create(
        name_kk="Қордай құпия бағдарламасы", name_ru="Тайная программа", started=2020, territory=korday
    )
    edition = Edition.objects.create(program=program, year=2024)
    visits = {
        key: Visit.objects.create(
            edition=edition, territory=where, date_start=date(2024, 6, 3), date_end=date(2024, 6, 4)
        )
        for key, where in (("korday_visit", korday), ("shu_visit", shu))
    }
    admin = User.objects.create_superuser("scope-admin", password="x-pass-word-1")
    shu_executor = executor("shu.oryndaushy", "Шубек", SHU)
    appeal = appeal_services.appeal_register(
        actor=admin,
        type="statement",
        channel="written",
        applicant_name="Шу тұрғыны",
        territory=shu,
        department=shu_department,
        text="Мәтін",
        received_on=date(2024, 6, 3),
    )
    session = ReceptionSession.objects.create(
        department=shu_department, territory=shu, place="Әкімдік", start=AT, end=AT
    )

    def member(key: str, where: Territory, department: Any) -> int:
        person = Person.objects.create(full_name=f"{where.name_kk} мүшесі", territory=where)
        return Member.objects.create(visit=visits[key], person=person, department=department).pk

    def village(under: Territory) -> str:
        return (
            Territory.objects.filter(path__startswith=under.path, level=4, is_active=True)
            .order_by("code")[0]
            .code
        )

    def focus_event(key: str, where: Territory) -> int:
        """An event of the visit where a focus group may meet (in the afternoon: no booking clash)."""
        from kelisim.events.models import Event

        return Event.objects.create(
            visit=visits[key],
            format=EventFormat.objects.get(code="focus_group"),
            title_kk="Фокус-топ",
            start=AT.replace(hour=15),
            end=AT.replace(hour=16),
            territory=where,
        ).pk

    return {
        "korday_event": focus_event("korday_visit", korday),
        "shu_event": focus_event("shu_visit", shu),
        "korday": KORDAY,
        "shu": SHU,
        "korday_village": village(korday),
        "shu_village": village(shu),
        "korday_department": korday_department.pk,
        "shu_department": shu_department.pk,
        "program": program.pk,
        "korday_program": korday_program.pk,
        **{key: visit.pk for key, visit in visits.items()},
        "korday_subgroup": SubGroup.objects.create(
            visit=visits["korday_visit"], name_kk="Қордай құпия топшасы"
        ).pk,
        "shu_subgroup": SubGroup.objects.create(visit=visits["shu_visit"], name_kk="Шу топшасы").pk,
        "korday_org": Organization.objects.create(
            type="library", name_kk="Қордай құпия ұйымы", territory=korday
        ).pk,
        "shu_org": Organization.objects.create(type="library", name_kk="Шу ұйымы", territory=shu).pk,
        "korday_person": Person.objects.create(full_name="Қордай Құпия Адамы", territory=korday).pk,
        "shu_person": Person.objects.create(full_name="Шу Адамы", territory=shu).pk,
        "shu_person_twin": Person.objects.create(full_name="Шу Адамы (қайталанған)", territory=shu).pk,
        "korday_member": member("korday_visit", korday, korday_department),
        "shu_member": member("shu_visit", shu, shu_department),
        "korday_executor": executor("qordai.oryndaushy", "Құпиябек", KORDAY).pk,
        "shu_executor": shu_executor.pk,
        "shu_other_executor": executor("shu.kosymsha", "Шужан", SHU).pk,
        "shu_appeal": appeal.pk,
        "shu_other_department": Department.objects.create(
            code="shu_land",
            kind="division",
            name_kk="Шу жер бөлімі",
            name_ru="Земельный отдел",
            territory=shu,
        ).pk,
        "korday_body": ExternalBody.objects.create(
            name_kk="Қордай құпия органы", name_ru="Тайный орган", territory=korday
        ).pk,
        "shu_body": ExternalBody.objects.create(
            name_kk="Шу прокуратурасы", name_ru="Прокуратура", territory=shu
        ).pk,
        "shu_session": session.pk,
        "format": EventFormat.objects.get(code="meeting").pk,
        "format_code": "lecture",
        "topic": Topic.objects.get(code="family_values").pk,
        "topic_code": "languages",
        "audience_code": "students",
        "category": Category.objects.get(code="land").pk,
        "category_code": "employment",
    }


def _snapshot() -> dict[str, Any]:
    """Every row of every table of the project's apps (audit: the writes)."""
    from kelisim.core.models import AuditEntry

    rows: dict[str, Any] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kelisim."):
            continue
        queryset = model._default_manager.order_by("pk")
        if model is AuditEntry:
            queryset = queryset.filter(kind="write")
        # Signing in (each request here has its own session) stamps last_login: not a write.
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label_lower] = list(queryset.values_list(*columns))
    return rows


def _fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]]
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _put(data: dict[str, Any], at: str, value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    *parents, last = at.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value
    return data


@dataclass
class Answer:
    status: int
    body: str
    errors: Any = None  # the API's error body, or the page form's errors
    notes: list[str] = field(default_factory=list)  # messages shown after a redirect

    def shows(self, text: str) -> bool:
        return text in self.body or any(text in note for note in self.notes)


def _ask(user: Any, case: Case, world: dict[str, Any], value: Any) -> Answer:
    client = Client()  # a fresh session each time: no message left over from the request before
    client.force_login(user)
    data = _put(_fill(case.base, world), case.at, [value] if case.many else value)
    url = case.url.format(**world)
    if case.api:
        response = getattr(client, case.method)(url, data=data, content_type="application/json")
        body = response.content.decode()
        return Answer(response.status_code, body, response.json() if response.status_code == 400 else None)
    data = {k: v for k, v in data.items() if v is not None}
    response = getattr(client, case.method)(url, data=data)
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    form = response.context[case.form] if response.context and case.form in response.context else None
    errors = None
    if isinstance(form, forms.BaseFormSet) and form.is_bound:
        # A row's errors are named as its fields are posted: "officials-0-person".
        errors = {
            row.add_prefix(name): errs
            for row in form.forms
            for name, errs in row.errors.get_json_data().items()
        }
    elif form is not None and form.is_bound:
        errors = form.errors.get_json_data()
    return Answer(response.status_code, response.content.decode(), errors, notes)


def _field_refused(case: Case, answer: Answer) -> bool:
    name = case.at.split(".")[0]
    if case.api:
        return answer.status == 400 and name in answer.errors["error"]["fields"]
    if answer.errors is not None:
        return name in answer.errors
    return any(str(NOT_FOUND) in note for note in answer.notes)


# The tests -------------------------------------------------------------------------------------


def test_every_relation_field_takes_its_choices_from_a_scope_and_has_a_case():
    from kelisim.api.fields import SCOPED_FIELDS as SCOPED_API_FIELDS

    found = {**api_relations(), **form_relations()}
    unscoped = [
        name
        for name, item in found.items()
        if not isinstance(item, SCOPED_API_FIELDS + SCOPED_FORM_FIELDS) or _scope_of(item) is None
    ]
    assert not unscoped, f"relation fields without a scope: {unscoped}"
    # Only reference data may be offered to everyone alike.
    shared = {
        name: item.scope.queryset.model._meta.label_lower
        for name, item in found.items()
        if isinstance(item.scope, Reference)
    }
    assert set(shared.values()) <= REFERENCE_MODELS, shared
    cases = {case.field: case for case in CASES}
    assert not set(found) - set(cases), (
        f"relation fields without a case here: {sorted(set(found) - set(cases))}"
    )
    assert not set(cases) - set(found), (
        f"cases of fields that no longer exist: {sorted(set(cases) - set(found))}"
    )
    for name in shared:
        assert not cases[name].outside, f"{name} is reference data: it has no out-of-scope record"
    for name in set(found) - set(shared):
        assert cases[name].outside, f"{name} chooses among scoped records: give its case a Korday record"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_out_of_scope_id_is_refused_like_a_missing_one(case: Case, world, make_user):
    if case.survey:
        from kelisim.surveys.models import Instrument
        from kelisim.surveys.services import instruments_install_ready

        instruments_install_ready()
        world["instrument"] = Instrument.objects.get(code="tolerance_index").pk
    user = make_user("system_admin", SHU)  # every capability, in Shu only
    before = _snapshot()

    missing = _ask(user, case, world, case.missing)
    assert _field_refused(case, missing), (missing.status, missing.errors, missing.notes)
    if case.outside:
        outside = _ask(user, case, world, world[case.outside])
        assert outside.status == missing.status
        assert outside.errors == missing.errors
        assert outside.notes == missing.notes
        for name in KORDAY_NAMES:
            assert not outside.shows(name), name
    assert _snapshot() == before

    # The same request with a record open to the user passes that field.
    inside = _ask(user, case, world, world[case.inside])
    assert not _field_refused(case, inside), (inside.status, inside.errors, inside.notes)
    if case.ok:
        assert inside.status == case.ok
    elif case.api:
        assert inside.status in (200, 201), inside.body[:500]
    elif case.method == "post":
        assert inside.status == 302, inside.errors


# The services behind them ----------------------------------------------------------------------
# The same refusal when a service is called directly (imports, seeds, a future view): a linked
# record outside the actor's scope is answered as a missing one would be, on the field it fills.


def _objects(world: dict[str, Any]) -> dict[str, Any]:
    from kelisim.accounts.models import Department, User
    from kelisim.appeals.models import Appeal, ExternalBody, ReceptionSession
    from kelisim.programs.models import Member, Program, SubGroup, Visit
    from kelisim.registry.models import Organization, Person

    models = {
        "body": ExternalBody,
        "member": Member,
        "department": Department,
        "executor": User,
        "appeal": Appeal,
        "session": ReceptionSession,
        "program": Program,
        "subgroup": SubGroup,
        "visit": Visit,
        "org": Organization,
        "person": Person,
    }
    found = {}
    for key, value in world.items():
        model = next((m for suffix, m in models.items() if key.endswith(suffix)), None)
        if model is not None and isinstance(value, int):
            found[key] = model.objects.get(pk=value)
    return found


def _event(where: str, objects: dict[str, Any], territory: Any) -> Any:
    from kelisim.events.models import Event, EventFormat

    return Event.objects.create(
        visit=objects[f"{where}_visit"],
        format=EventFormat.objects.get(code="meeting"),
        title_kk=f"{where} іс-шарасы",
        start=AT,
        end=AT,
        territory=territory,
    )


def _event_fields(objects: dict[str, Any], shu: Any) -> dict[str, Any]:
    from kelisim.events.models import EventFormat

    return {
        "format": EventFormat.objects.get(code="meeting"),
        "title_kk": "Шу кездесуі",
        "start": AT,
        "end": AT,
        "territory": shu,
        "visit": objects["shu_visit"],
    }


def _call(name: str, linked: str, actor: Any, objects: dict[str, Any], territory: Any) -> Any:
    """Call the service `name` with the record `linked` (a Korday or a Shu one) in the field it fills."""
    from kelisim.appeals import services as appeals
    from kelisim.events import services as events
    from kelisim.programs import services as programs
    from kelisim.registry import services as registry
    from kelisim.surveys import services as surveys

    shu = territory(SHU)
    record = objects.get(linked)
    appeal = objects["shu_appeal"]
    calls = {
        "appeal_assign.lead_executor": lambda: appeals.appeal_assign(
            actor=actor, appeal=appeal, lead_executor=record
        ),
        "appeal_assign.co_executors": lambda: appeals.appeal_assign(
            actor=actor, appeal=appeal, lead_executor=objects["shu_executor"], co_executors=[record]
        ),
        "appeal_register.department": lambda: appeals.appeal_register(
            actor=actor,
            type="statement",
            channel="written",
            applicant_name="Ә",
            territory=shu,
            department=record,
            text="Мәтін",
        ),
        "appeal_register.lead_executor": lambda: appeals.appeal_register(
            actor=actor,
            type="statement",
            channel="written",
            applicant_name="Ә",
            territory=shu,
            department=objects["shu_department"],
            text="Мәтін",
            lead_executor=record,
        ),
        "appeal_redirect.body": lambda: appeals.appeal_redirect(actor=actor, appeal=appeal, body=record),
        "appeal_reroute.department": lambda: appeals.appeal_reroute(
            actor=actor, appeal=appeal, department=record
        ),
        "reception_open.visit": lambda: appeals.reception_open(
            actor=actor,
            visit=record,
            department=objects["shu_department"],
            territory=shu,
            place="Әкімдік",
            start=AT,
            end=AT,
        ),
        "reception_open.department": lambda: appeals.reception_open(
            actor=actor, department=record, territory=shu, place="Әкімдік", start=AT, end=AT
        ),
        "visitor_register.department": lambda: appeals.visitor_register(
            actor=actor, session=objects["shu_session"], name="Келуші", department=record, question="Сұрақ"
        ),
        "visitor_register.settlement": lambda: appeals.visitor_register(
            actor=actor,
            session=objects["shu_session"],
            name="Келуші",
            department=objects["shu_department"],
            settlement=territory(record),
            question="Сұрақ",
        ),
        "event_create.visit": lambda: events.event_create(
            actor=actor, **{**_event_fields(objects, shu), "visit": record, "territory": record.territory}
        ),
        "event_create.venue": lambda: events.event_create(
            actor=actor, venue=record, **_event_fields(objects, shu)
        ),
        "event_create.officials": lambda: events.event_create(
            actor=actor, officials=[{"person": record, "role": "speaker"}], **_event_fields(objects, shu)
        ),
        "event_create.organizers": lambda: events.event_create(
            actor=actor, organizers=[{"organization": record}], **_event_fields(objects, shu)
        ),
        "event_update.venue": lambda: events.event_update(
            actor=actor, event=objects["shu_event"], venue=record
        ),
        "edition_get_or_create.program": lambda: programs.edition_get_or_create(
            actor=actor, program=record, year=2025
        ),
        "member_add.person": lambda: programs.member_add(
            actor=actor, visit=objects["shu_visit"], person=record, department=objects["shu_department"]
        ),
        "member_add.department": lambda: programs.member_add(
            actor=actor, visit=objects["shu_visit"], person=objects["shu_person"], department=record
        ),
        "member_add.subgroup": lambda: programs.member_add(
            actor=actor,
            visit=objects["shu_visit"],
            person=objects["shu_person"],
            department=objects["shu_department"],
            subgroup=record,
        ),
        "member_replace.person": lambda: programs.member_replace(
            actor=actor, member=objects["shu_member"], person=record
        ),
        "member_update.subgroup": lambda: programs.member_update(
            actor=actor, member=objects["shu_member"], subgroup=record
        ),
        "subgroup_create.lead": lambda: programs.subgroup_create(
            actor=actor, visit=objects["shu_visit"], name_kk="Топ", lead=record
        ),
        "organization_create.head": lambda: registry.organization_create(
            actor=actor, type="library", name_kk="Ұйым", territory=shu, head=record
        ),
        "position_add.organization": lambda: registry.position_add(
            actor=actor, person=objects["shu_person"], title_kk="Директор", organization=record
        ),
        "position_add.department": lambda: registry.position_add(
            actor=actor, person=objects["shu_person"], title_kk="Маман", department=record
        ),
        "collection_link_create.event": lambda: surveys.collection_link_create(
            actor=actor,
            instrument=objects["instrument"],
            territory=shu,
            event=record,
        ),
        "focus_group_record.moderator": lambda: surveys.focus_group_record(
            actor=actor, event=objects["shu_event"], composition={}, moderator=record
        ),
    }
    return calls[name]()


SERVICE_CASES = [
    ("appeal_assign.lead_executor", "korday_executor", "shu_executor"),
    ("appeal_assign.co_executors", "korday_executor", "shu_other_executor"),
    ("appeal_register.department", "korday_department", "shu_department"),
    ("appeal_register.lead_executor", "korday_executor", "shu_executor"),
    ("appeal_redirect.body", "korday_body", "shu_body"),
    ("appeal_reroute.department", "korday_department", "shu_other_department"),
    ("reception_open.visit", "korday_visit", "shu_visit"),
    ("reception_open.department", "korday_department", "shu_department"),
    ("visitor_register.department", "korday_department", "shu_department"),
    ("visitor_register.settlement", "korday_village", "shu_village"),
    ("event_create.visit", "korday_visit", "shu_visit"),
    ("event_create.venue", "korday_org", "shu_org"),
    ("event_create.officials", "korday_person", "shu_person"),
    ("event_create.organizers", "korday_org", "shu_org"),
    ("event_update.venue", "korday_org", "shu_org"),
    ("edition_get_or_create.program", "korday_program", "program"),
    ("member_add.person", "korday_person", "shu_person"),
    ("member_add.department", "korday_department", "shu_department"),
    ("member_add.subgroup", "korday_subgroup", "shu_subgroup"),
    ("organization_create.head", "korday_person", "shu_person"),
    ("position_add.organization", "korday_org", "shu_org"),
    ("position_add.department", "korday_department", "shu_department"),
    ("collection_link_create.event", "korday_event", "shu_event"),
    ("focus_group_record.moderator", "korday_person", "shu_person"),
    ("member_replace.person", "korday_person", "shu_person"),
    ("member_update.subgroup", "korday_subgroup", "shu_subgroup"),
    ("subgroup_create.lead", "korday_member", "shu_member"),
]


@pytest.mark.parametrize(("name", "outside", "inside"), SERVICE_CASES, ids=[c[0] for c in SERVICE_CASES])
def test_a_service_refuses_a_linked_record_outside_the_actors_scope(
    name, outside, inside, world, make_user, territory
):
    from django.core.exceptions import ValidationError

    from kelisim.surveys.models import Instrument

    actor = make_user("system_admin", SHU)
    objects = {
        **_objects(world),
        "korday_village": world["korday_village"],
        "shu_village": world["shu_village"],
    }
    objects["korday_event"] = _event("korday", objects, territory(KORDAY))
    objects["shu_event"] = _event("shu", objects, territory(SHU))
    objects["instrument"] = Instrument.objects.create(code="scope_check", name_kk="Сауалнама")
    field = name.split(".")[1]
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        _call(name, outside, actor, objects, territory)
    assert refused.value.message_dict == {field: [str(NOT_FOUND)]}
    assert _snapshot() == before
    _call(name, inside, actor, objects, territory)  # a record of the actor's own territory is taken


def test_an_import_links_officials_only_among_the_people_the_importer_may_see(world, make_user, territory):
    from kelisim.events.models import EventOfficial
    from kelisim.imports.models import DraftEvent, ImportBatch
    from kelisim.imports.services import batch_commit
    from kelisim.registry.models import Person

    officer = make_user("press_officer", SHU)
    batch = ImportBatch.objects.create(
        text="Шу ауданында кездесу өтті.",
        text_hash="scope",
        language="kk",
        pub_date=date(2024, 6, 4),
        territory=territory(SHU),
        created_by=officer,
    )
    DraftEvent.objects.create(
        batch=batch,
        position=0,
        status=DraftEvent.Status.ACCEPTED,
        data={
            "date_start": "2024-06-03",
            "kato": {"district": SHU},
            "officials": [{"name": "Қордай Құпия Адамы"}],
        },
    )
    (event,) = batch_commit(actor=officer, batch=batch)
    official = EventOfficial.objects.get(event=event)
    assert official.person_id != world["korday_person"]  # the namesake in Korday is neither linked nor shown
    assert official.person.territory.code == SHU
    assert not EventOfficial.objects.filter(person_id=world["korday_person"]).exists()
    assert Person.objects.filter(full_name="Қордай Құпия Адамы").count() == 2
