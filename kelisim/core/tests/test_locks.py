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
