"""The working group of a visit, through its pages: members from the directory or new, sub-groups
with leads, days, bookings elsewhere within the user's scope, invitations and answers."""

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from kelisim.accounts.models import Department
from kelisim.core.models import AuditEntry
from kelisim.events.models import Event
from kelisim.programs import services
from kelisim.programs.models import Member, SubGroup, Visit
from kelisim.registry.models import Person

ZHAMBYL, KORDAY, SHU = "310000000", "314800000", "316600000"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _visit(actor, seed_visit, territory, code=SHU, start=date(2023, 10, 3), end=date(2023, 10, 5)) -> Visit:  # type: ignore[no-untyped-def]
    return services.visit_create(
        actor=actor, edition=seed_visit.edition, territory=territory(code), date_start=start, date_end=end
    )


def _department(code: str) -> Department:
    return Department.objects.get(code=code)


def test_members_come_from_the_directory_or_are_typed_in_with_department_and_position(
    seed_visit, make_user, territory
):
    actor = make_user("regional_coordinator", ZHAMBYL)
    visit = _visit(actor, seed_visit, territory)
    client = _client(actor)
    known = Person.objects.get(full_name="Қ.Ырысдәулет")
    assert known.full_name in client.get(f"/visits/{visit.pk}/group/").content.decode()

    from_directory = client.post(
        f"/visits/{visit.pk}/group/add/",
        {"person": known.pk, "department": _department("internal_policy").pk, "position_kk": "Бөлім басшысы"},
    )
    typed_in = client.post(
        f"/visits/{visit.pk}/group/add/",
        {
            "full_name": "А.Нұрланқызы",
            "email": "a.nurlankyzy@example.kz",
            "department": _department("veterinary").pk,
            "position_kk": "Бас маман",
            "position_ru": "Главный специалист",
        },
    )

    assert from_directory.status_code == typed_in.status_code == 302
    members = {m.person.full_name: m for m in visit.members.select_related("person", "department")}
    assert set(members) == {"Қ.Ырысдәулет", "А.Нұрланқызы"}
    new = members["А.Нұрланқызы"].person
    assert new.email == "a.nurlankyzy@example.kz"
    assert new.positions.get().department.code == "veterinary"
    assert AuditEntry.objects.filter(action="member.add").count() >= 2


