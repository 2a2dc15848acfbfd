"""The pages and the API of receptions in visits, routing, re-routing and external bodies."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from kelisim.accounts.models import Department
from kelisim.appeals import services
from kelisim.appeals.models import Appeal, AppealEvent, ExternalBody, ReceptionSession
from kelisim.core.scoping import NOT_FOUND

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def visit(territory):  # type: ignore[no-untyped-def]
    """Korday, 3–4 June 2024."""
    from kelisim.programs.models import Edition, Program, Visit

    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2024, territory=territory(ZHAMBYL)
    )
    return Visit.objects.create(
        edition=Edition.objects.create(program=program, year=2024),
        territory=territory(KORDAY),
        date_start=date(2024, 6, 3),
        date_end=date(2024, 6, 4),
    )


@pytest.fixture
def shu_visit(territory, visit):  # type: ignore[no-untyped-def]
    from kelisim.programs.models import Visit

    return Visit.objects.create(
        edition=visit.edition,
        territory=territory(SHU),
        date_start=date(2024, 6, 3),
        date_end=date(2024, 6, 4),
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _member(visit, department):  # type: ignore[no-untyped-def]
    from kelisim.programs.models import Member
    from kelisim.registry.models import Person

    person = Person.objects.create(full_name="Жұмыс тобының мүшесі", territory=visit.territory)
    return Member.objects.create(visit=visit, person=person, department=department)


def _appeal(actor, territory, department, received=date(2024, 6, 3)):  # type: ignore[no-untyped-def]
    return services.appeal_register(
        actor=actor,
        type="statement",
        channel="written",
        applicant_name="Айгүл",
        territory=territory(KORDAY),
        department=department,
        text="Мәтін",
        received_on=received,
    )


RECEPTION = {"territory": KORDAY, "place": "Әкімдік", "start": "2024-06-04T10:00", "end": "2024-06-04T12:00"}


def test_the_reception_form_offers_only_visible_visits_and_finds_the_visit_when_left_empty(
    make_user, territory, korday_department, visit, shu_visit
):
    coordinator = make_user("district_coordinator", KORDAY)
    client = _client(coordinator)
    page = client.get(f"/receptions/new/?visit={visit.pk}")
    choices = list(page.context["form"].fields["visit"].queryset)
    assert choices == [visit]  # Shu's visit is not offered
    assert page.context["form"]["visit"].value() == visit.pk
    answer = client.post("/receptions/new/", {**RECEPTION, "department": korday_department.pk}, follow=True)
    session = ReceptionSession.objects.get()
    assert session.visit == visit
    with translation.override("kk"):
        told = translation.gettext(
            "The reception belongs to the visit %(visit)s: its district and days hold it."
        ) % {"visit": visit}
    assert told in [str(m) for m in answer.context["messages"]]
    # The visit's page shows it on its day, with a way to open another.
    visit_page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/receptions/{session.pk}/" in visit_page
    assert f"/receptions/new/?visit={visit.pk}" in visit_page
    # The list and the desk name the visit the reception belongs to.
    assert f'href="/visits/{visit.pk}/"' in client.get("/receptions/").content.decode()
    assert f'href="/visits/{visit.pk}/"' in client.get(f"/receptions/{session.pk}/").content.decode()


def test_the_reception_form_refuses_a_visit_that_does_not_hold_it(
    make_user, territory, korday_department, visit
):
    client = _client(make_user("district_coordinator", KORDAY))
    answer = client.post(
        "/receptions/new/",
        {
            **RECEPTION,
            "start": "2024-06-07T10:00",
            "end": "2024-06-07T12:00",
            "department": korday_department.pk,
            "visit": visit.pk,
        },
    )
    assert answer.status_code == 200
    assert "visit" in answer.context["form"].errors
    assert not ReceptionSession.objects.exists()


def test_a_district_coordinator_at_the_desk_picks_the_working_groups_regional_departments(
    make_user, territory, korday_department, shu_department, visit
):
    regional = Department.objects.create(
        code="region_police",
        kind=Department.Kind.LAW_ENFORCEMENT,
        name_kk="Облыстық полиция департаменті",
        name_ru="Департамент полиции области",
        territory=territory(ZHAMBYL),
    )
    _member(visit, regional)
    _member(visit, shu_department)
    coordinator = make_user("district_coordinator", KORDAY)
    session = services.reception_open(
        actor=coordinator,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=datetime(2024, 6, 3, 10, tzinfo=ALMATY),
        end=datetime(2024, 6, 3, 12, tzinfo=ALMATY),
    )
    client = _client(coordinator)
    page = client.get(f"/receptions/{session.pk}/")
    offered = set(page.context["form"].fields["department"].queryset)
    assert {korday_department, regional, shu_department} <= offered
    answer = client.post(
        f"/receptions/{session.pk}/",
        {"declined_name": "on", "question": "Сұрақ", "department": shu_department.pk},
    )
    assert answer.status_code == 302
    assert session.visitors.get().department == shu_department


def test_the_appeal_page_reroutes_to_another_department_and_tells_the_history_in_words(
    make_user, territory, korday_department
):
    regional = Department.objects.create(
        code="region_land",
        name_kk="Жер басқармасы",
        name_ru="Управление земель",
        territory=territory(ZHAMBYL),
    )
    coordinator = make_user("district_coordinator", KORDAY)
    appeal = _appeal(coordinator, territory, korday_department)
    client = _client(coordinator)
    client.cookies["django_language"] = "kk"
    page = client.get(f"/appeals/{appeal.pk}/")
    assert set(page.context["reroute_form"].fields["department"].queryset) == {regional}
    answer = client.post(
        f"/appeals/{appeal.pk}/reroute/", {"version": 1, "department": regional.pk, "comment": "Жер мәселесі"}
    )
    assert answer.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).department == regional
    history = client.get(f"/appeals/{appeal.pk}/").content.decode()
    step = AppealEvent.objects.get(action="reroute")
    with translation.override("kk"):  # the page's language
        assert step.description in history
    assert "reroute" not in history.split('id="history"')[1]  # the code word is not what the user reads
    assert "Жер мәселесі" in history


def test_a_rerouting_to_a_department_out_of_reach_changes_nothing(
    make_user, territory, korday_department, shu_department
):
    coordinator = make_user("district_coordinator", KORDAY)
    appeal = _appeal(coordinator, territory, korday_department)
    answer = _client(coordinator).post(
        f"/appeals/{appeal.pk}/reroute/", {"version": 1, "department": shu_department.pk}, follow=True
    )
    with translation.override("kk"):
        assert str(NOT_FOUND) in answer.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).department == korday_department
    assert not AppealEvent.objects.filter(action="reroute").exists()


def test_a_redirected_appeal_shows_its_deadlines_on_its_page_and_in_the_queue_overdue_highlighted(
    make_user, territory, korday_department
):
    coordinator = make_user("district_coordinator", KORDAY)
    body = ExternalBody.objects.create(
        name_kk="Аудан прокуратурасы", name_ru="Прокуратура района", territory=territory(KORDAY)
    )
    appeal = _appeal(
        coordinator, territory, korday_department, received=timezone.localdate() - timedelta(days=30)
    )
    client = _client(coordinator)
    answer = client.post(
        f"/appeals/{appeal.pk}/transition/", {"action": "redirect", "version": 1, "body": body.pk}
    )
    assert answer.status_code == 302
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert (appeal.status, appeal.redirect_body) == (Appeal.Status.REDIRECTED, body)
    # Sent ten days ago, nobody told the applicant: the notice is overdue.
    Appeal.objects.filter(pk=appeal.pk).update(redirected_on=timezone.localdate() - timedelta(days=10))
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    deadlines = page.split('id="redirect-deadlines"')[1].split("</dd>")[0]
    assert "deadline--notice overdue" in deadlines and "tag--overdue" in deadlines
    assert "deadline--redirect overdue" in deadlines  # sent after its three working days
    queue = client.get("/appeals/queue/").content.decode().split('id="redirected"')[1]
    assert appeal.number in queue and "deadline--notice overdue" in queue
    # Telling the applicant and recording the body's answer take it off the queue.
    client.post(f"/appeals/{appeal.pk}/transition/", {"action": "notice", "version": 2})
    client.post(
        f"/appeals/{appeal.pk}/transition/", {"action": "body_answer", "version": 3, "comment": "Тексерілді"}
    )
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.redirect_notice_on == timezone.localdate() and appeal.body_answer == "Тексерілді"
    assert appeal.number not in client.get("/appeals/queue/").content.decode().split('id="redirected"')[1]


def test_external_bodies_are_added_edited_and_removed_through_the_pages_within_the_role(make_user, territory):
    coordinator = make_user("district_coordinator", KORDAY)
    client = _client(coordinator)
    assert (
        client.post(
            "/external-bodies/new/",
            {
                "name_kk": "Салық басқармасы",
                "name_ru": "Налоговое управление",
                "territory": KORDAY,
                "is_active": "on",
            },
        ).status_code
        == 302
    )
    body = ExternalBody.objects.get()
    assert "Салық басқармасы" in client.get("/external-bodies/").content.decode()
    client.post(
        f"/external-bodies/{body.pk}/",
        {
            "name_kk": "Мемлекеттік кірістер басқармасы",
            "name_ru": "Управление госдоходов",
            "territory": KORDAY,
            "address": "kordai@kgd.gov.kz",
        },
    )
    body.refresh_from_db()
    assert (body.name_kk, body.address, body.is_active) == (
        "Мемлекеттік кірістер басқармасы",
        "kordai@kgd.gov.kz",
        False,
    )
    # A specialist reads the directory but does not write it; another district's coordinator sees nothing of it.
    specialist = _client(make_user("specialist", KORDAY))
    assert specialist.get("/external-bodies/").status_code == 200
    assert specialist.get("/external-bodies/new/").status_code == 404
    assert specialist.post(f"/external-bodies/{body.pk}/", {"delete": "1"}).status_code == 404
    assert (
        _client(make_user("district_coordinator", SHU)).get(f"/external-bodies/{body.pk}/").status_code == 404
    )
    assert client.post(f"/external-bodies/{body.pk}/", {"delete": "1"}).status_code == 302
    assert not ExternalBody.objects.exists()


def test_the_api_keeps_the_directory_and_redirects_and_reroutes_appeals(
    make_user, territory, korday_department
):
    coordinator = make_user("district_coordinator", KORDAY)
    api = APIClient()
    api.force_authenticate(coordinator)
    created = api.post(
        "/api/v1/external-bodies/",
        {"name_kk": "Полиция", "name_ru": "Полиция", "territory": KORDAY},
        format="json",
    )
    assert created.status_code == 201, created.content
    body_id = created.json()["id"]
    assert (
        api.patch(f"/api/v1/external-bodies/{body_id}/", {"address": "112"}, format="json").json()["address"]
        == "112"
    )
    regional = Department.objects.create(
        code="reg", name_kk="Басқарма", name_ru="Управление", territory=territory(ZHAMBYL)
    )
    appeal = _appeal(coordinator, territory, korday_department)
    url = f"/api/v1/appeals/{appeal.pk}/transition/"
    moved = api.post(url, {"action": "reroute", "version": 1, "department": regional.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["department"] == regional.pk
    sent = api.post(url, {"action": "redirect", "version": 2, "body": body_id}, format="json").json()
    assert (sent["status"], sent["redirect_body"], sent["redirect_to"]) == ("redirected", body_id, "Полиция")
    told = api.post(url, {"action": "notice", "version": 3}, format="json").json()
    assert told["redirect_notice_on"] == timezone.localdate().isoformat()
    assert api.delete(f"/api/v1/external-bodies/{body_id}/").status_code == 400  # appeals went to it
    assert ExternalBody.objects.filter(pk=body_id).exists()


def test_a_reception_opened_over_the_api_without_a_visit_gets_the_one_that_holds_it(
    make_user, territory, korday_department, visit
):
    api = APIClient()
    api.force_authenticate(make_user("district_coordinator", KORDAY))
    body = {
        "department": korday_department.pk,
        "territory": KORDAY,
        "place": "Әкімдік",
        "start": "2024-06-04T10:00:00+05:00",
        "end": "2024-06-04T12:00:00+05:00",
    }
    held = api.post("/api/v1/receptions/", body, format="json")
    assert held.status_code == 201 and held.json()["visit"] == visit.pk
    later = {**body, "start": "2024-06-05T10:00:00+05:00", "end": "2024-06-05T12:00:00+05:00"}
    assert api.post("/api/v1/receptions/", later, format="json").json()["visit"] is None
    refused = api.post("/api/v1/receptions/", {**later, "visit": visit.pk}, format="json")
    assert refused.status_code == 400 and "visit" in refused.json()["error"]["fields"]
    assert ReceptionSession.objects.count() == 2
