"""The public side of a visit (issue 18, point 3): its page, calendar and poster, sign-ups for a
reception, and the status lookup of an appeal. Nothing restricted, sensitive or personal shows."""

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from icalendar import Calendar

from kelisim.appeals import services as appeal_services
from kelisim.appeals.models import (
    PUBLIC_CODE_ALPHABET,
    Appeal,
    ConsentText,
    PreRegistration,
    ReceptionSession,
)
from kelisim.core.models import AuditEntry
from kelisim.events.models import (
    AudienceCategory,
    Event,
    EventAudience,
    EventFormat,
    EventOfficial,
    EventOrganizer,
)
from kelisim.programs import services as program_services
from kelisim.programs.models import Edition, Program, Visit
from kelisim.public import qr
from kelisim.public.models import Attempt
from kelisim.registry.models import Person
from kelisim.territories import zones

KORDAY, ZHAMBYL = "314800000", "310000000"
OPEN, RESTRICTED, SENSITIVE = "Ашық кездесу жастармен", "Жабық кездесу", "Пробациядағылармен кездесу"
OFFICIAL = "Шенеунік Құпиябеков"


def _client(**defaults: Any) -> Client:
    """A browser reading English, so that assertions read the English words."""
    client = Client(**defaults)
    client.cookies["kelisim_language"] = "en"
    return client


def _in_english(user: Any) -> Any:
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _at(day: Any, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zones.zone_for_code(KORDAY))


@pytest.fixture
def public_visit(territory, korday_department, make_user) -> dict[str, Any]:
    korday = territory(KORDAY)
    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2020, territory=korday
    )
    first = timezone.localdate() + timedelta(days=5)
    visit = Visit.objects.create(
        edition=Edition.objects.create(program=program, year=first.year),
        territory=korday,
        date_start=first,
        date_end=first + timedelta(days=1),
    )
    meeting = EventFormat.objects.get(code="meeting")

    def event(title: str, hour: int, **extra: Any) -> Event:
        return Event.objects.create(
            visit=visit,
            format=meeting,
            title_kk=title,
            title_ru=title,
            start=_at(first, hour),
            end=_at(first, hour + 1),
            territory=korday,
            venue_text="Мәдениет үйі",
            **extra,
        )

    open_event = event(OPEN, 10)
    EventOrganizer.objects.create(event=open_event, department=korday_department)
    EventOfficial.objects.create(
        event=open_event,
        person=Person.objects.create(full_name=OFFICIAL, territory=korday),
        position_kk="Құпия лауазым",
    )
    event(RESTRICTED, 11, restricted=True)
    sensitive = event(SENSITIVE, 12)
    EventAudience.objects.create(
        event=sensitive, category=AudienceCategory.objects.get(code="probation"), count=5
    )
    reception = ReceptionSession.objects.create(
        visit=visit,
        department=korday_department,
        territory=korday,
        place="Ауыл әкімдігі",
        start=_at(first, 14),
        end=_at(first, 17),
    )
    coordinator = make_user("district_coordinator", KORDAY)
    visit = program_services.visit_set_public(actor=coordinator, visit=visit, public=True)
    return {"visit": visit, "slug": visit.public_slug, "reception": reception, "coordinator": coordinator}


