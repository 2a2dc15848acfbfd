"""A visitor's outcome: only the fields the outcome uses are kept, a recorded outcome is corrected
with a reason and the history keeps every version, and a registered appeal is never undone here."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from kelisim.appeals import services
from kelisim.appeals.models import Appeal, Visitor, VisitorOutcomeChange
from kelisim.core.models import AuditEntry

KORDAY = "314800000"


@pytest.fixture
def desk(make_user, territory, korday_department):  # type: ignore[no-untyped-def]
    actor = make_user("district_coordinator", KORDAY)
    actor.first_name, actor.last_name, actor.language = "Дана", "Әлиева", "en"
    actor.save()
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty")),
        end=datetime(2024, 6, 3, 12, tzinfo=ZoneInfo("Asia/Almaty")),
    )
    visitor = services.visitor_register(
        actor=actor,
        session=session,
        name="Келуші Бекұлы",
        question="Жер туралы",
        department=korday_department,
    )
    client = Client()
    client.force_login(actor)
    return actor, session, visitor, client


def _post(client, visitor, **data):  # type: ignore[no-untyped-def]
    response = client.post(f"/visitors/{visitor.pk}/outcome/", data, follow=True)
    return response, [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_fields_the_outcome_does_not_use_are_cleared_and_the_one_it_needs_is_named(desk):
    _actor, _session, visitor, client = desk
    _response, said = _post(client, visitor, outcome="redirected", redirected_to="")
    assert any(level == "error" and "Redirected to" in text for level, text in said)
    assert Visitor.objects.get(pk=visitor.pk).outcome == "waiting"
    _response, said = _post(
        client, visitor, outcome="advice", redirected_to="Полиция", appeal_type="complaint"
    )
    saved = Visitor.objects.get(pk=visitor.pk)
    assert saved.outcome == "advice" and saved.redirected_to == "" and not Appeal.objects.exists()
    assert ("success", "Advice given on the spot: recorded.") in said


def test_a_recorded_outcome_is_corrected_with_a_reason_and_the_history_keeps_both(desk):
    actor, _session, visitor, client = desk
    _post(client, visitor, outcome="advice")
    _response, said = _post(client, visitor, outcome="redirected", redirected_to="Жер инспекциясы", reason="")
    assert any("Reason for the correction" in text for _level, text in said)
    assert Visitor.objects.get(pk=visitor.pk).outcome == "advice"
    response, said = _post(
        client, visitor, outcome="redirected", redirected_to="Жер инспекциясы", reason="Қате таңдалды"
    )
    assert any(level == "success" and "→" in text for level, text in said)
    changes = list(VisitorOutcomeChange.objects.filter(visitor=visitor))
    assert [(c.from_outcome, c.to_outcome) for c in changes] == [
        ("waiting", "advice"),
        ("advice", "redirected"),
    ]
    assert changes[1].reason == "Қате таңдалды" and changes[1].actor == actor
    page = response.content.decode()
    assert "Д.Әлиева" in page and actor.username not in page and "Қате таңдалды" in page
    entry = AuditEntry.objects.filter(action="visitor.outcome_correct").get()
    assert entry.params == {"from": "advice", "to": "redirected"}
    assert "Қате" not in str(entry.params) and "Жер инспекциясы" not in str(entry.params)


def test_correcting_to_appeal_registers_it_and_correcting_away_is_refused(desk):
    _actor, _session, visitor, client = desk
    _post(client, visitor, outcome="advice")
    _response, said = _post(client, visitor, outcome="appeal", appeal_type="complaint", reason="Өтініш жазды")
    appeal = Appeal.objects.get(visitor=visitor)
    assert appeal.type == "complaint" and any(appeal.number in text for _level, text in said)
    _response, said = _post(client, visitor, outcome="advice", reason="Қайта ойлады")
    assert any(level == "error" and appeal.number in text for level, text in said)
    assert Visitor.objects.get(pk=visitor.pk).outcome == "appeal" and Appeal.objects.count() == 1
    assert VisitorOutcomeChange.objects.filter(visitor=visitor).count() == 2


def test_recording_twice_is_refused_without_a_reason(desk):
    actor, _session, visitor, _client = desk
    services.visitor_outcome(actor=actor, visitor=visitor, outcome="advice")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.visitor_outcome(actor=actor, visitor=visitor, outcome="resolved")
    assert Visitor.objects.get(pk=visitor.pk).outcome == "advice"


def test_only_those_who_record_may_correct(desk, make_user):
    actor, _session, visitor, _client = desk
    services.visitor_outcome(actor=actor, visitor=visitor, outcome="advice")
    outsider = Client()
    outsider.force_login(make_user("district_coordinator", "316600000"))
    response = outsider.post(f"/visitors/{visitor.pk}/outcome/", {"outcome": "resolved", "reason": "x"})
    assert response.status_code == 404
    assert Visitor.objects.get(pk=visitor.pk).outcome == "advice"
    assert VisitorOutcomeChange.objects.filter(visitor=visitor).count() == 1
