"""The load and fault experiments of the security issue, against Kelisim as deployed (gunicorn with
deploy/gunicorn.conf.py, PostgreSQL, production settings) on this machine's loopback.

    python tools/soak.py --quick    # `make test`: a few seconds of each, exits 1 on a broken promise
    python tools/soak.py --full     # `make soak`: the full experiments, figures to docs/reliability.md

(a) N clients for T seconds of mixed reads and writes (70 % GET lists, 30 % POST /api/v1/people/
    with a unique full_name each): no errors; p50 and p99; afterwards the database holds every
    acknowledged write and nothing else.  Full: N=50, T=60. Quick: N=8, T=5.
(b) `kelisim import_appeals FILE --user U` of a few thousand rows, killed with SIGKILL part-way
    through its transaction: the database holds all of that import or none of it, the appeal
    numbering included; while it runs nobody sees a row of it. Full: also one run to completion.
(c) PostgreSQL restarted under load (full run only, as root, with pg_ctlcluster, and only while no
    other session uses the PostgreSQL server, unless --restart-anyway): /readyz is back to 200 by
    itself within seconds, and no acknowledged write is lost. Run twice: with the shipped
    connection settings (CONN_MAX_AGE=0) and with persistent connections and health checks.
(d) Two clients send the same transition of one appeal with the same version at the same moment:
    exactly one wins, the other gets 409; the appeal's version grows by one per round.

Everything is bounded in time and in requests, and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prodserver

ROOT = prodserver.ROOT
REPORT = ROOT / "docs" / "reliability.md"
USER = "coordinator.korday"  # district coordinator: registry, appeals and imports in Korday
KORDAY = "314800000"
READ_PATHS = ["/api/v1/people/?q=soak", "/api/v1/events/", "/api/v1/appeals/", "/api/v1/me/"]
WRITE_SHARE = 0.3
MAX_REQUESTS_PER_CLIENT = 20_000


@dataclass
class Mode:
    name: str
    clients: int
    seconds: float
    import_rows: int
    kill_points: list[float]  # fractions of the import's rows after which it is killed
    complete_import: bool
    race_rounds: int
    restart: bool
    restart_seconds: float = 40
    restart_at: float = 10


QUICK = Mode("quick", 8, 5, 2000, [0.3], False, 5, False)
FULL = Mode("full", 50, 60, 5000, [0.1, 0.5, 0.9], True, 50, True)


@dataclass
class Check:
    experiment: str
    promise: str
    ok: bool
    detail: str = ""


@dataclass
class Experiment:
    key: str
    title: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    skipped: str = ""

    def __post_init__(self) -> None:
        # Others may be using the machine (tests, benchmarks): say how busy it was.
        with contextlib.suppress(OSError, IndexError):
            one, five = Path("/proc/loadavg").read_text().split()[:2]
            self.figure("load average at the start (1 min, 5 min)", f"{one}, {five}")

    def figure(self, name: str, value: Any) -> None:
        self.figures.append((name, str(value)))

    def promise(self, promise: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(self.key, promise, bool(ok), detail))
        mark = "ok  " if ok else "FAIL"
        print(f"  {mark} ({self.key}) {promise}{': ' + detail if detail else ''}", flush=True)
        return bool(ok)


_BEGAN = time.monotonic()


def say(message: str) -> None:
    print(f"[soak {time.monotonic() - _BEGAN:5.1f} s] {message}", flush=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds == seconds else "–"


# The fixture: a token and the codes the experiments need ---------------------------------------------

_FIXTURE = """
import json
from django.utils import timezone
from kelisim.accounts import policies
from kelisim.accounts.models import Department, User
from kelisim.accounts.services import api_token_create
from kelisim.territories.models import Territory
user = User.objects.get(username={user!r})
_token, key = api_token_create(user=user, name="soak")
korday = Territory.objects.get(code={korday!r})
department = (
    Department.objects.filter(policies.scope_q(user, "view_department"), territory__path__startswith=korday.path)
    .order_by("code").first()
)
print("FIXTURE=" + json.dumps({{
    "token": key, "user_id": user.pk, "territory": korday.code, "region": korday.path.split("/")[0],
    "department_id": department.pk, "department_code": department.code,
    "today": timezone.localdate().isoformat(),
}}))
"""


def fixture(instance: prodserver.Instance) -> dict[str, Any]:
    output = prodserver.kelisim_shell(
        instance.env, _FIXTURE.format(user=USER, korday=KORDAY), "the soak fixture"
    )
    match = re.search(r"^FIXTURE=(.+)$", output, re.M)
    if not match:
        raise prodserver.ProdServerError(f"the fixture printed nothing:\n{output[-1000:]}")
    return dict(json.loads(match.group(1)))


def db(instance: prodserver.Instance) -> Any:
    import psycopg

    return psycopg.connect(instance.database, autocommit=True, connect_timeout=5)


# (a) and (c): clients --------------------------------------------------------------------------------


@dataclass
class Sample:
    started: float  # seconds since the load began
    kind: str  # read | write
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    seconds: float
    ok: bool


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    unacknowledged: set[str] = field(default_factory=set)  # sent, answer not 201: may or may not exist
    error_examples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def errors(self, since: float = -1.0) -> list[Sample]:
        return [s for s in self.samples if not s.ok and s.started >= since]


def run_load(
    port: int,
    token: str,
    territory: str,
    clients: int,
    seconds: float,
    tag: str,
    stop: threading.Event | None = None,
) -> Load:
    """`clients` threads, each sending one request after the other until `seconds` are up."""
    load = Load()
    lock = threading.Lock()
    began = time.monotonic()
    deadline = began + seconds

    def client(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - a request mix, not a secret
        http_client = prodserver.Client(port=port, token=token, timeout=30)
        samples: list[Sample] = []
        acknowledged: set[str] = set()
        unacknowledged: set[str] = set()
        examples: list[str] = []
        for sequence in range(MAX_REQUESTS_PER_CLIENT):
            now = time.monotonic()
            if now >= deadline or (stop is not None and stop.is_set()):
                break
            write = rng.random() < WRITE_SHARE
            name = f"soak {tag} c{number:02d} n{sequence:06d}"
            status, ok, problem = 0, False, ""
            try:
                if write:
                    answer = http_client.post(
                        "/api/v1/people/", json={"full_name": name, "kind": "other", "territory": territory}
                    )
                    status = answer.status
                    ok = status == 201 and answer.json().get("full_name") == name
                else:
                    answer = http_client.get(rng.choice(READ_PATHS))
                    status = answer.status
                    ok = status == 200
                if not ok:
                    problem = f"{'POST' if write else 'GET'} → {status} {answer.text[:120]!r}"
            except (OSError, http.client.HTTPException, ValueError) as error:
                problem = f"{'POST' if write else 'GET'} → {type(error).__name__}: {error}"
            elapsed = time.monotonic() - now
            if write:
                (acknowledged if ok else unacknowledged).add(name)
            if problem and len(examples) < 3:
                examples.append(problem)
            samples.append(Sample(now - began, "write" if write else "read", status, elapsed, ok))
            if not ok:
                time.sleep(0.05)  # a refused connection answers at once: don't spin
        with lock:
            load.samples.extend(samples)
            load.acknowledged |= acknowledged
            load.unacknowledged |= unacknowledged
            load.error_examples.extend(examples[: max(0, 6 - len(load.error_examples))])

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    load.elapsed = time.monotonic() - began
    return load


def stored_names(instance: prodserver.Instance, tag: str) -> set[str]:
    with db(instance) as connection:
        rows = connection.execute(
            "SELECT full_name FROM registry_person WHERE starts_with(full_name, %s)", (f"soak {tag} ",)
        ).fetchall()
    return {r[0] for r in rows}


def warm_up(port: int, token: str) -> None:
    """Every worker has answered a few requests before anything is measured."""
    http_client = prodserver.Client(port=port, token=token)
    for _ in range(20):
        for path in READ_PATHS:
            http_client.get(path)


def latency_figures(experiment: Experiment, load: Load) -> None:
    every = [s.seconds for s in load.samples if s.ok]
    reads = [s.seconds for s in load.samples if s.ok and s.kind == "read"]
    writes = [s.seconds for s in load.samples if s.ok and s.kind == "write"]
    experiment.figure("p50 / p99, all requests", f"{ms(percentile(every, 50))} / {ms(percentile(every, 99))}")
    experiment.figure("p50 / p99, reads", f"{ms(percentile(reads, 50))} / {ms(percentile(reads, 99))}")
    experiment.figure("p50 / p99, writes", f"{ms(percentile(writes, 50))} / {ms(percentile(writes, 99))}")
    experiment.figure("slowest request", ms(max(every)) if every else "–")


def experiment_load(instance: prodserver.Instance, data: dict[str, Any], mode: Mode) -> Experiment:
    experiment = Experiment(
        "a", f"(a) {mode.clients} clients, {mode.seconds:.0f} s of mixed reads and writes"
    )
    say(experiment.title)
    warm_up(instance.port, data["token"])
    log_before = instance.server.log.stat().st_size
    tag = f"a{secrets.token_hex(3)}"
    load = run_load(instance.port, data["token"], data["territory"], mode.clients, mode.seconds, tag)
    stored = stored_names(instance, tag)
    log = instance.server.log.read_bytes()[log_before:].decode(errors="replace")
    errors = load.errors()
    reads = sum(1 for s in load.samples if s.kind == "read")
    writes = len(load.samples) - reads
    experiment.figure("clients × duration", f"{mode.clients} × {mode.seconds:.0f} s")
    experiment.figure("requests (reads / writes)", f"{len(load.samples)} ({reads} / {writes})")
    experiment.figure("throughput", f"{len(load.samples) / load.elapsed:.1f} requests/s")
    experiment.figure("errors", len(errors))
    latency_figures(experiment, load)
    missing = load.acknowledged - stored
    extra = stored - load.acknowledged
    experiment.figure(
        "acknowledged writes / rows in the database", f"{len(load.acknowledged)} / {len(stored)}"
    )
    experiment.figure(
        "acknowledged but missing / stored but not acknowledged", f"{len(missing)} / {len(extra)}"
    )
    timeouts = log.count("WORKER TIMEOUT")
    tracebacks = log.count("Traceback (most recent call last)")
    experiment.figure("worker timeouts / tracebacks in gunicorn's log", f"{timeouts} / {tracebacks}")
    experiment.promise("zero errors", not errors, "; ".join(load.error_examples[:3]))
    experiment.promise(
        "some writes and reads were made", writes > 0 and reads > 0, f"{reads} reads, {writes} writes"
    )
    experiment.promise("every acknowledged write is in the database", not missing, f"{len(missing)} missing")
    experiment.promise("nothing else is in the database", not extra, f"{len(extra)} unacknowledged rows")
    experiment.promise(
        "no worker timeout, no traceback", timeouts == 0 and tracebacks == 0, first_traceback(log)
    )
    return experiment


def first_traceback(log: str) -> str:
    """The first traceback's last lines, so a red CI run names the failing code."""
    start = log.find("Traceback (most recent call last)")
    if start < 0:
        return ""
    lines = log[start:].splitlines()
    # its exception line: the first one not indented (the log may end inside the traceback)
    end = next(
        (i for i, line in enumerate(lines[1:], 1) if not line.startswith((" ", "Traceback"))), len(lines) - 1
    )
    return "\n".join(lines[max(1, end - 12) : end + 1])


