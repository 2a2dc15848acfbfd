from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kelisim.programs import selectors, services
from kelisim.programs.models import Member, Visit
from kelisim.registry.models import Person
from kelisim.registry.services import registry_merge


def test_copy_as_plan_keeps_the_working_group_and_shifts_the_days(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", "310000000")
    copy = services.visit_copy_as_plan(
        actor=actor, visit=seed_visit, territory=territory("316600000"), date_start=date(2023, 9, 4)
    )
    assert (copy.status, copy.date_end) == (Visit.Status.PLANNED, date(2023, 9, 6))
    assert copy.members.count() == seed_visit.members.count()
    assert [s.name_kk for s in copy.subgroups.all()] == [s.name_kk for s in seed_visit.subgroups.all()]


def test_status_moves_forward_only_by_the_allowed_steps(seed_visit, make_user):
    actor = make_user("regional_coordinator", "310000000")
    assert seed_visit.status == Visit.Status.COMPLETED
    with pytest.raises(ValidationError) as caught:
        services.visit_set_status(actor=actor, visit=seed_visit, status=Visit.Status.PLANNED)
    assert "status" in caught.value.message_dict
    services.visit_set_status(actor=actor, visit=seed_visit, status=Visit.Status.REPORTED)
    assert Visit.objects.get(pk=seed_visit.pk).status == Visit.Status.REPORTED


def test_a_visit_goes_to_a_district_and_its_days_run_forward(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", "310000000")
    with pytest.raises(ValidationError) as caught:
        services.visit_create(
            actor=actor,
            edition=seed_visit.edition,
            territory=territory("314854000"),
            date_start=date(2023, 6, 2),
            date_end=date(2023, 6, 1),
        )
    assert set(caught.value.message_dict) == {"territory", "date_end"}


def test_plan_versus_fact_counts_visits_per_district(seed_visit, make_user):
    table = selectors.plan_table(
        user=make_user("regional_coordinator", "310000000"),
        year_from=2023,
        year_to=2023,
        program=seed_visit.edition.program,
    )
    rows = {r.district.code: r for r in table.rows}
    assert (rows["314800000"].planned, rows["314800000"].held) == (1, 1)
    assert (rows["316600000"].planned, rows["316600000"].held) == (1, 0)


def test_merging_duplicate_people_keeps_every_link(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", "310000000")
    original = Person.objects.get(full_name="Қ.Ырысдәулет")
    duplicate = Person.objects.create(full_name="Ырысдәулет Қ.", territory=territory("310000000"))
    Member.objects.filter(person=original).update(person=duplicate)
    links_before = original.event_roles.count()
    registry_merge(actor=actor, keep=original, duplicate=duplicate)
    assert Member.objects.filter(visit=seed_visit, person=original).exists()
    assert original.event_roles.count() == links_before == 2
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original


def test_planning_a_visit_before_any_program_exists_points_to_creating_one(zhambyl, make_user, client):
    client.force_login(make_user("regional_coordinator", "310000000"))
    page = client.get("/visits/new/").content.decode()
    assert 'id="no-program"' in page and 'href="/programs/new/"' in page
    services.program_create(
        actor=make_user("regional_coordinator", "310000000"),
        territory=zhambyl,
        name_kk="«Бейбітшілік пен келісім» жобасы",
        name_ru="Проект «Мир и согласие»",
        name_en="Peace and Accord",
        started=2023,
    )
    assert 'id="no-program"' not in client.get("/visits/new/").content.decode()
