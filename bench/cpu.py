"""CPU time of processes, read from /proc: what a request costs the server and the database,
whatever else the machine is doing (a wall-clock time on two shared cores is mostly waiting)."""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    """`pid` and every process below it (gunicorn's master and its workers)."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            found += children(int(entry.name))
    return found


def total(pids: list[int]) -> float:
    return sum(seconds(p) for p in pids)


def postgres_backends(database: str) -> list[int]:
    """The server processes serving connections to `database` (the application's, not this one's)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        return [row[0] for row in cursor.fetchall()]


def own_backend() -> list[int]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return [cursor.fetchone()[0]]


def pin(cpu: int) -> set[int] | None:
    """Run this process on `cpu` alone; returns the set to restore (None when it can't pin)."""
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        return None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    return before
