"""Loading the classifier: idempotent, all-or-nothing, retiring (never deleting) vanished units."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.core.audit import audit_record
from kelisim.text.folding import fold
from kelisim.text.toponyms import Place, derive_names

from .kato import Unit
from .models import ClassifierVersion, NameSource, Territory

Progress = Callable[[Iterable[Any]], Iterable[Any]]

_FIELDS = [
    "level",
    "parent",
    "path",
    "name_kk",
    "name_kk_source",
    "name_ru",
    "search_text",
    "is_active",
    "retired_on",
]


def search_text(code: str, name_kk: str, name_ru: str) -> str:
    """What the picker and /territories/ match a query against (folded the same way)."""
    return f"{code} {fold(name_kk)} {fold(name_ru)}"[:420]


def _kazakh_name(
    unit: Unit, overlay_kk: str, old: Territory | None, derived: dict[str, str]
) -> tuple[str, str]:
    """(name_kk, source): an official name, else an administrator's correction, else the derived one."""
    if overlay_kk or unit.name_kk:
        return overlay_kk or unit.name_kk, NameSource.OFFICIAL
    if old is not None and old.name_kk and old.name_kk_source in (NameSource.EDITED, NameSource.OFFICIAL):
        # A file without Kazakh names keeps the official ones an earlier load gave, and never
        # overwrites a correction.
        return old.name_kk, old.name_kk_source
    return derived[unit.code], NameSource.DERIVED


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
    derived = derive_names(Place(u.code, u.parent_code, u.name_ru) for u in units)
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
        name_kk, source = _kazakh_name(unit, overlay_kk, old, derived)
        name_ru = overlay_ru or unit.name_ru
        values = {
            "level": unit.level,
            "parent_id": existing[unit.parent_code].pk if unit.parent_code else None,
            "path": paths[unit.code],
            "name_kk": name_kk,
            "name_kk_source": source,
            "name_ru": name_ru,
            "search_text": search_text(unit.code, name_kk, name_ru),
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


@transaction.atomic
def territories_rederive_names(*, include_edited: bool = False) -> int:
    """Derive the Kazakh name again for every unit that has no official one (after the language
    kit improved); corrections by an administrator are kept unless ``include_edited``."""
    territories = list(Territory.objects.select_related("parent"))
    derived = derive_names(Place(t.code, t.parent.code if t.parent else None, t.name_ru) for t in territories)
    sources = {NameSource.DERIVED} | ({NameSource.EDITED} if include_edited else set())
    changed = []
    for territory in territories:
        if territory.name_kk_source == NameSource.OFFICIAL and territory.name_kk:
            continue
        if territory.name_kk and territory.name_kk_source not in sources:
            continue
        name_kk = derived[territory.code]
        if (territory.name_kk, territory.name_kk_source) != (name_kk, NameSource.DERIVED):
            territory.name_kk = name_kk
            territory.name_kk_source = NameSource.DERIVED
            territory.search_text = search_text(territory.code, name_kk, territory.name_ru)
            changed.append(territory)
    Territory.objects.bulk_update(changed, ["name_kk", "name_kk_source", "search_text"], batch_size=500)
    return len(changed)


@transaction.atomic
def territory_name_kk_update(*, actor: Any, territory: Territory, name_kk: str) -> Territory:
    """An administrator's correction of a Kazakh name: kept by later loads of the classifier."""
    name_kk = " ".join(name_kk.split())
    if not name_kk:
        raise ValidationError({"name_kk": _("Enter the Kazakh name.")})
    if len(name_kk) > 200:
        raise ValidationError({"name_kk": _("The name is longer than 200 characters.")})
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    previous = territory.name_kk_source
    territory.name_kk = name_kk
    territory.name_kk_source = NameSource.EDITED
    territory.search_text = search_text(territory.code, name_kk, territory.name_ru)
    territory.save(update_fields=["name_kk", "name_kk_source", "search_text"])
    audit_record(
        actor=actor,
        action="territory_name_kk_update",
        obj=territory,
        territory_path=territory.path,
        params={"code": territory.code, "previous_source": previous},
    )
    return territory
