"""Writes about instruments, responses and focus groups: atomic, audited, scope-checked."""

import hashlib
import mimetypes
import secrets
import uuid
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.core.scoping import not_found

from . import focus, rollups, scoring
from .answers import answer_in
from .models import (
    CollectionLink,
    Finding,
    FocusGroup,
    Instrument,
    InstrumentFile,
    InstrumentVersion,
    Response,
    ResponseFile,
)
from .ready import READY
from .validation import check, preloads
from .xlsform import XLSFormError, convert_xlsform
from .xpath import Node


def _require(actor: Any, capability: str, territory: Any = None) -> None:
    if actor is not None and not policies.can(actor, capability, territory):
        raise ValidationError({"territory": _("This territory is outside your scope.")})


def _require_event(actor: Any, event: Any) -> None:
    """An event a survey links to must be one the actor may see (a restricted one only with the
    sensitive capability); anything else is answered as if it did not exist."""
    if actor is None or event is None:
        return
    visible = policies.can(actor, "view_event", event.territory) and (
        not event.restricted or policies.can(actor, "view_sensitive", event.territory)
    )
    if not visible:
        raise not_found("event")


def _next_version(form_id: str) -> str:
    """The version the server writes into a form whose settings give none, as Kobo does."""
    taken = set(InstrumentVersion.objects.filter(form_id=form_id).values_list("form_version", flat=True))
    number = InstrumentVersion.objects.filter(form_id=form_id).count() + 1
    while str(number) in taken:
        number += 1
    return str(number)


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@transaction.atomic
def instrument_upload(
    *,
    actor: Any,
    content: bytes,
    filename: str = "",
    files: dict[str, bytes] | None = None,
    code: str = "",
    name_kk: str = "",
    name_ru: str = "",
    scoring_key: dict[str, Any] | None = None,
    kind: str = Instrument.Kind.OTHER,
    trusted: bool = False,
) -> InstrumentVersion:
    """One instrument per form id: a new instrument, or a new version of the one with this form id.
    The same form uploaded again is the version it was (`.is_new` False); a changed form under a
    version that exists is refused; a form without a version gets the next one. An uploaded
    workbook is read in a limited child process; `trusted` is for the ready instruments, built in
    our own code."""
    _require(actor, "manage_instrument")
    files = files or {}
    try:
        converted = convert_xlsform(
            content, filename=filename, files=files, default_version=_next_version, trusted=trusted
        )
    except XLSFormError as error:
        raise ValidationError({"file": str(error)}) from error
    if scoring_key:
        try:
            scoring.check_key(scoring_key)
        except scoring.KeyError_ as error:
            raise ValidationError({"scoring": str(error)}) from error
    same = InstrumentVersion.objects.filter(form_id=converted.form_id, content_digest=converted.digest)
    if not converted.version_given:
        earlier = same.order_by("-number").first()
    else:
        earlier = same.filter(form_version=converted.form_version).first()
        clash = InstrumentVersion.objects.filter(
            form_id=converted.form_id, form_version=converted.form_version
        )
        if earlier is None and clash.exists():
            raise ValidationError(
                {
                    "file": _(
                        "The form “%(form)s” already has a version “%(version)s” with other content. "
                        "Change the version in the settings sheet and upload again."
                    )
                    % {"form": converted.form_id, "version": converted.form_version}
                }
            )
    if earlier is not None:
        earlier.is_new = False
        return earlier
    owner = InstrumentVersion.objects.filter(form_id=converted.form_id).select_related("instrument").first()
    if owner is not None:
        instrument = owner.instrument
    else:
        instrument, _created = Instrument.objects.get_or_create(
            code=(code or converted.form_id)[:64],
            defaults={"name_kk": name_kk or converted.title, "name_ru": name_ru, "kind": kind},
        )
    previous = Instrument.objects.select_for_update().get(pk=instrument.pk).current
    number = (previous.number + 1) if previous else 1
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        form_id=converted.form_id,
        form_version=converted.form_version,
        xlsform=content,
        xform=converted.xform,
        definition=converted.definition,
        content_digest=converted.digest,
        scoring=scoring_key if scoring_key is not None else (previous.scoring if previous else {}),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    InstrumentFile.objects.bulk_create(
        InstrumentFile(
            version=version,
            name=name,
            content_type=_content_type(name),
            content=files[name],
            md5=hashlib.md5(files[name], usedforsecurity=False).hexdigest(),
        )
        for name in converted.files
    )
    audit_record(actor=actor, action="instrument.upload", obj=version, params={"version": number})
    return version


