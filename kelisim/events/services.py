"""Every write about events: atomic, audited, scope-checked, and safe against lost updates."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.core.exceptions import ConflictError
from kelisim.core.files import sniff
from kelisim.core.scoping import not_found
from kelisim.core.signals import bulk_created
from kelisim.core.validation import year_out_of_range, year_range_message

from .models import (
    Attachment,
    AudienceCategory,
    Event,
    EventAudience,
    EventEthnicGroup,
    EventOfficial,
    EventOrganizer,
)

EVENT_FIELDS = (
    "visit",
    "subgroup",
    "format",
    "title_kk",
    "title_ru",
    "summary_kk",
    "summary_ru",
    "start",
    "end",
    "territory",
    "venue",
    "venue_text",
    "total_participants",
    "outcomes_kk",
    "outcomes_ru",
    "restricted",
)


def _validate(actor: Any, event: Event) -> None:
    errors: dict[str, str] = {}
    if event.start and event.end and event.end < event.start:
        errors["end"] = _("The end comes before the start.")
    for name in ("start", "end"):
        if year_out_of_range(getattr(event, name)):
            errors[name] = year_range_message()
    territory = event.territory if event.territory_id else None
    if territory is None or not policies.can(actor, "manage_event", territory):
        errors["territory"] = _("This territory is outside your scope.")
    elif event.visit is not None and not territory.path.startswith(event.visit.territory.path):
        errors["territory"] = _("The event must take place in the visit's district.")
    if event.restricted and territory is not None and not policies.can(actor, "view_sensitive", territory):
        errors["restricted"] = _("Only a user who may see restricted records can mark an event restricted.")
    if event.subgroup is not None and event.subgroup.visit_id != event.visit_id:
        errors["subgroup"] = _("The sub-group belongs to another visit.")
    if errors:
        raise ValidationError(errors)


# What an event links to, and the capability the actor needs over the linked record's territory.
_LINKS = {"visit": "view_visit", "venue": "view_registry"}


def _require_links(actor: Any, fields: dict[str, Any], officials: Any, organizers: Any) -> None:
    """Linked records must be ones the actor may choose (their territories or the units above
    them); anything else is answered as if it did not exist."""

    def check(field: str, capability: str, linked: Any) -> None:
        if linked is not None and not policies.can_use(actor, capability, linked.territory):
            raise not_found(field)

    for field, capability in _LINKS.items():
        check(field, capability, fields.get(field))
    for official in officials or ():
        check("officials", "view_registry", official.get("person"))
    for organizer in organizers or ():
        check("organizers", "view_registry", organizer.get("organization"))
        check("organizers", "view_department", organizer.get("department"))


def _hidden_categories(actor: Any, territory: Any) -> set[int]:
    """The audience categories the actor may neither see nor change on an event in `territory`:
    the sensitive ones (persons on probation…), unless the actor holds the sensitive capability."""
    if territory is not None and policies.can(actor, "view_sensitive", territory):
        return set()
    return sensitive_categories()


def _check_children(
    actor: Any, territory: Any, *, audiences: Any, officials: Any, ethnic_groups: Any, organizers: Any
) -> set[int]:
    """Refuse, naming the list, what the actor may not write; answer the audience categories the
    actor may not see, whose counts a list sent by the actor leaves as they are. (A sensitive
    audience named in a public press release is imported by whoever imports it; the pages never
    offer one to a user who may not see it, and the API refuses it from such a user.)"""
    hidden = _hidden_categories(actor, territory)
    errors: dict[str, str] = {}
    if ethnic_groups is not None and (
        territory is None or not policies.can(actor, "view_sensitive", territory)
    ):
        errors["ethnic_groups"] = _("Only a user who may see restricted records can record ethnic groups.")
    for row in officials or ():
        if row.get("person") is None and not (row.get("position_kk") or row.get("position_ru")):
            errors["officials"] = _("Choose the person or write their position.")
    for row in organizers or ():
        if (row.get("organization") is None) == (row.get("department") is None):
            errors["organizers"] = _("Each organizer is either an organization or a department.")
    if errors:
        raise ValidationError(errors)
    return hidden


def _set_children(
    event: Event,
    *,
    topics: Any,
    audiences: Any,
    officials: Any,
    ethnic_groups: Any,
    organizers: Any,
    hidden: set[int] = frozenset(),  # type: ignore[assignment]
) -> None:
    if topics is not None:
        event.topics.set(topics)
    if audiences is not None:
        # Counts of categories the actor can't see stay as a holder of the capability left them.
        event.audiences.exclude(category_id__in=hidden).delete()
        rows = [EventAudience(event=event, category=c, count=n) for c, n in audiences]
        if len({r.category.pk for r in rows}) != len(rows):
            raise ValidationError({"audiences": _("Each audience may appear once.")})
        EventAudience.objects.bulk_create(rows)
    if officials is not None:
        event.officials.all().delete()
        created = EventOfficial.objects.bulk_create([EventOfficial(event=event, **o) for o in officials])
        bulk_created.send(sender=EventOfficial, instances=created)  # the people search follows
    if ethnic_groups is not None:
        event.ethnic_groups.all().delete()
        EventEthnicGroup.objects.bulk_create([EventEthnicGroup(event=event, **g) for g in ethnic_groups])
    if organizers is not None:
        event.organizers.all().delete()
        EventOrganizer.objects.bulk_create([EventOrganizer(event=event, **o) for o in organizers])


@transaction.atomic
def event_create(
    *,
    actor: Any,
    topics: Any = None,
    audiences: Any = None,
    officials: Any = None,
    ethnic_groups: Any = None,
    organizers: Any = None,
    **fields: Any,
) -> Event:
    event = Event(
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in EVENT_FIELDS},
    )
    _require_links(actor, fields, officials, organizers)
    _validate(actor, event)
    event.full_clean()
    hidden = _check_children(
        actor,
        event.territory,
        audiences=audiences,
        officials=officials,
        ethnic_groups=ethnic_groups,
        organizers=organizers,
    )
    event.save()
    _set_children(
        event,
        hidden=hidden,
        topics=topics,
        audiences=audiences,
        officials=officials,
        ethnic_groups=ethnic_groups,
        organizers=organizers,
    )
    audit_record(
        actor=actor,
        action="event.create",
        obj=event,
        territory_path=event.territory.path,
        params={"restricted": event.restricted},
    )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    version: int | None = None,
    topics: Any = None,
    audiences: Any = None,
    officials: Any = None,
    ethnic_groups: Any = None,
    organizers: Any = None,
    **fields: Any,
) -> Event:
    """Apply the changes if nobody saved the event since `version` was read; else ConflictError."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if version is not None and locked.version != version:
        raise ConflictError()
    if not policies.can(actor, "manage_event", locked.territory):
        raise ValidationError({"territory": _("This territory is outside your scope.")})
    changed = [k for k, v in fields.items() if k in EVENT_FIELDS and getattr(locked, k) != v]
    # Links kept as they were are not checked again: only what this actor chooses now.
    _require_links(actor, {k: fields[k] for k in changed}, officials, organizers)
    for field in changed:
        setattr(locked, field, fields[field])
    _validate(actor, locked)
    locked.full_clean()
    hidden = _check_children(
        actor,
        locked.territory,
        audiences=audiences,
        officials=officials,
        ethnic_groups=ethnic_groups,
        organizers=organizers,
    )
    locked.version += 1
    locked.save()
    _set_children(
        locked,
        hidden=hidden,
        topics=topics,
        audiences=audiences,
        officials=officials,
        ethnic_groups=ethnic_groups,
        organizers=organizers,
    )
    audit_record(
        actor=actor,
        action="event.update",
        obj=locked,
        territory_path=locked.territory.path,
        params={"fields": changed},
    )
    return locked


@transaction.atomic
def attachment_add(*, actor: Any, event: Event, upload: UploadedFile) -> Attachment:
    if not policies.can(actor, "manage_event", event.territory):
        raise ValidationError({"file": _("This territory is outside your scope.")})
    try:
        content_type = sniff(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = Attachment(
        event=event,
        file=upload,
        original_name=(upload.name or "file")[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.save()
    audit_record(actor=actor, action="attachment.add", obj=attachment, territory_path=event.territory.path)
    return attachment


def sensitive_categories() -> set[int]:
    """The audience categories that are sensitive data (e.g. persons on probation): only holders
    of the sensitive capability in the event's territory see, count or change them."""
    return set(AudienceCategory.objects.filter(sensitive=True).values_list("pk", flat=True))


@transaction.atomic
def calendar_feed_renew(*, user: Any) -> str:
    import secrets

    from .models import CalendarFeed

    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    audit_record(actor=user, action="calendar_feed.renew", obj=user)
    return token
