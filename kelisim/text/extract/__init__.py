"""Extraction of event records from «Бейбітшілік пен келісім» press releases (Kazakh or Russian).

    from kelisim.text.extract import extract_events
    extract_events(text, language=None, pub_date=None) -> list[dict]

Each record follows the corpus schema (shared/corpus/dev/README.md): date_start, date_end,
date_text, region, district, settlement, venue, format, audiences, officials [{name, position}],
organizations, topics; plus `kato` with the classifier codes of the region, district and
settlement(s) the place names resolve to. Pure Python; Django is not needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .analysis import analyse
from .events import assign_dates, build_records, fallback_event, headline_events, segment_events
from .framing import build_frame, first_place, framing_texts
from .kato import DISTRICT, REGION
from .language import Language, detect_language
from .latin import is_kazakh_latin, latin_record, to_cyrillic
from .reading import UnreadableDocument, read_text
from .segment import Sentence, segment

__all__ = ["UnreadableDocument", "detect_language", "extract_events", "read_text"]


class NotAPressRelease(ValueError):
    """The text is not Kazakh or Russian."""


def extract_events(
    text: str, language: Language | None = None, pub_date: dt.date | None = None
) -> list[dict[str, Any]]:
    """The events a release reports as held, as corpus-schema records."""
    if is_kazakh_latin(text):  # read through Cyrillic, answered in the text's Latin letters
        return [latin_record(e) for e in extract_events(to_cyrillic(text), "kk", pub_date)]
    language = language or detect_language(text)
    if language is None:
        raise NotAPressRelease(text[:80])
    doc = segment(text)
    texts = framing_texts(doc)
    region = first_place(texts, language, REGION, None)
    region_code = region.codes[0] if region and region.codes else None
    district = first_place(texts, language, DISTRICT, None)  # the same scan as the region's (cached)
    if district is not None and region_code and len(district.codes) > 1:
        inside = [c for c in district.codes if c.startswith(region_code[:2])]
        district.codes = inside or district.codes
    within = district.codes[0] if district and len(district.codes) == 1 else region_code
    infos = [analyse(sentence, language, within) for sentence in doc.sentences]
    headline = analyse(Sentence(doc.headline, -1, -1, True), language, within) if doc.headline else None
    drafts, framing = segment_events(infos)
    if not drafts:
        drafts = fallback_event(infos, headline)
        framing = [i for i in infos if not drafts or i.index < drafts[0].head.index]
    if not drafts:
        return []
    drafts += headline_events(headline, drafts)
    frame = build_frame(doc, infos, framing, drafts[0].head.index, region, district, pub_date)
    assign_dates(drafts, infos, frame, pub_date)
    return build_records(drafts, frame, language, infos)
