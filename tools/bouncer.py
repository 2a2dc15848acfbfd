"""PgBouncer in transaction pooling on the loopback, for `make prod-check` (Debian's `pgbouncer`).

    with bouncer.running(admin_url) as port: ...

starts `pgbouncer` in the foreground with a scratch configuration (every database of the local
server, trust authentication as the server itself has here, `pool_mode = transaction`, a pool of
four server connections) and stops it on the way out. As root it drops to the `postgres` user,
because PgBouncer refuses to run as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prodserver import free_port  # a sibling script, not a package

POOL_SIZE = 4

CONFIG = """\
[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = {pool}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
"""


class BouncerError(RuntimeError):
    pass


def executable() -> str | None:
    return shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(p).exists()), None
    )


def url_through(database_url: str, port: int) -> str:
    """`database_url` sent through the bouncer: its port, no server-side cursors (a cursor can't
    outlive the transaction whose server connection it lives on) and no persistent connections."""
    parts = urllib.parse.urlsplit(database_url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    netloc_new = f"{netloc[0]}@{host}" if len(netloc) == 2 else host
    kept = [
        (key, value)
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("disable_server_side_cursors", "conn_max_age")
    ]
    query = urllib.parse.urlencode([*kept, ("disable_server_side_cursors", "True"), ("conn_max_age", "0")])
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc_new, query=query))


@contextlib.contextmanager
def running(server_url: str, timeout: float = 20) -> Iterator[int]:
    program = executable()
    if program is None:
        raise BouncerError("pgbouncer is not installed (make prod-check installs Debian's package)")
    parts = urllib.parse.urlsplit(server_url)
    user = parts.username or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="kelisim-pgbouncer-"))
    port = free_port()
    (folder / "users.txt").write_text(f'"{user}" ""\n', encoding="utf-8")
    (folder / "pgbouncer.ini").write_text(
        CONFIG.format(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            listen=port,
            folder=folder,
            pool=POOL_SIZE,
        ),
        encoding="utf-8",
    )
    command = [program, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        folder.chmod(0o777)  # the postgres user writes its log and pid file there
        for name in ("users.txt", "pgbouncer.ini"):
            (folder / name).chmod(0o644)
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(  # noqa: S603 - Debian's pgbouncer, our own configuration
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        started = time.monotonic()
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                log = (
                    (folder / "pgbouncer.log").read_text(errors="replace")
                    if (folder / "pgbouncer.log").exists()
                    else ""
                )
                raise BouncerError(f"pgbouncer exited with {process.returncode}: {error or log[-800:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() - started > timeout:
                raise BouncerError(f"pgbouncer did not listen on {port} within {timeout:.0f} s")
            time.sleep(0.1)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # a safe shutdown: waits for the clients to finish
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        shutil.rmtree(folder, ignore_errors=True)
