"""Every page of every role on a 390×844 phone, in Kazakh, Russian and English: nothing scrolls
sideways, the collapsed header is at most 80 px high, and every menu link answers 200.

One browser, one context per role, no sleeps: each page is measured once it has loaded.
"""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from kelisim.accounts.models import User
from kelisim.tests.pages import deep_pages
from kelisim.tests.raw_values import raw_values, visible_text

pytestmark = pytest.mark.browser

PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LANGUAGES = ("kk", "ru", "en")
DEMO = (
    "admin",
    "coordinator.zhambyl",
    "coordinator.korday",
    "specialist.korday",
    "analyst.zhambyl",
    "press.zhambyl",
)

MEASURE = """() => {
  const header = document.querySelector("header.top");
  return {
    scrollWidth: document.documentElement.scrollWidth,
    header: header ? header.getBoundingClientRect().height : 0,
    lang: document.documentElement.lang,
    menu: Array.from(document.querySelectorAll("header nav a")).map(a => a.getAttribute("href")),
  };
}"""


def _signed_in_context(browser, base_url: str, user: User, **options: Any):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-US", **(options or PHONE))
    context.set_default_timeout(15_000)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context


def test_every_page_of_every_role_fits_a_phone_in_three_languages(
    live_server, browser, seed_visit, make_user
):
    users = {name: User.objects.get(username=name) for name in DEMO}
    users["viewer"] = make_user("viewer", "314800000")
    logins = set(User.objects.values_list("username", flat=True))
    deep = deep_pages(seed_visit)
    problems: list[str] = []
    visited = 0
    for name, user in users.items():
        context = _signed_in_context(browser, live_server.url, user)
        page = context.new_page()
        for language in LANGUAGES:
            User.objects.filter(pk=user.pk).update(language=language)
            page.goto(f"{live_server.url}/")
            menu = page.evaluate(MEASURE)["menu"]
            assert menu, (name, language)
            # The pages behind the menu look the same whoever opens them: the administrator, who
            # may open them all, tries them (keeps the run to about a minute and a half).
            for url in ["/", *menu, *(deep if name == "admin" else [])]:
                response = page.goto(f"{live_server.url}{url}")
                status = response.status if response else 0
                if url in menu and status != 200:
                    problems.append(f"{name} {language} {url}: a menu link answers {status}")
                if status not in (200, 404):
                    continue
                visited += 1
                seen = page.evaluate(MEASURE)
                if seen["scrollWidth"] > 390:
                    problems.append(f"{name} {language} {url}: {seen['scrollWidth']} px wide")
                if url.endswith("/receipt/"):
                    continue  # the receipt is a page of its own, made to be printed
                if seen["header"] > 80:
                    problems.append(f"{name} {language} {url}: header {seen['header']:.0f} px")
                if seen["lang"] != language:
                    problems.append(f"{name} {language} {url}: the page is in {seen['lang']}")
                if language != "en":
                    text = visible_text(page.content())
                    problems += [f"{name} {language} {url}: {found}" for found in raw_values(text, logins)]
        context.close()
    assert not problems, "\n".join(problems)
    assert visited > 250


def test_anonymous_pages_fit_a_phone(live_server, browser, db):
    context = browser.new_context(locale="en-US", **PHONE)
    page = context.new_page()
    for language in LANGUAGES:
        context.add_cookies([{"name": "kelisim_language", "value": language, "url": live_server.url}])
        for url in ("/", "/accounts/login/", "/no-such-page/"):
            page.goto(f"{live_server.url}{url}")
            seen = page.evaluate(MEASURE)
            assert seen["scrollWidth"] <= 390 and seen["header"] <= 80 and seen["lang"] == language, (
                url,
                seen,
            )
    context.close()


