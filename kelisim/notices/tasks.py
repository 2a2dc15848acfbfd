"""Delivery of notices in the worker (django-tasks): the argument is the notice's id only."""

from django_tasks import task

from . import services


@task()
def deliver_notice(notice_id: int) -> str:
    return services.deliver(notice_id)
