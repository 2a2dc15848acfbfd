"""Reading an uploaded press release in the background (django-tasks): arguments are job ids only.

The web request measures the file (a .docx bomb is refused unopened), stores it privately and
queues this job; the text is read in a limited child process (kelisim.core.sandbox), then the
drafts are made as for a pasted text.
"""

import io
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kelisim.core import files, jobs, sandbox, untrusted_xml
from kelisim.core.models import Job

from . import services

# A release is at most 100,000 characters (services.MAX_CHARS): its .docx unpacks to a few MB.
ARCHIVE_LIMITS = files.ZipLimits(max_unpacked=32 * files.MB)
PARSE_LIMITS = sandbox.Limits(cpu_seconds=30, memory_bytes=1024 * sandbox.MB, wall_seconds=120)
UNREADABLE = gettext_lazy("The file cannot be read as text: send a UTF-8 .txt or a .docx.")


def check_upload(name: str, content: bytes) -> None:
    """What the web request checks before the worker reads the file: its size unpacked (a bomb is
    refused unopened), then every XML part (no DTD or entity, a bounded depth: UnsafeXml)."""
    if content.startswith(b"PK"):
        files.check_archive(content, limits=ARCHIVE_LIMITS)
        untrusted_xml.check_office_file(io.BytesIO(content))


def read_upload(content: bytes) -> str:
    """The text of an uploaded .txt or .docx, read in the sandbox; ValidationError otherwise."""
    check_upload("", content)
    try:
        return str(sandbox.run("kelisim.imports.parsing:document_text", content, limits=PARSE_LIMITS))
    except sandbox.SandboxError as error:
        raise files.parse_refusal(error, unreadable=str(UNREADABLE)) from error


def job_params(*, stored: str, pub_date: date, language: str | None) -> dict[str, Any]:
    """The job's parameters: codes only (ADR 0005), the date as YYYYMMDD."""
    return {"file": stored, "pub_date": pub_date.strftime("%Y%m%d"), "language": language or None}


@task()
def import_press_release_file(job_id: str) -> int:
    """Read the uploaded release and make its drafts for review; the file is deleted after."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    stored = str(job.params.get("file", ""))
    with translation.override(user.language or "kk"):
        try:
            content = files.waiting_path(stored).read_bytes()
        except OSError:
            jobs.job_finish(job, messages=[_("The upload has expired; send the file again.")], failed=True)
            return 0
        try:
            jobs.job_status(job, Job.Status.CHECKING)
            text = read_upload(content)
            jobs.job_status(job, Job.Status.WRITING)
            batch = services.import_text(
                actor=user,
                text=text,
                pub_date=date(*(int(p) for p in _ymd(str(job.params["pub_date"])))),
                language=job.params.get("language") or None,
            )
        except ValidationError as error:
            jobs.job_finish(job, messages=error.messages, failed=True)
            return 0
        except Exception:
            jobs.job_finish(job, messages=[_("The file could not be read; nothing was saved.")], failed=True)
            raise
        finally:
            files.discard_waiting(stored)
        count = batch.drafts.count()
        jobs.job_finish(
            job,
            messages=[_("%(count)d events were found; review them.") % {"count": count}],
            next_url=reverse("import-review", args=[batch.pk]),
        )
        return count


def _ymd(text: str) -> tuple[str, str, str]:
    return text[:4], text[4:6], text[6:8]
