"""Converting an uploaded XLSForm in the background (django-tasks): arguments are job ids only.

The web request measures the workbook (a zip bomb is refused unopened), stores it privately with
the form's other fields and queues this job; pyxform runs in a limited child process
(kelisim.core.sandbox).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kelisim.core import files, jobs
from kelisim.core.models import Job

from . import services


@task()
def upload_instrument_file(job_id: str) -> int:
    """Convert the uploaded XLSForm and save it as a new instrument version; the file is deleted after."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    stored = str(job.params.get("file", ""))
    with translation.override(user.language or "kk"):
        try:
            content = files.waiting_path(stored).read_bytes()
            fields = files.waiting_extra(stored)
            attached = {str(name): str(kept) for name, kept in (fields.get("attachments") or {}).items()}
            attachments = {name: files.waiting_path(kept).read_bytes() for name, kept in attached.items()}
        except OSError:
            jobs.job_finish(job, messages=[_("The upload has expired; send the file again.")], failed=True)
            return 0
        try:
            jobs.job_status(job, Job.Status.CHECKING)
            version = services.instrument_upload(
                actor=user,
                content=content,
                filename=str(fields.get("filename", "")),
                files=attachments,
                name_kk=str(fields.get("name_kk", "")),
                name_ru=str(fields.get("name_ru", "")),
                scoring_key=fields.get("scoring"),
            )
        except ValidationError as error:
            jobs.job_finish(job, messages=error.messages, failed=True)
            return 0
        except Exception:
            jobs.job_finish(job, messages=[_("The file could not be read; nothing was saved.")], failed=True)
            raise
        finally:
            files.discard_waiting(stored)
            for kept in attached.values():
                files.discard_waiting(kept)
        saved = (
            _("Version %(number)d of the instrument is saved.")
            if version.is_new
            else _("This form is version %(number)d of the instrument, uploaded before: nothing changed.")
        )
        jobs.job_finish(
            job,
            messages=[saved % {"number": version.number}],
            next_url=reverse("instrument-detail", args=[version.instrument_id]),
        )
        return version.number
