"""Background jobs: a row the person can watch, and a task the worker runs.

The task runner is django-tasks with its database backend (ADR 0005): the queue lives in the same
database, so a single server needs no broker. Locally and in tests the backend runs each task at
once, inside the request that asked for it.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .audit import audit_record
from .models import Job


def job_create(*, actor: Any, kind: str, params: dict[str, Any], task: Any) -> Job:
    """Record the job and hand it to the task runner once the record is committed."""
    job = Job.objects.create(kind=kind, requested_by=actor, params=params)
    audit_record(actor=actor, action=f"job.{kind}", obj=job)
    transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    return job


def job_status(job: Job, status: str) -> None:
    job.status = status
    Job.objects.filter(pk=job.pk).update(status=status)


def job_finish(job: Job, *, messages: list[str], next_url: str = "", failed: bool = False) -> None:
    job.status = Job.Status.FAILED if failed else Job.Status.DONE
    job.messages, job.next_url, job.finished_at = [str(m) for m in messages], next_url, timezone.now()
    job.save(update_fields=["status", "messages", "next_url", "finished_at"])


def job_get_for_user(*, user: Any, pk: Any) -> Job:
    """Only the person who asked sees a job: its messages can quote what they uploaded."""
    job = Job.objects.filter(pk=pk, requested_by_id=getattr(user, "pk", None)).first()
    if job is None:
        raise Http404
    return job


JOB_DAYS = 30


def jobs_expire(*, days: int = JOB_DAYS) -> int:
    """Delete finished jobs after `days` days: their messages can quote what was uploaded."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = Job.objects.filter(
        status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
