"""Appeals by the Administrative Procedural Code: registration, numbers, the status machine."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from kelisim.accounts.models import Department
from kelisim.appeals import services
from kelisim.appeals.models import Appeal, AppealEvent
from kelisim.core.exceptions import ConflictError
from kelisim.core.models import AuditEntry

KORDAY, SHU = "314800000", "316600000"


@pytest.fixture
def department(korday_department) -> Department:
    return korday_department


def _register(actor, territory, department, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "type": Appeal.Type.STATEMENT,
        "channel": Appeal.Channel.WRITTEN,
        "applicant_name": "Айгүл Демоқызы",
        "applicant_contact": "+7 700 000 0001",
        "territory": territory,
        "department": department,
        "text": "Ауыз су құбырын жөндеу туралы.",
        "received_on": date(2024, 12, 27),
        **extra,
    }
    return services.appeal_register(actor=actor, **fields)


def test_registration_numbers_due_date_and_history(make_user, territory, department):
    actor = make_user("district_coordinator", KORDAY)
    first = _register(actor, territory(KORDAY), department)
    second = _register(actor, territory("314854100"), department)
    assert (first.number, second.number) == ("31-2024-00001", "31-2024-00002")
    assert first.due_date == date(2025, 1, 22)  # 15 working days after 27 Dec 2024
    assert first.history.get().to_status == Appeal.Status.REGISTERED
    entry = AuditEntry.objects.get(action="appeal.register", object_id=str(first.pk))
    assert "Айгүл" not in str(entry.params) and "+7" not in str(entry.params)


def test_anonymous_appeals_are_refused_unless_they_report_a_crime_or_a_threat(
    make_user, territory, department
):
    actor = make_user("district_coordinator", KORDAY)
    with pytest.raises(ValidationError) as caught:
        _register(actor, territory(KORDAY), department, applicant_kind="anonymous", applicant_name="")
    assert "applicant_kind" in caught.value.message_dict
    assert not Appeal.objects.exists()
    urgent = _register(
        actor, territory(KORDAY), department, applicant_kind="anonymous", urgent=True, applicant_name="x"
    )
    assert urgent.urgent and urgent.applicant_name == "" and urgent.applicant_contact == ""


def test_the_status_machine_refuses_illegal_steps_and_records_every_transition(
    make_user, territory, department
):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _register(actor, territory(KORDAY), department)
    with pytest.raises(ValidationError) as caught:
        services.appeal_answer(actor=actor, appeal=appeal, answer="Жауап")
    assert "status" in caught.value.message_dict
    appeal = services.appeal_assign(actor=actor, appeal=appeal, lead_executor=actor)
    appeal = services.appeal_start(actor=actor, appeal=appeal)
    appeal = services.appeal_extend(
        actor=actor, appeal=appeal, until=date(2025, 2, 20), reason="Қосымша ақпарат керек"
    )
    appeal = services.appeal_answer(actor=actor, appeal=appeal, answer="Жауап берілді")
    appeal = services.appeal_close(actor=actor, appeal=appeal)
    appeal = services.appeal_reopen(actor=actor, appeal=appeal, reason="Өтініш беруші келіспеді")
    steps = list(AppealEvent.objects.filter(appeal=appeal).values_list("from_status", "to_status"))
    assert steps == [
        ("", "registered"),
        ("registered", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "extended"),
        ("extended", "answered"),
        ("answered", "closed"),
        ("closed", "reopened"),
    ]
    assert all(e.actor == actor for e in AppealEvent.objects.filter(appeal=appeal))


def test_extension_is_capped_at_two_months_and_needs_a_reason(make_user, territory, department):
    actor = make_user("district_coordinator", KORDAY)
    appeal = services.appeal_start(
        actor=actor,
        appeal=services.appeal_assign(
            actor=actor, appeal=_register(actor, territory(KORDAY), department), lead_executor=actor
        ),
    )
    from django.utils import translation

    with translation.override("kk"), pytest.raises(ValidationError) as too_long:
        services.appeal_extend(actor=actor, appeal=appeal, until=date(2025, 2, 28), reason="Себеп")
    # the dates in the reader's words: "2025 жылғы 22 қаңтар", not 2025-01-22
    (message,) = too_long.value.message_dict["until"]
    assert "22 қаңтар" in message and "2025-01-22" not in message
    with pytest.raises(ValidationError) as no_reason:
        services.appeal_extend(actor=actor, appeal=appeal, until=date(2025, 2, 20), reason="  ")
    assert "reason" in no_reason.value.message_dict
    assert Appeal.objects.get(pk=appeal.pk).due_date == date(2025, 1, 22)


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(make_user, territory, department):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _register(actor, territory(KORDAY), department)
    services.appeal_redirect(actor=actor, appeal=appeal, to="Прокуратура", version=appeal.version)
    with pytest.raises(ConflictError):
        services.appeal_assign(actor=actor, appeal=appeal, lead_executor=actor, version=appeal.version)
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REDIRECTED


def test_api_lists_filters_and_answers_409_on_concurrent_change(make_user, territory, department):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _register(actor, territory(KORDAY), department)
    client = APIClient()
    client.force_authenticate(actor)
    body = client.get("/api/v1/appeals/", {"territory": KORDAY, "status": "registered"}).json()
    assert [a["number"] for a in body["results"]] == [appeal.number]
    item = body["results"][0]
    assert {"id", "number", "type", "status", "registered_at", "due_date", "department", "territory"} <= set(
        item
    )
    assert client.get("/api/v1/appeals/", {"overdue": "true"}).json()["count"] == 1  # due in January 2025
    url = f"/api/v1/appeals/{appeal.pk}/transition/"
    assert (
        client.post(
            url, {"action": "assign", "version": 1, "lead_executor": actor.pk}, format="json"
        ).status_code
        == 200
    )
    stale = client.post(url, {"action": "start", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.ASSIGNED


def test_an_appeal_outside_your_territory_is_404_and_unchanged(make_user, territory, department):
    appeal = _register(make_user("district_coordinator", KORDAY), territory(KORDAY), department)
    shu = make_user("district_coordinator", SHU)
    client = APIClient()
    client.force_authenticate(shu)
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/appeals/{appeal.pk}/transition/",
        {"action": "redirect", "version": 1, "to": "x"},
        format="json",
    )
    assert response.status_code == 404
    client.force_login(shu)
    page = client.get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REGISTERED
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1


@pytest.mark.django_db(transaction=True)
def test_200_registrations_from_8_threads_get_200_distinct_gap_free_numbers(zhambyl, make_user, territory):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections: runs in the PostgreSQL pass of `make test`")
    actor = make_user("district_coordinator", KORDAY)
    department = Department.objects.create(
        code="c", name_kk="Бөлім", name_ru="Отдел", territory=territory(KORDAY)
    )
    korday = territory(KORDAY)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                services.appeal_register(
                    actor=actor,
                    type="statement",
                    channel="written",
                    applicant_name="Демо",
                    territory=korday,
                    department=department,
                    text="Мәтін",
                    received_on=date(2025, 3, 3),
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(Appeal.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 201))
    assert Appeal.objects.values("number").distinct().count() == 200


def test_overdue_and_at_risk_queues(make_user, territory, department, client):
    actor = make_user("district_coordinator", KORDAY)
    from django.utils import timezone

    today = timezone.localdate()
    late = _register(actor, territory(KORDAY), department, received_on=today - timedelta(days=60))
    soon = _register(actor, territory(KORDAY), department, received_on=today)
    Appeal.objects.filter(pk=soon.pk).update(
        due_date=services.deadlines.work_calendar().add_working_days(today, 2)
    )
    client.force_login(actor)
    overdue = client.get("/appeals/", {"overdue": "true"}).content.decode()
    at_risk = client.get("/appeals/", {"at_risk": "true"}).content.decode()
    assert late.number in overdue and soon.number not in overdue
    assert soon.number in at_risk and late.number not in at_risk
    assert client.get("/appeals/queue/").status_code == 200


def test_a_late_appeal_says_how_many_working_days_it_is_overdue_never_a_negative_left(
    make_user, territory, department, client
):
    from django.utils import timezone

    from kelisim.accounts.models import User

    actor = make_user("district_coordinator", KORDAY)
    User.objects.filter(pk=actor.pk).update(language="en")
    today = timezone.localdate()
    late = _register(actor, territory(KORDAY), department, received_on=today - timedelta(days=60))
    services.appeal_assign(actor=actor, appeal=late, lead_executor=actor)
    overdue = -services.deadlines.days_left(late.due_date)
    assert overdue > 0
    client.force_login(actor)
    detail = client.get(f"/appeals/{late.pk}/").content.decode()
    queue = client.get("/appeals/queue/").content.decode()
    for page in (detail, queue):
        assert f"{overdue} working days overdue" in page
        assert f"-{overdue}" not in page and "working days left" not in page.replace("time left", "")


def test_a_country_wide_administrator_is_not_an_executor(make_user, territory, department):
    """Executors answer citizens of a place: a system administrator's country-wide grant is no such
    place, so the picker does not offer them and the service refuses them."""
    from kelisim.appeals.selectors import executor_choices

    actor = make_user("district_coordinator", KORDAY)
    admin = make_user("system_admin")
    appeal = _register(actor, territory(KORDAY), department)
    offered = executor_choices(territory=appeal.territory)
    assert actor in offered and admin not in offered
    with pytest.raises(ValidationError) as refused:
        services.appeal_assign(actor=actor, appeal=appeal, lead_executor=admin)
    assert "lead_executor" in refused.value.message_dict


def test_the_open_appeals_index_covers_exactly_what_the_lists_call_open():
    """The overdue, due-today and at-risk lists can use the partial index only while its condition
    is the lists' own; a status added to one and not the other would silently scan again."""
    from kelisim.appeals.models import Appeal as AppealModel
    from kelisim.appeals.selectors import OPEN

    (index,) = [i for i in AppealModel._meta.indexes if i.name == "appeal_open_due_idx"]
    assert index.condition == OPEN


