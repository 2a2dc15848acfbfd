"""Focus groups: recorded, changed and removed through the pages and the API, within the user's
territory; small counts and the ethnicity group masked for those without the sensitive capability."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kelisim.core.models import AuditEntry
from kelisim.surveys import focus, selectors, services
from kelisim.surveys.models import Finding, FocusGroup

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
AT = datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty"))
COMPOSITION = {
    "age_band": {"18_24": 9, "25_34": 3},
    "gender": {"female": 7, "male": 5},
    "ethnicity": {"kazakh": 6, "dungan": 3, "russian": 3},
}
FINDINGS = [
    {"theme": "social_media", "tension_signal": True, "severity": "high", "quote": "Желіде арандатады."},
    {"theme": "sport", "tension_signal": False, "severity": "", "quote": "Бәріміз біргеміз."},
]


@pytest.fixture
def place(zhambyl, territory) -> dict[str, Any]:
    from kelisim.events.models import Event, EventFormat
    from kelisim.programs.models import Edition, Program, Visit
    from kelisim.registry.models import Person

    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2020, territory=zhambyl
    )
    edition = Edition.objects.create(program=program, year=2024)
    korday, shu = territory(KORDAY), territory(SHU)
    visit = Visit.objects.create(
        edition=edition, territory=korday, date_start=date(2024, 6, 3), date_end=date(2024, 6, 4)
    )
    shu_visit = Visit.objects.create(
        edition=edition, territory=shu, date_start=date(2024, 6, 3), date_end=date(2024, 6, 4)
    )
    focus_format = EventFormat.objects.get(code="focus_group")

    def event(where: Any, the_visit: Any, restricted: bool = False) -> Any:
        return Event.objects.create(
            visit=the_visit,
            format=focus_format,
            title_kk="Колледждегі фокус-топ",
            start=AT,
            end=AT,
            territory=where,
            restricted=restricted,
        )

    return {
        "visit": visit,
        "shu_visit": shu_visit,
        "event": event(korday, visit),
        "restricted": event(korday, visit, restricted=True),
        "shu_event": event(shu, shu_visit),
        "korday": korday,
        "shu": shu,
        "moderator": Person.objects.create(full_name="Е.Қаншымбеков", territory=korday),
    }


def _record(place: dict[str, Any], actor: Any = None, **changes: Any) -> FocusGroup:
    kwargs = {
        "event": place["event"],
        "held_on": date(2024, 6, 3),
        "territory": place["korday"],
        "moderator": place["moderator"],
        "composition": COMPOSITION,
        "guide_questions": "Ауылдағы қатынастар қандай?\nШиеленіс қашан туады?",
        "summary_kk": "Ахуал тұрақты.",
        "findings": FINDINGS,
        **changes,
    }
    return services.focus_group_record(actor=actor, **kwargs)


# Services ---------------------------------------------------------------------------------------


def test_recording_a_session_keeps_its_date_territory_counts_and_coded_findings(place, make_user):
    actor = make_user("district_coordinator", KORDAY)
    group = _record(place, actor)
    group.refresh_from_db()
    assert (group.held_on, group.territory, group.participants) == (date(2024, 6, 3), place["korday"], 12)
    assert [(f.theme, f.tension_signal, f.severity) for f in group.findings.all()] == [
        ("social_media", True, "high"),
        ("sport", False, ""),
    ]
    assert AuditEntry.objects.filter(action="focus_group.record", object_id=str(group.pk)).exists()


def test_a_tension_signal_without_severity_is_refused_naming_the_finding_and_nothing_is_saved(
    place, make_user
):
    actor = make_user("district_coordinator", KORDAY)
    bad = [FINDINGS[1], {"theme": "land", "tension_signal": True, "quote": ""}]
    with pytest.raises(ValidationError) as caught:
        _record(place, actor, findings=bad)
    assert "Finding 2" in caught.value.message_dict["findings"][0]
    assert not FocusGroup.objects.exists() and not Finding.objects.exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("composition", {"composition": {"religion": {"muslim": 3}}}),
        ("composition", {"composition": {"gender": {"female": -1}}}),
        ("composition", {"composition": {"gender": {"nobody": 2}}}),
        ("findings", {"findings": [{"theme": "not_in_the_codebook"}]}),
        ("held_on", {"held_on": date(2024, 7, 1)}),
    ],
)
def test_bad_counts_themes_and_dates_are_refused_on_their_field(place, make_user, field, changes):
    with pytest.raises(ValidationError) as caught:
        _record(place, make_user("district_coordinator", KORDAY), **changes)
    assert field in caught.value.message_dict
    assert not FocusGroup.objects.exists()


def test_a_session_outside_the_visits_district_or_the_actors_scope_is_refused(place, make_user):
    with pytest.raises(ValidationError) as caught:
        _record(place, make_user("district_coordinator", KORDAY), territory=place["shu"])
    assert "territory" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _record(place, make_user("district_coordinator", SHU))
    assert not FocusGroup.objects.exists()


def test_updating_replaces_the_findings_and_deleting_removes_the_session(place, make_user):
    actor = make_user("district_coordinator", KORDAY)
    group = _record(place, actor)
    services.focus_group_update(
        actor=actor,
        group=group,
        event=place["event"],
        held_on=date(2024, 6, 4),
        territory=place["korday"],
        composition={"gender": {"female": 10}},
        findings=[{"theme": "land", "tension_signal": True, "severity": "low"}],
    )
    group.refresh_from_db()
    assert group.held_on == date(2024, 6, 4) and group.participants == 10
    assert list(group.findings.values_list("theme", "severity")) == [("land", "low")]
    outsider = make_user("district_coordinator", SHU)
    with pytest.raises(ValidationError):
        services.focus_group_delete(actor=outsider, group=group)
    assert FocusGroup.objects.filter(pk=group.pk).exists()
    services.focus_group_delete(actor=actor, group=group)
    assert not FocusGroup.objects.exists() and not Finding.objects.exists()


def test_masking_hides_small_counts_and_one_more_where_the_total_would_give_it_away():
    assert focus.masked_counts({"female": 8, "male": 3}) == {"female": focus.HIDDEN, "male": focus.SMALL}
    assert focus.masked_counts({"a": 6, "b": 2, "c": 1}) == {"a": 6, "b": focus.SMALL, "c": focus.SMALL}
    assert focus.masked_counts({"a": 0, "b": 7}) == {"a": 0, "b": 7}
    assert focus.shown_total(3, exact=False) == focus.SMALL
    assert focus.shown_total(3, exact=True) == 3


# Pages ------------------------------------------------------------------------------------------


def _form_data(place: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "event": place["event"].pk,
        "held_on": "2024-06-03",
        "territory": KORDAY,
        "moderator": place["moderator"].pk,
        "guide_questions": "Ауылдағы қатынастар қандай?",
        "summary_kk": "Ахуал тұрақты.",
        "count_gender_female": "7",
        "count_gender_male": "3",
        "count_ethnicity_kazakh": "6",
        "count_ethnicity_dungan": "4",
        "finding_1_theme": "social_media",
        "finding_1_signal": "medium",
        "finding_1_quote": "Желіде арандатады.",
        "finding_2_theme": "sport",
    }
    data.update(changes)
    return data


def test_a_district_coordinator_records_a_session_on_the_page_and_it_shows_on_the_visit(place, make_user):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    visit = place["visit"]
    page = client.get(f"/visits/{visit.pk}/")
    assert f"/visits/{visit.pk}/focus-groups/new/" in page.content.decode()
    response = client.post(f"/visits/{visit.pk}/focus-groups/new/", _form_data(place))
    group = FocusGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/focus-groups/{group.pk}/"
    assert group.composition == {"gender": {"female": 7, "male": 3}, "ethnicity": {"kazakh": 6, "dungan": 4}}
    assert list(group.findings.values_list("theme", "tension_signal", "severity")) == [
        ("social_media", True, "medium"),
        ("sport", False, ""),
    ]
    body = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/focus-groups/{group.pk}/" in body and "Желіде арандатады." in body


def test_the_page_refuses_a_quote_without_a_theme_and_saves_nothing(place, make_user):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    response = client.post(
        f"/visits/{place['visit'].pk}/focus-groups/new/", _form_data(place, finding_3_quote="Тақырыпсыз")
    )
    assert response.status_code == 200
    assert "finding_3_theme" in response.context["form"].errors
    assert not FocusGroup.objects.exists()


def test_a_session_is_edited_and_removed_on_its_pages(place, make_user):
    user = make_user("regional_coordinator", ZHAMBYL)
    group = _record(place, user)
    client = Client()
    client.force_login(user)
    form = client.get(f"/focus-groups/{group.pk}/edit/").context["form"]
    assert form["count_gender_female"].value() == 7  # an exact count, for a holder of view_sensitive
    data = _form_data(
        place, finding_1_theme="", finding_1_signal="", finding_1_quote="", finding_2_theme="land"
    )
    data["finding_2_signal"] = "high"
    assert client.post(f"/focus-groups/{group.pk}/edit/", data).status_code == 302
    assert list(group.findings.values_list("theme", "severity")) == [("land", "high")]
    assert client.get(f"/focus-groups/{group.pk}/delete/").status_code == 200
    response = client.post(f"/focus-groups/{group.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/visits/{place['visit'].pk}/"
    assert not FocusGroup.objects.exists()


def test_an_editor_without_the_sensitive_capability_neither_sees_nor_loses_the_exact_counts(place, make_user):
    group = _record(place)
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    page = client.get(f"/focus-groups/{group.pk}/edit/")
    assert "count_gender_male" not in page.context["form"].fields
    data = {k: v for k, v in _form_data(place).items() if not k.startswith("count_")}
    assert client.post(f"/focus-groups/{group.pk}/edit/", data).status_code == 302
    group.refresh_from_db()
    assert group.composition == COMPOSITION


def test_counts_below_five_and_ethnicity_are_masked_without_the_sensitive_capability(place, make_user):
    group = _record(place)
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    for url in (f"/focus-groups/{group.pk}/", f"/visits/{place['visit'].pk}/"):
        body = client.get(url).content.decode()
        assert 'data-count="age_band:25_34">&lt;5<' in body
        assert 'data-count="age_band:18_24">…<' in body  # else 12 − 9 would give the small one away
        assert "ethnicity:" not in body
    api = client.get(f"/api/v1/focus-groups/{group.pk}/").json()
    assert api["composition"] == {
        "age_band": {"18_24": focus.HIDDEN, "25_34": focus.SMALL},
        "gender": {"female": 7, "male": 5},
    }
    assert not AuditEntry.objects.filter(kind="read", object_type="surveys.focusgroup").exists()


def test_a_holder_of_the_sensitive_capability_sees_exact_counts_and_the_read_is_audited(place, make_user):
    group = _record(place)
    client = Client()
    user = make_user("regional_coordinator", ZHAMBYL)
    client.force_login(user)
    body = client.get(f"/focus-groups/{group.pk}/").content.decode()
    assert 'data-count="age_band:25_34">3<' in body and 'data-count="ethnicity:dungan">3<' in body
    assert AuditEntry.objects.filter(
        kind="read", actor=user, object_type="surveys.focusgroup", object_id=str(group.pk)
    ).exists()


def test_a_session_of_a_restricted_event_exists_only_for_holders_of_the_sensitive_capability(
    place, make_user
):
    group = _record(place, event=place["restricted"])
    coordinator = make_user("district_coordinator", KORDAY)
    assert not selectors.focus_groups(user=coordinator).exists()
    client = Client()
    client.force_login(coordinator)
    assert client.get(f"/focus-groups/{group.pk}/").status_code == 404
    assert client.get(f"/api/v1/focus-groups/{group.pk}/").status_code == 404
    assert list(selectors.focus_groups(user=make_user("regional_coordinator", ZHAMBYL))) == [group]


@pytest.mark.parametrize("role", [None, "viewer", "district_coordinator@shu"])
def test_callers_outside_the_scope_get_404_and_change_nothing(place, make_user, role):
    group = _record(place)
    client = Client()
    if role is not None:
        name, _at, where = role.partition("@")
        client.force_login(make_user(name, SHU if where else KORDAY))
    for url in (f"/focus-groups/{group.pk}/", f"/focus-groups/{group.pk}/edit/"):
        assert (
            client.get(url).status_code in (302, 404) if role is None else client.get(url).status_code == 404
        )
    client.post(f"/focus-groups/{group.pk}/delete/")
    client.post(f"/visits/{place['visit'].pk}/focus-groups/new/", _form_data(place))
    assert list(FocusGroup.objects.values_list("pk", flat=True)) == [group.pk]
    assert group.findings.count() == 2


def test_the_focus_group_list_filters_by_district_month_and_signals(place, make_user):
    group = _record(place)
    _record(place, findings=[FINDINGS[1]], held_on=date(2024, 6, 4))
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    page = client.get(f"/focus-groups/?territory={KORDAY}&month=2024-06&signals=1")
    assert [s.group.pk for s in page.context["groups"]] == [group.pk]
    assert client.get(f"/focus-groups/?territory={SHU}").context["groups"] == []


# API --------------------------------------------------------------------------------------------


def _api_body(place: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "event": place["event"].pk,
        "held_on": "2024-06-03",
        "territory": KORDAY,
        "moderator": place["moderator"].pk,
        "composition": COMPOSITION,
        "guide_questions": "Қатынастар қандай?",
        "findings": FINDINGS,
        **changes,
    }


def test_the_api_records_changes_and_removes_a_session(place, make_user):
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    created = client.post("/api/v1/focus-groups/", _api_body(place), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["participants"] == 12
    assert created.json()["findings"][0]["severity"] == "high"
    changed = client.patch(
        f"/api/v1/focus-groups/{pk}/",
        {"findings": [{"theme": "land", "tension_signal": True, "severity": "low"}]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    group = FocusGroup.objects.get(pk=pk)
    assert group.composition == COMPOSITION  # what the patch left out stays
    assert list(group.findings.values_list("theme", "severity")) == [("land", "low")]
    assert client.delete(f"/api/v1/focus-groups/{pk}/").status_code == 204
    assert not FocusGroup.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"participants_names": ["Әлия"]}, "participants_names"),
        ({"findings": [{"theme": "land", "speaker": "Әлия"}]}, "findings"),
        ({"findings": [{"theme": "land", "tension_signal": True}]}, "findings"),
        ({"composition": {"gender": {"female": "many"}}}, "composition"),
    ],
)
def test_the_api_refuses_unknown_fields_and_bad_values_and_saves_nothing(place, make_user, body, field):
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    response = client.post("/api/v1/focus-groups/", _api_body(place, **body), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not FocusGroup.objects.exists()


def test_the_api_refuses_an_event_outside_the_callers_scope_like_a_missing_one(place, make_user):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    outside = client.post(
        "/api/v1/focus-groups/",
        _api_body(place, event=place["shu_event"].pk),
        content_type="application/json",
    )
    missing = client.post(
        "/api/v1/focus-groups/", _api_body(place, event=987654321), content_type="application/json"
    )
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert not FocusGroup.objects.exists()


def test_a_reader_without_collect_survey_cannot_write_through_the_api(place, make_user):
    group = _record(place)
    client = Client()
    client.force_login(make_user("press_officer", KORDAY))
    assert client.get(f"/api/v1/focus-groups/{group.pk}/").status_code == 200
    assert (
        client.post("/api/v1/focus-groups/", _api_body(place), content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/focus-groups/{group.pk}/").status_code == 404
    assert FocusGroup.objects.count() == 1


def test_the_api_refuses_a_composition_that_is_not_counts_by_group(place, make_user):
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    response = client.post(
        "/api/v1/focus-groups/", _api_body(place, composition=[1, 2]), content_type="application/json"
    )
    assert response.status_code == 400 and "composition" in response.json()["error"]["fields"]
    assert not FocusGroup.objects.exists()


def test_the_recording_page_says_to_add_an_event_first_when_the_visit_has_none(place, make_user):
    client = Client()
    client.force_login(make_user("district_coordinator", SHU))
    from kelisim.events.models import Event

    Event.objects.filter(visit=place["shu_visit"]).delete()
    page = client.get(f"/visits/{place['shu_visit'].pk}/focus-groups/new/")
    assert f"/events/new/?visit={place['shu_visit'].pk}" in page.content.decode()


def test_the_migration_gives_earlier_sessions_their_events_territory_and_day(place):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kelisim.surveys.migrations.0006_focus_group_date_territory_severity")
    group = FocusGroup.objects.create(event=place["event"], composition={})
    migration.fill(apps, None)
    group.refresh_from_db()
    assert (group.territory, group.held_on) == (place["korday"], date(2024, 6, 3))
