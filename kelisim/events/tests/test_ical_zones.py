"""iCalendar identifiers that don't depend on the address, and each region's zone on the event's date."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from icalendar import Calendar

from kelisim.accounts.middleware import UserTimeZoneMiddleware
from kelisim.events.ical import calendar_bytes
from kelisim.events.models import Event, EventFormat
from kelisim.territories.models import Territory
from kelisim.territories.zones import zone_for_codes

UTC = ZoneInfo("UTC")
AKTAU = "471010000"  # Mangystau region: UTC+5 before and after 2024
TARAZ = "311000000"  # Zhambyl region: UTC+6 until 1 March 2024, then UTC+5


def _event(pk: int, code: str, start_utc: datetime) -> Event:
    territory = Territory(code=code, name_ru=f"territory {code}", name_kk=f"аумақ {code}")
    return Event(
        pk=pk,
        title_kk="Диалог алаңы",
        start=start_utc,
        end=start_utc + timedelta(hours=2),
        territory=territory,
        format=EventFormat(code="dialogue", name_kk="Диалог алаңы", name_ru="Диалоговая площадка"),
        venue_text="",
        restricted=False,
        version=1,
    )


def _vevents(events: list[Event]) -> dict[int, object]:
    calendar = Calendar.from_ical(calendar_bytes(events, name="test"))
    return {int(str(item["uid"]).split("@")[0].split("-")[1]): item for item in calendar.walk("VEVENT")}


def test_each_region_keeps_the_offset_in_force_on_the_events_date():
    events = [
        _event(1, AKTAU, datetime(2023, 5, 10, 5, 0, tzinfo=UTC)),
        _event(2, TARAZ, datetime(2023, 5, 10, 4, 0, tzinfo=UTC)),
        _event(3, TARAZ, datetime(2025, 5, 10, 5, 0, tzinfo=UTC)),
    ]
    items = _vevents(events)
    starts = {pk: item["dtstart"].dt for pk, item in items.items()}
    # Ten in the morning, local time, in each case.
    assert {pk: (start.hour, start.utcoffset()) for pk, start in starts.items()} == {
        1: (10, timedelta(hours=5)),
        2: (10, timedelta(hours=6)),
        3: (10, timedelta(hours=5)),
    }
    assert str(items[1]["dtstart"].params["TZID"]) == "Asia/Aqtau"
    assert str(items[2]["dtstart"].params["TZID"]) == "Asia/Almaty"
    # The instants themselves are unchanged, and each zone is described for the client.
    assert {pk: start.astimezone(UTC) for pk, start in starts.items()} == {e.pk: e.start for e in events}
    zones = {str(tz["tzid"]) for tz in Calendar.from_ical(calendar_bytes(events, name="t")).walk("VTIMEZONE")}
    assert zones == {"Asia/Aqtau", "Asia/Almaty"}


def test_uids_come_from_the_configured_domain_whatever_host_the_calendar_was_asked_through(
    seed_visit, make_user, client, settings
):
    settings.KELISIM_SITE_DOMAIN = "kelisim.example.kz"
    client.force_login(make_user("regional_coordinator", "310000000"))
    seen = []
    for host in ("127.0.0.1", "localhost"):
        response = client.get(f"/api/v1/visits/{seed_visit.pk}/calendar.ics", HTTP_HOST=host)
        assert response.status_code == 200
        seen.append({str(c["uid"]) for c in Calendar.from_ical(response.content).walk("VEVENT")})
    expected = {
        f"event-{pk}@kelisim.example.kz"
        for pk in Event.objects.filter(visit=seed_visit).values_list("pk", flat=True)
    }
    assert seen[0] == seen[1] == expected


def test_a_users_territory_sets_the_zone_times_are_read_and_shown_in(make_user):
    factory = RequestFactory()
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    middleware = UserTimeZoneMiddleware(view)
    mangystau = Territory.objects.create(
        code="470000000",
        level=1,
        path="470000000/",
        name_ru="Мангистауская область",
        classifier_date="2022-10-17",
    )
    for user, expected in (
        (make_user("regional_coordinator", mangystau.code), "Asia/Aqtau"),
        (make_user("regional_coordinator", "310000000"), settings.TIME_ZONE),
    ):
        request = factory.get("/")
        request.user = user
        middleware(request)
        assert seen["zone"] == expected
    # Outside the request the default zone is back.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_territories_in_two_zones_give_no_single_zone():
    assert zone_for_codes([AKTAU, "470000000"]) == ZoneInfo("Asia/Aqtau")
    assert zone_for_codes([AKTAU, TARAZ]) is None
    assert zone_for_codes([]) is None
