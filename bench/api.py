"""GET /api/v1/appeals/ under concurrent keep-alive connections against gunicorn with the
production settings, on loopback only; GET /healthz under the same load is the framework's floor."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.measure import figure, percentile

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: nothing else is ever a target


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with kelisim.settings.production: gthread workers, keep-alive."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.args = [
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


def load(
    port: int, paths: list[str], headers: dict[str, str], connections: int, requests: int, seconds: float
) -> dict[str, Any]:
    """`connections` threads, each on its own keep-alive connection, until `requests` are done or
    `seconds` have passed: closed loop, every response read in full."""
    latencies: list[float] = []
    by_path: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = [0]
    start_line = threading.Barrier(connections + 1)
    deadline = [0.0]

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        per_path: list[tuple[str, float]] = []
        for warm in range(2):  # warm-up: opens the connection and the server's thread
            conn.request("GET", paths[(index + warm) % len(paths)], headers=headers)
            conn.getresponse().read()
        start_line.wait()
        turn = index
        while True:
            with lock:
                if issued[0] >= requests or time.perf_counter() > deadline[0]:
                    break
                issued[0] += 1
            path = paths[turn % len(paths)]
            turn += 1
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{type(error).__name__} {path}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            mine.append(time.perf_counter() - began)
            per_path.append((path, mine[-1]))
        conn.close()
        with lock:
            latencies.extend(mine)
            by_path.extend(per_path)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds + 30
    start_line.wait()
    began = time.perf_counter()
    deadline[0] = began + seconds
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_sample": errors[:5],
        "seconds": round(wall, 3),
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": (sum(latencies) / len(latencies) * 1000) if latencies else 0.0,
        "p99_ms_by_path": {
            p: round(percentile([t for q, t in by_path if q == p], 99) * 1000, 1) for p in sorted(set(paths))
        },
    }


def run(
    database: str,
    env: dict[str, str],
    token: str,
    paths: list[str],
    *,
    requests: int,
    seconds: float,
    connections: int = 32,
    workers: int = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4")),
    threads: int = int(os.environ.get("BENCH_GUNICORN_THREADS", "8")),
    log: Path,
) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    with Server(env, workers, threads, log) as server:
        for path in paths:  # every URL answers, with a full page where there is one
            status, body = get(server.port, path, headers)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}: {body[:200]!r}")
        floor = load(
            server.port, ["/healthz"], {"Accept": "application/json"}, connections, requests, seconds
        )
        appeals = load(server.port, paths, headers, connections, requests, seconds)
    common = {
        "connections": connections,
        "server": f"gunicorn gthread, {workers} workers × {threads} threads, production settings",
        "paths": paths,
    }
    return [
        figure(
            "GET /api/v1/appeals/ p99 (32 connections)",
            database,
            appeals["p99_ms"],
            "ms",
            floor["p99_ms"],
            baseline_name="GET /healthz p99, same server and load",
            target={"on": "value", "op": "<=", "limit": 100.0, "text": "p99 ≤ 100 ms"},
            n=appeals["requests"],
            errors=appeals["errors"],
            p99_ms_by_path=appeals["p99_ms_by_path"],
            baseline_errors=floor["errors"],
            repetitions=1,
            **common,
        ),
        figure(
            "GET /api/v1/appeals/ p50 (32 connections)",
            database,
            appeals["p50_ms"],
            "ms",
            floor["p50_ms"],
            baseline_name="GET /healthz p50, same server and load",
            n=appeals["requests"],
            repetitions=1,
        ),
        figure(
            "GET /api/v1/appeals/ throughput (32 connections)",
            database,
            appeals["rps"],
            "req/s",
            floor["rps"],
            baseline_name="GET /healthz req/s, same server and load",
            n=appeals["requests"],
            seconds=appeals["seconds"],
            baseline_requests=floor["requests"],
            repetitions=1,
        ),
    ]
