"""GET /api/v1/appeals/ against gunicorn with the production settings, on loopback only: the CPU a
page costs the server and the database (from /proc), against the same pages by hand-written SQL and
json.dumps; and the p99 at a fixed rate (open loop) with gunicorn pinned to one core and the load
generator to the other, against GET /healthz at the same rate."""

import http.client
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench import api_sql, cpu
from bench.measure import figure, percentile

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: nothing else is ever a target


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with kelisim.settings.production: gthread workers, keep-alive."""

    def __init__(
        self, env: dict[str, str], workers: int, threads: int, log: Path, cpu_list: str | None = None
    ) -> None:
        self.port = free_port()
        self.log = log
        pinned = ["taskset", "-c", cpu_list] if cpu_list and shutil.which("taskset") else []
        self.args = [
            *pinned,
            sys.executable,
            "-m",
            "gunicorn",
            "kelisim.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--timeout",
            "120",
        ]
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "kelisim.settings.production", "LOG_LEVEL": "WARNING"}
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("wb")
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=handle, stderr=handle)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log}")
            try:
                status, _body = get(self.port, "/healthz", {})
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within 60 s: see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()  # this process only: the server we started
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _cpu_per_request(
    port: int, paths: list[str], headers: dict[str, str], server_pids: list[int], database: str, rounds: int
) -> tuple[float, list[int]]:
    """CPU ms of the server (gunicorn's processes) and the database backends per request, over
    `rounds` passes over `paths` one after another on one keep-alive connection; and the ids of
    each path's page (the same answer as the baseline's)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    ids: list[int] = []

    def one(path: str) -> bytes:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return body

    for path in paths:  # warm: connections opened, plans cached
        ids += [r["id"] for r in json.loads(one(path)).get("results", [])]
    backends = cpu.postgres_backends(database)
    before = cpu.total(server_pids) + cpu.total(backends)
    for _ in range(rounds):
        for path in paths:
            one(path)
    spent = cpu.total(server_pids) + cpu.total(backends) - before
    conn.close()
    return spent / (rounds * len(paths)) * 1000, ids


def _baseline_per_request(
    paths: list[str], scope_paths: list[str], today: Any, rounds: int
) -> tuple[float, list[int]]:
    """CPU ms of this process and its database backend per page by hand-written SQL + json.dumps."""
    ids: list[int] = []
    for path in paths:
        ids += api_sql.page(path, scope_paths, today)[1]
    own = cpu.own_backend()
    before = time.process_time() + cpu.total(own)
    for _ in range(rounds):
        for path in paths:
            api_sql.page(path, scope_paths, today)
    spent = time.process_time() + cpu.total(own) - before
    return spent / (rounds * len(paths)) * 1000, ids


def open_loop(
    port: int, paths: list[str], headers: dict[str, str], rate: float, seconds: float, clients: int = 16
) -> dict[str, Any]:
    """Requests sent at a fixed `rate` whatever the answers do (an open loop: a slow answer delays
    nothing but its own); each latency counts from the moment its request was due, so time spent
    waiting for a free connection is counted too."""
    due_times = [i / rate for i in range(int(rate * seconds))]
    todo: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while (item := todo.get()) is not None:
            due, path = item
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as error:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                path = f"{type(error).__name__} {path}"
            with lock:
                latencies.append(time.perf_counter() - due)
                if not ok:
                    errors.append(path)
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.5
    for i, offset in enumerate(due_times):
        todo.put((start + offset, paths[i % len(paths)]))
    for _ in threads:
        todo.put(None)
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_sample": errors[:5],
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def run(
    database: str,
    env: dict[str, str],
    token: str,
    paths: list[str],
    *,
    database_name: str,
    scope_paths: list[str],
    rounds: int,
    seconds: float,
    rate: float = 50.0,
    workers: int = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2")),
    threads: int = int(os.environ.get("BENCH_GUNICORN_THREADS", "4")),
    log: Path,
) -> list[dict[str, Any]]:
    from django.utils import timezone

    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    restore = cpu.pin(1)  # the load generator (this process) on the second core …
    try:
        with Server(env, workers, threads, log, cpu_list="0") as server:  # … gunicorn on the first
            for path in paths:  # every URL answers, with a full page where there is one
                status, body = get(server.port, path, headers)
                if status != 200:
                    raise RuntimeError(f"{path}: HTTP {status}: {body[:200]!r}")
            assert server.process is not None
            pids = cpu.children(server.process.pid)
            api_cpu, api_ids = _cpu_per_request(server.port, paths, headers, pids, database_name, rounds)
            floor = open_loop(server.port, ["/healthz"], {"Accept": "application/json"}, rate, seconds)
            appeals = open_loop(server.port, paths, headers, rate, seconds)
    finally:
        if restore is not None:
            os.sched_setaffinity(0, restore)
    sql_cpu, sql_ids = _baseline_per_request(paths, scope_paths, timezone.localdate(), rounds)
    same = api_ids == sql_ids
    common = {
        "server": f"gunicorn gthread, {workers} workers × {threads} threads on core 0, production settings",
        "paths": paths,
        "same_answer": same,
    }
    baseline_name = "the same pages by hand-written SQL + json.dumps, same database"
    return [
        figure(
            "list API CPU per request",
            database,
            api_cpu,
            "ms",
            sql_cpu,
            baseline_name=baseline_name,
            target={"on": "value", "op": "<=", "limit": 15.0, "text": "≤ 15 ms"},
            n=rounds * len(paths),
            repetitions=rounds,
            detail="server and database processes' CPU from /proc, per request",
            **common,
        ),
        figure(
            "list API CPU vs hand-written SQL + json.dumps",
            database,
            api_cpu,
            "ms",
            sql_cpu,
            baseline_name=baseline_name,
            target={"on": "ratio", "op": "<=", "limit": 3.0, "text": "≤ 3× SQL + json.dumps"},
            n=rounds * len(paths),
            repetitions=rounds,
            **common,
        ),
        figure(
            f"list API p99 at {rate:.0f} req/s open loop, pinned cores",
            database,
            appeals["p99_ms"],
            "ms",
            floor["p99_ms"],
            baseline_name=f"GET /healthz p99 at {rate:.0f} req/s, same server",
            target={"on": "value", "op": "<=", "limit": 100.0, "text": "p99 ≤ 100 ms"},
            n=appeals["requests"],
            errors=appeals["errors"],
            p50_ms=round(appeals["p50_ms"], 2),
            baseline_errors=floor["errors"],
            repetitions=1,
            **common,
        ),
    ]
