"""Loading the classifier: idempotent, all-or-nothing, retiring (never deleting) vanished units."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import transaction

from .kato import Unit
from .models import ClassifierVersion, Territory

Progress = Callable[[Iterable[Any]], Iterable[Any]]

_FIELDS = ["level", "parent", "path", "name_kk", "name_ru", "search_text", "is_active", "retired_on"]


def _search_text(code: str, name_kk: str, name_ru: str) -> str:
    return f"{code} {name_kk.casefold()} {name_ru.casefold()}"


def _paths(units: list[Unit]) -> dict[str, str]:
    by_code = {u.code: u for u in units}
    paths: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code not in paths:
            parent = by_code[code].parent_code
            paths[code] = (path_of(parent) if parent else "") + code + "/"
        return paths[code]

    for unit in units:
        path_of(unit.code)
    return paths


@transaction.atomic
def territories_load(
    *,
    units: list[Unit],
    classifier_date: date,
    source: str,
    names: dict[str, tuple[str, str]] | None = None,
    progress: Progress | None = None,
) -> ClassifierVersion:
    names = names or {}
    paths = _paths(units)
    existing = {t.code: t for t in Territory.objects.all()}
    version = ClassifierVersion(classifier_date=classifier_date, source=source[:255])
    to_update: list[Territory] = []
    # Parents before children, so each new unit's parent already has its primary key.
    ordered = sorted(units, key=lambda u: paths[u.code].count("/"))
    pending: list[Territory] = []
    depth = None
    for unit in progress(ordered) if progress else ordered:
        unit_depth = paths[unit.code].count("/")
        if pending and unit_depth != depth:
            _create(pending, existing)
            pending = []
        depth = unit_depth
        overlay_kk, overlay_ru = names.get(unit.code, ("", ""))
        old = existing.get(unit.code)
        name_kk = overlay_kk or unit.name_kk or (old.name_kk if old else "")
        name_ru = overlay_ru or unit.name_ru
        values = {
            "level": unit.level,
            "parent_id": existing[unit.parent_code].pk if unit.parent_code else None,
            "path": paths[unit.code],
            "name_kk": name_kk,
            "name_ru": name_ru,
            "search_text": _search_text(unit.code, name_kk, name_ru),
            "is_active": True,
            "retired_on": None,
        }
        if old is None:
            pending.append(Territory(code=unit.code, classifier_date=classifier_date, **values))
            version.created += 1
        elif any(getattr(old, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(old, field, value)
            old.classifier_date = classifier_date
            to_update.append(old)
            version.updated += 1
    _create(pending, existing)

    listed = {u.code for u in units}
    for territory in existing.values():
        if territory.code not in listed and territory.is_active:
            territory.is_active = False
            territory.retired_on = classifier_date
            to_update.append(territory)
            version.retired += 1
    Territory.objects.bulk_update(to_update, [*_FIELDS, "classifier_date"], batch_size=500)
    version.save()
    return version


def _create(pending: list[Territory], existing: dict[str, Territory]) -> None:
    created = Territory.objects.bulk_create(pending, batch_size=500)
    if any(t.pk is None for t in created):  # a backend that can't return keys from bulk inserts
        created = list(Territory.objects.filter(code__in=[t.code for t in created]))
    for territory in created:
        existing[territory.code] = territory
