"""Open311 keys, working-day transfers, appeal categories and the consent's versions, managed on
pages: keys within the manager's territories, the country's lists by a country-wide manager only."""

from datetime import date

import pytest
from django.test import Client

from kelisim.accounts.models import User
from kelisim.appeals import deadlines
from kelisim.appeals.forms import VisitorForm
from kelisim.appeals.models import (
    Category,
    ConsentText,
    Open311Key,
    ReceptionSession,
    Visitor,
    WorkdayOverride,
)
from kelisim.core.models import AuditEntry

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
REFERENCE_PAGES = [
    "/manage/workdays/",
    "/manage/workdays/new/",
    "/manage/categories/",
    "/manage/categories/new/",
    "/manage/consent/",
]


def _client(user: User) -> Client:
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


# Open311 keys ------------------------------------------------------------------------------------


def test_a_regional_coordinator_makes_a_key_shown_once_that_opens_open311(make_user, korday_department):
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    client = _client(coordinator)
    response = client.post(
        "/manage/open311/", {"name": "City portal", "territory": KORDAY, "department": korday_department.pk}
    )
    assert response.status_code == 200
    secret = response.context["shown_once"]
    key = Open311Key.objects.get(name="City portal")
    assert secret and secret not in key.key_hash
    assert secret not in client.get("/manage/open311/").content.decode()  # shown once
    entry = _last("open311_key.create")
    assert entry.actor == coordinator and entry.params == {"department": korday_department.pk}

    posted = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": "land",
            "description": "Жер",
            "first_name": "Ерлан",
            "address_string": "Қордай",
        },
    )
    assert posted.status_code == 201

    assert client.post(f"/manage/open311/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert not key.is_active and _last("open311_key.revoke").object_id == str(key.pk)
    again = Client().post(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_code": "land", "description": "Жер", "first_name": "Ерлан"},
    )
    assert again.status_code == 403


def test_keys_of_another_district_are_neither_listed_nor_revoked(make_user, korday_department):
    from kelisim.appeals.services import open311_key_create

    key, _secret = open311_key_create(
        actor=make_user("system_admin"),
        name="Korday portal",
        territory=korday_department.territory,
        department=korday_department,
    )
    shu_manager = _client(make_user("regional_coordinator", SHU))
    assert "Korday portal" not in shu_manager.get("/manage/open311/").content.decode()
    assert shu_manager.post(f"/manage/open311/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.is_active


@pytest.mark.parametrize("role", ["district_coordinator", "specialist", "analyst", "press_officer"])
def test_roles_without_manage_open311_get_404(make_user, role, korday_department):
    client = _client(make_user(role, ZHAMBYL))
    assert client.get("/manage/open311/").status_code == 404
    client.post("/manage/open311/", {"name": "x", "territory": KORDAY, "department": korday_department.pk})
    assert not Open311Key.objects.exists()


# The country's lists -----------------------------------------------------------------------------


def test_a_regional_coordinator_cannot_change_the_countrys_lists(make_user):
    client = _client(make_user("regional_coordinator", ZHAMBYL))
    for url in REFERENCE_PAGES:
        assert client.get(url).status_code == 404, url
    client.post("/manage/workdays/new/", {"date": "2031-01-03", "kind": "off"})
    client.post("/manage/categories/new/", {"code": "roads", "name_kk": "Жол", "name_ru": "Дороги"})
    assert not WorkdayOverride.objects.exists() and not Category.objects.filter(code="roads").exists()


def test_a_transfer_added_edited_and_removed_moves_the_deadline(make_user):
    admin = _client(make_user("system_admin"))
    received = date(2031, 3, 3)  # a Monday
    before = deadlines.due_date(received, 3)
    assert (
        admin.post(
            "/manage/workdays/new/", {"date": "2031-03-04", "kind": "off", "note": "Decree"}
        ).status_code
        == 302
    )
    row = WorkdayOverride.objects.get(date=date(2031, 3, 4))
    assert deadlines.due_date(received, 3) > before
    assert _last("workday_override.create").params == {"kind": "off", "date": "20310304"}
    assert "Decree" in admin.get("/manage/workdays/", {"year": 2031}).content.decode()
    assert "Decree" not in admin.get("/manage/workdays/", {"year": 2030}).content.decode()

    duplicate = admin.post("/manage/workdays/new/", {"date": "2031-03-04", "kind": "working"})
    assert "in the table already" in str(duplicate.context["form"].errors["date"])

    admin.post(f"/manage/workdays/{row.pk}/", {"date": "2031-03-05", "kind": "off", "note": "Decree"})
    row.refresh_from_db()
    assert row.date == date(2031, 3, 5)
    assert admin.post(f"/manage/workdays/{row.pk}/remove/").status_code == 302
    assert not WorkdayOverride.objects.exists() and deadlines.due_date(received, 3) == before
    assert _last("workday_override.remove").object_id == str(row.pk)


def test_categories_are_added_and_retired_not_deleted(make_user):
    admin = _client(make_user("system_admin"))
    response = admin.post(
        "/manage/categories/new/",
        {"code": "roads", "name_kk": "Жолдар", "name_ru": "Дороги", "is_active": "on"},
    )
    assert response.status_code == 302
    roads = Category.objects.get(code="roads")
    assert _last("category.create").object_id == str(roads.pk)
    admin.post(f"/manage/categories/{roads.pk}/", {"code": "roads", "name_kk": "Жолдар", "name_ru": "Дороги"})
    roads.refresh_from_db()
    assert not roads.is_active
    assert _last("category.update").params == {"fields": ["is_active"]}
    # No longer offered to a new appeal.
    assert "Жолдар" not in Client().get("/open311/v2/services.json").content.decode()


def test_a_new_consent_version_is_asked_and_one_agreed_to_is_never_edited(
    make_user, korday_department, territory
):
    admin = _client(make_user("system_admin"))
    first = ConsentText.objects.get(is_active=True)
    session = ReceptionSession.objects.create(
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start="2031-03-03T10:00Z",
        end="2031-03-03T12:00Z",
    )
    Visitor.objects.create(
        session=session, name="Келуші", question="Сұрақ", consent=first, department=korday_department
    )

    refused = admin.post(
        f"/manage/consent/{first.pk}/", {"code": first.code, "text_kk": "Өзгерген", "text_ru": "Изменённый"}
    )
    assert "publish a new version" in refused.content.decode()
    first.refresh_from_db()
    assert first.text_kk != "Өзгерген"

    response = admin.post(
        "/manage/consent/", {"code": "reception-2031", "text_kk": "Жаңа келісім", "text_ru": "Новое согласие"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    new = ConsentText.objects.get(code="reception-2031")
    assert new.is_active and not first.is_active
    desk = make_user("specialist", KORDAY)
    assert VisitorForm(user=desk, context={"session": session}).consent_text == new
    from django.utils import translation

    for language, words in (("ru", "Новое согласие"), ("kk", "Жаңа келісім")):  # the page's language
        with translation.override(language):
            form = VisitorForm(user=desk, context={"session": session})
            assert form.fields["consent_given"].help_text == words
    assert _last("consent_text.publish").object_id == str(new.pk)

    # A version nobody agreed to yet may still be corrected.
    admin.post(
        f"/manage/consent/{new.pk}/",
        {"code": new.code, "text_kk": "Түзетілген келісім", "text_ru": "Исправленное"},
    )
    new.refresh_from_db()
    assert new.text_kk == "Түзетілген келісім"
