"""The offline reception desk's sync (kelisim/appeals/offline.py): an entry sent twice is stored
once and answered alike, the server gives the numbers and due dates, a reception that had ended
or lies outside the sender's scope is answered per entry and nothing is stored, and no personal
data reaches the audit."""

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from kelisim.appeals import offline, services
from kelisim.appeals.models import Appeal, Visitor
from kelisim.core.models import AuditEntry

KORDAY, SHU = "314800000", "316600000"
ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2024, 6, 3, 10, tzinfo=ALMATY)


@pytest.fixture
def desk(make_user, territory, korday_department):  # type: ignore[no-untyped-def]
    actor = make_user("district_coordinator", KORDAY)
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=START,
        end=START + timedelta(hours=2),
    )
    return actor, session


def _entry(session, department, **fields):  # type: ignore[no-untyped-def]
    return {
        "client_id": str(uuid.uuid4()),
        "session": session.pk,
        "made_at": (START + timedelta(minutes=30)).isoformat(),
        "fields": {
            "name": "Сәуле Демоқызы",
            "contact": "+7 700 000 1234",
            "question": "Ауылдағы клубты жөндеу туралы",
            "department": str(department.pk),
            "consent_given": "on",
            "outcome_now": "appeal",
            "appeal_type": "statement",
            **fields,
        },
    }


def test_an_entry_sent_twice_is_stored_once_and_both_answers_are_accepted_alike(desk, korday_department):
    actor, session = desk
    entry = _entry(session, korday_department)
    first = offline.entry_sync(actor=actor, entry=entry)
    again = offline.entry_sync(actor=actor, entry=entry)
    assert first["status"] == again["status"] == "accepted"
    assert first == again
    assert Visitor.objects.filter(client_id=entry["client_id"]).count() == 1
    assert Appeal.objects.count() == 1


def test_the_server_gives_the_appeal_its_number_and_due_date_on_arrival(desk, korday_department):
    actor, session = desk
    result = offline.entry_sync(actor=actor, entry=_entry(session, korday_department))
    appeal = Appeal.objects.get()
    assert appeal.visitor is not None and appeal.visitor.outcome == Visitor.Outcome.APPEAL
    assert appeal.received_on == START.date() and appeal.due_date > appeal.received_on
    assert result["appeal"]["number"] == appeal.number and appeal.number.startswith("31-2024-")
    assert result["appeal"]["due_date"] == appeal.due_date.isoformat()
    assert result["appeal"]["receipt_url"] == f"/appeals/{appeal.pk}/receipt/"


def test_an_entry_written_after_the_reception_ended_is_a_conflict_and_nothing_is_stored(
    desk, korday_department
):
    actor, session = desk
    entry = _entry(session, korday_department)
    entry["made_at"] = (session.end + timedelta(minutes=5)).isoformat()
    result = offline.entry_sync(actor=actor, entry=entry)
    assert result["status"] == "conflict"
    assert "had ended" in result["errors"][0]
    assert not Visitor.objects.exists() and not Appeal.objects.exists()


def test_a_department_no_longer_valid_is_a_conflict_named_per_entry(desk, korday_department, shu_department):
    actor, session = desk
    good = _entry(session, korday_department)
    bad = _entry(session, shu_department)
    results = offline.entries_sync(actor=actor, entries=[bad, good])
    assert [r["status"] for r in results] == ["conflict", "accepted"]
    assert results[0]["errors"] and results[0]["errors"][0].startswith("Department")
    assert Visitor.objects.get().client_id == uuid.UUID(good["client_id"])


def test_another_territorys_reception_is_refused_and_learns_nothing(desk, make_user, korday_department):
    _actor, session = desk
    stranger = make_user("district_coordinator", SHU)
    entry = _entry(session, korday_department)
    result = offline.entry_sync(actor=stranger, entry=entry)
    assert result["status"] == "refused"
    assert not Visitor.objects.exists()
    # A removed reception is answered in the same words.
    removed = _entry(session, korday_department)
    removed["session"] = session.pk + 1000
    assert offline.entry_sync(actor=stranger, entry=removed)["errors"] == result["errors"]


def test_a_resend_after_the_permission_was_lost_is_refused(desk, make_user, korday_department):
    actor, session = desk
    entry = _entry(session, korday_department)
    assert offline.entry_sync(actor=actor, entry=entry)["status"] == "accepted"
    viewer = make_user("viewer", KORDAY)
    assert offline.entry_sync(actor=viewer, entry=entry)["status"] == "refused"
    assert Visitor.objects.count() == 1


