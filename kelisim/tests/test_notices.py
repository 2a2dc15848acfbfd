"""Notices to applicants, end to end: a real SMTP server (aiosmtpd) and a local HTTP server standing
in for the SMS gateway receive every kind of notice, in the applicant's language."""

import json
import logging
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kelisim.appeals import services
from kelisim.appeals.models import Appeal
from kelisim.core.models import AuditEntry
from kelisim.notices import services as notices
from kelisim.notices.models import Notice, NoticePreference, NoticeTemplate
from kelisim.notices.texts import date_words

KORDAY = "314800000"
EMAIL, PHONE = "aigul@example.kz", "+7 701 123 45 67"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=default_policy)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[_Inbox]:
    """A real SMTP server on a free local port; Django's SMTP backend is pointed at it."""
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


class _Gateway:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: list[int] = []  # answers to give, in order; 200 once they run out


@pytest.fixture
def gateway(settings: Any) -> Iterator[_Gateway]:
    """An HTTP server in a thread standing in for the SMS gateway."""
    state = _Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.received.append({"auth": self.headers.get("Authorization"), **body})
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KELISIM_SMS_BACKEND = "http"
    settings.KELISIM_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.KELISIM_SMS_TOKEN, settings.KELISIM_SMS_TIMEOUT = "test-token", 5
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def actor(make_user):  # type: ignore[no-untyped-def]
    user = make_user("specialist", KORDAY)
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _register(actor, territory, department, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "type": Appeal.Type.STATEMENT,
        "channel": Appeal.Channel.WRITTEN,
        "applicant_name": "Айгүл Демоқызы",
        "applicant_contact": "+7 700 000 0001",
        "territory": territory(KORDAY),
        "department": department,
        "text": "Ауыз су құбырын жөндеу туралы.",
        **extra,
    }
    return services.appeal_register(actor=actor, **fields)


