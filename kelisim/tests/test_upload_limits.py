"""Zip bombs and expensive uploads: every zip-based upload is measured before it is opened, and the
parsing itself runs in the background worker, in a child process with hard limits.

The penetration test's bomb was a 433 KB XLSX that unpacks to 147 MB: three uploads of it kept
`/healthz` unanswered for 55 s. Here the same kind of file is refused from its table of contents
(sizes, member count, compression ratio) on every upload that takes a zip (appeal import, press
release, XLSForm, attachment), the site keeps answering while bombs arrive at once, and a parser
that runs out of memory or time is stopped without taking anything else with it.
"""

import contextlib
import http.client
import io
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess  # nosec B404 - the test starts gunicorn
import sys
import threading
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from openpyxl import Workbook

from kelisim.appeals.models import Appeal
from kelisim.core import files, sandbox
from kelisim.core.models import Job
from kelisim.events.models import Attachment, Event
from kelisim.imports.models import ImportBatch
from kelisim.surveys.models import InstrumentVersion
from kelisim.surveys.tests.test_surveys import build_xlsform

KORDAY, ZHAMBYL = "314800000", "310000000"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BOMB_WORDS = "zip bomb"
ROOT = Path(__file__).resolve().parents[2]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(kind: str, unpacked_mb: int = 150) -> bytes:
    """A well-formed office file whose main part unpacks to `unpacked_mb` MB of repeated XML: a
    parser reads all of it (the pen test's file was 433 KB for 147 MB)."""
    if kind == "docx":
        members: dict[str, bytes | None] = {"[Content_Types].xml": b"<Types/>", "word/document.xml": None}
        head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        chunk = b"<w:p><w:r><w:t>Zip bomb text</w:t></w:r></w:p>" * 20_000
        tail = b"</w:body></w:document>"
    else:
        with zipfile.ZipFile(io.BytesIO(_xlsx([["type", "text"]]))) as small:
            members = {name: small.read(name) for name in small.namelist()}
        members["xl/worksheets/sheet1.xml"] = None
        head = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        )
        chunk = b'<row><c t="inlineStr"><is><t>statement</t></is></c></row>' * 20_000
        tail = b"</sheetData></worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if content is not None:
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as stream:
                stream.write(head)
                written = len(head)
                while written < unpacked_mb * 1024 * 1024:
                    stream.write(chunk)
                    written += len(chunk)
                stream.write(tail)
    return buffer.getvalue()


def _zip(members: dict[str, bytes], level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# -- the archive check -------------------------------------------------------------------------------


def test_an_archive_is_measured_by_members_size_and_ratio_before_anything_is_unpacked():
    limits = files.ZipLimits(max_members=10, max_unpacked=2 * 1024 * 1024, max_ratio=50)
    files.check_archive(_xlsx([["a", "b"], [1, 2]]), limits=limits)  # an ordinary workbook passes

    with pytest.raises(ValidationError, match="parts"):
        files.check_archive(_zip({f"m{n}.xml": b"x" for n in range(11)}), limits=limits)
    with pytest.raises(ValidationError, match="unpacks to"):
        files.check_archive(_zip({"big.bin": secrets.token_bytes(3 * 1024 * 1024)}, level=0), limits=limits)
    with pytest.raises(ValidationError, match=BOMB_WORDS):
        files.check_archive(_zip({"a.xml": b"<a/>" * 400_000}, level=9), limits=limits)
    with pytest.raises(ValidationError, match="not a readable"):
        files.check_archive(b"PK\x03\x04 and then nothing", limits=limits)
    # The pen test's file: a few hundred KB that unpacks to 150 MB.
    bomb = _bomb("xlsx")
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match=BOMB_WORDS):
        files.check_archive(bomb)


