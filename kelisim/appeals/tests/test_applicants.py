"""A citizen's earlier appeals: the lookup by name or phone (any spelling, word order or format),
for holders of `lookup_applicant` only, in their territory, every lookup audited without the name
or the phone; and the same matches on the appeal page and at the reception desk."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kelisim.accounts.models import Department
from kelisim.appeals import applicants, services
from kelisim.appeals.models import Appeal, ReceptionSession, Visitor
from kelisim.core.models import AuditEntry

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
NAME, PHONE = "Сабырұлы Ерлан Қайратұлы", "+7 (702) 555-12-34"


def _register(actor, territory, department, name=NAME, contact=PHONE, **extra):  # type: ignore[no-untyped-def]
    return services.appeal_register(
        actor=actor,
        type=Appeal.Type.STATEMENT,
        channel=Appeal.Channel.WRITTEN,
        applicant_name=name,
        applicant_contact=contact,
        territory=territory,
        department=department,
        text="Ауыз су туралы.",
        received_on=date(2025, 3, 3),
        **extra,
    )


def _page(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def earlier(make_user, territory, korday_department):  # type: ignore[no-untyped-def]
    """Two appeals of one citizen in Korday, one of another citizen, one of the same citizen in Shu."""
    regional = make_user("regional_coordinator", ZHAMBYL)
    shu_department = Department.objects.create(
        code="shu_culture", kind=Department.Kind.DIVISION, name_kk="Шу бөлімі", territory=territory(SHU)
    )
    return {
        "first": _register(regional, territory(KORDAY), korday_department),
        "second": _register(
            regional, territory(KORDAY), korday_department, name="Ерлан Сабырулы", contact="87025551234"
        ),
        "other": _register(
            regional, territory(KORDAY), korday_department, name="Айгүл Демоқызы", contact="+7 700 000 0001"
        ),
        "shu": _register(regional, territory(SHU), shu_department, contact="+7 702 555 1234"),
    }


def test_keys_are_spelling_and_format_neutral():
    assert applicants.name_key("Сабырұлы Ерлан") == applicants.name_key("ЕРЛАН  сабырулы")
    assert applicants.phone_key("+7 (702) 555-12-34") == applicants.phone_key("8 702 5551234") == "7025551234"
    assert applicants.phone_key("erlan@example.kz") == "" and applicants.phone_key("12345") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"phone": "8 702 555 12 34"}, {"first", "second"}),  # the phone in another format
        ({"phone": "7025551234"}, {"first", "second"}),
        ({"name": "Ерлан Сабырулы"}, {"first", "second"}),  # another spelling and word order
        ({"name": "САБЫРҰЛЫ"}, {"first", "second"}),
        ({"name": "Демокызы"}, {"other"}),
    ],
)
def test_the_lookup_finds_a_citizens_appeals_in_scope(earlier, make_user, query, expected):
    district = make_user("district_coordinator", KORDAY)
    response = _page(district).get("/appeals/applicants/", query)
    assert response.status_code == 200
    body = response.content.decode()
    for key, appeal in earlier.items():
        assert (f'href="/appeals/{appeal.pk}/"' in body) == (key in expected), key
    # The Shu appeal of the same phone is outside Korday's scope; the regional coordinator's isn't.
    found = {
        a.pk for a in applicants.applicant_lookup(user=make_user("regional_coordinator", ZHAMBYL), **query)
    }
    assert (earlier["shu"].pk in found) == ("other" not in expected)


def test_every_lookup_is_audited_without_the_name_or_the_phone(earlier, make_user):
    district = make_user("district_coordinator", KORDAY)
    client = _page(district)
    client.get("/appeals/applicants/", {"name": "Сабырулы Ерлан", "phone": "8 702 555 12 34"})
    client.get("/appeals/applicants/", {"name": "Жоқ Адам"})
    entries = list(AuditEntry.objects.filter(actor=district, params__via="applicant_lookup").order_by("id"))
    assert len(entries) == 2
    found, nothing = entries
    assert found.kind == AuditEntry.Kind.READ and found.object_type == "appeals.appeal"
    assert set(found.params["ids"]) == {earlier["first"].pk, earlier["second"].pk}
    assert found.params["rows"] == 2 and found.params["filter_name"] is True and found.params["filter_phone"]
    assert (
        nothing.params["rows"] == 0 and nothing.params["ids"] == [] and "filter_phone" not in nothing.params
    )
    for entry in entries:
        text = str(entry.params) + entry.object_id + entry.territory_path
        for secret in ("Сабыр", "сабыр", "Ерлан", "ерлан", "Жоқ", "702", "555", "1234"):
            assert secret not in text


@pytest.mark.parametrize("role", ["analyst", "press_officer", "viewer"])
def test_a_role_without_the_capability_has_no_lookup_and_no_link(earlier, make_user, role):
    user = make_user(role, ZHAMBYL)
    client = _page(user)
    assert client.get("/appeals/applicants/", {"phone": "87025551234"}).status_code in (403, 404)
    assert 'href="/appeals/applicants/"' not in client.get("/").content.decode()
    assert not AuditEntry.objects.filter(params__via="applicant_lookup").exists()


def test_the_menu_links_the_lookup_for_those_who_may(make_user):
    body = _page(make_user("district_coordinator", KORDAY)).get("/").content.decode()
    assert 'href="/appeals/applicants/"' in body


def test_the_appeal_page_lists_the_applicants_earlier_appeals_in_scope(earlier, make_user):
    district = make_user("district_coordinator", KORDAY)
    body = _page(district).get(f"/appeals/{earlier['first'].pk}/").content.decode()
    section = body.split('id="earlier-appeals"')[1].split("</section>")[0]
    assert f'href="/appeals/{earlier["second"].pk}/"' in section
    assert f'href="/appeals/{earlier["first"].pk}/"' not in section  # not the appeal itself
    assert f'href="/appeals/{earlier["other"].pk}/"' not in section
    assert earlier["shu"].number not in body  # another district's appeal of the same citizen
    entry = AuditEntry.objects.get(params__via="appeal_earlier_appeals")
    assert entry.params["ids"] == [earlier["second"].pk] and "702" not in str(entry.params)
    # A regional coordinator sees the Shu appeal too.
    regional = _page(make_user("regional_coordinator", ZHAMBYL)).get(f"/appeals/{earlier['first'].pk}/")
    assert earlier["shu"].number in regional.content.decode()


def test_the_appeal_page_shows_no_earlier_appeals_without_the_capability(earlier, make_user):
    body = _page(make_user("analyst", ZHAMBYL)).get(f"/appeals/{earlier['first'].pk}/").content.decode()
    assert 'id="earlier-appeals"' not in body and earlier["second"].number not in body


def test_the_reception_desk_shows_a_visitors_earlier_appeals(
    earlier, make_user, territory, korday_department
):
    district = make_user("district_coordinator", KORDAY)
    start = timezone.now()
    session = ReceptionSession.objects.create(
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=start,
        end=start + timedelta(hours=2),
    )
    by_name = Visitor.objects.create(
        session=session, name="КАЙРАТУЛЫ Ерлан Сабырулы", department=korday_department, question="Су"
    )
    by_phone = Visitor.objects.create(
        session=session,
        name="Басқа Есім",
        contact="8-702-555-12-34",
        department=korday_department,
        question="Су",
    )
    Visitor.objects.create(
        session=session,
        name="Жаңа Адам",
        contact="+7 701 111 2233",
        department=korday_department,
        question="Жол",
    )
    body = _page(district).get(f"/receptions/{session.pk}/").content.decode()

    def card(visitor):  # type: ignore[no-untyped-def]
        return body.split(f'id="visitor-{visitor.pk}"')[1].split("</li>")[0]

    # The full name in another spelling and order finds the first appeal; the phone, both.
    assert earlier["first"].number in card(by_name) and earlier["second"].number not in card(by_name)
    assert earlier["first"].number in card(by_phone) and earlier["second"].number in card(by_phone)
    assert earlier["other"].number not in body and earlier["shu"].number not in body
    assert body.count('class="earlier-appeals"') == 2  # the new visitor has none
    assert AuditEntry.objects.filter(params__via="reception_earlier_appeals").exists()
    # An analyst sees the desk, not the applicants' earlier appeals; another district, not the desk.
    analyst = _page(make_user("analyst", ZHAMBYL)).get(f"/receptions/{session.pk}/")
    assert analyst.status_code == 200 and "earlier-appeals" not in analyst.content.decode()
    shu = _page(make_user("district_coordinator", SHU)).get(f"/receptions/{session.pk}/")
    assert shu.status_code == 404