def instruments_install_ready(*, actor: Any = None) -> list[InstrumentVersion]:
    """Install the Tolerance Index and the Bogardus scale once; later runs change nothing."""
    installed = []
    for code, (kind, name_kk, name_ru, build, key) in READY.items():
        instrument = Instrument.objects.filter(code=code).first()
        if instrument is None or instrument.current is None:
            installed.append(
                instrument_upload(
                    actor=None,
                    content=build(),
                    filename=f"{code}.xlsx",
                    code=code,
                    name_kk=name_kk,
                    name_ru=name_ru,
                    scoring_key=key,
                    kind=kind,
                    trusted=True,
                )
            )
    return installed


def _district_code(territory: Any) -> str:
    parts = territory.path.split("/")
    return parts[1] if len(parts) > 2 else parts[0]


DEMOGRAPHIC_FIELDS = ("age_band", "gender", "ethnicity", "language", "occupation")


@transaction.atomic
def response_submit(
    *,
    actor: Any,
    version: InstrumentVersion,
    raw: dict[str, Any] | None = None,
    instance: Node | None = None,
    territory: Any,
    source: str,
    instance_id: str = "",
    event: Any = None,
    collected_on: date | None = None,
    language: str = "kk",
    files: dict[str, tuple[str, bytes]] | None = None,
    started: datetime | None = None,
) -> tuple[Response, bool]:
    """Check and store one anonymous response; returns (response, created). `raw` holds answers
    keyed by path (web form, paper), `instance` a device's XML; `files` the attached files by name
    as (content type, bytes). A resubmission with the same instanceID is stored once."""
    if actor is not None:
        _require(actor, "collect_survey", territory)
        _require_event(actor, event)
    if instance_id:
        existing = Response.objects.filter(instance_id=instance_id).first()
        if existing is not None:
            return existing, False
    files = files or {}
    fill = None
    if instance is None:
        fill = preloads(
            started=started,
            username=getattr(actor, "username", "") if source == Response.Source.PAPER else "",
            device_id=f"kelisim:{source}",
        )
    checked = check(
        version,
        raw,
        language,
        instance=instance,
        attachments={name: content for name, (_type, content) in files.items()},
        fill=fill,
    )
    if checked.errors:
        raise ValidationError(checked.errors)
    result = scoring.score(version.scoring, checked.answers)
    response = Response(
        version=version,
        instance_id=instance_id or f"uuid:{uuid.uuid4()}",
        territory=territory,
        district_code=_district_code(territory),
        event=event,
        collected_on=collected_on or timezone.localdate(),
        source=source,
        answers=checked.answers,
        total=result.total,
        band=result.band,
        subscales=result.subscales,
        **{f: str(answer_in(checked.answers, f) or "")[:32] for f in DEMOGRAPHIC_FIELDS},
    )
    try:
        with transaction.atomic():
            response.save()
            rollups.add(response)  # one upsert, undone with the response if anything below fails
            ResponseFile.objects.bulk_create(
                ResponseFile(
                    response=response,
                    key=key,
                    name=name,
                    content_type=files[name][0],
                    content=files[name][1],
                    size=len(files[name][1]),
                )
                for key, name in checked.files.items()
            )
    except IntegrityError:  # the same instanceID arrived twice at once
        return Response.objects.get(instance_id=response.instance_id), False
    return response, True


@transaction.atomic
def collection_link_create(
    *, actor: Any, instrument: Instrument, territory: Any, event: Any = None
) -> CollectionLink:
    _require(actor, "collect_survey", territory)
    _require_event(actor, event)
    link = CollectionLink.objects.create(
        instrument=instrument,
        territory=territory,
        event=event,
        token=secrets.token_urlsafe(16),
        created_by=actor,
    )
    audit_record(actor=actor, action="collection_link.create", obj=link, territory_path=territory.path)
    return link


@transaction.atomic
def collection_link_close(*, actor: Any, link: CollectionLink) -> CollectionLink:
    """Close a respondents' link: it stops taking answers; what it collected stays."""
    _require(actor, "collect_survey", link.territory)
    link.is_active = False
    link.save(update_fields=["is_active"])
    audit_record(actor=actor, action="collection_link.close", obj=link, territory_path=link.territory.path)
    return link


