"""One database engine's run, in its own process (Django is configured once per process):
`python -m bench.worker ENGINE SCALE OUT.json`, with DATABASE_URL and the production settings set
by bench.run."""

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent

REPETITIONS = {
    # dashboard, surveys, search rounds, API CPU rounds over the six pages, open-loop seconds, import repetitions
    "small": (15, 9, 5, 20, 20.0, 3),
    "region": (9, 7, 3, 10, 30.0, 1),
    "national": (5, 5, 3, 10, 30.0, 1),
}


def say(message: str) -> None:
    print(f"[{os.environ.get('BENCH_ENGINE', '?')}] {message}", flush=True)


def main(engine: str, scale: str, out: Path) -> None:
    os.environ["BENCH_ENGINE"] = engine
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from bench import api, dashboard, importing, search, surveys
    from kelisim.accounts.models import User
    from kelisim.appeals.models import Appeal
    from kelisim.demo import generate
    from kelisim.surveys.models import Instrument
    from kelisim.territories.models import Territory

    dash_reps, survey_reps, search_rounds, api_rounds, api_seconds, import_reps = REPETITIONS[scale]
    say("migrate")
    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        say("load_territories")
        call_command("load_territories", verbosity=0)
    say(f"generate --scale {scale}")
    result = generate.generate(scale=scale, seed=1, report=say)
    generation = {
        t.table: {"rows": t.rows, "seconds": round(t.seconds, 3), "rows_per_second": round(t.rate, 1)}
        for t in sorted(result.tables.values(), key=lambda t: -t.rows)
    }
    # As a database in service would be: the planner's statistics of the tables just filled.
    say("analyze")
    with connection.cursor() as cursor:
        # VACUUM too on PostgreSQL: autovacuum would have set the visibility map, without which the
        # planner doesn't trust index-only scans of tables just filled.
        cursor.execute("VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE")
        cursor.execute("SELECT sqlite_version()" if engine == "sqlite" else "SHOW server_version")
        server = cursor.fetchone()[0]
        settings_in_force = {}
        if engine == "postgresql":
            for name in ("work_mem", "maintenance_work_mem", "effective_cache_size", "shared_buffers"):
                cursor.execute(f"SHOW {name}")
                settings_in_force[name] = cursor.fetchone()[0]

    # The busiest region's coordinator is the user of the scoped figures.
    top = Appeal.objects.values("region_code").annotate(n=Count("id")).order_by("-n", "region_code").first()
    assert top is not None
    region_code = top["region_code"]
    region = Territory.objects.get(code=region_code)
    coordinator = User.objects.get(username=f"synthetic.coordinator.{region_code}")
    analyst = User.objects.get(username="synthetic.analyst")
    instrument = Instrument.objects.get(code="tolerance_index")
    version = instrument.current
    assert version is not None
    figures: list[dict[str, Any]] = []

    say("dashboard")
    figures += dashboard.run(engine, coordinator.pk, region.path, dash_reps)
    say("surveys")
    figures += surveys.run(engine, analyst.pk, instrument.pk, version.pk, survey_reps)
    say("search")
    figures += search.run_search(engine, coordinator.pk, search_rounds)
    if engine == "sqlite":
        synthetic = [f"{e.title_kk}. {e.summary_kk} {e.title_ru}. {e.summary_ru}" for e in _events(200)]
        texts, source = search.release_texts(synthetic)
        figures += search.run_extraction("python (no database)", texts, source)

    say("api")
    key = _api_key(coordinator)
    in_region = Appeal.objects.filter(region_code=region_code)
    district = (
        in_region.exclude(territory__level=1)
        .values("territory__path")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    district_code = district["territory__path"].split("/")[1] if district else region_code
    department = in_region.values("department_id").annotate(n=Count("id")).order_by("-n").first()
    paths = [
        "/api/v1/appeals/?status=in_progress",
        "/api/v1/appeals/?status=closed&page=2",
        f"/api/v1/appeals/?territory={district_code}",
        f"/api/v1/appeals/?department={department['department_id'] if department else ''}",
        "/api/v1/appeals/?overdue=true",
        f"/api/v1/appeals/?territory={district_code}&status=closed",
    ]
    from kelisim.accounts import policies

    scope_paths = sorted(policies.scope_paths(coordinator, "view_appeal"))
    database_name = connection.settings_dict["NAME"]
    figures += api.run(
        engine,
        dict(os.environ),
        key,
        paths,
        database_name=str(database_name),
        scope_paths=scope_paths,
        rounds=api_rounds,
        seconds=api_seconds,
        log=ROOT / "var" / "bench" / f"gunicorn-{engine}.log",
    )

    sizes = {
        "appeals": Appeal.objects.count(),
        "appeals_in_scope": in_region.count(),
        "region": f"{region.name_kk or region.name_ru} ({region_code})",
    }
    say("import")
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", importing.ROWS[scale]))
    figures += importing.run(engine, coordinator.pk, region_code, rows, import_reps)

    out.write_text(
        json.dumps(
            {
                "database": engine,
                "server_version": server,
                "server_settings": settings_in_force,
                "scale": scale,
                "generation": generation,
                "generation_seconds": round(result.seconds, 1),
                "sizes": sizes,
                "figures": figures,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    say("done")


def _api_key(user: Any) -> str:
    """A token the way the application makes them (personal, hashed), or DRF's where it has none."""
    try:
        from kelisim.accounts.services import api_token_create  # type: ignore[attr-defined]
    except ImportError:
        from rest_framework.authtoken.models import Token

        return Token.objects.get_or_create(user=user)[0].key
    # A regional coordinator mints tokens only from a session that verified its second factor
    # (production settings); the benchmark stands in for such a session.
    user.is_verified = lambda: True
    _token, key = api_token_create(user=user, name="benchmark")
    return key


def _events(limit: int) -> list[Any]:
    from kelisim.events.models import Event

    return list(Event.objects.order_by("pk")[:limit])


if __name__ == "__main__":
    started = time.perf_counter()
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
    say(f"{time.perf_counter() - started:.0f} s")