def _text(message: Message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[attr-defined]


def test_dates_in_words_for_each_language():
    assert date_words(date(2026, 12, 15), "kk") == "2026 жылғы 15 желтоқсан"
    assert date_words(date(2026, 12, 15), "ru") == "15 декабря 2026 года"


def test_every_kind_reaches_the_smtp_server_and_the_gateway_in_kazakh(
    smtp, gateway, actor, territory, korday_department, client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor,
            territory,
            korday_department,
            notice_consent=True,
            notice_email=EMAIL,
            notice_phone=PHONE,
            notice_language="kk",
        )
    # Registration: one e-mail, one SMS, in Kazakh, with the number and the due date in words.
    assert len(smtp.messages) == 1 and len(gateway.received) == 1
    mail, sms = smtp.messages[0], gateway.received[0]
    assert (
        mail["X-Envelope-To"] == EMAIL
        and mail["Subject"].strip() == f"Өтінішіңіз тіркелді: № {appeal.number}"
    )
    due_kk = date_words(appeal.due_date, "kk")
    assert f"Тіркеу нөмірі: {appeal.number}." in _text(mail) and f"Жауап беру мерзімі: {due_kk}." in _text(
        mail
    )
    # The public status lookup's address and the receipt's code, to follow the appeal without asking.
    assert f"/status/ мекенжайында тіркеу нөмірі мен {appeal.public_code} кодымен" in _text(mail)
    assert sms == {
        "auth": "Bearer test-token",
        "to": "+77011234567",
        "text": f"Өтінішіңіз тіркелді, № {appeal.number}. Жауап беру мерзімі: {due_kk}.",
    }

    # Extension: the reason and the new date, sent at once; the day told is recorded.
    appeal = services.appeal_assign(actor=actor, appeal=appeal, lead_executor=actor)
    until = appeal.due_date + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_extend(actor=actor, appeal=appeal, until=until, reason="Сараптама керек")
    assert "Жаңа мерзім: " + date_words(until, "kk") in _text(smtp.messages[1])
    assert "Себебі: Сараптама керек" in _text(smtp.messages[1])
    assert gateway.received[1]["text"].endswith("Себебі: Сараптама керек")
    appeal.refresh_from_db()
    assert appeal.applicant_told_on == timezone.localdate()

    # Answer: the answer's text.
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_answer(actor=actor, appeal=appeal, answer="Құбыр жөнделді.")
    assert smtp.messages[2]["Subject"].strip() == f"№ {appeal.number} өтінішіңізге жауап"
    assert "Құбыр жөнделді." in _text(smtp.messages[2])
    # The SMS says the answer is given, never what it says: it passes a third party's gateway.
    assert gateway.received[2]["text"].startswith(
        f"№ {appeal.number} өтінішіңізге жауап берілді. Мәртебесі: http"
    )
    assert "Құбыр" not in gateway.received[2]["text"] and appeal.public_code in gateway.received[2]["text"]
    assert "/feedback/" in gateway.received[2]["text"] and "/feedback/" in _text(smtp.messages[2])

    rows = Notice.objects.filter(appeal=appeal)
    assert rows.count() == 6
    assert {(n.kind, n.status, n.attempts) for n in rows} == {
        (kind, Notice.Status.SENT, 1) for kind in ("registered", "extended", "answered")
    }
    assert all(n.sent_at for n in rows)

    # The appeal's history shows each notice with its delivery status in words.
    client.force_login(actor)
    page = client.get(reverse("appeal-detail", args=[appeal.pk])).content.decode()
    for kind in ("registration", "extension", "answer"):
        for channel in ("e-mail", "SMS"):
            assert (
                f"Notice to the applicant ({kind}, {channel}): delivered to the mail server or SMS gateway"
                in page
            )

    # The page names the channels and the language of the notices, not the addresses again.
    assert "e-mail, SMS · Kazakh · consent given" in page

    # No address or phone in the audit or the log.
    audit = json.dumps(list(AuditEntry.objects.values_list("params", flat=True)), ensure_ascii=False)
    # The project's own log and the task runner's (the test's SMTP server logs what it receives).
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("kelisim", "django_tasks")))
    assert "notice" in ours
    for secret in (EMAIL, "7011234567", "Айгүл"):
        assert secret not in audit
        assert secret not in ours


def test_redirection_notice_in_russian_by_sms_only(
    smtp, gateway, actor, territory, korday_department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor,
            territory,
            korday_department,
            notice_consent=True,
            notice_phone="87011234567",
            notice_language="ru",
        )
        services.appeal_redirect(actor=actor, appeal=appeal, to="Полиция Кордайского района")
    assert smtp.messages == []
    assert [r["text"] for r in gateway.received] == [
        f"Ваше обращение зарегистрировано, № {appeal.number}. "
        f"Срок ответа: {date_words(appeal.due_date, 'ru')}.",
        f"Обращение № {appeal.number} направлено на рассмотрение в компетентный орган: "
        "Полиция Кордайского района.",
    ]
    appeal.refresh_from_db()
    assert appeal.redirect_notice_on == timezone.localdate()


def test_russian_email_from_the_edited_template(
    smtp, gateway, actor, territory, korday_department, django_capture_on_commit_callbacks
):
    NoticeTemplate.objects.filter(kind="registered", language="ru", channel="email").update(
        subject="Обращение {number}", text="Номер {number}, ответ до {due_date}."
    )
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor, territory, korday_department, notice_consent=True, notice_email=EMAIL, notice_language="ru"
        )
    assert smtp.messages[0]["Subject"].strip() == f"Обращение {appeal.number}"
    assert _text(smtp.messages[0]).strip() == (
        f"Номер {appeal.number}, ответ до {date_words(appeal.due_date, 'ru')}."
    )
    assert gateway.received == []


