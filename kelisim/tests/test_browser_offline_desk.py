"""The offline reception desk in a phone's browser: with the network cut, three walk-ins registered
as appeals wait on the device, survive a reload, and are stored once each when the network
returns, with the numbers and due dates the server gives."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kelisim.accounts.models import Department
from kelisim.appeals.models import Appeal, ReceptionSession, Visitor

from .conftest import sign_in

pytestmark = pytest.mark.browser

NAMES = ["Сәуле Демоқызы", "Ерлан Бекұлы", "Айгүл Сейітқызы"]


def _reception_now(territory, department=None):  # type: ignore[no-untyped-def]
    """A reception of a Korday department, open from an hour ago for three hours."""
    department = department or Department.objects.create(
        code="korday_land", name_kk="Жер бөлімі", name_ru="Земельный отдел", territory=territory("314800000")
    )
    start = datetime.now(ZoneInfo("Asia/Almaty")).replace(minute=0, second=0, microsecond=0)
    return ReceptionSession.objects.create(
        department=department,
        territory=territory("314800000"),
        place="Әкімдік",
        start=start - timedelta(hours=1),
        end=start + timedelta(hours=3),
    )


def _specialist(make_user):  # type: ignore[no-untyped-def]
    specialist = make_user("specialist", "314800000")
    specialist.language = "en"
    specialist.save()
    return specialist


@pytest.fixture
def offline_phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="en-US",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    context.set_default_timeout(15_000)
    yield context, context.new_page()
    context.close()


def test_three_appeals_written_offline_survive_a_reload_and_are_stored_once_when_the_network_returns(
    live_server, offline_phone, make_user, territory
):
    context, phone = offline_phone
    base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context: workers and WebCrypto
    department = Department.objects.create(
        code="korday_culture",
        name_kk="Мәдениет бөлімі",
        name_ru="Отдел культуры",
        territory=territory("314800000"),
    )
    specialist = _specialist(make_user)
    session = _reception_now(territory, department)
    desk = f"{base}/receptions/{session.pk}/"

    sign_in(phone, base, specialist.username)
    phone.goto(desk)
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    for name in NAMES:
        expect(phone.locator("#id_appeal_type")).to_be_hidden()  # asked only for an appeal
        phone.fill("#id_name", name)
        phone.fill("#id_question", f"{name}: клуб туралы")
        phone.check("#id_consent_given")
        phone.select_option("#id_outcome_now", "appeal")
        phone.select_option("#id_appeal_type", "statement")
        phone.click("#visitor-form button[type=submit]")
        expect(phone.locator("#offline-queue [data-list] li", has_text=name)).to_contain_text("P-")
    queue = phone.locator("#offline-queue")
    expect(queue.locator("[data-count]")).to_have_text("3")
    assert not Visitor.objects.exists()

    phone.reload()
    expect(phone.locator("h1")).to_have_text("Reception desk")
    expect(queue).to_have_attribute("data-copy", "")  # the copy kept on the device answered
    expect(queue.locator("[data-count]")).to_have_text("3")
    for name in NAMES:
        expect(queue.locator("li", has_text=name)).to_contain_text("Waiting to send")
    # Offline, the resident still leaves with a receipt: its provisional reference stands for the number.
    first = queue.locator("li", has_text=NAMES[0])
    reference = first.locator(".offline-state").inner_text().rsplit(": ", 1)[-1].strip()
    assert reference.startswith("P-")
    first.get_by_role("button", name="Provisional receipt").click()
    sheet = phone.get_by_role("dialog", name="Provisional receipt")
    expect(sheet).to_contain_text(reference)
    expect(sheet).to_contain_text("Reception desk")
    expect(sheet).to_contain_text("given when this entry reaches the server")
    sheet.get_by_role("button", name="Close").click()
    expect(sheet).to_have_count(0)
    # What the device keeps is sealed: no name is readable in IndexedDB.
    stored = phone.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("kelisim-desk", 1);
            open.onsuccess = () => {
                const all = open.result.transaction("entries").objectStore("entries").getAll();
                all.onsuccess = () => {
                    const rows = all.result.map((e) => JSON.stringify(e) + new TextDecoder().decode(e.data));
                    open.result.close();
                    resolve(rows.join("\\n"));
                };
            };
        })"""
    )
    assert stored.count("client_id") == 3 and not any(name in stored for name in NAMES)
    assert not Visitor.objects.exists()

    context.set_offline(False)
    expect(queue.locator("[data-count]")).to_have_text("0")
    appeals = Appeal.objects.select_related("visitor").order_by("number")
    assert sorted(a.visitor.name for a in appeals) == sorted(NAMES)
    for appeal in appeals:
        assert appeal.number and appeal.due_date and appeal.visitor.client_id is not None
        expect(queue.locator("li", has_text=appeal.visitor.name)).to_contain_text(appeal.number)
        expect(
            queue.locator("li", has_text=appeal.visitor.name).locator("a.offline-receipt")
        ).to_have_attribute("href", f"/appeals/{appeal.pk}/receipt/")

    # The same three sent again (an answer lost on the way): each is accepted and stored once.
    token = phone.locator("#visitor-form input[name=csrfmiddlewaretoken]").input_value()
    entries = [
        {
            "client_id": str(a.visitor.client_id),
            "session": session.pk,
            "made_at": datetime.now(ZoneInfo("Asia/Almaty")).isoformat(),
            "fields": {"name": a.visitor.name, "question": "?", "department": str(department.pk)},
        }
        for a in appeals
    ]
    again = phone.request.post(
        f"{base}/receptions/offline-sync/",
        data={"entries": entries},
        headers={"X-CSRFToken": token, "Referer": desk},
    )
    results = again.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert [r["appeal"]["number"] for r in results] == [a.number for a in appeals]
    assert Visitor.objects.count() == 3 and Appeal.objects.count() == 3