def test_the_phone_menu_opens_as_a_panel_with_the_language_switch_inside(live_server, browser, make_user):
    user = make_user("district_coordinator", "314800000")
    context = _signed_in_context(browser, live_server.url, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/visits/")
    visits = page.locator(".menu__links a[href='/visits/']")
    expect(visits).to_be_hidden()
    expect(page.locator("header .search-link")).to_be_visible()
    page.click(".menu__button")
    expect(visits).to_be_visible()
    expect(visits).to_have_attribute("aria-current", "page")
    box = visits.bounding_box()
    assert box is not None and box["height"] >= 44  # a touch target
    page.keyboard.press("Escape")
    expect(visits).to_be_hidden()
    page.click(".menu__button")
    page.select_option("#lang-select", "ru")
    page.click(".lang button")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Выезды")
    context.close()


def test_on_a_wide_screen_the_menu_is_a_bar_without_a_click(live_server, browser, make_user):
    user = make_user("district_coordinator", "314800000")
    context = _signed_in_context(browser, live_server.url, user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator(".menu__links a[href='/visits/']")).to_be_visible()
    expect(page.locator(".menu__button")).to_be_hidden()
    expect(page.locator("header .top-search input")).to_be_visible()
    context.close()


def test_on_a_phone_a_table_becomes_cards_labelled_by_their_column(live_server, browser, seed_visit):
    context = _signed_in_context(browser, live_server.url, User.objects.get(username="coordinator.zhambyl"))
    page = context.new_page()
    User.objects.filter(username="coordinator.zhambyl").update(language="en")
    page.goto(f"{live_server.url}/appeals/")
    cell = page.locator("main table.table tbody tr >> nth=0").locator("td >> nth=1")
    heading = page.locator("main table.table thead th >> nth=1").inner_text()
    expect(cell).to_have_attribute("data-label", heading)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == f'"{heading}"'
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    context.close()


def test_a_form_with_errors_starts_with_a_summary_that_takes_the_focus(live_server, browser, make_user):
    user = make_user("district_coordinator", "314800000")
    User.objects.filter(pk=user.pk).update(language="en")
    context = _signed_in_context(browser, live_server.url, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/new/")
    page.click("main form button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    first = summary.locator("a").first
    target = first.get_attribute("href")
    assert target and target.startswith("#id_")
    field = page.locator(target)
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{target[1:]}_error" in described and page.locator(f"#{target[1:]}_error").count() == 1
    first.click()
    expect(field).to_be_focused()
    context.close()


def test_printed_pages_drop_the_header_and_keep_tables_black_on_white(live_server, browser, seed_visit):
    from kelisim.appeals.models import Appeal

    user = User.objects.get(username="coordinator.zhambyl")
    context = _signed_in_context(browser, live_server.url, user)
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/appeals/")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    cell = page.locator("main table.table tbody td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"  # a table again, not cards
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") in ("none", "normal")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.goto(f"{live_server.url}/appeals/{Appeal.objects.order_by('pk').first().pk}/receipt/")
    expect(page.locator(".no-print")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    context.close()


def test_the_public_pages_fit_a_phone_in_kazakh_and_russian(live_server, browser, seed_visit, make_user):
    """What residents open from a poster's QR code, on their own phones: the visit's programme,
    the poster itself and the status lookup, without sideways scrolling or a raw value."""
    from kelisim.programs.services import visit_set_public

    visit = visit_set_public(
        actor=make_user("regional_coordinator", "310000000"), visit=seed_visit, public=True
    )
    context = browser.new_context(locale="en-US", **PHONE)
    page = context.new_page()
    for language in ("kk", "ru"):
        context.add_cookies([{"name": "kelisim_language", "value": language, "url": live_server.url}])
        for url in (f"/p/{visit.public_slug}/", f"/p/{visit.public_slug}/poster/", "/status/"):
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, url
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (language, url, width)
            assert page.evaluate("document.documentElement.lang") == language
            assert raw_values(visible_text(page.content()), set()) == [], (language, url)
    context.close()