# (b) a bulk import killed --------------------------------------------------------------------------


def import_file(path: Path, data: dict[str, Any], rows: int, tag: str) -> None:
    from_columns = [
        "external_number",
        "type",
        "channel",
        "applicant_kind",
        "applicant_name",
        "applicant_contact",
        "territory",
        "department",
        "category",
        "text",
        "received_on",
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(from_columns)
        for number in range(1, rows + 1):
            writer.writerow(
                [
                    f"{tag}-{number:05d}",
                    "statement",
                    "written",
                    "person",
                    f"Сынақ өтініш беруші {number}",
                    "",
                    data["territory"],
                    data["department_code"],
                    "",
                    f"Жүктеме сынағы, жол {number}: көше жарығы туралы өтініш.",
                    data["today"],
                ]
            )


def import_state(instance: prodserver.Instance, data: dict[str, Any], tag: str) -> tuple[int, int]:
    """(appeals of this import, the region's last appeal number this year)."""
    with db(instance) as connection:
        count = connection.execute(
            "SELECT count(*) FROM appeals_appeal WHERE starts_with(external_number, %s)", (f"{tag}-",)
        ).fetchone()[0]
        last = connection.execute(
            "SELECT coalesce(max(last), 0) FROM appeals_appealsequence WHERE region_code = %s AND year = %s",
            (data["region"], int(data["today"][:4])),
        ).fetchone()[0]
    return int(count), int(last)


def run_import(
    instance: prodserver.Instance,
    data: dict[str, Any],
    path: Path,
    rows: int,
    tag: str,
    kill_at: float | None,
) -> dict[str, Any]:
    """Run the import; with `kill_at`, SIGKILL it once its progress bar passes that share of rows."""
    command = [prodserver.KELISIM, "import_appeals", str(path), "--user", USER]
    process = subprocess.Popen(  # noqa: S603 - our own command, no shell
        command,
        env=instance.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    progress = {"done": 0}
    captured: list[bytes] = []

    def read_progress() -> None:
        assert process.stderr is not None
        pattern = re.compile(rb"\|\s*(\d+)/(\d+)\s*\[")
        while chunk := os.read(process.stderr.fileno(), 4096):
            captured.append(chunk)
            for match in pattern.finditer(chunk):
                progress["done"] = max(progress["done"], int(match.group(1)))

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    started = time.monotonic()
    result: dict[str, Any] = {"killed": False, "visible_while_running": 0, "done_at_kill": 0}
    target = int(rows * kill_at) if kill_at is not None else None
    while process.poll() is None and time.monotonic() - started < 600:
        if target is not None and progress["done"] >= target:
            # What another session sees of the import while it runs: nothing, before the commit.
            result["visible_while_running"] = import_state(instance, data, tag)[0]
            result["done_at_kill"] = progress["done"]
            os.kill(process.pid, signal.SIGKILL)
            result["killed"] = True
            break
        time.sleep(0.01)
    if process.poll() is None and not result["killed"]:
        os.kill(process.pid, signal.SIGKILL)  # over the time bound
        result["killed"] = True
    process.wait(30)
    reader.join(5)
    assert process.stdout is not None
    result["stdout"] = process.stdout.read().decode(errors="replace")
    process.stdout.close()
    process.stderr.close() if process.stderr else None
    result["returncode"] = process.returncode
    result["seconds"] = time.monotonic() - started
    result["stderr_tail"] = b"".join(captured)[-500:].decode(errors="replace")
    # The killed client's backend notices the closed socket and rolls back; wait until it is gone.
    waited = time.monotonic()
    with db(instance) as connection:
        while time.monotonic() - waited < 30:
            busy = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
            ).fetchone()[0]
            if not busy:
                break
            time.sleep(0.1)
    result["rollback_seconds"] = time.monotonic() - waited
    return result


def experiment_import(instance: prodserver.Instance, data: dict[str, Any], mode: Mode) -> Experiment:
    experiment = Experiment(
        "b", f"(b) `kelisim import_appeals` of {mode.import_rows} rows killed with SIGKILL"
    )
    say(experiment.title)
    rows = mode.import_rows
    experiment.figure("rows in the file", rows)
    for kill_at in mode.kill_points:
        tag = f"SOAK{secrets.token_hex(3).upper()}"
        path = instance.var_dir / f"{tag}.csv"
        import_file(path, data, rows, tag)
        _count, last_before = import_state(instance, data, tag)
        result = run_import(instance, data, path, rows, tag, kill_at)
        count, last_after = import_state(instance, data, tag)
        label = f"killed after {result['done_at_kill']} of {rows} rows ({kill_at:.0%})"
        if result["killed"] and result["done_at_kill"]:
            experiment.figure(
                f"{label}: rows in the database", f"{count} (numbering {last_before} → {last_after})"
            )
            experiment.figure(f"{label}: rollback done", f"{result['rollback_seconds']:.2f} s after the kill")
        else:
            experiment.figure(
                f"import meant to be killed at {kill_at:.0%}", f"exit {result['returncode']}, {count} rows"
            )
        experiment.promise(
            f"{label}: the import was killed in its transaction",
            result["killed"]
            and result["returncode"] == -signal.SIGKILL
            and 0 < result["done_at_kill"] < rows,
            f"exit {result['returncode']}; {result['stderr_tail'][-200:]!r}" if not result["killed"] else "",
        )
        experiment.promise(
            f"{label}: no row of it was visible to others while it ran",
            result["visible_while_running"] == 0,
            f"{result['visible_while_running']} visible",
        )
        experiment.promise(
            f"{label}: all or none of it is in the database",
            count in (0, rows) and last_after - last_before == count,
            f"{count} of {rows} rows, numbering moved by {last_after - last_before}",
        )
        path.unlink(missing_ok=True)
    if mode.complete_import:
        tag = f"SOAK{secrets.token_hex(3).upper()}"
        path = instance.var_dir / f"{tag}.csv"
        import_file(path, data, rows, tag)
        _count, last_before = import_state(instance, data, tag)
        result = run_import(instance, data, path, rows, tag, None)
        count, last_after = import_state(instance, data, tag)
        experiment.figure(
            "the same import left to finish",
            f"exit {result['returncode']}, {count} rows in {result['seconds']:.1f} s "
            f"({rows / result['seconds']:.0f} rows/s with parsing and start-up)",
        )
        experiment.promise(
            "an import left to finish holds every row, numbered without gaps",
            result["returncode"] == 0 and count == rows and last_after - last_before == rows,
            f"exit {result['returncode']}, {count} rows, numbering moved by {last_after - last_before}",
        )
        path.unlink(missing_ok=True)
    ready = instance.client.get("/readyz").status
    experiment.promise("the service answers /readyz 200 afterwards", ready == 200, f"{ready}")
    return experiment


# (c) PostgreSQL restarted under load ----------------------------------------------------------------


def other_sessions(instance: prodserver.Instance) -> list[str]:
    """Client sessions on the PostgreSQL server that are not ours (other developers, other tests)."""
    with db(instance) as connection:
        rows = connection.execute(
            "SELECT datname, coalesce(application_name, ''), state FROM pg_stat_activity "
            "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
            "AND datname IS DISTINCT FROM current_database()"
        ).fetchall()
    return [f"{d} ({a or '-'}, {s})" for d, a, s in rows]


def restart_command() -> list[str] | None:
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if (p / "main").is_dir())
    if not versions:
        return None
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