def test_a_member_form_without_a_person_names_the_field(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    visit = _visit(actor, seed_visit, territory)

    answer = _client(actor).post(f"/visits/{visit.pk}/group/add/", {"department": _department("sport").pk})

    assert answer.status_code == 400
    assert 'id="id_person_error"' in answer.content.decode()
    assert not visit.members.exists()


def test_each_member_has_their_days_and_a_day_outside_the_visit_is_refused(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    visit = _visit(actor, seed_visit, territory)
    person = Person.objects.get(full_name="Е.Қаншымбеков")
    client = _client(actor)

    client.post(
        f"/visits/{visit.pk}/group/add/",
        {"person": person.pk, "department": _department("public_accord").pk, "days": ["2023-10-04"]},
    )
    outside = client.post(
        f"/visits/{visit.pk}/group/add/",
        {
            "person": Person.objects.get(full_name="Р.Ерханұлы").pk,
            "department": _department("public_accord").pk,
            "days": ["2023-10-09"],
        },
    )

    member = visit.members.get(person=person)
    assert member.present_days == [date(2023, 10, 4)]
    assert outside.status_code == 400 and visit.members.count() == 1


def test_a_member_booked_on_another_visit_is_warned_about_and_added_only_when_confirmed(
    seed_visit, make_user, territory
):
    actor = make_user("regional_coordinator", ZHAMBYL)
    overlapping = _visit(actor, seed_visit, territory, start=date(2023, 5, 11), end=date(2023, 5, 12))
    person = Person.objects.get(full_name="Қ.Ырысдәулет")
    client = _client(actor)
    data = {"person": person.pk, "department": _department("internal_policy").pk}

    warned = client.post(f"/visits/{overlapping.pk}/group/add/", data)

    body = warned.content.decode()
    assert warned.status_code == 400 and not overlapping.members.exists()
    assert "Қордай ауданы" in body and f"/visits/{seed_visit.pk}/" in body
    assert 'name="booked_anyway" value="on"' in body
    confirmed = client.post(f"/visits/{overlapping.pk}/group/add/", {**data, "booked_anyway": "on"})
    assert confirmed.status_code == 302 and overlapping.members.filter(person=person).exists()


def test_a_booking_outside_the_users_scope_is_reported_without_its_details(seed_visit, make_user, territory):
    actor = make_user("district_coordinator", SHU)
    visit = _visit(
        make_user("regional_coordinator", ZHAMBYL),
        seed_visit,
        territory,
        start=date(2023, 5, 10),
        end=date(2023, 5, 10),
    )
    speaker = Person.objects.get(full_name="Әбілхайыр Сабырұлы")  # speaks at Korday's probation meeting
    probation = Event.objects.get(visit=seed_visit, restricted=True)
    reads_before = AuditEntry.objects.filter(kind=AuditEntry.Kind.READ).count()

    answer = _client(actor).post(
        f"/visits/{visit.pk}/group/add/",
        {"person": speaker.pk, "department": _department("religious_studies_centre").pk},
    )

    body = answer.content.decode()
    assert answer.status_code == 400 and not visit.members.exists()
    warning = body[body.index('class="warning"') : body.index("</div>", body.index('class="warning"'))]
    assert "<li>" in warning
    assert "Қордай" not in warning and probation.title_kk[:20] not in body and "12:00" not in warning
    assert f"/events/{probation.pk}/" not in body and f"/visits/{seed_visit.pk}/" not in body
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.READ).count() == reads_before


def test_a_restricted_booking_shown_to_a_holder_of_the_capability_is_audited(
    seed_visit, make_user, territory
):
    actor = make_user("regional_coordinator", ZHAMBYL)
    visit = _visit(actor, seed_visit, territory, start=date(2023, 5, 10), end=date(2023, 5, 10))
    speaker = Person.objects.get(full_name="Әбілхайыр Сабырұлы")
    probation = Event.objects.get(visit=seed_visit, restricted=True)

    answer = _client(actor).post(
        f"/visits/{visit.pk}/group/add/",
        {"person": speaker.pk, "department": _department("religious_studies_centre").pk},
    )

    assert f"/events/{probation.pk}/" in answer.content.decode()
    assert AuditEntry.objects.filter(
        kind=AuditEntry.Kind.READ, object_type="events.event", object_id=str(probation.pk), actor=actor
    ).exists()


def test_sub_groups_have_leads_and_removing_one_keeps_its_members(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    client = _client(actor)
    lead = seed_visit.members.get(person__full_name="Е.Қаншымбеков")

    client.post(f"/visits/{seed_visit.pk}/subgroups/add/", {"name_kk": "Жастар тобы", "lead": lead.pk})
    subgroup = SubGroup.objects.get(name_kk="Жастар тобы")
    assert subgroup.lead == lead
    client.post(f"/members/{lead.pk}/", {"department": lead.department_id, "subgroup": subgroup.pk})
    client.post(f"/subgroups/{subgroup.pk}/remove/")

    assert not SubGroup.objects.filter(pk=subgroup.pk).exists()
    assert Member.objects.get(pk=lead.pk).subgroup is None


def test_a_lead_from_another_visit_is_refused(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    visit = _visit(actor, seed_visit, territory)
    outsider = seed_visit.members.first()

    answer = _client(actor).post(
        f"/visits/{visit.pk}/subgroups/add/", {"name_kk": "Топ", "lead": outsider.pk}
    )

    assert answer.status_code == 400 and not visit.subgroups.exists()


def test_replacing_a_member_keeps_the_place_and_starts_the_invitation_over(seed_visit, make_user):
    actor = make_user("regional_coordinator", ZHAMBYL)
    member = seed_visit.members.get(person__full_name="Р.Ерханұлы")
    member.response = Member.Response.CONFIRMED
    member.save()

    answer = _client(actor).post(
        f"/members/{member.pk}/replace/", {"full_name": "Д.Сейтқали", "position_kk": "Әдіскер"}
    )

    assert answer.status_code == 302
    member.refresh_from_db()
    assert (member.person.full_name, member.response) == ("Д.Сейтқали", Member.Response.NONE)
    assert member.subgroup is not None and member.department.code == "public_accord"
    assert AuditEntry.objects.filter(action="member.replace", object_id=str(member.pk)).exists()


def test_a_member_who_takes_part_in_the_visits_events_is_not_removed(seed_visit, make_user, territory):
    actor = make_user("regional_coordinator", ZHAMBYL)
    speaker = seed_visit.members.get(person__full_name="Әбілхайыр Сабырұлы")
    visit = _visit(actor, seed_visit, territory)
    services.member_add(actor=actor, visit=visit, person=speaker.person, department=speaker.department)
    client = _client(actor)

    client.post(f"/members/{speaker.pk}/remove/")
    client.post(f"/members/{visit.members.get().pk}/remove/")

    assert Member.objects.filter(pk=speaker.pk).exists()
    assert not visit.members.exists()


def test_another_districts_coordinator_cannot_open_or_change_the_working_group(seed_visit, make_user):
    outsider = _client(make_user("district_coordinator", SHU))
    member = seed_visit.members.first()
    before = list(seed_visit.members.values_list("pk", "person_id", "department_id"))

    assert outsider.get(f"/visits/{seed_visit.pk}/group/").status_code == 404
    assert (
        outsider.post(
            f"/visits/{seed_visit.pk}/group/add/",
            {"full_name": "X", "department": _department("shu_internal_policy").pk},
        ).status_code
        == 404
    )
    assert outsider.post(f"/members/{member.pk}/remove/").status_code == 404
    assert outsider.post(f"/visits/{seed_visit.pk}/group/invite/").status_code == 404
    assert list(seed_visit.members.values_list("pk", "person_id", "department_id")) == before


def _invite_everyone(actor, visit) -> None:  # type: ignore[no-untyped-def]
    for member in visit.members.select_related("person"):
        member.person.email = f"member{member.pk}@example.kz"
        member.person.save()
    response = _client(actor).post(f"/visits/{visit.pk}/group/invite/")
    assert response.status_code == 302


def test_invitations_carry_the_members_days_programme_and_calendar_without_restricted_events(
    seed_visit, make_user, django_capture_on_commit_callbacks
):
    actor = make_user("regional_coordinator", ZHAMBYL)
    restricted = Event.objects.get(visit=seed_visit, restricted=True)
    with django_capture_on_commit_callbacks(execute=True):
        _invite_everyone(actor, seed_visit)

    assert len(mail.outbox) == seed_visit.members.count()
    message = mail.outbox[0]
    assert "Қордай ауданында" in message.body or "Қордай ауданы" in message.body  # the Kazakh part
    assert "Кордайский район" in message.body  # the Russian part
    assert re.search(r"/invitations/[\w-]+/", message.body)
    (name, content, kind) = message.attachments[0]
    assert name.endswith(".ics") and kind.startswith("text/calendar")
    events = [c for c in Calendar.from_ical(content).walk("VEVENT")]
    titles = {str(e["summary"]) for e in events}
    assert len(events) == Event.objects.filter(visit=seed_visit, restricted=False).count()
    assert restricted.title_kk not in titles and restricted.title_kk not in message.body
    assert set(seed_visit.members.values_list("response", flat=True)) == {Member.Response.PENDING}


def test_a_member_answers_through_the_link_and_a_new_invitation_retires_the_old_link(
    seed_visit, make_user, django_capture_on_commit_callbacks
):
    actor = make_user("regional_coordinator", ZHAMBYL)
    member = seed_visit.members.get(person__full_name="Қ.Ырысдәулет")
    member.person.email = "k.yrysdaulet@example.kz"
    member.person.save()
    client = _client(actor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/visits/{seed_visit.pk}/group/invite/", {"member": [member.pk]})
    link = re.search(r"(/invitations/[\w-]+/)", mail.outbox[0].body).group(1)

    public = Client()
    assert "Қ.Ырысдәулет" in public.get(link).content.decode()
    public.post(link, {"answer": "confirm"})
    member.refresh_from_db()
    assert member.response == Member.Response.CONFIRMED and member.responded_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/visits/{seed_visit.pk}/group/invite/", {"member": [member.pk]})
    assert public.get(link).status_code == 404
    assert public.post(link, {"answer": "decline"}).status_code == 404
    member.refresh_from_db()
    assert member.response == Member.Response.PENDING


@pytest.mark.parametrize("token", ["nonsense", "x" * 300])
def test_an_unknown_invitation_link_shows_nothing(seed_visit, token):
    answer = Client().get(f"/invitations/{token}/")
    assert answer.status_code == 404 and "Қордай" not in answer.content.decode()