def _focus_group_checked(
    *,
    actor: Any,
    event: Any,
    territory: Any,
    held_on: Any,
    moderator: Any,
    composition: dict[str, dict[str, int]],
    findings: list[dict[str, Any]],
) -> tuple[Any, dict[str, dict[str, int]], list[Finding]]:
    """Every check of a session before anything is written: the territory and event within the
    actor's scope (the territory inside the visit's district), the moderator among the people they
    may see, known groups with whole counts, coded findings with a severity for each tension signal."""
    _require_event(actor, event)
    territory = territory or event.territory
    _require(actor, "collect_survey", territory)
    _require(actor, "collect_survey", event.territory)
    within = event.visit.territory if event.visit_id else event.territory
    if not territory.path.startswith(within.path):
        raise ValidationError(
            {"territory": _("The session's territory must lie within %(place)s.") % {"place": within.name}}
        )
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the session.")})
    if event.visit_id and not (event.visit.date_start <= held_on <= event.visit.date_end):
        raise ValidationError({"held_on": _("The date must fall within the visit's days.")})
    moderator_hidden = moderator is not None and not policies.can_use(
        actor, "view_registry", moderator.territory
    )
    if actor is not None and moderator_hidden:
        raise not_found("moderator")
    if not isinstance(composition or {}, dict):
        raise ValidationError({"composition": _("Give the counts by group: {group: {category: count}}.")})
    cleaned: dict[str, dict[str, int]] = {}
    for part, counts in (composition or {}).items():
        if part not in focus.PARTS or not isinstance(counts, dict):
            raise ValidationError({"composition": _("Unknown group: %(part)s.") % {"part": part}})
        known = {code for code, _kk, _ru in focus.CATEGORIES[part]}
        for key, value in counts.items():
            if key not in known:
                raise ValidationError(
                    {"composition": _("Unknown category %(key)s in %(part)s.") % {"key": key, "part": part}}
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError(
                    {"composition": _("Counts must be whole numbers from 0 up (%(part)s).") % {"part": part}}
                )
        kept = {k: v for k, v in counts.items() if v}
        if kept:
            cleaned[part] = kept
    rows = []
    themes, severities = set(Finding.Theme.values), set(Finding.Severity.values)
    for number, finding in enumerate(findings or [], start=1):
        unknown = set(finding) - {"theme", "tension_signal", "severity", "quote"}
        theme = finding.get("theme", "")
        signal = bool(finding.get("tension_signal", False))
        severity = finding.get("severity", "") or ""
        if unknown or theme not in themes:
            raise ValidationError(
                {"findings": _("Finding %(number)d: choose a theme from the list.") % {"number": number}}
            )
        if signal and severity not in severities:
            raise ValidationError(
                {
                    "findings": _("Finding %(number)d: give the severity of the tension signal.")
                    % {"number": number}
                }
            )
        rows.append(
            Finding(
                theme=theme,
                tension_signal=signal,
                severity=severity if signal else "",
                quote=str(finding.get("quote", "")).strip(),
            )
        )
    return territory, cleaned, rows


@transaction.atomic
def focus_group_record(
    *,
    actor: Any,
    event: Any,
    composition: dict[str, dict[str, int]],
    held_on: date | None = None,
    territory: Any = None,
    guide_questions: str = "",
    summary_kk: str = "",
    summary_ru: str = "",
    moderator: Any = None,
    findings: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> FocusGroup:
    """Record a focus-group session of `event` with its coded findings."""
    if held_on is None:
        held_on = timezone.localtime(event.start).date()
    territory, composition, rows = _focus_group_checked(
        actor=actor,
        event=event,
        territory=territory,
        held_on=held_on,
        moderator=moderator,
        composition=composition,
        findings=list(findings),
    )
    group = FocusGroup.objects.create(
        event=event,
        held_on=held_on,
        territory=territory,
        moderator=moderator,
        composition=composition,
        guide_questions=guide_questions,
        summary_kk=summary_kk,
        summary_ru=summary_ru,
    )
    for row in rows:
        row.focus_group = group
    Finding.objects.bulk_create(rows)
    audit_record(actor=actor, action="focus_group.record", obj=group, territory_path=territory.path)
    return group


@transaction.atomic
def focus_group_update(
    *,
    actor: Any,
    group: FocusGroup,
    event: Any,
    composition: dict[str, dict[str, int]],
    held_on: date | None,
    territory: Any = None,
    guide_questions: str = "",
    summary_kk: str = "",
    summary_ru: str = "",
    moderator: Any = None,
    findings: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> FocusGroup:
    """Change a session; its findings are replaced by `findings` (those left out are removed)."""
    _require(actor, "collect_survey", group.territory or group.event.territory)
    _require_event(actor, group.event)
    territory, composition, rows = _focus_group_checked(
        actor=actor,
        event=event,
        territory=territory,
        held_on=held_on,
        moderator=moderator,
        composition=composition,
        findings=list(findings),
    )
    group.event = event
    group.held_on = held_on
    group.territory = territory
    group.moderator = moderator
    group.composition = composition
    group.guide_questions = guide_questions
    group.summary_kk = summary_kk
    group.summary_ru = summary_ru
    group.save()
    group.findings.all().delete()
    for row in rows:
        row.focus_group = group
    Finding.objects.bulk_create(rows)
    audit_record(actor=actor, action="focus_group.update", obj=group, territory_path=territory.path)
    return group


@transaction.atomic
def focus_group_delete(*, actor: Any, group: FocusGroup) -> None:
    """Remove a session and its findings."""
    territory = group.territory or group.event.territory
    _require(actor, "collect_survey", territory)
    _require_event(actor, group.event)
    audit_record(actor=actor, action="focus_group.delete", obj=group, territory_path=territory.path)
    group.delete()