def test_the_public_page_shows_open_events_and_receptions_to_anyone(public_visit, korday_department):
    response = _client().get(f"/p/{public_visit['slug']}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert OPEN in html and "Мәдениет үйі" in html and "Ауыл әкімдігі" in html
    assert korday_department.name in html  # who organizes / who receives (in the reader's language)
    assert "https://www.openstreetmap.org/search?query=" in html and "geo:0,0?q=" in html
    assert f"/p/{public_visit['slug']}/calendar.ics" in html
    assert f"/p/{public_visit['slug']}/receptions/{public_visit['reception'].pk}/" in html


def test_restricted_events_sensitive_audiences_and_officials_never_show(public_visit):
    client = _client()
    page = client.get(f"/p/{public_visit['slug']}/").content.decode()
    ics = client.get(f"/p/{public_visit['slug']}/calendar.ics")

    summaries = [str(c["summary"]) for c in Calendar.from_ical(ics.content).walk("VEVENT")]
    assert OPEN in summaries and len(summaries) == 2  # the open event and the reception
    for hidden in (RESTRICTED, SENSITIVE, OFFICIAL, "Құпия лауазым", "CONFIDENTIAL"):
        assert hidden not in page
        assert hidden not in ics.content.decode()
    # None of the internal app: no menu, no links into it.
    assert not re.search(r'href="/(visits|events|appeals|receptions|registry)/', page)


def test_the_calendar_has_the_reception_in_its_zone(public_visit):
    ics = _client().get(f"/p/{public_visit['slug']}/calendar.ics")

    assert ics["Content-Type"].startswith("text/calendar")
    reception = [c for c in Calendar.from_ical(ics.content).walk("VEVENT") if "reception-" in str(c["uid"])]
    assert len(reception) == 1
    assert reception[0].decoded("dtstart") == public_visit["reception"].start
    assert "Ауыл әкімдігі" in str(reception[0]["location"])


def test_a_visit_without_a_public_page_answers_404(public_visit):
    visit, slug = public_visit["visit"], public_visit["slug"]
    program_services.visit_set_public(actor=public_visit["coordinator"], visit=visit, public=False)
    client = _client()

    for url in (
        f"/p/{slug}/",
        f"/p/{slug}/calendar.ics",
        f"/p/{slug}/poster/",
        f"/p/{slug}/receptions/{public_visit['reception'].pk}/",
        f"/p/{slug}x/",
        f"/p/{visit.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    never_opened = Visit.objects.create(
        edition=visit.edition, territory=visit.territory, date_start=visit.date_start, date_end=visit.date_end
    )
    assert never_opened.public_slug is None and not never_opened.public


def test_the_public_page_opens_again_at_the_same_address(public_visit):
    visit, slug = public_visit["visit"], public_visit["slug"]
    coordinator = public_visit["coordinator"]
    program_services.visit_set_public(actor=coordinator, visit=visit, public=False)
    again = program_services.visit_set_public(actor=coordinator, visit=visit, public=True)

    assert again.public_slug == slug and len(slug) >= 16
    assert _client().get(f"/p/{slug}/").status_code == 200


def test_the_poster_qr_encodes_the_page_address(public_visit):
    response = _client().get(f"/p/{public_visit['slug']}/poster/")
    html = response.content.decode()
    url = f"http://testserver/p/{public_visit['slug']}/"

    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", html, re.S)
    assert svg is not None
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg.group(0)).group(1))  # type: ignore[union-attr]
    read = [[False] * (size - 2 * qr.BORDER) for _ in range(size - 2 * qr.BORDER)]
    for x, y in re.findall(r'<rect x="(\d+)" y="(\d+)" width="1" height="1"/>', svg.group(0)):
        read[int(y) - qr.BORDER][int(x) - qr.BORDER] = True
    # Made again, independently, by the qrcode package from the expected address.
    import qrcode

    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    expected.add_data(url)
    expected.make(fit=True)
    assert read == [list(row) for row in expected.get_matrix()]
    assert "testserver/p/" + public_visit["slug"] + "/" in html  # printed beside it


def test_the_switch_is_for_who_manages_the_visit_and_is_audited(public_visit, make_user):
    visit = public_visit["visit"]
    specialist = make_user("specialist", KORDAY)
    outsider = make_user("district_coordinator", "316600000")
    for user in (specialist, outsider):
        client = _client()
        client.force_login(user)
        assert client.post(f"/visits/{visit.pk}/public/", {"public": "off"}).status_code == 404
    visit.refresh_from_db()
    assert visit.public

    client = _client()
    client.force_login(_in_english(public_visit["coordinator"]))
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/p/{visit.public_slug}/" in page and f"/visits/{visit.pk}/public/" in page
    response = client.post(f"/visits/{visit.pk}/public/", {"public": "off"}, follow=True)

    visit.refresh_from_db()
    assert not visit.public
    assert [str(m) for m in response.context["messages"]] == ["The visit's public page is closed."]
    entries = AuditEntry.objects.filter(action="visit.public", object_id=str(visit.pk))
    assert [e.params for e in entries.order_by("id")] == [
        {"from": False, "to": True},
        {"from": True, "to": False},
    ]


# Sign-ups for a reception ------------------------------------------------------------------------


def _signup(client: Client, public_visit: dict[str, Any], **data: Any) -> Any:
    form = {"name": "Айгүл Серікова", "phone": "+7 701 123 45 67", "topic": "Жол жөндеу", "consent": "on"}
    form.update(data)
    return client.post(f"/p/{public_visit['slug']}/receptions/{public_visit['reception'].pk}/", form)


