"""The events issue's pages: the visit timeline, event forms, files, calendar, exports, feeds."""

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from icalendar import Calendar
from openpyxl import load_workbook

from kelisim.events.models import Attachment, Event
from kelisim.events.services import calendar_feed_renew

KORDAY, SHU = "314800000", "316600000"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("language", "field"), [("kk", "title_kk"), ("ru", "title_ru"), ("en", "title_ru")])
def test_the_demo_visit_page_shows_every_seed_event_on_its_days(seed_visit, make_user, language, field):
    user = make_user("regional_coordinator", "310000000")
    user.language = language
    user.save()
    body = _signed_in(user).get(f"/visits/{seed_visit.pk}/").content.decode()
    events = Event.objects.filter(visit=seed_visit)
    assert events.count() >= 8
    for event in events:
        assert getattr(event, field).replace("«", "&laquo;")[:30] in body.replace("«", "&laquo;"), (
            event.title_kk
        )
    for marker in {"kk": ("10 мамыр", "жұма"), "ru": ("10 мая", "пятница"), "en": ("May 10", "Friday")}[
        language
    ]:
        assert marker.lower() in body.lower()


def test_restricted_event_is_absent_from_every_page_surface_without_the_capability(seed_visit, make_user):
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    district = make_user("district_coordinator", KORDAY)
    client = _signed_in(district)
    surfaces = {
        "timeline": client.get(f"/visits/{seed_visit.pk}/"),
        "month": client.get("/calendar/", {"view": "month", "day": "2023-05-10"}),
        "list": client.get("/calendar/", {"view": "list", "day": "2023-05-01"}),
        "week": client.get("/calendar/", {"view": "week", "day": "2023-05-10"}),
        "csv": client.get("/calendar/export.csv"),
        "ical": client.get(f"/api/v1/visits/{seed_visit.pk}/calendar.ics"),
    }
    for name, response in surfaces.items():
        assert response.status_code == 200, name
        assert restricted.title_kk[:25] not in response.content.decode(), name
    assert client.get(f"/events/{restricted.pk}/").status_code == 404
    rows = list(csv.reader(io.StringIO(surfaces["csv"].content.decode("utf-8-sig"))))
    assert len(rows) - 1 == Event.objects.filter(visit=seed_visit, restricted=False).count()
    regional = _signed_in(make_user("regional_coordinator", "310000000"))
    assert restricted.title_kk[:25] in regional.get(f"/visits/{seed_visit.pk}/").content.decode()


def test_ical_export_parses_and_holds_exactly_the_visible_events(seed_visit, make_user):
    for role, code, restricted_visible in (
        ("district_coordinator", KORDAY, False),
        ("regional_coordinator", "310000000", True),
    ):
        response = _signed_in(make_user(role, code)).get(f"/api/v1/visits/{seed_visit.pk}/calendar.ics")
        calendar = Calendar.from_ical(response.content)
        uids = {str(c["uid"]) for c in calendar.walk("VEVENT")}
        expected = Event.objects.filter(visit=seed_visit)
        if not restricted_visible:
            expected = expected.filter(restricted=False)
        assert uids == {
            f"event-{pk}@{settings.KELISIM_SITE_DOMAIN}" for pk in expected.values_list("pk", flat=True)
        }


