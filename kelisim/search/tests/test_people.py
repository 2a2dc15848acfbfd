"""Search finds the people of the user's own visits and events: working-group members (regional
officials, whose own record lies outside a district's scope) and event officials, by name in either
spelling, never those of another district's visit, never those of a restricted event."""

from datetime import date

import pytest
from django.test import Client

from kelisim.accounts.models import Department
from kelisim.events.models import Event
from kelisim.programs.models import Member
from kelisim.programs.services import member_add, visit_create
from kelisim.registry.models import Person
from kelisim.search.indexing import rebuild
from kelisim.search.models import SearchDocument
from kelisim.search.selectors import search

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"


def _people(user, query, kind="member"):  # type: ignore[no-untyped-def]
    return [h for h in search(user=user, query=query, limit=200)[1] if h.type == kind]


@pytest.fixture
def korday_member(seed_visit, make_user, territory, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A regional official added to the Korday visit's working group through the service."""
    regional = make_user("regional_coordinator", ZHAMBYL)
    person = Person.objects.create(full_name="Төлеғұлов Серікқали", territory=territory(ZHAMBYL))
    department = Department.objects.filter(territory__code=ZHAMBYL).first()
    with django_capture_on_commit_callbacks(execute=True):
        member = member_add(
            actor=regional, visit=seed_visit, person=person, department=department, position_kk="Бас маман"
        )
    return member


@pytest.mark.parametrize("spelling", ["Төлеғұлов", "Толегулов", "ТӨЛЕҒҰЛОВ", "толегулова"])
def test_a_district_coordinator_finds_a_member_of_their_visit_by_surname(korday_member, make_user, spelling):
    district = make_user("district_coordinator", KORDAY)
    # The person's own record is the region's: outside the district's registry scope.
    assert not _people(district, spelling, "person")
    hits = _people(district, spelling)
    assert [h.id for h in hits] == [korday_member.pk]
    assert hits[0].url == f"/visits/{korday_member.visit_id}/#working-group"
    assert "<mark>" in str(hits[0].title)


def test_the_search_page_links_the_member_to_the_visits_working_group(korday_member, make_user):
    page = Client()
    page.force_login(make_user("district_coordinator", KORDAY))
    body = page.get("/search/", {"q": "Толегулов"}).content.decode()
    assert f'href="/visits/{korday_member.visit_id}/#working-group"' in body
    assert "Серікқали" in body


def test_another_districts_coordinator_does_not_find_the_member(korday_member, make_user):
    shu = make_user("district_coordinator", SHU)
    assert not _people(shu, "Төлеғұлов") and not _people(shu, "Төлеғұлов", "person")
    assert search(user=shu, query="Төлеғұлов Серікқали")[0] == 0


def test_a_member_of_another_districts_visit_is_not_found(seed_visit, make_user, territory):
    regional = make_user("regional_coordinator", ZHAMBYL)
    shu_visit = visit_create(
        actor=regional,
        edition=seed_visit.edition,
        territory=territory(SHU),
        date_start=date(2023, 6, 1),
        date_end=date(2023, 6, 2),
    )
    person = Person.objects.create(full_name="Жақыпбеков Нұрлан", territory=territory(ZHAMBYL))
    Member.objects.create(
        visit=shu_visit, person=person, department=Department.objects.filter(territory__code=ZHAMBYL).first()
    )
    rebuild()
    assert _people(make_user("district_coordinator", SHU), "Жакыпбеков")
    assert not _people(make_user("district_coordinator", KORDAY), "Жакыпбеков")


def test_the_index_follows_a_rename_and_a_removal(
    korday_member, make_user, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    district = make_user("district_coordinator", KORDAY)
    person = korday_member.person
    with django_capture_on_commit_callbacks(execute=True):
        person.full_name = "Сәрсенбаев Серікқали"
        person.save()
    assert not _people(district, "Төлеғұлов") and _people(district, "Сарсенбаев")
    with django_capture_on_commit_callbacks(execute=True):
        korday_member.delete()
    assert not _people(district, "Сарсенбаев")
    assert not SearchDocument.objects.filter(kind="member", object_id=korday_member.pk).exists()


def test_a_restricted_events_officials_never_show_without_the_capability(
    seed_visit, make_user, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    rebuild()
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    official = restricted.officials.filter(person__isnull=False).first()
    surname = max(official.person.full_name.split(), key=len).split(".")[-1]
    district = make_user("district_coordinator", KORDAY)
    regional = make_user("regional_coordinator", ZHAMBYL)
    assert official.pk in [h.id for h in _people(regional, surname, "official")]
    assert restricted.pk not in [
        h.id for h in search(user=district, query=surname, limit=200)[1] if h.type in ("event", "official")
    ]
    assert not _people(district, surname, "official")
    # Counted nowhere either: the district's total is what the district may open.
    total, hits = search(user=district, query=surname, limit=200)
    assert total == len(hits)
    # An open event made restricted takes its officials' documents with it.
    open_event = Event.objects.filter(
        visit=seed_visit, restricted=False, officials__person__isnull=False
    ).first()
    shown = open_event.officials.filter(person__isnull=False).first()
    name = max(shown.person.full_name.split(), key=len).split(".")[-1]
    assert shown.pk in [h.id for h in _people(district, name, "official")]
    with django_capture_on_commit_callbacks(execute=True):
        open_event.restricted = True
        open_event.save()
    assert shown.pk not in [h.id for h in _people(district, name, "official")]


def test_a_users_login_is_never_indexed(korday_member, make_user, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    account = make_user("specialist", ZHAMBYL)
    account.username, account.first_name, account.last_name = "serik-login-77", "Серікқали", "Төлеғұлов"
    account.save()
    person = korday_member.person
    with django_capture_on_commit_callbacks(execute=True):
        person.full_name = "Т. Серікқали"
        person.user = account
        person.save()
    district = make_user("district_coordinator", KORDAY)
    assert [h.id for h in _people(district, "Толегулов")] == [korday_member.pk]  # the display name
    assert not _people(district, "serik") and not _people(district, "login")
    with django_capture_on_commit_callbacks(execute=True):
        account.last_name = "Құдайбергенов"
        account.save()
    assert not _people(district, "Толегулов") and _people(district, "Кудайбергенов")