def test_a_signup_shows_on_the_desk_and_becomes_a_visitor(public_visit, make_user):
    response = _signup(_client(), public_visit)
    assert response.status_code == 302
    entry = PreRegistration.objects.get()
    assert entry.consent == ConsentText.objects.get(is_active=True) and entry.consent_at is not None
    assert not AuditEntry.objects.filter(action="preregistration.create", params__icontains="Айгүл").exists()

    desk = _client()
    desk.force_login(_in_english(make_user("specialist", KORDAY)))
    page = desk.get(f"/receptions/{public_visit['reception'].pk}/").content.decode()
    assert "Айгүл Серікова" in page and "pre-registered" in page and "Жол жөндеу" in page
    desk.post(f"/preregistrations/{entry.pk}/admit/")

    entry.refresh_from_db()
    visitor = entry.visitor
    assert visitor is not None and visitor.session == public_visit["reception"]
    assert (visitor.name, visitor.contact, visitor.question) == (
        "Айгүл Серікова",
        "+7 701 123 45 67",
        "Жол жөндеу",
    )
    assert visitor.consent == entry.consent and visitor.outcome == "waiting"
    page = desk.get(f"/receptions/{public_visit['reception'].pk}/").content.decode()
    assert "pre-registered" not in page and f'id="visitor-{visitor.pk}"' in page


def test_a_signup_can_be_removed_only_by_the_desk(public_visit, make_user):
    _signup(_client(), public_visit)
    entry = PreRegistration.objects.get()
    viewer = _client()
    viewer.force_login(_in_english(make_user("viewer", KORDAY)))
    assert viewer.post(f"/preregistrations/{entry.pk}/remove/").status_code == 404
    assert PreRegistration.objects.filter(pk=entry.pk).exists()

    desk = _client()
    desk.force_login(_in_english(make_user("specialist", KORDAY)))
    desk.post(f"/preregistrations/{entry.pk}/remove/")
    assert not PreRegistration.objects.exists()


def test_a_signup_with_mistakes_says_what_to_fix_on_each_field(public_visit):
    response = _signup(_client(), public_visit, name="", phone="12", topic="", consent="")

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "phone", "topic", "consent"}
    assert "Write the phone number with its code" in errors["phone"][0]
    assert not PreRegistration.objects.exists()


def test_the_signup_form_speaks_russian_when_asked(public_visit):
    client = _client()
    client.cookies["kelisim_language"] = "ru"
    response = client.get(f"/p/{public_visit['slug']}/receptions/{public_visit['reception'].pk}/")

    assert response["Content-Language"] == "ru"
    assert 'lang="ru"' in response.content.decode()


@override_settings(KELISIM_PUBLIC_PREREG_TRIES=2)
def test_signups_are_throttled_per_address(public_visit):
    client = _client()
    assert _signup(client, public_visit).status_code == 302
    assert _signup(client, public_visit, name="Екінші").status_code == 302
    third = _signup(client, public_visit, name="Үшінші")

    assert third.status_code == 429
    assert "Too many sign-ups" in third.content.decode()
    assert PreRegistration.objects.count() == 2
    assert (
        _client(REMOTE_ADDR="10.0.0.9")
        .post(
            f"/p/{public_visit['slug']}/receptions/{public_visit['reception'].pk}/",
            {"name": "Басқа", "phone": "+7 701 000 00 00", "topic": "Су", "consent": "on"},
        )
        .status_code
        == 302
    )


def test_a_past_reception_takes_no_signups(public_visit):
    reception = public_visit["reception"]
    ReceptionSession.objects.filter(pk=reception.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )
    assert _signup(_client(), public_visit).status_code == 404
    assert not PreRegistration.objects.exists()


# Status lookup ----------------------------------------------------------------------------------


@pytest.fixture
def appeal(territory, korday_department, make_user) -> Appeal:
    return appeal_services.appeal_register(
        actor=make_user("district_coordinator", KORDAY),
        type="statement",
        channel="written",
        applicant_name="Қайрат Өтінішбаев",
        applicant_contact="+7 702 555 66 77",
        territory=territory(KORDAY),
        department=korday_department,
        text="Көшедегі шам жанбайды",
        received_on=timezone.localdate(),
    )


def _lookup(client: Client, number: str, code: str) -> Any:
    return client.post("/status/", {"number": number, "code": code})


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_every_appeal_gets_a_receipt_code_printed_on_its_receipt(appeal, make_user):
    assert len(appeal.public_code) == 8 and set(appeal.public_code) <= set(PUBLIC_CODE_ALPHABET)
    client = _client()
    client.force_login(_in_english(make_user("district_coordinator", KORDAY)))
    assert appeal.public_code in client.get(f"/appeals/{appeal.pk}/receipt/").content.decode()
    assert appeal.public_code in client.get(f"/appeals/{appeal.pk}/").content.decode()


def test_the_lookup_shows_status_and_dates_and_nothing_personal(appeal, korday_department):
    response = _lookup(_client(), appeal.number, appeal.public_code.lower())

    html = response.content.decode()
    assert response.status_code == 200 and response.context["found"].number == appeal.number
    assert response.context["found"].due_date == appeal.due_date
    for secret in ("Қайрат Өтінішбаев", "+7 702 555 66 77", "Көшедегі шам", korday_department.name_kk):
        assert secret not in html