def test_nothing_for_anonymous_or_without_consent(
    smtp, gateway, actor, territory, korday_department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = _register(
            actor,
            territory,
            korday_department,
            applicant_kind=Appeal.Applicant.ANONYMOUS,
            urgent=True,
            notice_consent=True,
            notice_email=EMAIL,
            notice_phone=PHONE,
            notice_language="kk",
        )
        no_consent = _register(
            actor, territory, korday_department, notice_email=EMAIL, notice_phone=PHONE, notice_language="kk"
        )
        services.appeal_redirect(actor=actor, appeal=anonymous, to="Полиция")
        services.appeal_redirect(actor=actor, appeal=no_consent, to="Полиция")
    assert smtp.messages == [] and gateway.received == []
    assert not Notice.objects.exists()
    assert not NoticePreference.objects.exists()  # nothing kept either


def test_a_failed_sms_is_retried_after_its_pause_and_ends_sent(
    gateway, actor, territory, korday_department, django_capture_on_commit_callbacks
):
    gateway.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor, territory, korday_department, notice_consent=True, notice_phone=PHONE, notice_language="kk"
        )
    notice = Notice.objects.get(appeal=appeal)
    assert (notice.status, notice.attempts, notice.last_error) == (Notice.Status.FAILED, 1, "HTTP 500")
    assert notice.next_attempt_at is not None
    assert notices.retry_due() == 0  # the pause is not over yet
    assert notices.retry_due(now=notice.next_attempt_at + timedelta(seconds=1)) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (Notice.Status.SENT, 2, "")
    assert len(gateway.received) == 2 and gateway.received[0] == gateway.received[1]


def test_the_preference_is_checked(actor, territory, korday_department):
    with pytest.raises(ValidationError) as error:
        _register(actor, territory, korday_department, notice_consent=True, notice_language="kk")
    assert "notice_email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _register(
            actor,
            territory,
            korday_department,
            notice_consent=True,
            notice_phone="12345",
            notice_language="kk",
        )
    assert "notice_phone" in error.value.message_dict
    assert not Appeal.objects.exists()


