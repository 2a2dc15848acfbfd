"""The scheduled commands' lock: one holder at a time, released with its transaction."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kelisim.core.locks import alone, lock_key

pytestmark = pytest.mark.django_db(transaction=True)


def _hold_elsewhere(name: str, taken: threading.Event, release: threading.Event) -> None:
    """Another connection (another server) holds `name` until told to let go."""
    try:
        with alone(name) as mine:
            assert mine
            taken.set()
            release.wait(10)
    finally:
        connections.close_all()


def test_a_second_holder_is_refused_while_the_first_holds_it_and_let_in_after():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serves one machine: the lock is always had (next test)")
    taken, release = threading.Event(), threading.Event()
    other = threading.Thread(target=_hold_elsewhere, args=("remind", taken, release))
    other.start()
    try:
        assert taken.wait(10)
        with alone("remind") as mine:
            assert not mine
        with alone("another job") as mine:
            assert mine  # names are separate locks
        out = StringIO()
        call_command("remind", stdout=out)
        assert "Another server" in out.getvalue()
    finally:
        release.set()
        other.join(10)
    with alone("remind") as mine:
        assert mine  # released when the other transaction ended


def test_on_sqlite_the_lock_is_always_had_and_keys_differ_by_name():
    if connection.vendor == "postgresql":
        assert lock_key("remind") != lock_key("send_notices")
        return
    with alone("remind") as first:
        assert first
    assert lock_key("remind") != lock_key("send_notices")


def test_the_days_run_is_claimed_once_and_a_failed_run_gives_the_day_back():
    from datetime import date

    from kelisim.core.locks import once_today
    from kelisim.core.models import ScheduledRun

    day = date(2026, 3, 2)
    with pytest.raises(RuntimeError), once_today("remind", day) as turn:
        assert turn == "mine"
        raise RuntimeError("the mail server is down")
    assert not ScheduledRun.objects.filter(command="remind", day=day).exists()
    with once_today("remind", day) as turn:
        assert turn == "mine"
    with once_today("remind", day) as turn:
        assert turn == "done"  # a second server's timer, later the same day
    with once_today("remind", date(2026, 3, 3)) as turn:
        assert turn == "mine"
    with once_today("send_summary", day) as turn:
        assert turn == "mine"


def test_remind_sends_the_digests_once_a_day():
    first, second = StringIO(), StringIO()
    call_command("remind", stdout=first)
    call_command("remind", stdout=second)
    assert "digests sent" in first.getvalue()
    assert "already" in second.getvalue() and "digests sent" not in second.getvalue()
