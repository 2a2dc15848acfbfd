"""The search examples of the issue, on whichever database the suite runs on, and its scope."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from kelisim.events.models import Event, EventFormat
from kelisim.search.indexing import rebuild
from kelisim.search.selectors import search

KORDAY, SHU = "314800000", "316600000"


@pytest.fixture
def indexed(seed_visit, territory):  # type: ignore[no-untyped-def]
    meeting = EventFormat.objects.get(code="meeting")
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    texts = [
        ("Ауданында өткен кездесу", "Мәтін"),
        ("Аудандағы жастар форумы", "Мәтін"),
        ("Аудандық кітапхана күні", "Мәтін"),
        ("Келісімді нығайту", "Мәтін"),
        ("Келісімнің мәні туралы дәріс", "Мәтін"),
        ("Встреча в районе", "Текст"),
        ("Семинар в районах области", "Текст"),
    ]
    for title, summary in texts:
        Event.objects.create(
            format=meeting,
            title_kk=title,
            summary_kk=summary,
            start=template.start,
            end=template.end,
            territory=territory(KORDAY),
        )
    rebuild()
    return seed_visit


def _titles(user, query):  # type: ignore[no-untyped-def]
    return [str(h.title) for h in search(user=user, query=query, limit=200)[1]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("аудан", ["Ауданында", "Аудандағы", "Аудандық"]),
        ("келісім", ["Келісімді", "Келісімнің"]),
        ("район", ["районе", "районах"]),
    ],
)
def test_a_word_finds_its_inflected_forms(indexed, make_user, query, expected):
    titles = " ".join(_titles(make_user("regional_coordinator", "310000000"), query))
    for form in expected:
        assert form in titles, (query, form)
    assert "<mark>" in titles


def test_results_are_ranked_and_highlighted_through_the_api(indexed, make_user):
    client = APIClient()
    client.force_authenticate(make_user("regional_coordinator", "310000000"))
    body = client.get("/api/v1/search/", {"q": "карнавал"}).json()
    assert body["count"] >= 1
    first = body["results"][0]
    assert set(first) >= {"type", "id", "title", "snippet"} and first["type"] == "event"
    assert "<mark>карнавал" in first["title"].lower() or "<mark>" in first["snippet"]
    assert client.get("/api/v1/search/", {"q": " "}).status_code == 400


def test_a_restricted_event_is_never_found_without_the_capability(indexed, make_user):
    restricted = Event.objects.get(visit=indexed, restricted=True)
    word = "пробация"
    district = make_user("district_coordinator", KORDAY)
    regional = make_user("regional_coordinator", "310000000")
    assert restricted.pk in [
        h.id for h in search(user=regional, query=word, limit=50)[1] if h.type == "event"
    ]
    _total, hits = search(user=district, query=word, limit=50)
    assert restricted.pk not in [h.id for h in hits if h.type == "event"]
    page = Client()
    page.force_login(district)
    assert restricted.title_kk[:20] not in page.get("/search/", {"q": word}).content.decode()


def test_another_districts_user_finds_nothing_of_korday(indexed, make_user):
    from kelisim.search.models import SearchDocument

    shu = make_user("district_coordinator", SHU)
    assert search(user=shu, query="карнавал")[0] == 0
    korday = set(
        SearchDocument.objects.filter(territory_path__contains=f"{KORDAY}/").values_list("kind", "object_id")
    )
    total, hits = search(user=shu, query="аудан", limit=200)
    assert korday and not {(h.type, h.id) for h in hits} & korday
    assert total == len(hits)  # the demo's Shu records, and none of Korday's


def test_the_index_follows_every_write(seed_visit, make_user, territory, django_capture_on_commit_callbacks):
    meeting = EventFormat.objects.get(code="meeting")
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    user = make_user("regional_coordinator", "310000000")
    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.create(
            format=meeting,
            title_kk="Домбырашылар кеші",
            start=template.start,
            end=template.end,
            territory=territory(KORDAY),
        )
    assert _titles(user, "домбырашылар")
    with django_capture_on_commit_callbacks(execute=True):
        event.title_kk = "Күйшілер кеші"
        event.save()
    assert not _titles(user, "домбырашылар") and _titles(user, "күйшілер")
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert not _titles(user, "күйшілер")


_SPELLING_TITLES = {
    "Қордай": ["Қордай ауданындағы кездесу", "Встреча в Кордайском районе", "Кордай ауылында дөңгелек үстел"],
    "Сортөбе": ["Сортөбе ауылдық округінде семинар", "Семинар в селе Сортобе"],
    "Ауқатты": ["Ауқатты ауылындағы той", "Праздник в Аухаттинском сельском округе"],
}


@pytest.mark.parametrize(
    ("kazakh", "russian"), [("Қордай", "Кордай"), ("Сортөбе", "Сортобе"), ("Ауқатты", "Аухатты")]
)
def test_a_name_in_kazakh_or_russian_spelling_finds_the_same_records(
    seed_visit, make_user, territory, kazakh, russian
):
    meeting = EventFormat.objects.get(code="meeting")
    template = Event.objects.filter(visit=seed_visit, restricted=False).first()
    events = {}
    for titles in _SPELLING_TITLES.values():
        for title in titles:
            events[title] = Event.objects.create(
                format=meeting,
                title_kk=title,
                start=template.start,
                end=template.end,
                territory=territory(KORDAY),
            )
    rebuild()
    user = make_user("regional_coordinator", "310000000")
    found_kk = {h.id for h in search(user=user, query=kazakh, limit=200)[1] if h.type == "event"}
    found_ru = {h.id for h in search(user=user, query=russian, limit=200)[1] if h.type == "event"}
    assert found_kk == found_ru
    # Every record written with either spelling, or as a Russian adjective, is among them.
    assert {events[t].pk for t in _SPELLING_TITLES[kazakh]} <= found_kk