def test_a_wrong_code_answers_exactly_like_an_unknown_number(appeal):
    wrong = _lookup(_client(REMOTE_ADDR="10.0.0.1"), appeal.number, "AAAAAAAA")
    unknown = _lookup(_client(REMOTE_ADDR="10.0.0.1"), "31-1999-99999", "AAAAAAAA")

    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["found"] is None and unknown.context["found"] is None
    assert _without_token(wrong.content.decode()).replace(appeal.number, "N") == _without_token(
        unknown.content.decode()
    ).replace("31-1999-99999", "N")


@override_settings(KELISIM_PUBLIC_STATUS_TRIES=3)
def test_wrong_codes_are_throttled_per_address(appeal):
    client = _client(REMOTE_ADDR="10.0.0.2")
    for n in range(3):
        assert _lookup(client, f"31-1999-0000{n}", "AAAAAAAA").status_code == 200

    blocked = _lookup(client, appeal.number, appeal.public_code)  # even the right code waits now
    assert blocked.status_code == 429 and blocked.context["found"] is None
    assert "Too many wrong tries" in blocked.content.decode()
    assert _lookup(_client(REMOTE_ADDR="10.0.0.3"), appeal.number, appeal.public_code).context["found"]


@override_settings(KELISIM_PUBLIC_STATUS_TRIES=3)
def test_wrong_codes_are_throttled_per_appeal_number(appeal):
    for n in range(3):
        _lookup(_client(REMOTE_ADDR=f"10.0.1.{n}"), appeal.number, "AAAAAAAA")

    blocked = _lookup(_client(REMOTE_ADDR="10.0.1.99"), appeal.number, appeal.public_code)
    assert blocked.status_code == 429 and blocked.context["found"] is None
    unknown = _lookup(_client(REMOTE_ADDR="10.0.2.1"), "31-1999-99999", "AAAAAAAA")
    for n in range(3):
        _lookup(_client(REMOTE_ADDR=f"10.0.3.{n}"), "31-1999-99999", "AAAAAAAA")
    assert _lookup(_client(REMOTE_ADDR="10.0.3.99"), "31-1999-99999", "AAAAAAAA").status_code == 429
    assert unknown.status_code == 200
    # The counters keep keyed hashes: no address or number in the table.
    keys = list(Attempt.objects.values_list("key", flat=True))
    assert keys and not any(appeal.number in k or "10.0." in k for k in keys)


def test_old_appeals_get_a_code_from_the_migration(appeal):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kelisim.appeals.migrations.0010_appeal_public_code_preregistration")
    Appeal.objects.filter(pk=appeal.pk).update(public_code="")
    migration.fill_public_codes(apps, None)

    code = Appeal.objects.get(pk=appeal.pk).public_code
    assert len(code) == 8 and set(code) <= set(PUBLIC_CODE_ALPHABET)


def test_a_reception_with_signups_is_not_removed_with_them(public_visit, make_user):
    from django.core.exceptions import ValidationError

    _signup(_client(), public_visit)
    with pytest.raises(ValidationError):
        appeal_services.reception_delete(
            actor=make_user("district_coordinator", KORDAY), session=public_visit["reception"]
        )
    assert PreRegistration.objects.count() == 1


def test_the_public_page_reads_a_fixed_number_of_queries(public_visit, korday_department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/p/{public_visit['slug']}/"
    client = _client()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    first = public_visit["visit"].date_start
    for n in range(5):
        extra = Event.objects.create(
            visit=public_visit["visit"],
            format=EventFormat.objects.get(code="meeting"),
            title_kk=f"Қосымша {n}",
            start=_at(first, 8),
            end=_at(first, 9),
            territory=public_visit["reception"].territory,
        )
        EventOrganizer.objects.create(event=extra, department=korday_department)
        ReceptionSession.objects.create(
            visit=public_visit["visit"],
            department=korday_department,
            territory=public_visit["reception"].territory,
            place=f"Орын {n}",
            start=_at(first, 15),
            end=_at(first, 16),
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()

    assert "Қосымша 4" in html and "Орын 4" in html
    assert len(many) == len(few)


def test_an_ipv6_client_is_counted_by_its_network():
    from kelisim.public.services import client_bucket

    assert (
        client_bucket("2001:db8:1:2:aaaa::1") == client_bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    )
    assert client_bucket("2001:db8:1:3::1") != client_bucket("2001:db8:1:2::1")
    assert client_bucket("10.0.0.7") == "10.0.0.7"