def restart_under_load(
    instance: prodserver.Instance,
    data: dict[str, Any],
    mode: Mode,
    command: list[str],
    label: str,
    guard: Callable[[], list[str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, bool, str]]] | None:
    """The load of (a) with a restart in the middle; None when `guard`, asked just before the
    restart, names sessions of others (the restart is then not made)."""
    stop = threading.Event()
    readiness: list[tuple[float, int]] = []
    tag = f"c{secrets.token_hex(3)}"
    began = time.monotonic()

    def monitor() -> None:
        probe = prodserver.Client(port=instance.port, timeout=2)
        while not stop.is_set():
            at = time.monotonic() - began
            try:
                status = probe.get("/readyz").status
            except (OSError, http.client.HTTPException):
                status = 0
            readiness.append((at, status))
            time.sleep(0.1)

    results: dict[str, Load] = {}

    def load_thread() -> None:
        results["load"] = run_load(
            instance.port, data["token"], data["territory"], mode.clients, mode.restart_seconds, tag, stop
        )

    watcher = threading.Thread(target=monitor, daemon=True)
    loader = threading.Thread(target=load_thread, daemon=True)
    watcher.start()
    loader.start()
    time.sleep(mode.restart_at)
    if guard():  # somebody else started using PostgreSQL meanwhile: no restart
        stop.set()
        loader.join(60)
        watcher.join(5)
        return None
    restart_began = time.monotonic() - began
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    restart_ended = time.monotonic() - began
    loader.join(mode.restart_seconds + 90)
    stop.set()
    watcher.join(5)
    load = results["load"]
    after = [(t, s) for t, s in readiness if t >= restart_began]
    first_bad = next((t for t, s in after if s != 200), None)
    back = next((t for t, s in after if t >= restart_ended and s == 200), None)
    last_bad = max((t for t, s in after if s != 200), default=None)
    stored = stored_names(instance, tag)
    missing = load.acknowledged - stored
    extra = stored - load.acknowledged
    unexplained = extra - load.unacknowledged
    errors = load.errors()
    settled = (back or restart_ended) + 2.0
    late_errors = load.errors(since=settled)
    figures = [
        (
            f"{label}: PostgreSQL restart took",
            f"{restart_ended - restart_began:.1f} s (exit {completed.returncode})",
        ),
        (
            f"{label}: /readyz not 200",
            f"from {first_bad - restart_began:.1f} s to {last_bad - restart_began:.1f} s after the restart began"
            if first_bad is not None and last_bad is not None
            else "never seen",
        ),
        (
            f"{label}: /readyz 200 again",
            f"{back - restart_ended:.2f} s after PostgreSQL was back" if back is not None else "never",
        ),
        (
            f"{label}: requests / failed during the restart / failed afterwards",
            f"{len(load.samples)} / {len(errors) - len(late_errors)} / {len(late_errors)}",
        ),
        (
            f"{label}: acknowledged writes / in the database / missing",
            f"{len(load.acknowledged)} / {len(stored & load.acknowledged)} / {len(missing)}",
        ),
        (
            f"{label}: failed writes that committed anyway",
            f"{len(extra & load.unacknowledged)} of {len(load.unacknowledged)}",
        ),
    ]
    checks = [
        (
            f"{label}: pg_ctlcluster restart succeeded",
            completed.returncode == 0,
            completed.stderr.strip()[-200:],
        ),
        (
            f"{label}: /readyz back to 200 by itself within 10 s",
            back is not None and back - restart_ended <= 10,
            f"{back - restart_ended:.2f} s" if back is not None else "never",
        ),
        (f"{label}: no acknowledged write lost", not missing, f"{len(missing)} missing"),
        (f"{label}: no row that nobody wrote", not unexplained, f"{len(unexplained)} unexplained"),
        (
            f"{label}: no failures 2 s after recovery",
            not late_errors,
            "; ".join(load.error_examples[:2]) if late_errors else "",
        ),
    ]
    return figures, checks


