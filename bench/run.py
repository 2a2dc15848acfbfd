"""The benchmark suite's entry point: `python -m bench` or `python bench/run.py`.

BENCH_SCALE: small | region (default) | national. BENCH_DATABASES: sqlite,postgresql (default both).
BENCH_POSTGRES_URL (or KELISIM_TEST_POSTGRES_URL): a PostgreSQL server's maintenance database, on which
the database kelisim_bench is created and, at the end, dropped."""

import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import growth, machine, report
from bench.measure import not_measured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PG_NAME = "kelisim_bench"
PG_SETTINGS = {"work_mem": "16MB", "maintenance_work_mem": "256MB", "effective_cache_size": "3GB"}


def _postgres_admin() -> str:
    return os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
        "KELISIM_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )


def _pg_execute(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def _pg_url(admin: str) -> str:
    base, _sep, _db = admin.rpartition("/")
    return f"{base}/{PG_NAME}"


def _run_engine(engine: str, scale: str, env: dict[str, str]) -> dict[str, Any]:
    out = OUT / f"{engine}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.worker", engine, scale, str(out)]
    completed = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
    if completed.returncode != 0 or not out.exists():
        raise RuntimeError(f"the {engine} run failed (exit {completed.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "region")
    if scale not in ("small", "region", "national"):
        print(f"BENCH_SCALE must be small, region or national, not {scale!r}", file=sys.stderr)
        return 2
    engines = [
        e.strip() for e in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if e.strip()
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kelisim.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    runs: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for engine in engines:
        env = {**base, "KELISIM_VAR_DIR": str(OUT / engine)}
        if engine == "sqlite":
            path = OUT / "kelisim_bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{path}?conn_max_age=60"
            try:
                runs.append(_run_engine(engine, scale, env))
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        elif engine == "postgresql":
            admin = _postgres_admin()
            try:
                _pg_execute(admin, f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
                _pg_execute(admin, f"CREATE DATABASE {PG_NAME}")
                # docs/deployment.md's tuning, for every connection to the benchmark's database
                # (shared_buffers needs a restart of the cluster: its value is recorded, not set).
                for name, value in PG_SETTINGS.items():
                    _pg_execute(admin, f"ALTER DATABASE {PG_NAME} SET {name} = '{value}'")
            except Exception as error:  # no server: say so in the results rather than fail
                reason = f"no PostgreSQL at {admin.split('@')[-1]}: {type(error).__name__}"
                print(reason, file=sys.stderr)
                skipped.append(not_measured("all figures", "postgresql", reason))
                continue
            env["DATABASE_URL"] = f"{_pg_url(admin)}?conn_max_age=60"
            try:
                runs.append(_run_engine(engine, scale, env))
            finally:
                _pg_execute(admin, f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        else:
            print(f"unknown engine {engine!r}", file=sys.stderr)
            return 2
    results = [f for run in runs for f in run["figures"]] + skipped
    for record in results:
        record["scale"] = scale
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    info = {
        "scale": scale,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.perf_counter() - started),
        "machine": machine.describe(),
    }
    (OUT / "run.json").write_text(
        json.dumps({"info": info, "runs": runs, "skipped": skipped}, ensure_ascii=False), encoding="utf-8"
    )
    grown = growth.write(scale, info, runs)
    (ROOT / "docs" / "benchmarks.md").write_text(
        report.markdown(info, runs, skipped, grown), encoding="utf-8"
    )
    print(f"wrote {OUT / 'results.json'} and docs/benchmarks.md in {info['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
