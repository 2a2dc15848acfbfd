import datetime

import pytest
from django.utils import formats, translation

from kelisim.accounts.models import User


@pytest.mark.django_db
def test_home_page_is_kazakh_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "kk"
    assert '<html lang="kk">' in response.content.decode()
    assert "Кіру" in response.content.decode()  # "Sign in"


def test_switching_language_is_remembered_for_the_user(client, make_user):
    user = make_user("viewer", "314800000")
    client.force_login(user)
    client.post("/language/", {"language": "ru", "next": "/"})
    user.refresh_from_db()
    assert user.language == "ru"
    fresh = client.__class__()
    fresh.force_login(user)  # another browser, no cookie: the saved choice still holds
    assert fresh.get("/")["Content-Language"] == "ru"


def test_language_switch_refuses_foreign_redirects(client, zhambyl):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/")["Content-Language"] == "en"


def test_kazakh_formats_module():
    day = datetime.date(2023, 5, 12)
    with translation.override("kk"):
        assert formats.date_format(day) == "2023 жылғы 12 мамыр"
        assert (
            formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1\xa0234,5"
        )
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.django_db
def test_user_model_is_the_projects(django_user_model):
    assert django_user_model is User