def experiment_restart(
    instance: prodserver.Instance, data: dict[str, Any], mode: Mode, anyway: bool
) -> Experiment:
    experiment = Experiment("c", f"(c) PostgreSQL restarted under load ({mode.clients} clients)")
    say(experiment.title)
    command = restart_command()
    if command is None:
        experiment.skipped = "needs root, pg_ctlcluster and /etc/postgresql/<version>/main"
        say(f"  skipped: {experiment.skipped}")
        return experiment
    experiment.figure("command", "`" + " ".join(command) + "`")
    experiment.figure("restart", f"{mode.restart_at:.0f} s into {mode.restart_seconds:.0f} s of load")

    def others() -> list[str]:
        return [] if anyway else other_sessions(instance)

    variants = [
        ("CONN_MAX_AGE=0", ""),
        ("CONN_MAX_AGE=60 + health checks", "?conn_max_age=60&conn_health_checks=True"),
    ]
    ran = 0
    for label, query in variants:
        if query:  # the same database, served with persistent connections
            instance.server.stop()
            env = {**instance.env, "DATABASE_URL": instance.database + query}
            instance.server = prodserver.Server(
                env, instance.server.log, workers=instance.server.workers
            ).start()
        say(f"  {label}")
        outcome = None
        waited = time.monotonic()
        # A restart breaks whatever else uses this PostgreSQL (other developers' tests and
        # benchmarks): wait, up to 10 minutes, for a moment when nobody else is connected.
        while outcome is None and time.monotonic() - waited < 600:
            busy = others()
            if busy:
                say(f"  waiting for a quiet PostgreSQL; other sessions: {', '.join(busy[:3])}")
                time.sleep(10)
                continue
            warm_up(instance.port, data["token"])
            outcome = restart_under_load(instance, data, mode, command, label, others)
        if outcome is None:
            experiment.figure(f"{label}", "not run: PostgreSQL never free of other sessions for 10 minutes")
            continue
        ran += 1
        figures, checks = outcome
        experiment.figures.extend(figures)
        for promise, ok, detail in checks:
            experiment.promise(promise, ok, detail if not ok else "")
    if not ran:
        experiment.skipped = (
            "PostgreSQL was in use by other sessions (tests, benchmarks) for 10 minutes; a restart "
            "would have broken their work (--restart-anyway overrides)"
        )
        say(f"  skipped: {experiment.skipped}")
    return experiment