def test_reception_desk_appeal_takes_the_notice_choice(
    gateway, actor, territory, korday_department, client, django_capture_on_commit_callbacks
):
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=timezone.now(),
        end=timezone.now() + timedelta(hours=2),
    )
    visitor = services.visitor_register(
        actor=actor, session=session, name="Айгүл Демоқызы", department=korday_department, question="Су"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.visitor_outcome(
            actor=actor,
            visitor=visitor,
            outcome="appeal",
            notice_consent=True,
            notice_phone=PHONE,
            notice_language="ru",
        )
    appeal = Appeal.objects.get(visitor=visitor)
    assert gateway.received[0]["text"].startswith(f"Ваше обращение зарегистрировано, № {appeal.number}.")

    # The desk's form: the choice is taken with the outcome "registered as an appeal".
    second = services.visitor_register(
        actor=actor, session=session, name="Ерлан Асанұлы", department=korday_department, question="Жол"
    )
    client.force_login(actor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("visitor-outcome", args=[second.pk]),
            {
                "outcome": "appeal",
                "appeal_type": "statement",
                "notice_consent": "on",
                "notice_phone": "8 702 000 11 22",
                "notice_language": "kk",
            },
        )
    appeal = Appeal.objects.get(visitor=second)
    assert gateway.received[-1] == {
        "auth": "Bearer test-token",
        "to": "+77020001122",
        "text": f"Өтінішіңіз тіркелді, № {appeal.number}. "
        f"Жауап беру мерзімі: {date_words(appeal.due_date, 'kk')}.",
    }


def test_notice_texts_pages_only_for_country_wide_reference_managers(make_user, client, zhambyl):
    template = NoticeTemplate.objects.get(kind="answered", language="kk", channel="sms")
    url = reverse("admin-notice-template-edit", args=[template.pk])
    client.force_login(make_user("regional_coordinator", "310000000"))
    assert client.get(reverse("admin-notice-templates")).status_code == 404
    assert client.post(url, {"subject": "", "text": "x"}).status_code == 404
    admin = make_user("system_admin")
    client.force_login(admin)
    assert client.get(reverse("admin-notice-templates")).status_code == 200
    response = client.post(url, {"subject": "", "text": "Жауап: {answer} {nope}"})
    assert response.status_code == 200
    template.refresh_from_db()
    assert "{nope}" not in template.text
    response = client.post(url, {"subject": "", "text": "№ {number}: {answer}"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == "№ {number}: {answer}"


def test_the_api_and_the_appeal_form_take_the_notice_choice(
    gateway, actor, territory, korday_department, client, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(actor)
    body = {
        "type": "statement",
        "channel": "written",
        "applicant_kind": "person",
        "applicant_name": "Айгүл Демоқызы",
        "territory": KORDAY,
        "department": korday_department.pk,
        "text": "Су",
        "received_on": timezone.localdate().isoformat(),
        "notice_consent": True,
        "notice_phone": PHONE,
        "notice_language": "ru",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/appeals/", body, format="json")
    assert response.status_code == 201, response.content
    assert "notice_phone" not in response.json()  # taken, never given back
    assert gateway.received[-1]["text"].startswith(
        f"Ваше обращение зарегистрировано, № {response.json()['number']}"
    )

    client.force_login(actor)
    form = {
        "type": "statement",
        "channel": "written",
        "applicant_kind": "person",
        "applicant_name": "Айгүл Демоқызы",
        "territory": KORDAY,
        "department": korday_department.pk,
        "text": "Жарық",
        "notice_consent": "on",
        "notice_phone": PHONE,
        "notice_language": "kk",
    }
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("appeal-create"), form)
    assert page.status_code == 302, page.context["form"].errors
    appeal = Appeal.objects.get(text="Жарық")
    assert gateway.received[-1]["text"].startswith(f"Өтінішіңіз тіркелді, № {appeal.number}.")
    assert NoticePreference.objects.get(appeal=appeal).language == "kk"


def test_purge_removes_where_the_applicant_wanted_notices(actor, territory, korday_department):
    from io import StringIO

    from django.core.management import call_command

    old = _register(
        actor, territory, korday_department, notice_consent=True, notice_email=EMAIL, notice_language="kk"
    )
    young = _register(
        actor, territory, korday_department, notice_consent=True, notice_email=EMAIL, notice_language="kk"
    )
    Appeal.objects.filter(pk__in=[old.pk, young.pk]).update(status="answered")
    Appeal.objects.filter(pk=old.pk).update(answered_on=date(2018, 1, 1))
    Appeal.objects.filter(pk=young.pk).update(answered_on=timezone.localdate())
    call_command("purge", "--older-than", "5", "--commit", stdout=StringIO())
    assert list(NoticePreference.objects.values_list("appeal", flat=True)) == [young.pk]
    assert notices.notify(appeal=Appeal.objects.get(pk=old.pk), kind="answered") == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_from_the_database_queue_which_holds_only_the_notice_id(
    gateway, actor, territory, korday_department, settings
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    appeal = _register(
        actor, territory, korday_department, notice_consent=True, notice_phone=PHONE, notice_language="kk"
    )
    notice = Notice.objects.get(appeal=appeal)
    assert notice.status == Notice.Status.QUEUED and gateway.received == []
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [notice.pk], "kwargs": {}}
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.SENT, 1)
    assert gateway.received[0]["to"] == "+77011234567"


def _survey_link(text: str) -> str:
    import re

    return re.search(r"(/feedback/[^/\s]+/)", text).group(1)  # type: ignore[union-attr]


def test_the_answer_offers_the_survey_once_per_appeal_and_the_dashboard_shows_it_by_department(
    gateway, actor, territory, korday_department, client, make_user, django_capture_on_commit_callbacks
):
    from django.test import Client

    from kelisim.surveys.models import Response
    from kelisim.surveys.services import instruments_install_ready

    instruments_install_ready()
    links = []
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            appeal = _register(
                actor,
                territory,
                korday_department,
                notice_consent=True,
                notice_phone=PHONE,
                notice_language="ru" if n == 0 else "kk",
            )
            appeal = services.appeal_assign(actor=actor, appeal=appeal, lead_executor=actor)
            services.appeal_answer(actor=actor, appeal=appeal, answer="Жауап.")
        links.append(_survey_link(gateway.received[-1]["text"]))
    public = Client()  # no account
    page = public.get(links[0])
    assert page.status_code == 200
    assert "Насколько Вы удовлетворены ответом на Ваше обращение?" in page.content.decode()
    assert "Өтінішіңізге берілген жауапқа" in public.get(links[1]).content.decode()
    for link, score in zip(links, ("5", "4", "3"), strict=True):
        done = public.post(link, {"satisfied": score, "clear": "4", "on_time": "yes"})
        assert 'id="feedback-done"' in done.content.decode()
    # Once per appeal: a second submission through the same link changes nothing.
    public.post(links[0], {"satisfied": "1", "clear": "1", "on_time": "no"})
    assert Response.objects.count() == 3
    assert sorted(r["satisfied"] for r in Response.objects.values_list("answers", flat=True)) == [
        "3",
        "4",
        "5",
    ]
    # A forged or altered token is a missing page.
    assert public.get(links[0][:-3] + "xx/").status_code == 404

    reader = make_user("district_coordinator", KORDAY)
    reader.language = "en"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    board = client.get(reverse("dashboard")).context["board"]
    assert board.satisfaction_by_department == [
        {
            "department_id": korday_department.pk,
            "name_kk": korday_department.name_kk,
            "name_ru": korday_department.name_ru,
            "n": 3,
            "satisfied": 4.0,
            "clear": 4.0,
            "on_time": 100,
        }
    ]
    # Another district's reader sees none of it.
    other = make_user("district_coordinator", "316600000")
    client.force_login(other)
    assert client.get(reverse("dashboard")).context["board"].satisfaction_by_department == []


def test_the_dashboard_hides_a_department_with_fewer_than_three_answers(
    gateway, actor, territory, korday_department, client, make_user, django_capture_on_commit_callbacks
):
    from django.test import Client

    from kelisim.surveys.services import instruments_install_ready

    instruments_install_ready()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor, territory, korday_department, notice_consent=True, notice_phone=PHONE, notice_language="kk"
        )
        appeal = services.appeal_assign(actor=actor, appeal=appeal, lead_executor=actor)
        services.appeal_answer(actor=actor, appeal=appeal, answer="Жауап.")
    Client().post(
        _survey_link(gateway.received[-1]["text"]), {"satisfied": "2", "clear": "2", "on_time": "no"}
    )
    client.force_login(make_user("district_coordinator", KORDAY))
    page = client.get(reverse("dashboard"))
    assert page.context["board"].satisfaction_by_department == []


def test_a_mail_server_that_cannot_be_reached_is_recorded_without_the_address_and_given_up_at_last(
    smtp, settings, actor, territory, korday_department, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # nobody listens there once the probe closes
    with django_capture_on_commit_callbacks(execute=True):
        appeal = _register(
            actor, territory, korday_department, notice_consent=True, notice_email=EMAIL, notice_language="ru"
        )
    notice = Notice.objects.get(appeal=appeal)
    assert notice.status == Notice.Status.FAILED and notice.last_error == "ConnectionRefusedError"
    moment = timezone.now()
    while notice.status == Notice.Status.FAILED:
        moment = notice.next_attempt_at + timedelta(seconds=1)
        notices.retry_due(now=moment)
        notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (Notice.Status.ABANDONED, notices.MAX_ATTEMPTS)
    assert notice.next_attempt_at is None and notices.retry_due(now=moment + timedelta(days=1)) == 0
    assert smtp.messages == []