def test_a_parser_that_runs_out_of_memory_or_time_is_stopped_in_its_child_process(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://kelisim:secret@db/kelisim")
    monkeypatch.setenv("SECRET_KEY", "secret")
    limits = sandbox.Limits(cpu_seconds=2, memory_bytes=256 * 1024 * 1024, wall_seconds=30)
    assert sandbox.run("kelisim.tests.sandbox_targets:echo_length", b"12345", limits=limits) == {"length": 5}
    with pytest.raises(sandbox.SandboxError) as memory:
        sandbox.run("kelisim.tests.sandbox_targets:eat_memory", b"", limits=limits)
    assert memory.value.code == "memory"
    with pytest.raises(sandbox.SandboxError) as time_:
        sandbox.run("kelisim.tests.sandbox_targets:spin", b"", limits=limits)
    assert time_.value.code == "time"
    with pytest.raises(sandbox.SandboxError) as failed:
        sandbox.run("kelisim.tests.sandbox_targets:fail", b"", limits=limits)
    assert failed.value.code == "failed" and failed.value.error == "ValueError"
    # The child gets no secret from the environment: a parser bug cannot hand them out.
    names = sandbox.run("kelisim.tests.sandbox_targets:environment", b"", limits=limits)
    assert "DATABASE_URL" not in names and "SECRET_KEY" not in names
    with pytest.raises(ValueError):
        sandbox.run("os:system", b"", limits=limits)  # only Kelisim's own parsers run there


# -- every zip upload ------------------------------------------------------------------------------


def _refuse_unpacking(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """From here on, fail the test if anything unpacks a member or starts a parser."""

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a member of the bomb was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(sandbox, "run", refuse, raising=False)


def test_every_zip_upload_refuses_a_bomb_before_opening_it(seed_visit, make_user, monkeypatch):
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    coordinator.language = "en"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    event = Event.objects.filter(visit=seed_visit).first()
    assert event is not None
    bombs = {"xlsx": _bomb("xlsx"), "docx": _bomb("docx")}

    def upload(kind: str, name: str) -> io.BytesIO:
        data = io.BytesIO(bombs[kind])
        data.name = name
        return data

    waiting = set(files.waiting_dir().iterdir())
    _refuse_unpacking(monkeypatch)
    pages = {
        "appeals": client.post("/appeals/import/", {"file": upload("xlsx", "appeals.xlsx")}),
        "press release": client.post(
            "/imports/", {"file": upload("docx", "release.docx"), "pub_date": "2023-05-15"}
        ),
        "instrument": client.post("/surveys/", {"file": upload("xlsx", "form.xlsx")}),
        "attachment": client.post(
            f"/events/{event.pk}/attachments/", {"file": upload("docx", "report.docx")}, follow=True
        ),
    }
    for what, response in pages.items():
        # The form is shown again with the refusal (the press-release page answers it as a 400).
        assert response.status_code in (200, 400), what
        assert BOMB_WORDS in response.content.decode(), what
    assert not Job.objects.exists() and not Appeal.objects.filter(channel="import").exists()
    assert not Attachment.objects.exists() and not ImportBatch.objects.exists()
    assert set(files.waiting_dir().iterdir()) == waiting  # nothing of the bombs was kept


# -- parsing happens in the worker ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_uploads_are_parsed_by_the_worker_not_by_the_web_request(make_user, korday_department, monkeypatch):
    from kelisim.events.seed_lists import ensure_lists

    ensure_lists(__import__("django.apps", fromlist=["apps"]).apps)
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    coordinator.language = "en"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    appeals = io.BytesIO(
        _xlsx(
            [
                ["type", "channel", "applicant_name", "territory", "department", "text", "received_on"],
                ["statement", "written", "Өтініш беруші", KORDAY, "korday_culture", "Су", "2024-03-01"],
            ]
        )
    )
    appeals.name = "appeals.xlsx"
    form = io.BytesIO(build_xlsform())
    form.name = "form.xlsx"

    # The web request only measures, stores and queues: a parser started here fails the test.
    started_here: list[str] = []
    real_run = sandbox.run
    monkeypatch.setattr(sandbox, "run", lambda *a, **k: started_here.append(a[0]))
    checked = client.post("/appeals/import/", {"file": appeals})
    uploaded = client.post("/surveys/", {"file": form})
    assert started_here == []
    jobs = list(Job.objects.order_by("created_at"))
    assert [j.kind for j in jobs] == ["appeal_check", "instrument_upload"]
    assert all(j.status == Job.Status.QUEUED for j in jobs)
    assert checked.url == f"/jobs/{jobs[0].pk}/" and uploaded.url == f"/jobs/{jobs[1].pk}/"

    monkeypatch.setattr(sandbox, "run", real_run)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    for job in jobs:
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.messages
    assert InstrumentVersion.objects.filter(form_id="test_form").exists()
    preview = client.get(jobs[0].next_url)
    assert preview.status_code == 200 and "Өтініш беруші" not in json.dumps(jobs[0].params)
    assert preview.context["count"] == 1 and preview.context["token"]
    assert not Appeal.objects.exists()  # checked, not imported


# -- the site keeps answering ------------------------------------------------------------------------


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def _gunicorn(tmp_path: Path) -> Iterator[int]:
    """The application under gunicorn with deploy/gunicorn.conf.py and three sync workers, as in
    production, on this test's database (SQLite: a file copy of it; PostgreSQL: the test database)."""
    if connection.vendor == "sqlite":
        database = tmp_path / "live.sqlite3"
        target = sqlite3.connect(database)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        url = f"sqlite:///{database}"
    else:
        db = connection.settings_dict
        user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kelisim.settings.test",
        "DATABASE_URL": url,
        "KELISIM_VAR_DIR": str(tmp_path / "var"),
        "GUNICORN_ACCESSLOG": str(tmp_path / "access.log"),
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "kelisim.wsgi:application",
        ],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _attempt in range(600):  # until it answers, or it died
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                threading.Event().wait(0.1)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_the_site_answers_healthz_while_bombs_arrive_at_once(zhambyl, make_user, tmp_path):
    from kelisim.demo.services import demo_load

    demo_load()
    coordinator = make_user("regional_coordinator", ZHAMBYL)
    coordinator.language = "en"
    coordinator.save()
    session = Client()
    session.force_login(coordinator)
    csrf = secrets.token_hex(16)  # a CSRF secret of our own, sent as cookie and header
    cookie = f"sessionid={session.cookies['sessionid'].value}; csrftoken={csrf}"
    event = Event.objects.first()
    assert event is not None
    bombs = [
        ("/appeals/import/", {}, "appeals.xlsx", _bomb("xlsx")),
        ("/imports/", {"pub_date": "2023-05-15"}, "release.docx", _bomb("docx")),
        ("/surveys/", {}, "form.xlsx", _bomb("xlsx")),
        (f"/events/{event.pk}/attachments/", {}, "report.docx", _bomb("docx")),
    ]
    answers: dict[str, tuple[int, str]] = {}

    with _gunicorn(tmp_path) as port:

        def post(path: str, fields: dict[str, str], name: str, content: bytes) -> None:
            body, content_type = _multipart(fields, name, content)
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                client.request(
                    "POST",
                    path,
                    body=body,
                    headers={"Content-Type": content_type, "Cookie": cookie, "X-CSRFToken": csrf},
                )
                response = client.getresponse()
                answers[path] = (response.status, response.read().decode())
            finally:
                client.close()

        threads = [threading.Thread(target=post, args=bomb) for bomb in bombs]
        health: list[int] = []
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads) or len(health) < 3:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                health.append(response.status)
        for thread in threads:
            thread.join()

    assert health and set(health) == {200}
    # The forms answer on the page; the attachment goes back to the event with the message.
    assert {path: (status, BOMB_WORDS in text) for path, (status, text) in answers.items()} == {
        "/appeals/import/": (200, True),
        "/imports/": (400, True),
        "/surveys/": (200, True),
        f"/events/{event.pk}/attachments/": (302, False),
    }
    assert not Attachment.objects.exists() and not Job.objects.exists()


__all__ = ["date"]
