"""The territory classifier (KATO) as a lookup from place names, in any spelling, to codes.

The package ships the 2022 classifier with Russian names ("Кордайский район", "Сортобинский с.о.",
"с.Сортобе") and Kazakh names for the Zhambyl region. Release texts write Kazakh names ("Қордай
ауданы") or Russian ones in any case ("Кордайского района", "в городе Щучинске"), so each unit is
indexed by a spelling-neutral key: Kazakh letters folded to their Russian look-alikes, the
adjectival ending of district and okrug names cut ("Кордайский" → "кордай"), final vowels dropped
("Мерке"/"Меркі" → "мерк"). The index is read once per process, on first use.

This module reads the data files by path rather than importing kelisim.territories: the text kit
sits below the domain apps in the layering (see pyproject's import-linter contract).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Final

DATA_DIR: Final = Path(__file__).resolve().parents[2] / "territories" / "data"
KATO_FILE: Final = DATA_DIR / "kato_2022-10-17_ru.csv"
KK_NAMES_FILE: Final = DATA_DIR / "names_kk_zhambyl.csv"

REGION, DISTRICT, OKRUG, SETTLEMENT = "region", "district", "okrug", "settlement"

_FOLD: Final = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е"}
    | {"х": "к", "i": "и"}  # Russian х for Kazakh қ (Аухатты/Ауқатты), Latin i typed for і
)
_ADJECTIVE: Final = re.compile(r"(?:ий|ый|ой|ая|яя|ое|ее|ого|его|ому|ему|ом|ем|ой|ей|ую|ым|им|ых|их)$")


@dataclass(frozen=True)
class Unit:
    code: str
    parent: str | None
    level: str
    kind: str  # область, район, город, сельский округ, село, посёлок …
    name: str  # the bare name: "Кордайский", "Сортобе", "Щучинск"
    display_ru: str  # nominative with its type word: "Кордайский район", "село Сортобе"


_NOT_FOLDED: Final = re.compile(r"[ьъ\s.\-]+")


def fold(text: str) -> str:
    """Lower case, Kazakh letters as their Russian look-alikes, no soft signs, spaces or hyphens."""
    return _NOT_FOLDED.sub("", text.lower().translate(_FOLD))


def name_key(name: str) -> str:
    """The key of a noun-like name in any case: "Щучинске", "Щучинск" → "щучинск"."""
    key = fold(name)
    return key.rstrip("аеиоуыэюяй") or key


def adjective_key(adjective: str) -> str:
    """The key of a district/okrug adjective: "Кордайского", "Кордайский" → "кордай"."""
    key = fold(adjective)
    key = _ADJECTIVE.sub("", key)
    key = re.sub(r"(?:ск|цк|н)$", "", key)
    key = re.sub(r"(?:ин|ен|ын|ий|ый|ов)$", "", key) if len(key) > 5 else key
    return key.rstrip("аеиоуыэюяй") or key


def level_of(code: str) -> str:
    if code[2:] == "0000000":
        return REGION
    if code[4:] == "00000":
        return DISTRICT
    if code[6:] == "000":
        return OKRUG
    return SETTLEMENT


_PREFIX_KINDS: Final = {"с.": "село", "п.": "посёлок", "г.": "город", "аул": "аул"}
_SUFFIX_KINDS: Final = {
    " с.о.": "сельский округ",
    " с.а.": "сельская администрация",
    " п.а.": "поселковая администрация",
    " г.а.": "городская администрация",
    " Г.А.": "городская администрация",
}


def _parse_name(raw: str, code: str) -> tuple[str, str, str] | None:
    """(kind, bare name, nominative with type word) of a classifier row, None for odd kinds."""
    level = level_of(code)
    for prefix, kind in _PREFIX_KINDS.items():
        if raw.startswith(prefix) and raw[len(prefix) : len(prefix) + 1].isupper():
            name = raw[len(prefix) :].strip()
            return kind, name, f"{kind} {name}"
    for suffix, kind in _SUFFIX_KINDS.items():
        if raw.endswith(suffix):
            name = raw[: -len(suffix)].strip()
            if kind == "сельский округ":
                return kind, name, f"{name} сельский округ"
            return kind, name, raw
    if level == REGION:
        name = raw.replace("область", "").strip()
        return "область", name, raw
    if level == DISTRICT and "район" in raw.lower():
        name = re.sub(r"(?i)\bрайон\b", "", raw).strip()
        return "район", name, raw
    return None


@dataclass
class KatoIndex:
    units: dict[str, Unit]
    by_key: dict[tuple[str, str], list[Unit]]  # (level, key) → units
    kk_names: dict[str, str]  # code → Kazakh nominative name
    by_kk_name: dict[str, list[str]]  # folded Kazakh name (with type word) → codes
    _fuzzy_cache: dict[tuple[str, str, str | None], Unit | None] = field(default_factory=dict)
    _keys_by_letter: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the keys for fuzzy matching, by level and first letter, in the gazetteer's order: indexed
        # with the gazetteer (a pass over all its keys for each letter asked for cost more than the
        # fuzzy matching itself)
        for level, key in self.by_key:
            self._keys_by_letter.setdefault((level, key[:1]), []).append(key)

    def find(self, level: str, key: str, within: str | None = None) -> list[Unit]:
        units = self.by_key.get((level, key), [])
        if within:
            units = [u for u in units if u.code.startswith(_prefix(within))]
        return units

    def fuzzy(self, level: str, key: str, within: str | None = None, threshold: float = 0.8) -> Unit | None:
        """The closest unit of a level by key similarity (Kazakh renderings of Russian names).

        Memoised: a release names the same few places again and again, and a batch names the same
        districts across files.
        """
        cache_key = (level, key, within)
        if cache_key in self._fuzzy_cache:
            return self._fuzzy_cache[cache_key]
        best, best_ratio = None, threshold
        prefix = _prefix(within) if within else ""
        matcher = SequenceMatcher(None, b=key)
        for other in self._keys_by_letter.get((level, key[:1]), []):
            if abs(len(other) - len(key)) > 3:
                continue
            matcher.set_seq1(other)
            if matcher.quick_ratio() < best_ratio or matcher.ratio() < best_ratio:
                continue
            for unit in self.by_key[(level, other)]:
                if unit.code.startswith(prefix):
                    best, best_ratio = unit, matcher.ratio()
                    break
        self._fuzzy_cache[cache_key] = best
        return best


def _prefix(code: str) -> str:
    level = level_of(code)
    return {REGION: code[:2], DISTRICT: code[:4], OKRUG: code[:6], SETTLEMENT: code}[level]


def _keys_of(unit: Unit) -> set[str]:
    keys = {name_key(unit.name)}
    if unit.level in (DISTRICT, OKRUG) or unit.kind == "область":
        keys.add(adjective_key(unit.name))
    return {k for k in keys if len(k) >= 2}


@functools.cache
def kato_index() -> KatoIndex:
    units: dict[str, Unit] = {}
    by_key: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    with KATO_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    parent_codes = {row["id"]: row["code"] for row in rows}
    for row in rows:
        code = row["code"]
        parsed = _parse_name(row["name"].strip(), code)
        if parsed is None:
            continue
        kind, name, display = parsed
        level = level_of(code)
        if kind == "городская администрация" and level == DISTRICT:
            level = DISTRICT  # a city of regional significance: its own district-level unit
        unit = Unit(code, parent_codes.get(row["parent_id"]), level, kind, name, display)
        units[code] = unit
        # Cities of regional and republican significance are looked up as settlements too.
        levels = {level}
        if kind == "город" or (level == REGION and row["name"].startswith("г.")):
            levels.add(SETTLEMENT)
        for lvl in levels:
            for key in _keys_of(unit):
                by_key[(lvl, key)].append(unit)
    kk_names: dict[str, str] = {}
    by_kk_name: dict[str, list[str]] = defaultdict(list)
    if KK_NAMES_FILE.exists():
        with KK_NAMES_FILE.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                kk_names[row["code"]] = row["name_kk"]
                by_kk_name[fold(row["name_kk"])].append(row["code"])
    return KatoIndex(units, dict(by_key), kk_names, dict(by_kk_name))