# (d) concurrent edits of one appeal -----------------------------------------------------------------


def experiment_race(instance: prodserver.Instance, data: dict[str, Any], mode: Mode) -> Experiment:
    experiment = Experiment("d", f"(d) two clients, one appeal, the same version: {mode.race_rounds} rounds")
    say(experiment.title)
    api = prodserver.Client(port=instance.port, token=data["token"])
    created = api.post(
        "/api/v1/appeals/",
        json={
            "type": "statement",
            "channel": "written",
            "applicant_kind": "person",
            "applicant_name": "Сынақ өтініш беруші",
            "territory": data["territory"],
            "department": data["department_id"],
            "text": "Бір өтінішті екі адам бір мезгілде өңдейді.",
            "received_on": data["today"],
        },
    )
    if not experiment.promise(
        "the appeal is registered through the API",
        created.status == 201,
        "" if created.status == 201 else f"{created.status} {created.text[:300]}",
    ):
        return experiment
    appeal = created.json()
    url = f"/api/v1/appeals/{appeal['id']}/"
    start_version = int(appeal["version"])
    outcomes: dict[str, int] = {}
    bad_rounds: list[str] = []
    for round_number in range(mode.race_rounds):
        version = int(api.get(url).json()["version"])
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def contender(statuses: list[int] = statuses, version: int = version, barrier: Any = barrier) -> None:
            client = prodserver.Client(port=instance.port, token=data["token"])
            barrier.wait(10)
            answer = client.post(
                f"{url}transition/",
                json={"action": "assign", "version": version, "lead_executor": data["user_id"]},
            )
            statuses.append(answer.status)

        threads = [threading.Thread(target=contender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        key = " + ".join(str(s) for s in sorted(statuses))
        outcomes[key] = outcomes.get(key, 0) + 1
        if sorted(statuses) != [200, 409]:
            bad_rounds.append(f"round {round_number + 1}: {key}")
    final = api.get(url).json()
    with db(instance) as connection:
        assigns = connection.execute(
            "SELECT count(*) FROM appeals_appealevent WHERE appeal_id = %s AND action = 'assign'",
            (appeal["id"],),
        ).fetchone()[0]
    experiment.figure("rounds", mode.race_rounds)
    experiment.figure(
        "outcomes (statuses of the two answers)", ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
    )
    experiment.figure("version before / after", f"{start_version} / {final['version']}")
    experiment.figure("assignments in the appeal's history", assigns)
    experiment.promise("each round: exactly one 200 and one 409", not bad_rounds, "; ".join(bad_rounds[:5]))
    experiment.promise(
        "one change per round (version and history)",
        int(final["version"]) - start_version == mode.race_rounds and assigns == mode.race_rounds,
        f"version +{int(final['version']) - start_version}, {assigns} assignments",
    )
    return experiment


# The report -----------------------------------------------------------------------------------------


def machine(instance: prodserver.Instance) -> list[tuple[str, str]]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.0f} GiB RAM"
    system = platform.platform()
    with contextlib.suppress(OSError):
        found = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        system = f"{found.group(1)}, Linux {platform.release()}" if found else system
    with db(instance) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    import importlib.metadata as metadata

    workers = instance.server.workers or int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores available"),
        ("memory", memory),
        ("system", system),
        (
            "software",
            f"Python {platform.python_version()}, Django {metadata.version('django')}, "
            f"gunicorn {metadata.version('gunicorn')} ({workers} sync workers, deploy/gunicorn.conf.py), "
            f"PostgreSQL {postgres}, psycopg {metadata.version('psycopg')}",
        ),
        ("load generator", "tools/soak.py on the same machine (threads, one connection per request)"),
    ]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_report(experiments: list[Experiment], machine_rows: list[tuple[str, str]], took: float) -> None:
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine_text = "; ".join(v for _k, v in machine_rows[:3])
    lines = [
        "# Reliability: load and fault experiments",
        "",
        "Written by `make soak` (`python tools/soak.py --full`); do not edit by hand, run it again.",
        "`make test` runs the same experiments briefly (`--quick`) and fails when a promise breaks.",
        "Kelisim runs as deployed (docs/deployment.md): gunicorn with `deploy/gunicorn.conf.py`,",
        "`kelisim.settings.production`, PostgreSQL, a database prepared as `make setup` does it,",
        "requests forwarded as nginx does (`X-Forwarded-Proto: https`) — all on loopback, no nginx in",
        "between. The clients run on the same machine and take part of its two cores: the latencies",
        "below include that.",
        "",
        f"Last run: {date}, {took:.0f} s in all.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {k} | {_cell(v)} |" for k, v in machine_rows],
        "",
        "## Promises",
        "",
        "| Experiment | Promise | Held |",
        "|---|---|---|",
    ]
    for experiment in experiments:
        if experiment.skipped:
            lines.append(f"| {experiment.key} | — | not run: {_cell(experiment.skipped)} |")
        for check in experiment.checks:
            lines.append(
                f"| {check.experiment} | {_cell(check.promise)} | "
                f"{'yes' if check.ok else 'NO: ' + _cell(check.detail)} |"
            )
    for experiment in experiments:
        lines += ["", f"## {experiment.title}", ""]
        if experiment.key == "a":
            lines += [
                "Each client loops: 70 % GET of a list (`/api/v1/people/?q=soak`, `/api/v1/events/`,",
                "`/api/v1/appeals/`, `/api/v1/me/`), 30 % `POST /api/v1/people/` with a unique `full_name`,",
                "all with one API token of a district coordinator. Afterwards the set of names answered",
                "201 is compared with the set of names in `registry_person`.",
                "",
            ]
        elif experiment.key == "b":
            lines += [
                "A CSV of appeals for Korday district is imported by `kelisim import_appeals FILE --user",
                "coordinator.korday` in a subprocess, which gets SIGKILL once its progress bar passes the",
                "given share of rows, i.e. inside `importer.commit`'s single transaction. Counted: the",
                "appeals carrying the file's external numbers, and the region's appeal numbering",
                "(`appeals_appealsequence.last`), which must move by exactly the rows kept.",
                "",
            ]
        elif experiment.key == "c":
            lines += [
                "The mixed load of (a) runs while the PostgreSQL cluster is restarted (fast shutdown).",
                "Requests in flight and those arriving while it is down fail (500/503, not acknowledged);",
                "the promises are about what follows: /readyz returns to 200 without anybody touching",
                "gunicorn, no write answered 201 is missing, and requests succeed again. A write that",
                "failed may still have committed (the answer was lost, not the row): counted, not an error.",
                "",
            ]
        elif experiment.key == "d":
            lines += [
                "Each round reads the appeal's version, then two clients send `POST",
                "/api/v1/appeals/<id>/transition/` `{action: assign, version}` at the same moment, from",
                "two gunicorn workers. `appeals.services._locked` takes the row with SELECT … FOR UPDATE",
                "and compares versions.",
                "",
            ]
        if experiment.skipped:
            lines += [f"Not run: {experiment.skipped}.", ""]
            continue
        lines += ["| Figure | Value |", "|---|---|", f"| date | {date} |", f"| machine | {machine_text} |"]
        lines += [f"| {_cell(name)} | {_cell(value)} |" for name, value in experiment.figures]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--quick", action="store_true", help="a short run for `make test`")
    which.add_argument("--full", action="store_true", help="the full run; writes docs/reliability.md")
    parser.add_argument("--clients", type=int, default=None, help="override N of (a) and (c)")
    parser.add_argument("--seconds", type=float, default=None, help="override T of (a)")
    parser.add_argument("--no-report", action="store_true", help="--full without writing docs/reliability.md")
    parser.add_argument(
        "--restart-anyway", action="store_true", help="(c) even while others use the PostgreSQL server"
    )
    parser.add_argument("--skip-restart", action="store_true", help="leave (c) out of the full run")
    args = parser.parse_args(argv)
    mode = FULL if args.full else QUICK
    if args.clients:
        mode.clients = args.clients
    if args.seconds:
        mode.seconds = args.seconds
    if args.skip_restart:
        mode.restart = False
    started = time.monotonic()
    experiments: list[Experiment] = []
    machine_rows: list[tuple[str, str]] = []
    try:
        with prodserver.production(
            # The experiments never fetch a static file: an uncompressed build will do if need be.
            f"kelisim_soak_{secrets.token_hex(3)}",
            quiet=mode is QUICK,
            compress_static=False,
        ) as instance:
            say(f"server ready on 127.0.0.1:{instance.port}")
            data = fixture(instance)
            steps: list[Callable[[], Experiment]] = [
                lambda: experiment_load(instance, data, mode),
                lambda: experiment_import(instance, data, mode),
                lambda: experiment_race(instance, data, mode),
            ]
            if mode.restart:
                steps.append(lambda: experiment_restart(instance, data, mode, args.restart_anyway))
            for step in steps:
                experiments.append(step())
            machine_rows = machine(instance)
            failed = [c for e in experiments for c in e.checks if not c.ok]
            if failed:
                print("\ngunicorn's log, last lines:\n" + instance.server.log_tail(25), file=sys.stderr)
    except (prodserver.ProdServerError, OSError, ImportError) as error:
        print(f"soak: could not run: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # psycopg's errors among others: a failed run, said plainly
        print(f"soak: the run broke off: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    took = time.monotonic() - started
    experiments.sort(key=lambda e: e.key)
    for experiment in experiments:
        print(f"\n{experiment.title}" + (f" — not run: {experiment.skipped}" if experiment.skipped else ""))
        for name, value in experiment.figures:
            print(f"  {name}: {value}")
    if mode is FULL and not args.no_report:
        write_report(experiments, machine_rows, took)
        print(f"\nFigures written to {REPORT.relative_to(ROOT)}")
    failed = [c for e in experiments for c in e.checks if not c.ok]
    if failed:
        print(
            f"\nsoak --{mode.name} FAILED, {len(failed)} broken promise(s) ({took:.0f} s):", file=sys.stderr
        )
        for check in failed:
            print(f"  - ({check.experiment}) {check.promise}: {check.detail}", file=sys.stderr)
        return 1
    print(f"\nsoak --{mode.name}: every promise held ({took:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