def test_the_open_statuses_named_for_the_lists_are_exactly_the_open_ones():
    """The lists name the open statuses (SQLite can't use "not these" with bound values); a status
    added to the model must land on the side `is_open` puts it."""
    from kelisim.appeals.models import Appeal as AppealModel
    from kelisim.appeals.selectors import OPEN_LISTED

    ((lookup, listed),) = OPEN_LISTED.children
    assert lookup == "status__in"
    for status in AppealModel.Status:
        assert (status in listed) == AppealModel(status=status).is_open, status


def test_the_queue_summary_counts_open_appeals_in_scope_by_due_window(make_user, territory, department):
    from django.utils import timezone

    from kelisim.appeals import selectors

    actor = make_user("district_coordinator", KORDAY)
    today = timezone.localdate()
    _today, risk_until = selectors._windows(today)
    dues = {
        "today": today,
        "soon": risk_until,
        "late": today - timedelta(days=3),
        "later": risk_until + timedelta(days=9),
    }
    made = {name: _register(actor, territory(KORDAY), department) for name in [*dues, "closed"]}
    for name, due in dues.items():
        Appeal.objects.filter(pk=made[name].pk).update(due_date=due)
    Appeal.objects.filter(pk=made["closed"].pk).update(status=Appeal.Status.CLOSED, due_date=dues["late"])
    elsewhere = _register(actor, territory(KORDAY), department)
    Appeal.objects.filter(pk=elsewhere.pk).update(territory=territory(SHU))  # out of the actor's scope

    by_department = selectors.queue_summary(user=actor, group_by="department")
    assert by_department == [{"key": department.pk, "total": 4, "due_today": 1, "at_risk": 1, "overdue": 1}]
    by_territory = selectors.queue_summary(user=actor, group_by="territory")
    assert [(r["key"], r["total"], r["overdue"]) for r in by_territory] == [(territory(KORDAY).pk, 4, 1)]
