"""One holder at a time, across application servers, for the work of the scheduled commands.

Every server of a deployment runs the timers of deploy/, each at its own random delay; two servers
would send the same digest of overdue appeals twice. `once_today(name)` opens a transaction that
takes a PostgreSQL advisory lock (`pg_try_advisory_xact_lock`, so a run overlapping another skips at
once instead of waiting) and claims the day in `ScheduledRun` (so a later run, after the first has
finished, finds the day done). The transaction-level lock is the kind that holds through PgBouncer in
transaction pooling, where a session-level lock would be taken on one server connection and the
next statement sent on another. SQLite serves one machine: the claim alone decides.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, connection, transaction

from .models import ScheduledRun


def lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def alone(name: str) -> Iterator[bool]:
    """A transaction in which True means this process alone holds `name` until it ends, and
    False that another holds it now (the caller then leaves the work to that one)."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
            held = bool(cursor.fetchone()[0])
        yield held


@contextmanager
def once_today(name: str, day: date) -> Iterator[str]:
    """A transaction for the day's run of `name`: "mine" when this process is to do it, "running"
    when another holds it now, "done" when the day's run was claimed already. The claim is undone
    if the work fails, so the next run of the timer tries again."""
    with alone(name) as mine:
        if not mine:
            yield "running"
            return
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(command=name, day=day)
        except IntegrityError:
            yield "done"
            return
        yield "mine"
