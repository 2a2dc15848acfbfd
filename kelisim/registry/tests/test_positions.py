"""A person's positions over time, kept on their page in the directory."""

from datetime import date

from django.test import Client

from kelisim.accounts.models import Department
from kelisim.core.models import AuditEntry
from kelisim.registry.models import Person, Position


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_position_is_added_and_later_closed_on_the_persons_page(seed_visit, make_user):
    actor = make_user("regional_coordinator", "310000000")
    person = Person.objects.get(full_name="Қ.Ырысдәулет")
    department = Department.objects.get(code="culture")
    client = _client(actor)

    client.post(
        f"/registry/people/{person.pk}/positions/",
        {"title_kk": "Мәдениет басқармасының басшысы", "department": department.pk, "start": "2024-01-15"},
    )
    position = Position.objects.get(person=person, title_kk="Мәдениет басқармасының басшысы")
    assert (position.department, position.start, position.end) == (department, date(2024, 1, 15), None)
    assert "Мәдениет басқармасының басшысы" in client.get(f"/registry/people/{person.pk}/").content.decode()

    client.post(f"/positions/{position.pk}/end/", {"end": "2025-06-30"})
    position.refresh_from_db()
    assert position.end == date(2025, 6, 30)
    assert (
        AuditEntry.objects.filter(
            action__in=["position.add", "position.end"], object_id=str(position.pk)
        ).count()
        == 2
    )


def test_a_position_ending_before_it_began_is_refused(seed_visit, make_user):
    actor = make_user("regional_coordinator", "310000000")
    person = Person.objects.get(full_name="Қ.Ырысдәулет")
    client = _client(actor)

    client.post(
        f"/registry/people/{person.pk}/positions/",
        {"title_kk": "Маман", "start": "2024-05-01", "end": "2024-01-01"},
    )

    assert not Position.objects.filter(person=person, title_kk="Маман").exists()


def test_another_districts_coordinator_cannot_add_a_position(seed_visit, make_user):
    person = Person.objects.get(full_name="Ғ.Алимжанов")  # filed under the region, above Shu
    before = person.positions.count()

    answer = _client(make_user("district_coordinator", "316600000")).post(
        f"/registry/people/{person.pk}/positions/", {"title_kk": "Маман"}
    )

    assert answer.status_code == 404 and person.positions.count() == before
