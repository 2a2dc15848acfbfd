"""The list API's baseline: the same page of appeals by hand-written SQL and `json.dumps`, on the
benchmark's own connection: what the answer costs without the framework."""

import json
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db import connection

COLUMNS = [
    "id",
    "number",
    "type",
    "channel",
    "external_number",
    "status",
    "registered_at",
    "received_on",
    "due_date",
    "department",
    "territory",
    "category",
    "applicant_kind",
    "applicant_name",
    "applicant_contact",
    "text",
    "urgent",
    "lead_executor",
    "redirect_to",
    "redirect_body",
    "redirected_on",
    "redirect_notice_on",
    "body_answer",
    "body_answered_on",
    "answer",
    "version",
]
SELECT = """a.id, a.number, a.type, a.channel, a.external_number, a.status, a.registered_at,
a.received_on, a.due_date, a.department_id, t.code, c.code, a.applicant_kind, a.applicant_name,
a.applicant_contact, a.text, a.urgent, a.lead_executor_id, a.redirect_to, a.redirect_body_id,
a.redirected_on, a.redirect_notice_on, a.body_answer, a.body_answered_on, a.answer, a.version"""
CLOSED = ("answered", "closed", "redirected")
OPEN = ("registered", "assigned", "in_progress", "extended", "reopened")
PAGE = 50
CAP = 10_000  # the count stops past it, as the application's does (kelisim.core.pagination)


def _prefixes(paths: list[str]) -> tuple[str, list[Any]]:
    """Territory paths under any of `paths`, in the form each engine answers from its index: a
    range on SQLite (its LIKE ignores case and can't use a BINARY index), LIKE on PostgreSQL (the
    varchar_pattern_ops index). The best hand-written query, so the baseline is not a straw man."""
    if connection.vendor == "postgresql":
        return " OR ".join(["path LIKE %s"] * len(paths)), [f"{p}%" for p in paths]
    return " OR ".join(["(path >= %s AND path < %s)"] * len(paths)), [
        x for p in paths for x in (p, p + "\U0010ffff")
    ]


def _where(path: str, scope_paths: list[str], today: date) -> tuple[str, list[Any]]:
    query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
    paths = scope_paths
    if "territory" in query:
        # The unit asked for, within the scope: one territory condition (the paths under both).
        with connection.cursor() as cursor:
            cursor.execute("SELECT path FROM territories_territory WHERE code = %s", [query["territory"]])
            found = cursor.fetchone()
        inside = found[0] if found else "-"
        if any(inside.startswith(p) for p in paths):
            paths = [inside]
        else:
            paths = [p for p in paths if p.startswith(inside)] or ["-"]
    scope, params = _prefixes(paths)
    where = [f"a.territory_id IN (SELECT id FROM territories_territory WHERE {scope})"]  # noqa: S608
    if "status" in query:
        where.append("a.status = %s")
        params.append(query["status"])
    if "department" in query:
        where.append("a.department_id = %s")
        params.append(int(query["department"]))
    if query.get("overdue") == "true":
        where.append(f"a.status IN ({', '.join(['%s'] * len(OPEN))}) AND a.due_date < %s")
        params += [*OPEN, today]
    return " AND ".join(where), params


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def page(path: str, scope_paths: list[str], today: date) -> tuple[bytes, list[int]]:
    """The JSON of the page `path` asks for, and its ids."""
    where, params = _where(path, scope_paths, today)
    number = int(parse_qs(urlsplit(path).query).get("page", ["1"])[0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM appeals_appeal a WHERE {where} LIMIT {CAP + 1}) c",  # noqa: S608 - our own SQL
            params,
        )
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {SELECT} FROM appeals_appeal a "  # noqa: S608 - our own SQL
            "JOIN territories_territory t ON t.id = a.territory_id "
            "LEFT JOIN appeals_category c ON c.id = a.category_id "
            f"WHERE {where} ORDER BY a.due_date, a.id LIMIT {PAGE} OFFSET {(number - 1) * PAGE}",
            params,
        )
        rows = cursor.fetchall()
    results = []
    for row in rows:
        item = {name: _iso(value) for name, value in zip(COLUMNS, row, strict=True)}
        item["overdue"] = item["status"] not in CLOSED and row[8] < today
        item["urgent"] = bool(item["urgent"])
        results.append(item)
    capped = count > CAP
    body = json.dumps(
        {"count": min(count, CAP), "capped": capped, "results": results}, ensure_ascii=False
    ).encode()
    return body, [r["id"] for r in results]
