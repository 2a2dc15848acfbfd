"""One holder at a time, across application servers, for the work of the scheduled commands.

Every server of a deployment runs the timers of deploy/; two servers would send the same digest of
overdue appeals twice. A command takes a PostgreSQL advisory lock for the length of its transaction
(`pg_try_advisory_xact_lock`): the transaction-level kind is the one that holds through PgBouncer in
transaction pooling, where a session-level lock would be taken on one server connection and the
next statement sent on another. SQLite serves one machine and one writer: the lock is always had.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


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
