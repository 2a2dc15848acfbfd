"""Work on appeals that runs in the background (django-tasks): arguments are job ids only.

An uploaded file is read here, never in the web request: the request measures it (a zip bomb is
refused unopened), stores it privately and queues the check; the reading itself runs in a limited
child process (kelisim.core.sandbox).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from kelisim.core import files, jobs
from kelisim.core.models import Job

from . import importer


def _content(job: Job) -> tuple[str, bytes] | None:
    stored = str(job.params.get("file", ""))
    try:
        return stored, files.waiting_path(stored).read_bytes()
    except OSError:
        jobs.job_finish(job, messages=[_("The preview has expired; upload the file again.")], failed=True)
        return None


@task()
def check_appeals_file(job_id: str) -> int:
    """Check every row of an uploaded file; keep the preview for the person to confirm the import."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    with translation.override(user.language or "kk"):
        found = _content(job)
        if found is None:
            return 0
        stored, content = found
        jobs.job_status(job, Job.Status.CHECKING)
        try:
            parsed = importer.parse(name=stored, content=content, user=user)
            if parsed.errors:
                raise ValidationError([str(e) for e in parsed.errors])
            if not parsed.rows:
                raise ValidationError(_("The file has no rows of appeals."))
            importer.preview_save(stored, parsed)
        except ValidationError as error:
            files.discard_waiting(stored)
            jobs.job_finish(job, messages=error.messages, failed=True)
            return 0
        except Exception:
            files.discard_waiting(stored)
            jobs.job_finish(job, messages=[_("The file could not be checked.")], failed=True)
            raise
        count = len(parsed.rows)
        jobs.job_finish(
            job,
            messages=[
                ngettext("%(count)d row is ready to import.", "%(count)d rows are ready to import.", count)
                % {"count": count}
            ],
            next_url=f"{reverse('appeal-import')}?job={job.pk}",
        )
        return count


@task()
def import_appeals_file(job_id: str) -> int:
    """Check the uploaded file again and register every row, or none; the file is deleted after."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    with translation.override(user.language or "kk"):
        found = _content(job)
        if found is None:
            return 0
        stored, content = found
        try:
            jobs.job_status(job, Job.Status.CHECKING)
            parsed = importer.parse(name=stored, content=content, user=user)
            if parsed.errors:
                raise ValidationError([str(e) for e in parsed.errors])
            jobs.job_status(job, Job.Status.WRITING)
            created = importer.commit(parsed=parsed, user=user)
        except ValidationError as error:
            jobs.job_finish(job, messages=error.messages, failed=True)
            return 0
        except Exception:
            # Nothing was saved (the commit is one transaction); the traceback goes to the worker's
            # log, the person gets a message instead of a job that seems to run for ever.
            jobs.job_finish(job, messages=[_("The import failed and nothing was saved.")], failed=True)
            raise
        finally:
            files.discard_waiting(stored)
        count = len(created)
        jobs.job_finish(
            job,
            messages=[_("%(count)d appeals imported.") % {"count": count}],
            next_url=reverse("appeal-list"),
        )
        return count
