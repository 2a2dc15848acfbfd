"""XLSX import of appeals: kelisim.appeals.importer.parse + commit against openpyxl reading alone."""

import io
import random
import time
from datetime import timedelta
from typing import Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bench.measure import figure, median

ROWS = {"small": 1_000, "region": 100_000, "national": 100_000}


def build_workbook(user_id: int, region_code: str, rows: int, seed: int = 11) -> bytes:
    """`rows` valid appeals of the coordinator's region, as a department would export them."""
    from kelisim.accounts import policies
    from kelisim.accounts.models import Department, User
    from kelisim.appeals.importer import COLUMNS
    from kelisim.appeals.models import Category
    from kelisim.territories.models import Territory

    rng = random.Random(seed)  # noqa: S311 - synthetic rows, not a secret
    user = User.objects.get(pk=user_id)
    departments = list(
        Department.objects.filter(policies.scope_q(user, "view_department"), code__startswith="syn-")
        .order_by("code")
        .values_list("code", flat=True)
    )
    territories = list(
        Territory.objects.filter(path__startswith=f"{region_code}/", level__lte=3, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    categories = list(Category.objects.order_by("code").values_list("code", flat=True))
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("appeals")
    sheet.append(COLUMNS)
    for number in range(1, rows + 1):
        channel = rng.choice(["eotinish", "eotinish", "written", "reception", "phone"])
        sheet.append(
            [
                f"SYN-IMP-{number:07d}" if channel == "eotinish" else "",
                rng.choice(["statement", "statement", "complaint", "request", "proposal"]),
                channel,
                "person",
                f"Синтетикалық импорт өтініш беруші №{number}",
                f"synthetic-import-{number}@example.invalid",
                rng.choice(territories),
                rng.choice(departments),
                rng.choice(categories),
                f"Синтетикалық өтініш (импорт) №{number}: су құбыры мен жол жөндеу туралы.",
                today - timedelta(days=rng.randint(0, 20)),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def openpyxl_only(content: bytes) -> int:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = 0
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        if any(v not in (None, "") for v in values):
            count += 1
    workbook.close()
    return count - 1  # the header


def run(database: str, user_id: int, region_code: str, rows: int, repetitions: int) -> list[dict[str, Any]]:
    from kelisim.accounts.models import User
    from kelisim.appeals import importer

    content = build_workbook(user_id, region_code, rows)
    read_times = []
    for _ in range(max(3, repetitions)):
        started = time.perf_counter()
        assert openpyxl_only(content) == rows
        read_times.append(time.perf_counter() - started)
    parse_times, commit_times, total_times = [], [], []
    for _ in range(repetitions):
        user = User.objects.get(pk=user_id)
        started = time.perf_counter()
        parsed = importer.parse(name="appeals.xlsx", content=content, user=user)
        parsed_at = time.perf_counter()
        if parsed.errors:
            raise RuntimeError(f"the generated file does not import: {parsed.errors[:3]}")
        created = importer.commit(parsed=parsed, user=user)
        total_times.append(time.perf_counter() - started)
        parse_times.append(parsed_at - started)
        commit_times.append(total_times[-1] - parse_times[-1])
        assert len(created) == rows
    openpyxl_rate = rows / median(read_times)
    return [
        figure(
            "XLSX import of appeals (parse + commit)",
            database,
            rows / median(total_times),
            "rows/s",
            openpyxl_rate,
            baseline_name="openpyxl reading the same file alone",
            target={"on": "ratio", "op": ">=", "limit": 0.5, "text": "≥ 0.5× openpyxl"},
            n=rows,
            repetitions=repetitions,
            parse_rows_per_second=round(rows / median(parse_times), 1),
            commit_rows_per_second=round(rows / median(commit_times), 1),
            file_bytes=len(content),
            detail="every row checked, then registered by appeals_register_many in one transaction "
            "(numbering, history, audit, search index)",
        )
    ]
