"""Background jobs: the appeal import through the task runner, with the database backend and the
worker as production runs them, and who may see a job."""

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client, override_settings
from openpyxl import Workbook

from kelisim.appeals.importer import upload_dir
from kelisim.appeals.models import Appeal
from kelisim.core.models import Job

KORDAY = "314800000"
HEADER = [
    "external_number",
    "type",
    "channel",
    "applicant_name",
    "territory",
    "department",
    "text",
    "received_on",
]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _upload(client: Client, rows: list[list[object]], run_jobs) -> str:  # type: ignore[no-untyped-def]
    """Upload a file, let the worker check it, and return the preview's token."""
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "appeals.xlsx"
    with run_jobs():
        checked = client.post("/appeals/import/", {"file": buffer})
    job = Job.objects.get(kind=Job.Kind.APPEAL_CHECK)
    assert checked.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.messages
    return client.get(job.next_url).context["token"]


@contextmanager
def _worker() -> Iterator[None]:
    """Jobs queued meanwhile are run by the database backend's worker, as in production."""
    yield
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _row(n: int, kind: str = "statement") -> list[object]:
    return [f"ЖТ-{n}", kind, "written", f"Өтініш беруші {n}", KORDAY, "korday_culture", "Мәтін", "2024-03-01"]


@pytest.fixture
def importer_client(make_user, korday_department):  # type: ignore[no-untyped-def]
    client = Client()
    user = make_user("district_coordinator", KORDAY)
    user.language = "en"
    user.save()
    client.force_login(user)
    return client


# Committed for real: the worker closes and reopens connections between tasks, as in production.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_import_waits_for_the_worker_then_registers_every_row(importer_client):
    token = _upload(importer_client, [_row(n) for n in range(1, 4)], _worker)
    response = importer_client.post("/appeals/import/", {"token": token})
    job = Job.objects.get(kind=Job.Kind.APPEAL_IMPORT)
    assert response.url == f"/jobs/{job.pk}/"
    # Queued in the database: nothing imported yet, and the page asks again until it is over.
    page = importer_client.get(response.url).content.decode()
    assert job.status == Job.Status.QUEUED and not Appeal.objects.exists()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.messages == ["3 appeals imported."]
    assert Appeal.objects.count() == 3
    page = importer_client.get(response.url).content.decode()
    assert "every 2s" not in page and "3 appeals imported." in page
    stored = signing.loads(token, salt="appeal-import")["file"]
    assert not (upload_dir() / stored).exists()  # the uploaded file is not kept


def test_a_row_that_fails_at_import_time_saves_nothing_and_the_job_says_which(
    importer_client, korday_department, django_capture_on_commit_callbacks
):
    token = _upload(
        importer_client, [_row(1), _row(2)], lambda: django_capture_on_commit_callbacks(execute=True)
    )
    # Between the preview and the import the department loses its code: the check runs again.
    korday_department.code = "renamed"
    korday_department.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = importer_client.post("/appeals/import/", {"token": token})
    job = Job.objects.get(kind=Job.Kind.APPEAL_IMPORT)
    assert job.status == Job.Status.FAILED and not Appeal.objects.exists()
    assert any(re.search(r"Row 2\b.*department", m) for m in job.messages), job.messages
    page = importer_client.get(response.url).content.decode()
    assert "Nothing was saved." in page and "department" in page


def test_only_the_requester_sees_a_job(importer_client, make_user, django_capture_on_commit_callbacks):
    token = _upload(importer_client, [_row(1)], lambda: django_capture_on_commit_callbacks(execute=True))
    with django_capture_on_commit_callbacks(execute=True):
        url = importer_client.post("/appeals/import/", {"token": token}).url
    colleague = Client()
    colleague.force_login(make_user("district_coordinator", KORDAY))
    assert colleague.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    assert importer_client.get(url).status_code == 200
    assert importer_client.get("/jobs/not-a-uuid/").status_code == 404