def test_an_anonymous_visitor_cannot_become_an_appeal_and_the_entry_says_why(desk, korday_department):
    actor, session = desk
    entry = _entry(session, korday_department, name="", contact="", declined_name="on", consent_given="")
    result = offline.entry_sync(actor=actor, entry=entry)
    assert result["status"] == "conflict" and "anonymous" in result["errors"][0]
    assert not Visitor.objects.exists()


def test_no_personal_data_reaches_the_audit(desk, korday_department):
    actor, session = desk
    offline.entry_sync(actor=actor, entry=_entry(session, korday_department))
    logged = json.dumps(list(AuditEntry.objects.values_list("params", flat=True)), ensure_ascii=False)
    for secret in ("Сәуле", "700 000", "клубты"):
        assert secret not in logged
    assert {"visitor.register", "visitor.outcome"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_the_endpoint_answers_each_entry_and_needs_the_csrf_token(desk, korday_department):
    actor, session = desk
    entry = _entry(session, korday_department)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(actor)
    refused = strict.post(
        "/receptions/offline-sync/", json.dumps({"entries": [entry]}), content_type="application/json"
    )
    assert refused.status_code == 403 and not Visitor.objects.exists()
    client = Client()
    client.force_login(actor)
    for _ in range(2):
        response = client.post(
            "/receptions/offline-sync/", json.dumps({"entries": [entry]}), content_type="application/json"
        )
        assert response.status_code == 200
        assert response.json()["results"][0]["status"] == "accepted"
    assert Visitor.objects.count() == 1
    bad = client.post("/receptions/offline-sync/", "not json", content_type="application/json")
    assert bad.status_code == 400


def test_the_desk_gives_its_script_a_session_key_and_the_copy_holds_no_visitor(desk, korday_department):
    actor, session = desk
    services.visitor_register(
        actor=actor,
        session=session,
        name="Келуші Бекұлы",
        question="Жер туралы",
        department=korday_department,
    )
    client = Client()
    client.force_login(actor)
    page = client.get(f"/receptions/{session.pk}/")
    key = client.session[offline.SESSION_KEY]
    assert key["key"] in page.content.decode() and "Келуші Бекұлы" in page.content.decode()
    copy = client.get(f"/receptions/{session.pk}/?shell=1").content.decode()
    assert "Келуші Бекұлы" not in copy and 'id="visitor-form"' in copy
    assert client.session[offline.SESSION_KEY] == key
    other = Client()
    other.force_login(actor)
    other.get(f"/receptions/{session.pk}/")
    assert other.session[offline.SESSION_KEY]["key"] != key["key"]


def test_the_online_desk_registers_a_visitor_with_an_appeal_in_one_step(desk, korday_department):
    actor, session = desk
    client = Client()
    client.force_login(actor)
    response = client.post(
        f"/receptions/{session.pk}/",
        {
            "name": "Сәуле Демоқызы",
            "question": "Клуб туралы",
            "department": korday_department.pk,
            "consent_given": "on",
            "outcome_now": "appeal",
            "appeal_type": "statement",
        },
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert appeal.visitor is not None and appeal.visitor.outcome == "appeal"
    assert any(appeal.number in str(m) for m in response.context["messages"])


def test_the_worker_and_the_manifest_are_served_from_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/" and "kelisim-desk-v1" in worker.content.decode()
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/receptions/" and manifest["display"] == "standalone"


def test_the_desk_form_sent_again_under_its_id_makes_the_visitor_once(desk, korday_department):
    actor, session = desk
    client = Client()
    client.force_login(actor)
    form = {
        "name": "Сәуле Демоқызы",
        "question": "Клуб туралы",
        "department": korday_department.pk,
        "consent_given": "on",
        "client_id": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert client.post(f"/receptions/{session.pk}/", form).status_code == 302
    assert Visitor.objects.get().client_id == uuid.UUID(form["client_id"])
    # The same id later from the device's queue answers with that visitor.
    entry = _entry(session, korday_department, outcome_now="")
    entry["client_id"] = form["client_id"]
    result = offline.entry_sync(actor=actor, entry=entry)
    assert result["status"] == "accepted" and result["visitor"] == Visitor.objects.get().pk
