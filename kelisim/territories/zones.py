"""Kazakhstan's time zones by region, as the IANA database records them.

Until 1 March 2024 the country had two zones: UTC+5 in the five western regions and UTC+6
elsewhere; since then the whole country is UTC+5. Each region is mapped to the IANA zone whose
history is its own, so an instant is converted with the offset in force on that date (a meeting at
10:00 in Aktau in May 2023 is 05:00 UTC, one in Taraz 04:00 UTC; in 2025 both are 05:00 UTC).
"""

from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings

# The first two digits of a KATO code name the region (or city of republican significance).
REGION_ZONES = {
    "15": "Asia/Aqtobe",  # Aktobe
    "23": "Asia/Atyrau",  # Atyrau
    "27": "Asia/Oral",  # West Kazakhstan
    "39": "Asia/Qostanay",  # Kostanay: UTC+6 like Almaty until 2024, its own entry in the database
    "43": "Asia/Qyzylorda",  # Kyzylorda
    "47": "Asia/Aqtau",  # Mangystau
}


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name_for_code(code: str) -> str:
    return REGION_ZONES.get(code[:2], settings.TIME_ZONE)


def zone_for_code(code: str) -> ZoneInfo:
    return zone(zone_name_for_code(code))


def zone_for_codes(codes: list[str]) -> ZoneInfo | None:
    """The one zone shared by all these territories, or None when they span zones (or are none)."""
    names = {zone_name_for_code(code) for code in codes}
    return zone(names.pop()) if len(names) == 1 else None
