import pytest
from django.urls import reverse

from kelisim.territories.selectors import territory_search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("сортөбе", "314854000"),
        ("СОРТӨБЕ", "314854000"),
        ("Сортобинский", "314854000"),
        ("3148541", "314854100"),
    ],
)
def test_search_finds_units_by_kazakh_or_russian_name_in_any_case_or_by_code(zhambyl, query, expected):
    assert expected in [t.code for t in territory_search(query)]


def test_search_of_nothing_finds_nothing(zhambyl):
    assert territory_search("   ") == []
    assert territory_search("жоқ-мұндай-жер") == []


def test_picker_options_answer_signed_in_users_only(client, make_user):
    url = reverse("territory-picker-options") + "?territory_q=ауқатты"
    assert client.get(url).status_code == 302
    client.force_login(make_user(None))
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="314833000"' in response.content.decode()


def test_browse_page_shows_results_with_links(client, make_user):
    client.force_login(make_user("viewer", "314800000"))
    body = client.get(reverse("territory-browse") + "?q=қордай").content.decode()
    assert "/t/314800000/" in body and "Қордай ауданы" in body
