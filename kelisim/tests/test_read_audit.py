"""Reads of restricted events and of personal data are written to the audit log: who, what (ids),
through which page or answer, with which filter and how many rows; one row per read, never text.

And the booking-conflict notice follows the same policy as the lists: a conflict with an event the
user may not see says only that the person is busy elsewhere."""

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from kelisim.accounts.models import Role
from kelisim.accounts.services import membership_grant
from kelisim.appeals.models import Appeal, ReceptionSession, Visitor
from kelisim.core.models import AuditEntry
from kelisim.events.models import Event, EventFormat, EventOfficial
from kelisim.events.services import calendar_feed_renew
from kelisim.registry.models import Person
from kelisim.search.indexing import rebuild
from kelisim.territories.models import Territory

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"


def _page(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _reads(**filters) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(AuditEntry.objects.filter(kind=AuditEntry.Kind.READ, **filters).order_by("id"))


@pytest.fixture
def restricted(seed_visit) -> Event:  # type: ignore[no-untyped-def]
    return Event.objects.get(visit=seed_visit, restricted=True)


@pytest.fixture
def shu_event_with_the_probation_speaker(restricted, territory) -> Event:  # type: ignore[no-untyped-def]
    """An event in Shu whose speaker is booked, at the same hour, for Korday's probation meeting."""
    speaker = restricted.officials.get(person__isnull=False).person
    event = Event.objects.create(
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Шу ауданындағы жастармен кездесу",
        start=restricted.start + timedelta(minutes=30),
        end=restricted.end + timedelta(minutes=30),
        territory=territory(SHU),
        venue_text="Шу мәдениет үйі",
    )
    EventOfficial.objects.create(event=event, person=speaker, role="speaker")
    return event


# Point 3: the booking-conflict notice ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["shu_only", "shu_and_korday"])
def test_a_conflict_with_an_event_the_user_cannot_see_names_nothing_of_it(
    persona, make_user, restricted, shu_event_with_the_probation_speaker
):
    """Shu's coordinator sees nothing of Korday; one who also covers Korday still lacks the
    capability for its restricted records."""
    user = make_user("district_coordinator", SHU)
    if persona == "shu_and_korday":
        membership_grant(
            actor=None,
            user=user,
            role=Role.objects.get(code="district_coordinator"),
            territory=Territory.objects.get(code=KORDAY),
        )
    event = shu_event_with_the_probation_speaker
    body = _page(user).get(f"/events/{event.pk}/").content.decode()
    speaker = event.officials.get().person
    local = timezone.localtime(restricted.start)
    for secret in (restricted.title_kk[:30], restricted.title_ru[:30], "12:00", local.strftime("%H:%M")):
        assert secret not in body.split("<dl")[0], secret
    notices = [part.split("</p>")[0] for part in body.split('role="alert"')[1:]]
    hidden = [n for n in notices if "көре алмайтын" in n]  # "… in another record you cannot see"
    assert hidden and speaker.full_name in hidden[0]  # the person is busy: the planner must know that much
    assert not _reads(actor=user)  # nothing restricted was shown, so nothing to record


def test_a_conflict_with_a_restricted_event_the_user_may_see_is_shown_and_audited(
    make_user, restricted, shu_event_with_the_probation_speaker
):
    regional = make_user("regional_coordinator", ZHAMBYL)
    event = shu_event_with_the_probation_speaker
    body = _page(regional).get(f"/events/{event.pk}/").content.decode()
    assert restricted.title_kk[:30] in body
    entries = _reads(actor=regional, params__via="event_conflicts")
    assert len(entries) == 1
    assert entries[0].object_type == "events.event" and entries[0].params["ids"] == [restricted.pk]


def test_a_conflict_with_a_visible_ordinary_event_still_names_it(make_user, seed_visit, territory):
    ordinary = Event.objects.filter(
        visit=seed_visit, restricted=False, officials__person__isnull=False
    ).first()
    person = ordinary.officials.filter(person__isnull=False).first().person
    clash = Event.objects.create(
        format=ordinary.format,
        title_kk="Басқа кездесу",
        start=ordinary.start,
        end=ordinary.end,
        territory=territory(KORDAY),
        venue_text="Басқа жер",
    )
    EventOfficial.objects.create(event=clash, person=person, role="official")
    body = _page(make_user("district_coordinator", KORDAY)).get(f"/events/{clash.pk}/").content.decode()
    notice = body.split('role="alert"')[1].split("</p>")[0]
    assert ordinary.title_kk[:20] in notice.replace("&laquo;", "«").replace("&raquo;", "»")


# Point 9: reads of restricted events -----------------------------------------------------------


def _feed_event(restricted: Event) -> Event:
    """The personal feed covers the last 90 days onward: a restricted event of today."""
    now = timezone.now()
    return Event.objects.create(
        format=restricted.format,
        title_kk="Бүгінгі жабық кездесу",
        start=now,
        end=now + timedelta(hours=1),
        territory=restricted.territory,
        restricted=True,
    )


def _surface(name, client, seed_visit, user):  # type: ignore[no-untyped-def]
    visit = seed_visit.pk
    return {
        "calendar": lambda: client.get("/calendar/", {"view": "list", "day": "2023-05-01"}),
        "calendar_month": lambda: client.get("/calendar/", {"view": "month", "day": "2023-05-10"}),
        "visit_timeline": lambda: client.get(f"/visits/{visit}/"),
        "api_events": lambda: _api(user).get("/api/v1/events/", {"visit": visit}),
        "search": lambda: client.get("/search/", {"q": "пробация"}),
        "api_search": lambda: _api(user).get("/api/v1/search/", {"q": "пробация"}),
        "ical_visit": lambda: _api(user).get(f"/api/v1/visits/{visit}/calendar.ics"),
        "visit_report": lambda: client.get(f"/visits/{visit}/report.xlsx", {"lang": "kk"}),
        "press_release": lambda: client.post(f"/visits/{visit}/press-release/generate/", {"lang": "kk"}),
    }[name]()


@pytest.mark.parametrize(
    ("via", "filter_key", "filter_value"),
    [
        ("calendar", "filter_date_from", "20230501"),
        ("calendar", "filter_date_to", "20230730"),
        ("calendar_month", "filter_date_from", "20230501"),
        ("visit_timeline", "filter_visit", None),
        ("api_events", "filter_visit", None),
        ("search", "filter_q", True),
        ("api_search", "filter_q", True),
        ("ical_visit", "filter_visit", None),
        ("visit_report", "filter_visit", None),
        ("press_release", "filter_visit", None),
    ],
)
def test_a_list_that_shows_a_restricted_event_writes_one_audit_row_with_its_id_and_filter(
    via, filter_key, filter_value, seed_visit, restricted, make_user
):
    rebuild()
    regional = make_user("regional_coordinator", ZHAMBYL)
    client = _page(regional)
    response = _surface(via, client, seed_visit, regional)
    assert response.status_code in (200, 302)
    entries = _reads(actor=regional, object_type="events.event")
    assert len(entries) == 1, [e.params for e in entries]
    params = entries[0].params
    assert params["ids"] == [restricted.pk]
    assert params["via"] == via.replace("calendar_month", "calendar")
    assert params["rows"] >= 1
    assert params[filter_key] == (seed_visit.pk if filter_value is None else filter_value)
    assert entries[0].territory_path == restricted.territory.path


@pytest.mark.parametrize("via", ["calendar", "visit_timeline", "api_events", "search", "ical_visit"])
def test_a_list_without_restricted_events_writes_no_audit_row(via, seed_visit, make_user):
    rebuild()
    district = make_user("district_coordinator", KORDAY)  # sees Korday, never its restricted records
    response = _surface(via, _page(district), seed_visit, district)
    assert response.status_code == 200
    assert not _reads(actor=district, object_type="events.event")


def test_the_personal_feed_audits_its_restricted_events_for_its_owner(restricted, make_user):
    owner = make_user("regional_coordinator", ZHAMBYL)
    today = _feed_event(restricted)
    token = calendar_feed_renew(user=owner)
    response = Client().get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200 and "Бүгінгі жабық" in response.content.decode()
    entries = _reads(actor=owner, object_type="events.event")
    assert len(entries) == 1 and entries[0].params["via"] == "ical_feed"
    assert entries[0].params["ids"] == [today.pk]


def test_the_dashboard_audits_the_restricted_events_it_counts(seed_visit, restricted, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    response = _page(regional).get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"})
    assert response.status_code == 200
    entries = _reads(actor=regional, object_type="events.event")
    assert len(entries) == 1
    params = entries[0].params
    assert params["via"] == "dashboard" and params["restricted"] == 1
    assert params["filter_date_from"] == "20230101" and params["filter_date_to"] == "20231231"
    district = make_user("district_coordinator", KORDAY)
    _page(district).get("/dashboard/", {"from": "2023-01-01", "to": "2023-12-31"})
    assert not _reads(actor=district, object_type="events.event")


# Point 9: reads of personal data ---------------------------------------------------------------


@pytest.fixture
def korday_reader(seed_visit, make_user):  # type: ignore[no-untyped-def]
    return make_user("district_coordinator", KORDAY)


def test_an_appeal_read_on_the_page_the_receipt_and_the_api_is_audited_each_time(korday_reader):
    appeal = Appeal.objects.filter(
        territory__path__startswith=Territory.objects.get(code=KORDAY).path
    ).first()
    client = _page(korday_reader)
    for url in (f"/appeals/{appeal.pk}/", f"/appeals/{appeal.pk}/receipt/"):
        assert client.get(url).status_code == 200
    assert _api(korday_reader).get(f"/api/v1/appeals/{appeal.pk}/").status_code == 200
    reads = _reads(actor=korday_reader, object_type="appeals.appeal")
    # The page also lists the applicant's earlier appeals (appeals.applicants), a read of its own.
    entries = [e for e in reads if e.params.get("via") != "appeal_earlier_appeals"]
    assert [e.object_id for e in entries] == [str(appeal.pk)] * 3
    assert [e.params.get("via") for e in entries] == ["appeal_detail", "appeal_receipt", "api_appeals"]
    assert all(str(appeal.pk) not in map(str, e.params["ids"]) for e in reads if e not in entries)


def test_the_api_appeal_list_writes_one_row_naming_every_appeal_it_showed(korday_reader):
    body = _api(korday_reader).get("/api/v1/appeals/", {"page_size": 5, "status": "closed"}).json()
    shown = sorted(a["id"] for a in body["results"])
    assert shown
    entries = _reads(actor=korday_reader, object_type="appeals.appeal")
    assert len(entries) == 1
    assert entries[0].params["ids"] == shown and entries[0].params["rows"] == len(shown)
    assert entries[0].params["filter_status"] == "closed"


def test_the_reception_desk_writes_one_row_naming_the_visitors_it_listed(korday_reader):
    session = (
        ReceptionSession.objects.filter(visitors__isnull=False, territory__code=KORDAY).distinct().first()
    )
    visitors = sorted(Visitor.objects.filter(session=session).values_list("pk", flat=True))
    client = _page(korday_reader)
    assert client.get(f"/receptions/{session.pk}/").status_code == 200
    entries = _reads(actor=korday_reader, object_type="appeals.visitor")
    assert len(entries) == 1
    assert entries[0].params["ids"] == visitors and entries[0].params["filter_session"] == session.pk


def test_person_registry_pages_and_api_are_audited(seed_visit, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    person = Person.objects.filter(merged_into__isnull=True).order_by("full_name").first()
    client = _page(regional)
    assert client.get(f"/registry/people/{person.pk}/").status_code == 200
    assert client.get("/registry/people/", {"q": person.full_name[:6]}).status_code == 200
    api = _api(regional)
    assert api.get(f"/api/v1/people/{person.pk}/").status_code == 200
    assert api.get("/api/v1/people/").status_code == 200
    entries = _reads(actor=regional, object_type="registry.person")
    assert [e.params.get("via") for e in entries] == [
        "registry_detail",
        "registry_list",
        "api_people",
        "api_people",
    ]
    assert entries[0].object_id == str(person.pk)
    assert person.pk in entries[1].params["ids"] and entries[1].params["filter_q"] is True
    assert len(entries[3].params["ids"]) == entries[3].params["rows"] >= 1
    # The organizations' pages hold no personal data and stay unaudited.
    client.get("/registry/organizations/")
    assert not _reads(actor=regional, object_type="registry.organization")


def test_search_hits_of_people_and_appeals_are_audited_without_the_query(seed_visit, make_user):
    rebuild()
    regional = make_user("regional_coordinator", ZHAMBYL)
    person = Person.objects.filter(merged_into__isnull=True).first()
    query = person.full_name.split()[0]
    _page(regional).get("/search/", {"q": query})
    entries = _reads(actor=regional, object_type="registry.person")
    assert len(entries) == 1 and person.pk in entries[0].params["ids"]
    assert query not in json.dumps(entries[0].params, ensure_ascii=False)
    _page(regional).get("/search/", {"q": "өтініш"})
    assert len(_reads(actor=regional, object_type="appeals.appeal")) <= 1


def test_no_personal_text_reaches_the_read_audit(seed_visit, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    client = _page(regional)
    appeal = Appeal.objects.exclude(applicant_name="").first()
    session = Visitor.objects.exclude(name="").first().session
    for url in (f"/appeals/{appeal.pk}/", f"/receptions/{session.pk}/", "/registry/people/?q=Сабырұлы"):
        client.get(url)
    params = json.dumps([e.params for e in _reads(actor=regional)], ensure_ascii=False)
    assert _reads(actor=regional)
    for secret in (appeal.applicant_name, appeal.text[:20], session.visitors.exclude(name="").first().name):
        assert secret not in params
    assert "Сабырұлы" not in params


def test_a_read_outside_any_request_is_recorded_too(seed_visit, restricted, make_user):
    """The visit report command reads as a user as well: its reads are recorded in the same way."""
    from kelisim.reports import visit_report

    regional = make_user("regional_coordinator", ZHAMBYL)
    visit_report.collect(user=regional, visit=seed_visit, language="kk")
    entries = _reads(actor=regional, object_type="events.event")
    assert len(entries) == 1 and entries[0].params["ids"] == [restricted.pk]
    assert datetime.now(tz=timezone.get_current_timezone()) - entries[0].at < timedelta(minutes=5)
