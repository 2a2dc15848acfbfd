"""A reception opened with a wrong place, time or visit is corrected on its page and through the
API; one opened by mistake is removed, unless visitors were received at it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from rest_framework.test import APIClient

from kelisim.accounts.models import User
from kelisim.appeals import services
from kelisim.appeals.models import ReceptionSession
from kelisim.core.models import AuditEntry

KORDAY, SHU = "314800000", "316600000"
START = datetime(2031, 3, 3, 10, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def desk(make_user, territory, korday_department):  # type: ignore[no-untyped-def]
    actor = make_user("district_coordinator", KORDAY)
    User.objects.filter(pk=actor.pk).update(language="en")
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=START,
        end=START + timedelta(hours=2),
    )
    client = Client()
    client.force_login(actor)
    return actor, session, client


def _walk_in(actor, session) -> None:  # type: ignore[no-untyped-def]
    services.visitor_register(
        actor=actor,
        session=session,
        name="",
        declined_name=True,
        question="Су",
        department=session.department,
    )


def _empty_reception(actor, session) -> ReceptionSession:  # type: ignore[no-untyped-def]
    """A second reception of the same department and place, where nobody came."""
    return services.reception_open(
        actor=actor,
        department=session.department,
        territory=session.territory,
        place="Мектеп",
        start=START,
        end=START,
    )


def _form(session, **changes):  # type: ignore[no-untyped-def]
    data = {
        "department": session.department_id,
        "territory": session.territory.code,
        "place": session.place,
        "start": "2031-03-03T10:00",
        "end": "2031-03-03T12:00",
    }
    return {**data, **changes}


def test_a_reception_is_corrected_on_its_page(desk):
    actor, session, client = desk
    response = client.post(
        f"/receptions/{session.pk}/edit/", _form(session, place="Мәдениет үйі", end="2031-03-03T13:00")
    )
    assert response.status_code == 302 and response.url == f"/receptions/{session.pk}/"
    session.refresh_from_db()
    assert session.place == "Мәдениет үйі" and session.end.hour == 8  # 13:00 in Almaty is 08:00 UTC
    assert "The reception is changed." in client.get(response.url).content.decode()
    entry = AuditEntry.objects.filter(action="reception.update").get()
    assert entry.actor == actor and entry.object_id == str(session.pk) and entry.params == {}
    refused = client.post(f"/receptions/{session.pk}/edit/", _form(session, end="2031-03-03T09:00"))
    assert refused.status_code == 200 and "The end comes before the start." in refused.content.decode()
    session.refresh_from_db()
    assert session.end.hour == 8  # unchanged


def test_a_reception_with_visitors_stays_and_an_empty_one_is_removed(desk, korday_department):
    actor, session, client = desk
    _walk_in(actor, session)
    kept = client.post(f"/receptions/{session.pk}/delete/", follow=True)
    assert "Visitors were received at this reception" in kept.content.decode()
    assert ReceptionSession.objects.filter(pk=session.pk).exists()
    empty = _empty_reception(actor, session)
    desk_page = client.get(f"/receptions/{empty.pk}/").content.decode()
    assert f"/receptions/{empty.pk}/delete/" in desk_page  # offered only where it can be done
    assert (
        f"/receptions/{session.pk}/delete/" not in client.get(f"/receptions/{session.pk}/").content.decode()
    )
    removed = client.post(f"/receptions/{empty.pk}/delete/")
    assert removed.url == "/receptions/" and not ReceptionSession.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(action="reception.delete", object_id=str(empty.pk)).exists()


def test_another_district_or_a_reader_cannot_change_or_remove_it(desk, make_user):
    _actor, session, _client = desk
    for outsider in (make_user("district_coordinator", SHU), make_user("viewer", KORDAY)):
        client = Client()
        client.force_login(outsider)
        assert client.get(f"/receptions/{session.pk}/edit/").status_code == 404
        assert client.post(f"/receptions/{session.pk}/delete/").status_code == 404
        assert client.post(f"/receptions/{session.pk}/edit/", _form(session, place="X")).status_code == 404
    session.refresh_from_db()
    assert session.place == "Әкімдік"


def test_the_api_changes_and_removes_receptions_through_the_same_rules(desk, korday_department):
    actor, session, _client = desk
    api = APIClient()
    api.force_authenticate(actor)
    changed = api.patch(f"/api/v1/receptions/{session.pk}/", {"place": "Кітапхана"}, format="json")
    assert changed.status_code == 200 and changed.json()["place"] == "Кітапхана"
    backwards = api.patch(f"/api/v1/receptions/{session.pk}/", {"end": "2031-03-03T03:00:00Z"}, format="json")
    assert backwards.status_code == 400 and "end" in backwards.json()["error"]["fields"]
    _walk_in(actor, session)
    assert api.delete(f"/api/v1/receptions/{session.pk}/").status_code == 400
    empty = _empty_reception(actor, session)
    assert api.delete(f"/api/v1/receptions/{empty.pk}/").status_code == 204
    assert not ReceptionSession.objects.filter(pk=empty.pk).exists()


def test_moving_a_reception_to_another_day_finds_its_visit_again(seed_visit, korday_department):
    """A visit found for the old day is not a choice: moved out of the visit's days, the reception
    leaves it; moved back, it finds it again."""
    actor = User.objects.get(username="coordinator.korday")
    day = datetime(2023, 5, 11, 10, tzinfo=ZoneInfo("Asia/Almaty"))
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=seed_visit.territory,
        place="Әкімдік",
        start=day,
        end=day,
    )
    assert session.visit == seed_visit
    later = day + timedelta(days=30)
    moved = services.reception_update(actor=actor, session=session, start=later, end=later)
    assert moved.visit is None
    back = services.reception_update(actor=actor, session=moved, start=day, end=day)
    assert back.visit == seed_visit
