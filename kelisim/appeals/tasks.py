"""Work on appeals that runs in the background (django-tasks): arguments are job ids only."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kelisim.core import jobs
from kelisim.core.models import Job

from . import importer


@task()
def import_appeals_file(job_id: str) -> int:
    """Check the uploaded file again and register every row, or none; the file is deleted after."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    path = importer.upload_dir() / str(job.params.get("file", ""))
    with translation.override(user.language or "kk"):
        try:
            content = path.read_bytes()
        except OSError:
            jobs.job_finish(job, messages=[_("The preview has expired; upload the file again.")], failed=True)
            return 0
        try:
            jobs.job_status(job, Job.Status.CHECKING)
            parsed = importer.parse(name=path.name, content=content, user=user)
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
            path.unlink(missing_ok=True)
        count = len(created)
        jobs.job_finish(
            job,
            messages=[_("%(count)d appeals imported.") % {"count": count}],
            next_url=reverse("appeal-list"),
        )
        return count
