"""Press release → drafts → records. Reviewers accept, edit or reject each draft; accepted drafts
become a visit and its events, through the same services as a hand-made entry."""

import hashlib
import re
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.events.models import EventFormat
from kelisim.events.services import event_create
from kelisim.programs.models import Program
from kelisim.programs.services import edition_get_or_create, visit_create
from kelisim.registry.models import Person
from kelisim.registry.selectors import person_list
from kelisim.territories.models import Territory
from kelisim.text.extract import NotAPressRelease, detect_language, extract_events

from .models import DraftEvent, ImportBatch

MAX_CHARS = 100_000


def normalized_hash(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().casefold().encode()).hexdigest()


def duplicate_of(text: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(text_hash=normalized_hash(text)).first()


@transaction.atomic
def import_text(*, actor: Any, text: str, pub_date: date, language: str | None = None) -> ImportBatch:
    if not policies.can(actor, "import_press_release"):
        raise ValidationError({"text": _("You may not import press releases.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The text is empty.")})
    if len(text) > MAX_CHARS:
        raise ValidationError({"text": _("The text is too long for one press release.")})
    if "\x00" in text:
        raise ValidationError({"text": _("This is not text: upload a .txt or .docx file.")})
    earlier = duplicate_of(text)
    if earlier is not None:
        raise ValidationError(
            {"text": _("This text was imported already (import %(id)d).") % {"id": earlier.pk}}
        )
    language = language or detect_language(text)
    if language not in ("kk", "ru"):
        raise ValidationError({"text": _("The text is neither Kazakh nor Russian.")})
    try:
        records = extract_events(text, language=language, pub_date=pub_date)  # type: ignore[arg-type]
    except NotAPressRelease as error:
        raise ValidationError({"text": _("The text is neither Kazakh nor Russian.")}) from error
    if not records:
        raise ValidationError({"text": _("No event was found in this text: is it a report of events held?")})
    district_code = next(
        (r.get("kato", {}).get("district") for r in records if r.get("kato", {}).get("district")), None
    )
    batch = ImportBatch.objects.create(
        text=text,
        text_hash=normalized_hash(text),
        language=language,
        pub_date=pub_date,
        territory=Territory.objects.filter(code=district_code).first() if district_code else None,
        created_by=actor,
    )
    DraftEvent.objects.bulk_create(
        [DraftEvent(batch=batch, position=i, data=r) for i, r in enumerate(records)]
    )
    audit_record(actor=actor, action="import.create", obj=batch, params={"drafts": len(records)})
    return batch


def span(text: str, value: str, *, width: int = 70) -> tuple[str, str, str] | None:
    """The place in the text a value came from: (before, value as written, after)."""
    if not value:
        return None
    found = text.casefold().find(value.casefold())
    if found < 0:
        first = value.split()[0] if value.split() else value
        found = text.casefold().find(first.casefold()[: max(4, len(first) - 3)])
        if found < 0:
            return None
        value = text[found : found + len(first)]
    start = max(0, found - width)
    end = found + len(value)
    return text[start:found], text[found:end], text[end : end + width]


def sentence_of(text: str, value: str) -> str:
    found = text.casefold().find(value.casefold()) if value else -1
    if found < 0:
        return ""
    start = max(text.rfind(".", 0, found), text.rfind("\n", 0, found)) + 1
    stop = min([p for p in (text.find(".", found), text.find("\n", found)) if p >= 0] or [len(text)])
    return text[start : stop + 1].strip()


@transaction.atomic
def draft_decide(
    *, actor: Any, draft: DraftEvent, status: str, changes: dict[str, Any] | None = None
) -> DraftEvent:
    if not policies.can(actor, "import_press_release"):
        raise ValidationError({"status": _("You may not import press releases.")})
    if draft.event_id:
        raise ValidationError({"status": _("This draft is already a record.")})
    if status not in DraftEvent.Status.values:
        raise ValidationError({"status": _("Choose accept or reject.")})
    data = dict(draft.data)
    for key, value in (changes or {}).items():
        if key in ("date_start", "date_end", "venue", "format", "date_text", "settlement"):
            data[key] = value or None
    if status == DraftEvent.Status.ACCEPTED and not data.get("date_start"):
        raise ValidationError({"date_start": _("Give the event's date before accepting it.")})
    if data.get("date_start"):
        try:
            date.fromisoformat(data["date_start"])
            if data.get("date_end"):
                date.fromisoformat(data["date_end"])
        except (TypeError, ValueError) as error:
            raise ValidationError({"date_start": _("Give dates as YYYY-MM-DD.")}) from error
    draft.data, draft.status = data, status
    draft.save(update_fields=["data", "status"])
    return draft


def _territory(data: dict[str, Any]) -> Territory | None:
    kato = data.get("kato") or {}
    for code in [*(kato.get("settlements") or []), kato.get("district"), kato.get("region")]:
        if code:
            territory = Territory.objects.filter(code=code).first()
            if territory is not None:
                return territory
    return None


@transaction.atomic
def batch_commit(*, actor: Any, batch: ImportBatch) -> list[Any]:
    """Every accepted draft becomes an event, under one visit of the district when there is one."""
    accepted = list(batch.drafts.filter(status=DraftEvent.Status.ACCEPTED, event__isnull=True))
    if not accepted:
        raise ValidationError({"drafts": _("Accept at least one draft first.")})
    days = sorted(date.fromisoformat(d.data["date_start"]) for d in accepted)
    ends = sorted(date.fromisoformat(d.data.get("date_end") or d.data["date_start"]) for d in accepted)
    if batch.territory is not None and batch.visit is None:
        program = (
            Program.objects.filter(territory__code=batch.territory.path.split("/")[0])
            .order_by("started")
            .first()
        )
        if program is not None:
            edition = edition_get_or_create(actor=actor, program=program, year=days[0].year)
            batch.visit = visit_create(
                actor=actor,
                edition=edition,
                territory=batch.territory,
                date_start=days[0],
                date_end=max(ends[-1], days[0]),
            )
            batch.save(update_fields=["visit"])
    formats = {f.code: f for f in EventFormat.objects.all()}
    events = []
    for draft in accepted:
        data = draft.data
        territory = _territory(data) or batch.territory
        if territory is None:
            raise ValidationError(
                {"drafts": _("Draft %(n)d has no place in the classifier.") % {"n": draft.position + 1}}
            )
        day = date.fromisoformat(data["date_start"])
        last = date.fromisoformat(data.get("date_end") or data["date_start"])
        fmt = formats.get(data.get("format") or "other", formats["other"])
        source = sentence_of(batch.text, data.get("venue") or "") or sentence_of(
            batch.text, data.get("date_text") or ""
        )
        title = (
            f"{fmt.name_kk if batch.language == 'kk' else fmt.name_ru}: {data.get('venue') or territory.name}"
        )
        officials = []
        for official in data.get("officials") or []:
            # Matched only among the people the importer may see: a namesake in another district
            # is neither linked nor revealed; a new record is made here instead.
            name = official["name"][:255]
            person = person_list(user=actor).filter(full_name=name).first() or Person.objects.create(
                full_name=name, territory=territory, kind="official"
            )
            officials.append(
                {
                    "person": person,
                    "role": "official",
                    f"position_{batch.language}": (official.get("position") or "")[:500],
                }
            )
        event = event_create(
            actor=actor,
            visit=batch.visit if batch.visit and batch.visit.territory.contains(territory) else None,
            format=fmt,
            territory=territory,
            title_kk=title if batch.language == "kk" else "",
            title_ru=title if batch.language == "ru" else "",
            summary_kk=source if batch.language == "kk" else "",
            summary_ru=source if batch.language == "ru" else "",
            start=timezone.make_aware(datetime.combine(day, time(10, 0))),
            end=timezone.make_aware(datetime.combine(last, time(12, 0))),
            venue_text=(data.get("venue") or "")[:255],
            officials=officials,
        )
        draft.event = event
        draft.save(update_fields=["event"])
        events.append(event)
    batch.committed_at = timezone.now()
    batch.save(update_fields=["committed_at"])
    audit_record(actor=actor, action="import.commit", obj=batch, params={"events": len(events)})
    return events
