"""Events in full (issue 13, point 5): the web form and the API edit officials with their role,
organizers, audiences with counts, topics, ethnic groups (sensitive: only for holders of the
capability) and photos; officials booked elsewhere are named before saving."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from kelisim.events.models import (
    Attachment,
    AudienceCategory,
    Event,
    EventAudience,
    EventEthnicGroup,
    EventFormat,
    EventOfficial,
    EventOrganizer,
)
from kelisim.events.services import event_create
from kelisim.registry.models import Organization, Person

KORDAY, SHU, ZHAMBYL = "314800000", "316600000", "310000000"
AT = datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def korday(territory):  # type: ignore[no-untyped-def]
    where = territory(KORDAY)
    return {
        "territory": where,
        "speaker": Person.objects.create(full_name="Асқар Ерланұлы", territory=where),
        "moderator": Person.objects.create(full_name="Гүлнар Сейітқызы", territory=where),
        "library": Organization.objects.create(type="library", name_kk="Қордай кітапханасы", territory=where),
        "house": Organization.objects.create(type="library", name_kk="Қордай мәдениет үйі", territory=where),
    }


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _page_data(**extra):  # type: ignore[no-untyped-def]
    return {
        "format": EventFormat.objects.get(code="meeting").pk,
        "title_kk": "Жастармен кездесу",
        "start": "2024-06-03T10:00",
        "end": "2024-06-03T12:00",
        "territory": "314854100",
        "venue_text": "Мәдениет үйі",
        **_management("officials", 1),
        **_management("organizers", 1),
        **extra,
    }


# The page --------------------------------------------------------------------------------------


def test_the_page_saves_officials_with_their_roles_and_organizers(korday, make_user):
    client = _signed_in(make_user("district_coordinator", KORDAY))
    response = client.post(
        "/events/new/",
        _page_data(
            **_management("officials", 2),
            **{
                "officials-0-person": korday["speaker"].pk,
                "officials-0-role": "speaker",
                "officials-1-person": korday["moderator"].pk,
                "officials-1-role": "moderator",
                "officials-1-position_kk": "Жастар орталығының директоры",
                "organizers-0-organization": korday["library"].pk,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_kk="Жастармен кездесу")
    assert set(event.officials.values_list("person__full_name", "role", "position_kk")) == {
        ("Асқар Ерланұлы", "speaker", ""),
        ("Гүлнар Сейітқызы", "moderator", "Жастар орталығының директоры"),
    }
    assert list(event.organizers.values_list("organization_id", flat=True)) == [korday["library"].pk]
    body = client.get(f"/events/{event.pk}/").content.decode()
    assert "Асқар Ерланұлы" in body and "Қордай кітапханасы" in body


def test_editing_removes_a_ticked_row_and_keeps_the_others(korday, make_user):
    user = make_user("district_coordinator", KORDAY)
    event = event_create(
        actor=user,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Кездесу",
        start=AT,
        end=AT + timedelta(hours=2),
        territory=korday["territory"],
        officials=[{"person": korday["speaker"], "role": "speaker"}, {"person": korday["moderator"]}],
        organizers=[{"organization": korday["library"]}],
    )
    client = _signed_in(user)
    form = client.get(f"/events/{event.pk}/edit/")
    assert form.status_code == 200
    officials = form.context["officials"]
    assert officials.initial_form_count() == 2 and officials.total_form_count() == 3  # one blank row
    response = client.post(
        f"/events/{event.pk}/edit/",
        _page_data(
            version=event.version,
            **_management("officials", 3, 2),
            **_management("organizers", 2, 1),
            **{
                "officials-0-person": korday["speaker"].pk,
                "officials-0-role": "speaker",
                "officials-1-person": korday["moderator"].pk,
                "officials-1-role": "official",
                "officials-1-DELETE": "on",
                "organizers-0-organization": korday["library"].pk,
                "organizers-1-organization": korday["house"].pk,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(event.officials.values_list("person_id", "role")) == [(korday["speaker"].pk, "speaker")]
    assert set(event.organizers.values_list("organization_id", flat=True)) == {
        korday["library"].pk,
        korday["house"].pk,
    }


def test_add_a_row_works_without_javascript_and_saves_nothing(korday, make_user):
    client = _signed_in(make_user("district_coordinator", KORDAY))
    response = client.post(
        "/events/new/",
        _page_data(
            title_kk="",  # not filled in yet: no error for it while only adding a row
            add_row="officials",
            **{"officials-0-person": korday["speaker"].pk, "officials-0-role": "speaker"},
        ),
    )
    assert response.status_code == 200
    assert not Event.objects.exists()
    officials = response.context["officials"]
    assert officials.total_form_count() == 2
    body = response.content.decode()
    assert 'name="officials-1-person"' in body and "field-error" not in body
    assert f'<option value="{korday["speaker"].pk}" selected>' in body  # the first row kept


def test_a_row_with_neither_person_nor_position_is_named_and_nothing_is_saved(korday, make_user):
    user = make_user("district_coordinator", KORDAY)
    user.language = "en"
    user.save()
    client = _signed_in(user)
    response = client.post(
        "/events/new/",
        _page_data(
            **_management("officials", 2),
            **{
                "officials-0-person": korday["speaker"].pk,
                "officials-0-role": "speaker",
                "officials-1-role": "moderator",
            },
        ),
    )
    assert response.status_code == 200
    assert not Event.objects.exists()
    assert response.context["row_errors"] == [
        "Officials present, row 2: Person: Choose the person or write their position."
    ]


def test_an_organizer_outside_the_users_scope_is_refused(korday, make_user, territory):
    shu_org = Organization.objects.create(type="library", name_kk="Шу кітапханасы", territory=territory(SHU))
    client = _signed_in(make_user("district_coordinator", KORDAY))
    response = client.post("/events/new/", _page_data(**{"organizers-0-organization": shu_org.pk}))
    assert response.status_code == 200 and not Event.objects.exists()
    assert "organization" in response.context["organizers"].forms[0].errors
    assert "Шу кітапханасы" not in response.content.decode()


def test_ethnic_groups_are_seen_and_edited_only_with_the_sensitive_capability(korday, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    event = event_create(
        actor=regional,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Этномәдени бірлестіктермен кездесу",
        start=AT,
        end=AT + timedelta(hours=2),
        territory=korday["territory"],
        ethnic_groups=[{"name_kk": "Дүнгендер", "name_ru": "Дунгане", "count": 40}],
    )
    district = _signed_in(make_user("district_coordinator", KORDAY))
    assert "Дүнгендер" not in district.get(f"/events/{event.pk}/").content.decode()
    form = district.get(f"/events/{event.pk}/edit/")
    assert "ethnic_groups" not in form.context and "ethnic_groups-TOTAL_FORMS" not in form.content.decode()
    # Rows posted anyway by someone without the capability change nothing.
    response = district.post(
        f"/events/{event.pk}/edit/",
        _page_data(
            title_kk="Этномәдени бірлестіктермен кездесу",
            version=event.version,
            **_management("ethnic_groups", 1),
            **{"ethnic_groups-0-name_kk": "Басқа топ"},
        ),
    )
    assert response.status_code == 302
    assert list(EventEthnicGroup.objects.values_list("name_kk", "count")) == [("Дүнгендер", 40)]

    holder = _signed_in(regional)
    assert "Дүнгендер" in holder.get(f"/events/{event.pk}/").content.decode()
    event.refresh_from_db()
    response = holder.post(
        f"/events/{event.pk}/edit/",
        _page_data(
            title_kk="Этномәдени бірлестіктермен кездесу",
            version=event.version,
            **_management("ethnic_groups", 2, 1),
            **{
                "ethnic_groups-0-name_kk": "Дүнгендер",
                "ethnic_groups-0-count": "45",
                "ethnic_groups-1-name_kk": "Күрдтер",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(EventEthnicGroup.objects.values_list("name_kk", "count")) == {
        ("Дүнгендер", 45),
        ("Күрдтер", None),
    }


def test_sensitive_audiences_are_neither_shown_nor_lost_by_a_user_without_the_capability(korday, make_user):
    probation = AudienceCategory.objects.get(code="probation")
    youth = AudienceCategory.objects.get(code="youth")
    regional = make_user("regional_coordinator", ZHAMBYL)
    event = event_create(
        actor=regional,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Кездесу",
        start=AT,
        end=AT + timedelta(hours=2),
        territory=korday["territory"],
        audiences=[(probation, 6), (youth, 20)],
    )
    district = _signed_in(make_user("district_coordinator", KORDAY))
    form = district.get(f"/events/{event.pk}/edit/")
    assert "audience_probation" not in form.context["form"].fields
    assert (
        "audience_probation" in _signed_in(regional).get(f"/events/{event.pk}/edit/").context["form"].fields
    )
    assert probation.name_kk not in district.get(f"/events/{event.pk}/").content.decode()
    response = district.post(
        f"/events/{event.pk}/edit/",
        _page_data(title_kk="Кездесу", version=event.version, audience_youth="25", audience_probation="1"),
    )
    assert response.status_code == 302
    assert set(EventAudience.objects.values_list("category__code", "count")) == {
        ("probation", 6),
        ("youth", 25),
    }


def test_an_official_booked_elsewhere_is_named_before_saving_and_saved_when_confirmed(korday, make_user):
    user = make_user("district_coordinator", KORDAY)
    other = event_create(
        actor=user,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Ақсақалдар кеңесі",
        start=AT + timedelta(minutes=30),
        end=AT + timedelta(hours=3),
        territory=korday["territory"],
        venue_text="Әкімдік",
        officials=[{"person": korday["speaker"], "role": "speaker"}],
    )
    client = _signed_in(user)
    data = _page_data(**{"officials-0-person": korday["speaker"].pk, "officials-0-role": "speaker"})
    warned = client.post("/events/new/", data)
    assert warned.status_code == 200 and Event.objects.count() == 1
    (conflict,) = warned.context["bookings"]
    assert conflict.url == f"/events/{other.pk}/"
    body = warned.content.decode()
    assert "Асқар Ерланұлы" in body and "Ақсақалдар кеңесі" in body and 'role="alert"' in body
    key = warned.context["bookings_key"]
    assert f'name="booked_anyway" value="{key}"' in body
    # A confirmation of other clashes than those shown does not count.
    assert client.post("/events/new/", {**data, "booked_anyway": "x" * 16}).status_code == 200
    assert Event.objects.count() == 1
    saved = client.post("/events/new/", {**data, "booked_anyway": key})
    assert saved.status_code == 302 and Event.objects.count() == 2


def test_a_booking_in_a_record_the_user_cannot_see_is_told_without_its_title(korday, make_user, territory):
    regional = make_user("regional_coordinator", ZHAMBYL)
    event_create(
        actor=regional,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Пробация қызметімен құпия кездесу",
        start=AT,
        end=AT + timedelta(hours=2),
        territory=korday["territory"],
        venue_text="Пробация",
        restricted=True,
        officials=[{"person": korday["speaker"], "role": "speaker"}],
    )
    client = _signed_in(make_user("district_coordinator", KORDAY))
    warned = client.post(
        "/events/new/",
        _page_data(**{"officials-0-person": korday["speaker"].pk, "officials-0-role": "speaker"}),
    )
    (conflict,) = warned.context["bookings"]
    assert conflict.hidden and not conflict.url
    assert "Пробация қызметімен" not in warned.content.decode()
    assert "Асқар Ерланұлы" in str(conflict)


def test_photos_are_uploaded_from_the_form_and_previewed_to_those_who_may_see_the_event(
    korday, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = make_user("district_coordinator", KORDAY)
    event = event_create(
        actor=user,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Кездесу",
        start=AT,
        end=AT + timedelta(hours=1),
        territory=korday["territory"],
    )
    client = _signed_in(user)
    assert (
        f'action="/events/{event.pk}/attachments/"'
        in client.get(f"/events/{event.pk}/edit/").content.decode()
    )
    back = client.post(
        f"/events/{event.pk}/attachments/", {"file": SimpleUploadedFile("сурет.png", PNG), "next": "edit"}
    )
    assert back.status_code == 302 and back.url == f"/events/{event.pk}/edit/"
    client.post(f"/events/{event.pk}/attachments/", {"file": SimpleUploadedFile("хаттама.pdf", PDF)})
    photo = Attachment.objects.get(content_type="image/png")
    document = Attachment.objects.get(content_type="application/pdf")
    for page in (f"/events/{event.pk}/", f"/events/{event.pk}/edit/"):
        body = client.get(page).content.decode()
        assert f'src="/attachments/{photo.pk}/preview/"' in body, page
        assert f"/attachments/{document.pk}/preview/" not in body and "хаттама.pdf" in body, page
    preview = client.get(f"/attachments/{photo.pk}/preview/")
    assert preview.status_code == 200 and b"".join(preview.streaming_content) == PNG
    assert preview["Content-Type"] == "image/png" and preview["Content-Disposition"] == "inline"
    assert client.get(f"/attachments/{document.pk}/preview/").status_code == 404
    shu = _signed_in(make_user("district_coordinator", SHU))
    assert shu.get(f"/attachments/{photo.pk}/preview/").status_code == 404


# The API ---------------------------------------------------------------------------------------


def _api_body(korday, **extra):  # type: ignore[no-untyped-def]
    return {
        "format": "meeting",
        "title_kk": "Жастармен кездесу",
        "start": "2024-06-03T10:00:00+05:00",
        "end": "2024-06-03T12:00:00+05:00",
        "territory": "314854100",
        "topics": ["interethnic_accord"],
        "audiences": [{"category": "youth", "count": 25}],
        "officials": [
            {"person": korday["speaker"].pk, "role": "speaker"},
            {"role": "official", "position_kk": "Аудан әкімінің орынбасары"},
        ],
        "organizers": [{"organization": korday["library"].pk}],
        **extra,
    }


def test_the_api_takes_officials_organizers_audiences_topics_and_ethnic_groups(korday, make_user):
    client = _api(make_user("regional_coordinator", ZHAMBYL))
    created = client.post(
        "/api/v1/events/",
        _api_body(korday, ethnic_groups=[{"name_kk": "Дүнгендер", "count": 40}]),
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [(o["person"], o["name"], o["role"]) for o in body["officials"]] == [
        (korday["speaker"].pk, "Асқар Ерланұлы", "speaker"),
        (None, "", "official"),
    ]
    assert body["organizers"] == [{"organization": korday["library"].pk, "department": None}]
    assert body["ethnic_groups"] == [{"name_kk": "Дүнгендер", "name_ru": "", "count": 40}]
    assert body["topics"] == ["interethnic_accord"] and body["audiences"] == [
        {"category": "youth", "count": 25}
    ]
    event = Event.objects.get(pk=body["id"])
    assert event.officials.count() == 2 and EventOrganizer.objects.filter(event=event).count() == 1
    # A list sent again replaces the one held.
    changed = client.patch(
        f"/api/v1/events/{event.pk}/",
        {"officials": [{"person": korday["moderator"].pk, "role": "moderator"}], "version": event.version},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert list(EventOfficial.objects.filter(event=event).values_list("person_id", "role")) == [
        (korday["moderator"].pk, "moderator")
    ]


def test_without_the_sensitive_capability_ethnic_groups_are_null_and_refused(korday, make_user):
    regional = make_user("regional_coordinator", ZHAMBYL)
    event = event_create(
        actor=regional,
        format=EventFormat.objects.get(code="meeting"),
        title_kk="Кездесу",
        start=AT,
        end=AT + timedelta(hours=1),
        territory=korday["territory"],
        ethnic_groups=[{"name_kk": "Дүнгендер", "count": 40}],
        audiences=[(AudienceCategory.objects.get(code="probation"), 6)],
    )
    district = _api(make_user("district_coordinator", KORDAY))
    read = district.get(f"/api/v1/events/{event.pk}/").json()
    assert read["ethnic_groups"] is None and read["audiences"] == []
    before = Event.objects.count()
    refused = district.post(
        "/api/v1/events/", _api_body(korday, ethnic_groups=[{"name_kk": "Күрдтер"}]), format="json"
    )
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["ethnic_groups"]
    refused = district.post(
        "/api/v1/events/", _api_body(korday, audiences=[{"category": "probation", "count": 3}]), format="json"
    )
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["audiences"]
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"officals": []}, ["officals"]),
        ({"officials": [{"person": None, "nme": "Асқар"}]}, ["officials"]),
        ({"organizers": [{"organization": None, "department": None}]}, ["organizers"]),
    ],
    ids=["misspelt-field", "misspelt-row-field", "organizer-of-neither-kind"],
)
def test_the_api_names_a_field_it_does_not_take_and_saves_nothing(korday, make_user, change, named):
    client = _api(make_user("district_coordinator", KORDAY))
    response = client.post("/api/v1/events/", _api_body(korday, **change), format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == named
    if "officials" in change:
        assert "nme" in fields["officials"]["0"]
    assert not Event.objects.exists()
