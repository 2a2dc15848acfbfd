"""Files holding personal data are their owner's only (0600, folders 0700), and import previews that
nobody commits do not stay on disk.

Uploaded photos and documents, appeal files waiting for their import, their previews, backups,
restored databases and reports written by the commands all hold names, phones or appeal texts. A
0644 file is readable by every account on the server (a monitoring agent, a second application).
"""

import io
import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from kelisim.core import files
from kelisim.core.backup import restore, snapshot
from kelisim.core.models import Job
from kelisim.events.models import Attachment, Event
from kelisim.imports.models import ImportBatch

KORDAY, ZHAMBYL = "314800000", "310000000"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask():
    """The umask most servers run with: a file nobody restricts comes out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _appeals_xlsx() -> io.BytesIO:
    book = Workbook()
    book.active.append(
        ["type", "channel", "applicant_name", "territory", "department", "text", "received_on"]
    )
    book.active.append(
        ["statement", "written", "Өтініш беруші", KORDAY, "korday_culture", "Су", "2024-03-01"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "appeals.xlsx"
    return buffer


def test_an_uploaded_attachment_is_readable_by_its_owner_only(seed_visit, make_user):
    client = Client()
    client.force_login(make_user("regional_coordinator", ZHAMBYL))
    event = Event.objects.filter(visit=seed_visit).first()
    assert event is not None
    client.post(f"/events/{event.pk}/attachments/", {"file": SimpleUploadedFile("сурет.png", PNG)})
    stored = Path(Attachment.objects.get().file.path)
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700


def test_an_appeal_file_waiting_for_its_import_and_its_preview_are_private(
    make_user, korday_department, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/appeals/import/", {"file": _appeals_xlsx()})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.messages
    waiting = sorted(files.waiting_dir().iterdir())
    assert [p.name for p in waiting] == [job.params["file"], f"{job.params['file']}.preview.json"]
    assert {_mode(p) for p in waiting} == {0o600}
    assert _mode(files.waiting_dir()) == 0o700


@pytest.mark.django_db(transaction=True)
def test_a_backup_and_a_restored_database_are_private(zhambyl, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("a restored PostgreSQL database is no file of ours")
    made = snapshot(tmp_path / "kelisim.backup", connection)
    assert _mode(made.path) == 0o600
    target = tmp_path / "restored.sqlite3"
    restore(made.path, {**connection.settings_dict, "NAME": str(target)})
    assert _mode(target) == 0o600
    assert not [p for p in tmp_path.iterdir() if _mode(p) & 0o077]


def test_reports_the_commands_write_are_private(seed_visit, tmp_path):
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"an older report")
    report.chmod(0o644)  # replaced, not rewritten in place: its old mode does not carry over
    call_command(
        "visit_report",
        "--visit",
        str(seed_visit.pk),
        "--format",
        "xlsx",
        "--output",
        str(report),
        stdout=io.StringIO(),
    )
    folder = tmp_path / "summaries"
    call_command(
        "summary",
        "--region",
        ZHAMBYL,
        "--period",
        "2023-05",
        "--output-dir",
        str(folder),
        stdout=io.StringIO(),
    )
    assert _mode(report) == 0o600 and report.read_bytes().startswith(b"PK")
    assert _mode(folder) == 0o700
    assert {_mode(p) for p in folder.iterdir()} == {0o600} and len(list(folder.iterdir())) == 2


def _aged(path: Path, hours: float) -> Path:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))
    return path


def test_previews_nobody_commits_are_deleted_by_the_scheduled_command(seed_visit, make_user):
    owner = make_user("district_coordinator", KORDAY)
    old = files.store_waiting(b"old", suffix="csv")
    fresh = files.store_waiting(b"fresh", suffix="csv")
    queued = files.store_waiting(b"queued", suffix="csv")
    Job.objects.create(kind=Job.Kind.APPEAL_IMPORT, requested_by=owner, params={"file": queued})
    for name in (old, queued):
        _aged(files.waiting_path(name), hours=2)
    finished = Job.objects.create(
        kind=Job.Kind.APPEAL_CHECK, requested_by=owner, status=Job.Status.FAILED, params={"file": old}
    )
    Job.objects.filter(pk=finished.pk).update(finished_at=timezone.now() - timedelta(days=31))
    stale = ImportBatch.objects.create(text="а", text_hash="1", language="kk", pub_date="2023-05-15")
    recent = ImportBatch.objects.create(text="б", text_hash="2", language="kk", pub_date="2023-05-15")
    committed = ImportBatch.objects.create(
        text="в", text_hash="3", language="kk", pub_date="2023-05-15", committed_at=timezone.now()
    )
    ImportBatch.objects.filter(pk__in=[stale.pk, committed.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )

    out = io.StringIO()
    call_command("expire_previews", stdout=out)

    assert sorted(p.name for p in files.waiting_dir().iterdir()) == sorted([fresh, queued])
    assert not Job.objects.filter(pk=finished.pk).exists()
    assert Job.objects.filter(params__file=queued).exists()
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {recent.pk, committed.pk}
    assert "1" in out.getvalue()


def test_an_old_preview_is_deleted_at_the_next_upload(make_user, korday_department):
    old = files.store_waiting(b"old", suffix="csv")
    _aged(files.waiting_path(old), hours=2)
    client = Client()
    client.force_login(make_user("district_coordinator", KORDAY))
    client.post("/appeals/import/", {"file": _appeals_xlsx()})
    names = [p.name for p in files.waiting_dir().iterdir()]
    assert old not in names and len(names) == 1


@pytest.fixture(autouse=True)
def _empty_waiting_folder():
    """The media folder is shared by the tests of one process: start each with no waiting file."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
    yield
