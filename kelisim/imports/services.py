"""Press release → drafts → records. Reviewers accept, edit or reject each draft; accepted drafts
become a visit and its events, through the same services as a hand-made entry."""

import hashlib
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.events.models import AudienceCategory, EventFormat, Topic
from kelisim.events.services import event_create
from kelisim.programs.models import Program
from kelisim.programs.services import edition_get_or_create, visit_create
from kelisim.registry.models import Organization, Person
from kelisim.registry.selectors import organization_list, person_list
from kelisim.territories.models import Territory
from kelisim.text.extract import NotAPressRelease, detect_language, extract_events
from kelisim.text.extract.dates import find_dates

from . import mapping
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
    lists = mapping.Lists()
    DraftEvent.objects.bulk_create(
        [
            DraftEvent(batch=batch, position=i, data=_proposed(r, pub_date, lists))
            for i, r in enumerate(records)
        ]
    )
    audit_record(actor=actor, action="import.create", obj=batch, params={"drafts": len(records)})
    return batch


# Inferred values are marked so that the reviewer checks them: {field: why}.
INFERRED_YEAR = "year_from_publication"


def _proposed(record: dict[str, Any], pub_date: date, lists: mapping.Lists) -> dict[str, Any]:
    """The extracted record, with what the import adds for the reviewer to confirm: dates whose
    year the text leaves out, taken from the publication, and the list entries its audiences and
    topics stand for."""
    data = dict(record)
    inferred: dict[str, str] = {}
    if not data.get("date_start") and data.get("date_text"):
        start, end = _dates_in_year(str(data["date_text"]), pub_date)
        if start:
            data["date_start"], data["date_end"] = start, end
            inferred["date_start"] = inferred["date_end"] = INFERRED_YEAR
    data["inferred"] = inferred
    data["audience_codes"] = lists.audience_codes([str(a) for a in data.get("audiences") or []])
    data["topic_codes"] = lists.topic_codes([str(t) for t in data.get("topics") or []])
    return data


def _dates_in_year(date_text: str, pub_date: date) -> tuple[str | None, str | None]:
    """Day and month as written, in the publication's year; a date well after the publication
    (a December event told in January) belongs to the year before."""
    for mention in find_dates(date_text):
        start, end = mention.iso(pub_date.year)
        if start and end:
            if date.fromisoformat(start) > pub_date + timedelta(days=31):
                start, end = mention.iso(pub_date.year - 1)
            return start, end
    return None, None


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
            if value != data.get(key):
                data.setdefault("inferred", {}).pop(key, None)  # the reviewer's own value now
            data[key] = value or None
        elif key in ("audience_codes", "topic_codes", "organizations", "officials"):
            data[key] = value
    _check_lists(data)
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


def _check_lists(data: dict[str, Any]) -> None:
    known_audiences = set(AudienceCategory.objects.filter(is_active=True).values_list("code", flat=True))
    known_topics = set(Topic.objects.filter(is_active=True).values_list("code", flat=True))
    if not set(data.get("audience_codes") or []) <= known_audiences:
        raise ValidationError({"audience_codes": _("Choose audiences from the list.")})
    if not set(data.get("topic_codes") or []) <= known_topics:
        raise ValidationError({"topic_codes": _("Choose topics from the list.")})


def _territory(data: dict[str, Any]) -> Territory | None:
    kato = data.get("kato") or {}
    for code in [*(kato.get("settlements") or []), kato.get("district"), kato.get("region")]:
        if code:
            territory = Territory.objects.filter(code=code).first()
            if territory is not None:
                return territory
    return None


def _registry_entry(actor: Any, model: Any, field: str, name: str, territory: Territory, kind: str) -> Any:
    """The person or organization of that name among those the importer may see (a namesake in
    another district is neither linked nor revealed), or a new one filed under the event's
    territory, recorded as made by the import."""
    name = name.strip()[:255]
    visible = person_list(user=actor) if model is Person else organization_list(user=actor)
    found = visible.filter(**{f"{field}__iexact": name}).first()
    if found is not None:
        return found
    extra = {"kind": kind} if model is Person else {"type": kind, "name_kk": name}
    entry = model.objects.create(**{field: name, "territory": territory, **extra})
    audit_record(
        actor=actor,
        action=f"{model._meta.model_name}.create",
        obj=entry,
        territory_path=territory.path,
        params={"source": "import"},
    )
    return entry


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
            person = _registry_entry(actor, Person, "full_name", official["name"], territory, "official")
            officials.append(
                {
                    "person": person,
                    "role": "official",
                    f"position_{batch.language}": (official.get("position") or "")[:500],
                }
            )
        organizers = [
            {
                "organization": _registry_entry(
                    actor, Organization, "name_" + batch.language, name, territory, "other"
                )
            }
            for name in dict.fromkeys(str(n).strip() for n in data.get("organizations") or [])
            if name
        ]
        audiences = AudienceCategory.objects.filter(code__in=data.get("audience_codes") or [])
        topics = Topic.objects.filter(code__in=data.get("topic_codes") or [])
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
            organizers=organizers,
            audiences=[(category, None) for category in audiences],
            topics=list(topics),
        )
        draft.event = event
        draft.save(update_fields=["event"])
        events.append(event)
    batch.committed_at = timezone.now()
    batch.save(update_fields=["committed_at"])
    audit_record(actor=actor, action="import.commit", obj=batch, params={"events": len(events)})
    return events


UNCOMMITTED_DAYS = 30


@transaction.atomic
def batches_expire(*, days: int = UNCOMMITTED_DAYS) -> int:
    """Delete the press-release imports never saved into records after `days` days: their text and
    drafts (officials' names among them) stay no longer than the review needs. Events already
    made from them stay."""
    cutoff = timezone.now() - timedelta(days=days)
    stale = list(ImportBatch.objects.filter(committed_at__isnull=True, created_at__lt=cutoff))
    for batch in stale:
        audit_record(actor=None, action="import.expire", obj=batch, params={"days": days})
    ImportBatch.objects.filter(pk__in=[b.pk for b in stale]).delete()
    return len(stale)