def test_signing_out_asks_before_erasing_unsent_entries_and_erases_them_when_told(
    live_server, offline_phone, make_user, territory
):
    context, phone = offline_phone
    base = live_server.url.replace("127.0.0.1", "localhost")
    specialist = _specialist(make_user)
    session = _reception_now(territory)
    sign_in(phone, base, specialist.username)
    phone.goto(f"{base}/receptions/{session.pk}/")
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    context.set_offline(True)
    phone.fill("#id_name", NAMES[0])
    phone.fill("#id_question", "Жер туралы")
    phone.check("#id_consent_given")
    phone.click("#visitor-form button[type=submit]")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("1")
    # The server refuses it (the reception was removed meanwhile): the entry stays, marked.
    ReceptionSession.objects.filter(pk=session.pk).delete()
    context.set_offline(False)
    entry = phone.locator("#offline-queue li", has_text=NAMES[0])
    expect(entry).to_contain_text("Not accepted — resolve it")
    expect(entry).to_contain_text("This reception is not found or is outside your scope.")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("1")

    asked: list[str] = []

    def answer(dialog, accept):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    phone.once("dialog", lambda d: answer(d, False))
    phone.locator("#menu summary").click()
    phone.click("form[data-logout] button")
    phone.wait_for_timeout(500)
    assert asked and "not been sent" in asked[0]
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("1")  # still signed in, kept

    phone.once("dialog", lambda d: answer(d, True))
    phone.click("form[data-logout] button")
    phone.wait_for_url(lambda url: "/receptions/" not in url)
    expect(phone.locator("form[data-logout]")).to_have_count(0)  # signed out
    left = phone.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("kelisim-desk", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("entries", {keyPath: "client_id"});
            open.onsuccess = () => {
                const all = open.result.transaction("entries").objectStore("entries").count();
                all.onsuccess = () => { open.result.close(); resolve(all.result); };
            };
        })"""
    )
    assert left == 0 and phone.evaluate("caches.keys()") == []
    assert len(asked) == 2


def test_a_registration_whose_request_fails_joins_the_queue_and_is_stored_once(
    live_server, offline_phone, make_user, territory
):
    _context, phone = offline_phone
    base = live_server.url.replace("127.0.0.1", "localhost")
    specialist = _specialist(make_user)
    session = _reception_now(territory)
    desk = f"{base}/receptions/{session.pk}/"
    sign_in(phone, base, specialist.username)
    phone.goto(desk)
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    phone.route(desk, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    phone.route(f"{base}/receptions/offline-sync/", lambda route: route.abort())
    phone.fill("#id_name", NAMES[1])
    phone.fill("#id_question", "Жол туралы")
    phone.check("#id_consent_given")
    phone.click("#visitor-form button[type=submit]")
    entry = phone.locator("#offline-queue li", has_text=NAMES[1])
    expect(entry).to_contain_text("Waiting to send")
    assert not Visitor.objects.exists()
    phone.unroute_all()
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("0")
    visitor = Visitor.objects.get()
    assert visitor.name == NAMES[1] and visitor.client_id is not None
    expect(entry).to_contain_text("Sent")


def test_entries_kept_when_the_session_ended_offline_are_sent_after_signing_in_again(
    live_server, offline_phone, make_user, territory
):
    context, phone = offline_phone
    base = live_server.url.replace("127.0.0.1", "localhost")
    specialist = _specialist(make_user)
    session = _reception_now(territory)
    desk = f"{base}/receptions/{session.pk}/"
    sign_in(phone, base, specialist.username)
    phone.goto(desk)
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    context.set_offline(True)
    phone.fill("#id_name", NAMES[2])
    phone.fill("#id_question", "Су туралы")
    phone.check("#id_consent_given")
    phone.click("#visitor-form button[type=submit]")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("1")
    # The session ends while the network is gone, then the desk is closed with the entry unsent.
    # (Cookies first: Chromium lets a request of a page being left through its offline emulation.)
    context.clear_cookies()
    phone.goto("about:blank")
    context.set_offline(False)
    assert not Visitor.objects.exists()

    sign_in(phone, base, specialist.username)  # a new session, with a new key
    phone.goto(desk)
    # Re-sealed under the new session's key and sent: the entry shows as sent, and the server has it.
    expect(phone.locator("#offline-queue li").first).to_contain_text("Sent")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("0")
    assert Visitor.objects.get().name == NAMES[2]


def test_a_shared_device_keeps_each_specialists_entries_to_them(
    live_server, offline_phone, make_user, territory
):
    """Two specialists on one tablet: the second never sends (nor reads) what the first wrote down
    offline; the first's entry waits, and is sent under their name when they sign in again."""
    from kelisim.core.models import AuditEntry

    context, phone = offline_phone
    base = live_server.url.replace("127.0.0.1", "localhost")
    first, second = _specialist(make_user), _specialist(make_user)
    session = _reception_now(territory)
    desk = f"{base}/receptions/{session.pk}/"
    sign_in(phone, base, first.username)
    phone.goto(desk)
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    context.set_offline(True)
    phone.fill("#id_name", NAMES[0])
    phone.fill("#id_question", "Жер туралы")
    phone.check("#id_consent_given")
    phone.click("#visitor-form button[type=submit]")
    expect(phone.locator("#offline-queue [data-count]")).to_have_text("1")
    context.clear_cookies()  # the first specialist's session ends with the entry unsent
    phone.goto("about:blank")
    context.set_offline(False)

    sign_in(phone, base, second.username)
    phone.goto(desk)
    expect(phone.locator("html[data-offline-ready]")).to_have_count(1)
    entry = phone.locator("#offline-queue li").first
    expect(entry).to_contain_text("another specialist")
    expect(entry).not_to_contain_text(NAMES[0])
    phone.wait_for_timeout(1000)  # a sync would have run on load
    assert not Visitor.objects.exists()

    context.clear_cookies()
    sign_in(phone, base, first.username)
    phone.goto(desk)
    expect(phone.locator("#offline-queue li").first).to_contain_text("Sent")
    visitor = Visitor.objects.get()
    assert visitor.name == NAMES[0]
    assert AuditEntry.objects.filter(object_id=str(visitor.pk), actor=first).exists()
    assert not AuditEntry.objects.filter(object_id=str(visitor.pk), actor=second).exists()