def test_personal_feed_follows_the_users_scope_and_dies_when_renewed(seed_visit, make_user):
    user = make_user("district_coordinator", KORDAY)
    token = calendar_feed_renew(user=user)
    anonymous = Client()
    # The feed covers the last 90 days onward; the demo is in 2023, so add a current event.
    from django.utils import timezone

    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    now = timezone.now()
    Event.objects.create(
        format=template.format, title_kk="Бүгінгі кездесу", start=now, end=now, territory=template.territory
    )
    Event.objects.create(
        format=template.format,
        title_kk="Жасырын",
        start=now,
        end=now,
        territory=template.territory,
        restricted=True,
    )
    feed = Calendar.from_ical(anonymous.get(f"/calendar/feed/{token}.ics").content)
    titles = [str(c["summary"]) for c in feed.walk("VEVENT")]
    assert titles == ["Бүгінгі кездесу"]
    calendar_feed_renew(user=user)
    assert anonymous.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_xlsx_export_reads_back_with_the_same_rows(seed_visit, make_user):
    response = _signed_in(make_user("regional_coordinator", "310000000")).get(
        "/calendar/export.xlsx", {"format": "dialogue_platform", "territory": KORDAY}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2
    assert {r[5] for r in rows[1:]} == {"314854000", "314833000"}


def _form(event_date: date, **extra):  # type: ignore[no-untyped-def]
    return {
        "format": Event._meta.get_field("format").related_model.objects.get(code="meeting").pk,
        "title_kk": "Жастармен кездесу",
        "title_ru": "",
        "start": f"{event_date}T18:00",
        "end": f"{event_date}T19:00",
        "territory": "314854100",
        "venue_text": "Мәдениет үйі",
        "audience_youth": "30",
        **extra,
    }


def test_korday_coordinator_creates_and_edits_an_event_through_the_page(seed_visit, make_user):
    client = _signed_in(make_user("district_coordinator", KORDAY))
    response = client.post(f"/events/new/?visit={seed_visit.pk}", _form(date(2023, 5, 11)))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title_kk="Жастармен кездесу")
    assert event.visit == seed_visit and event.audiences.get().count == 30
    edit = client.post(
        f"/events/{event.pk}/edit/",
        _form(date(2023, 5, 11), title_kk="Жастармен жүздесу", version=event.version),
    )
    assert edit.status_code == 302
    event.refresh_from_db()
    assert event.title_kk == "Жастармен жүздесу" and event.version == 2


def test_shu_coordinator_can_neither_open_nor_change_a_korday_event(seed_visit, make_user):
    event = Event.objects.filter(visit=seed_visit, restricted=False).first()
    client = _signed_in(make_user("district_coordinator", SHU))
    before = list(Event.objects.order_by("pk").values_list("pk", "title_kk", "version"))
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert (
        client.post(f"/events/{event.pk}/edit/", _form(date(2023, 5, 11), version=event.version)).status_code
        == 404
    )
    assert client.get(f"/events/new/?visit={seed_visit.pk}").status_code == 404
    assert client.get(f"/visits/{seed_visit.pk}/").status_code == 404
    assert list(Event.objects.order_by("pk").values_list("pk", "title_kk", "version")) == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"end": "2023-05-11T17:00"}, "end"), ({"territory": SHU}, "territory")],
    ids=["end-before-start", "outside-scope"],
)
def test_page_form_errors_name_the_field_and_save_nothing(seed_visit, make_user, extra, field):
    client = _signed_in(make_user("district_coordinator", KORDAY))
    count = Event.objects.count()
    response = client.post(f"/events/new/?visit={seed_visit.pk}", _form(date(2023, 5, 11), **extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Event.objects.count() == count


def test_attachments_are_checked_by_content_and_served_only_to_those_who_may_see_the_event(
    seed_visit, make_user, settings
):
    event = Event.objects.filter(visit=seed_visit, restricted=False).first()
    client = _signed_in(make_user("district_coordinator", KORDAY))
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 this is a program", content_type="image/png")
    client.post(f"/events/{event.pk}/attachments/", {"file": fake})
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"
    )
    client.post(f"/events/{event.pk}/attachments/", {"file": big})
    assert not Attachment.objects.exists()
    client.post(f"/events/{event.pk}/attachments/", {"file": SimpleUploadedFile("сурет.png", PNG)})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and "сурет" not in attachment.file.name
    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert (
        _signed_in(make_user("district_coordinator", SHU)).get(f"/attachments/{attachment.pk}/").status_code
        == 404
    )
    assert Client().get(f"/attachments/{attachment.pk}/").status_code == 302


def test_calendar_page_takes_a_fixed_number_of_queries_with_10000_events(
    seed_visit, make_user, django_assert_max_num_queries
):
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    Event.objects.bulk_create(
        [
            Event(
                format=template.format,
                title_kk=f"Іс-шара {i}",
                start=template.start,
                end=template.end,
                territory=template.territory,
            )
            for i in range(10_000)
        ],
        batch_size=1000,
    )
    client = _signed_in(make_user("regional_coordinator", "310000000"))
    with django_assert_max_num_queries(12):
        response = client.get("/calendar/", {"view": "list", "day": "2023-05-10"})
    assert response.content.decode().count("Іс-шара ") == 10_000
