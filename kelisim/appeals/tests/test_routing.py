"""Receptions belong to visits; walk-ins and appeals reach every department of the visit's working
group; appeals outside the akimat's competence go to a directory of external bodies, with the
redirect, notice and answer deadlines of the Administrative Procedural Code (services)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kelisim.accounts.models import Department
from kelisim.appeals import selectors, services
from kelisim.appeals.models import Appeal, AppealEvent, ExternalBody, ReceptionSession, Visitor
from kelisim.core.scoping import NOT_FOUND

KORDAY, SHU, ZHAMBYL, KORDAY_VILLAGE = "314800000", "316600000", "310000000", "314851100"
ALMATY = ZoneInfo("Asia/Almaty")


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 6, day, hour, tzinfo=ALMATY)


@pytest.fixture
def visit(territory):  # type: ignore[no-untyped-def]
    """Korday, 3–4 June 2024 (Monday and Tuesday)."""
    from kelisim.programs.models import Edition, Program, Visit

    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2024, territory=territory(ZHAMBYL)
    )
    edition = Edition.objects.create(program=program, year=2024)
    return Visit.objects.create(
        edition=edition, territory=territory(KORDAY), date_start=date(2024, 6, 3), date_end=date(2024, 6, 4)
    )


@pytest.fixture
def regional(territory) -> Department:  # type: ignore[no-untyped-def]
    return Department.objects.create(
        code="region_land",
        kind=Department.Kind.DEPARTMENT,
        name_kk="Облыстың жер қатынастары басқармасы",
        name_ru="Управление земельных отношений области",
        territory=territory(ZHAMBYL),
    )


def _member(visit, department, name="Мүше"):  # type: ignore[no-untyped-def]
    from kelisim.programs.models import Member
    from kelisim.registry.models import Person

    person = Person.objects.create(full_name=name, territory=visit.territory)
    return Member.objects.create(visit=visit, person=person, department=department)


def _open(actor, territory, department, start, **extra):  # type: ignore[no-untyped-def]
    return services.reception_open(
        actor=actor,
        department=department,
        territory=territory,
        place="Әкімдік",
        start=start,
        end=start,
        **extra,
    )


def _appeal(actor, territory, department, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "type": Appeal.Type.STATEMENT,
        "channel": Appeal.Channel.WRITTEN,
        "applicant_name": "Айгүл",
        "territory": territory,
        "department": department,
        "text": "Жер телімі туралы.",
        "received_on": date(2024, 6, 3),
        **extra,
    }
    return services.appeal_register(actor=actor, **fields)


# Receptions belong to visits ---------------------------------------------------------------------


def test_a_reception_without_a_visit_joins_the_visit_whose_district_and_days_hold_it(
    make_user, territory, korday_department, visit
):
    actor = make_user("district_coordinator", KORDAY)
    in_village = _open(actor, territory(KORDAY_VILLAGE), korday_department, _at(4))
    assert in_village.visit == visit
    assert services.reception_visit(actor=actor, territory=territory(KORDAY), start=_at(3)) == visit
    # A day after the visit, or in another district: no visit.
    assert _open(actor, territory(KORDAY), korday_department, _at(5)).visit is None
    shu_actor = make_user("district_coordinator", SHU)
    assert services.reception_visit(actor=shu_actor, territory=territory(SHU), start=_at(3)) is None


def test_a_visit_the_user_cannot_see_is_not_proposed(make_user, territory, korday_department, visit):
    from kelisim.programs.models import Visit

    Visit.objects.filter(pk=visit.pk).update(territory=territory(SHU))
    actor = make_user("district_coordinator", KORDAY)
    assert services.reception_visit(actor=actor, territory=territory(KORDAY), start=_at(3)) is None


def test_a_chosen_visit_must_hold_the_receptions_territory_and_day(
    make_user, territory, korday_department, visit
):
    actor = make_user("district_coordinator", KORDAY)
    with pytest.raises(ValidationError) as refused:
        _open(actor, territory(KORDAY), korday_department, _at(6), visit=visit)
    assert list(refused.value.message_dict) == ["visit"]
    assert not ReceptionSession.objects.exists()
    assert _open(actor, territory(KORDAY), korday_department, _at(3, 15), visit=visit).visit == visit


# The desk routes to the working group ----------------------------------------------------------


def test_the_desk_routes_a_walk_in_to_any_department_of_the_visits_working_group(
    make_user, territory, korday_department, shu_department, regional, visit
):
    """A regional department, and even one of another district that sits in the working group."""
    _member(visit, regional, "Облыс өкілі")
    _member(visit, shu_department, "Шу өкілі")
    actor = make_user("district_coordinator", KORDAY)
    session = _open(actor, territory(KORDAY), korday_department, _at(3))
    assert session.visit == visit
    for department in (regional, shu_department):
        walk_in = services.visitor_register(
            actor=actor, session=session, name="Келуші", question="Сұрақ", department=department
        )
        assert walk_in.department == department
    services.visitor_outcome(actor=actor, visitor=walk_in, outcome=Visitor.Outcome.APPEAL)
    assert Appeal.objects.get(visitor=walk_in).department == shu_department


def test_outside_a_visit_the_desk_keeps_to_the_users_departments(
    make_user, territory, korday_department, shu_department, regional, visit
):
    _member(visit, shu_department)
    actor = make_user("district_coordinator", KORDAY)
    session = _open(actor, territory(KORDAY), korday_department, _at(7))
    assert session.visit is None
    with pytest.raises(ValidationError) as refused:
        services.visitor_register(
            actor=actor, session=session, name="Келуші", question="Сұрақ", department=shu_department
        )
    assert refused.value.message_dict == {"department": [str(NOT_FOUND)]}
    assert not Visitor.objects.exists()
    # The region's departments are the coordinator's to choose anyway.
    services.visitor_register(
        actor=actor, session=session, name="Келуші", question="Сұрақ", department=regional
    )


# Re-routing ------------------------------------------------------------------------------------


def test_an_appeal_is_rerouted_to_another_department_with_history_in_words(
    make_user, territory, korday_department, regional
):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _appeal(actor, territory(KORDAY), korday_department)
    moved = services.appeal_reroute(actor=actor, appeal=appeal, department=regional, comment="Жер мәселесі")
    assert moved.department == regional and moved.status == Appeal.Status.REGISTERED
    step = AppealEvent.objects.get(appeal=appeal, action="reroute")
    assert (step.from_department, step.to_department, step.comment) == (
        korday_department,
        regional,
        "Жер мәселесі",
    )
    assert step.description == f"Sent from “{korday_department.name}” to “{regional.name}”"
    with pytest.raises(ValidationError) as same:
        services.appeal_reroute(actor=actor, appeal=moved, department=regional)
    assert list(same.value.message_dict) == ["department"]


def test_a_walk_ins_appeal_is_rerouted_within_the_working_group_and_a_finished_one_not_at_all(
    make_user, territory, korday_department, shu_department, visit
):
    _member(visit, shu_department)
    actor = make_user("district_coordinator", KORDAY)
    session = _open(actor, territory(KORDAY), korday_department, _at(3))
    walk_in = services.visitor_register(
        actor=actor, session=session, name="Келуші", question="Сұрақ", department=korday_department
    )
    services.visitor_outcome(actor=actor, visitor=walk_in, outcome=Visitor.Outcome.APPEAL)
    appeal = Appeal.objects.get(visitor=walk_in)
    # Shu's division is outside the coordinator's scope, but in the visit's working group.
    appeal = services.appeal_reroute(actor=actor, appeal=appeal, department=shu_department)
    assert appeal.department == shu_department
    # A written appeal has no visit: the same department is refused like a missing one.
    written = _appeal(actor, territory(KORDAY), korday_department)
    with pytest.raises(ValidationError) as refused:
        services.appeal_reroute(actor=actor, appeal=written, department=shu_department)
    assert refused.value.message_dict == {"department": [str(NOT_FOUND)]}
    services.appeal_redirect(actor=actor, appeal=written, to="Прокуратура")
    with pytest.raises(ValidationError):
        services.appeal_reroute(actor=actor, appeal=written, department=korday_department)
    assert Appeal.objects.get(pk=written.pk).department == korday_department


# External bodies and their deadlines -----------------------------------------------------------


def test_an_appeal_redirected_to_an_external_body_has_its_notice_and_answer_deadlines(
    make_user, territory, korday_department
):
    actor = make_user("district_coordinator", KORDAY)
    body = services.external_body_create(
        actor=actor,
        name_kk="Аудандық полиция бөлімі",
        name_ru="Районный отдел полиции",
        territory=territory(KORDAY),
    )
    appeal = _appeal(actor, territory(KORDAY), korday_department)  # received Monday 3 June 2024
    (before,) = selectors.appeal_deadlines(appeal, today=date(2024, 6, 3))
    assert (before.code, before.due, before.overdue) == ("redirect", date(2024, 6, 6), False)

    appeal = services.appeal_redirect(actor=actor, appeal=appeal, body=body, comment="Құзыретінен тыс")
    assert (appeal.redirect_body, appeal.redirect_to, appeal.status) == (
        body,
        body.name,
        Appeal.Status.REDIRECTED,
    )
    appeal.redirected_on = date(2024, 6, 10)  # as if sent a week later: four working days after receipt
    owed = {d.code: d for d in selectors.appeal_deadlines(appeal, today=date(2024, 6, 14))}
    assert owed["redirect"].due == date(2024, 6, 6) and owed["redirect"].overdue  # met late
    assert owed["notice"].due == date(2024, 6, 13) and owed["notice"].overdue and owed["notice"].done is None
    assert owed["body_answer"].due == date(2024, 7, 1) and not owed["body_answer"].overdue
    assert AppealEvent.objects.get(appeal=appeal, action="redirect").description == (
        f"Redirected to “{body.name}”; status: redirected"
    )


def test_the_notice_and_the_bodys_answer_are_recorded_on_a_redirected_appeal_only(
    make_user, territory, korday_department
):
    actor = make_user("district_coordinator", KORDAY)
    body = ExternalBody.objects.create(
        name_kk="Прокуратура", name_ru="Прокуратура", territory=territory(ZHAMBYL)
    )
    appeal = _appeal(actor, territory(KORDAY), korday_department)
    with pytest.raises(ValidationError) as early:
        services.appeal_redirect_notice(actor=actor, appeal=appeal)
    assert list(early.value.message_dict) == ["status"]
    appeal = services.appeal_redirect(actor=actor, appeal=appeal, body=body)
    appeal = services.appeal_redirect_notice(actor=actor, appeal=appeal)
    with pytest.raises(ValidationError) as empty:
        services.appeal_body_answer(actor=actor, appeal=appeal, answer=" ")
    assert list(empty.value.message_dict) == ["answer"]
    appeal = services.appeal_body_answer(actor=actor, appeal=appeal, answer="Тексеру жүргізілді")
    assert appeal.redirect_notice_on and appeal.body_answer == "Тексеру жүргізілді"
    assert all(d.done for d in selectors.appeal_deadlines(appeal))
    assert list(appeal.history.values_list("action", flat=True)) == [
        "register",
        "redirect",
        "notice",
        "body_answer",
    ]


def test_the_directory_is_written_within_the_users_territories_and_keeps_bodies_in_use(
    make_user, territory, korday_department
):
    coordinator = make_user("district_coordinator", KORDAY)
    with pytest.raises(ValidationError) as elsewhere:
        services.external_body_create(actor=coordinator, name_kk="Шу", name_ru="Шу", territory=territory(SHU))
    assert list(elsewhere.value.message_dict) == ["territory"]
    specialist = make_user("specialist", KORDAY)
    with pytest.raises(ValidationError):
        services.external_body_create(actor=specialist, name_kk="А", name_ru="А", territory=territory(KORDAY))
    body = services.external_body_create(
        actor=coordinator,
        name_kk="Салық басқармасы",
        name_ru="Налоговое управление",
        territory=territory(KORDAY),
    )
    body = services.external_body_update(actor=coordinator, body=body, address="kordai@kgd.gov.kz")
    assert ExternalBody.objects.get(pk=body.pk).address == "kordai@kgd.gov.kz"
    services.appeal_redirect(
        actor=coordinator, appeal=_appeal(coordinator, territory(KORDAY), korday_department), body=body
    )
    with pytest.raises(ValidationError) as used:
        services.external_body_delete(actor=coordinator, body=body)
    assert list(used.value.message_dict) == ["is_active"]
    body = services.external_body_update(actor=coordinator, body=body, is_active=False)
    assert not selectors.external_body_choices(user=coordinator).exists()
    unused = services.external_body_create(
        actor=coordinator, name_kk="Б", name_ru="Б", territory=territory(KORDAY)
    )
    services.external_body_delete(actor=coordinator, body=unused)
    assert list(ExternalBody.objects.values_list("pk", flat=True)) == [body.pk]


def test_a_body_out_of_use_is_refused_like_a_missing_one(make_user, territory, korday_department):
    actor = make_user("district_coordinator", KORDAY)
    body = ExternalBody.objects.create(
        name_kk="Ескі", name_ru="Старый", territory=territory(KORDAY), is_active=False
    )
    appeal = _appeal(actor, territory(KORDAY), korday_department)
    with pytest.raises(ValidationError) as refused:
        services.appeal_redirect(actor=actor, appeal=appeal, body=body)
    assert refused.value.message_dict == {"body": [str(NOT_FOUND)]}
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REGISTERED


def test_a_redirection_recorded_afterwards_keeps_its_day_within_receipt_and_today(
    make_user, territory, korday_department
):
    actor = make_user("district_coordinator", KORDAY)
    appeal = _appeal(actor, territory(KORDAY), korday_department)  # received 3 June 2024
    for day in (date(2024, 5, 31), date(2999, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            services.appeal_redirect(actor=actor, appeal=appeal, to="Прокуратура", on=day)
        assert list(refused.value.message_dict) == ["on"]
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REGISTERED
    appeal = services.appeal_redirect(actor=actor, appeal=appeal, to="Прокуратура", on=date(2024, 6, 5))
    owed = {d.code: d for d in selectors.appeal_deadlines(appeal, today=date(2024, 6, 10))}
    assert owed["redirect"].done == date(2024, 6, 5) and not owed["redirect"].overdue
    assert owed["notice"].due == date(2024, 6, 10) and not owed["notice"].overdue
    assert "body_answer" not in owed  # a body named in words only: nothing to follow
