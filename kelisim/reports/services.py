"""Writes about press releases: every save is a new version, the old ones stay."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.core.audit import audit_record
from kelisim.core.validation import DOCUMENT_LANGUAGES
from kelisim.events.selectors import events_shown
from kelisim.programs.models import Visit

from .models import PressRelease, RestrictedTemplate
from .press_release import draft


def _next_number(visit: Visit, language: str) -> int:
    last = PressRelease.objects.filter(visit=visit, language=language).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


@transaction.atomic
def press_release_generate(*, actor: Any, visit: Visit, language: str) -> PressRelease:
    if not policies.can(actor, "write_press_release", visit.territory):
        raise ValidationError({"visit": _("This territory is outside your scope.")})
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError({"language": _("Choose Kazakh or Russian.")})
    # The draft covers every event of the visit, restricted ones in the press office's wording:
    # their reading is recorded like any other.
    events_shown(
        user=actor,
        events=visit.events.select_related("territory"),
        via="press_release",
        filters={"visit": visit.pk, "lang": language},
    )
    release = PressRelease.objects.create(
        visit=visit,
        language=language,
        number=_next_number(visit, language),
        text=draft(visit, language, actor).text,
        generated=True,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor, action="press_release.generate", obj=release, territory_path=visit.territory.path
    )
    return release


@transaction.atomic
def press_release_save(*, actor: Any, visit: Visit, language: str, text: str) -> PressRelease:
    if not policies.can(actor, "write_press_release", visit.territory):
        raise ValidationError({"visit": _("This territory is outside your scope.")})
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError({"language": _("Choose Kazakh or Russian.")})
    if not text.strip():
        raise ValidationError({"text": _("The text is empty.")})
    release = PressRelease.objects.create(
        visit=visit,
        language=language,
        number=_next_number(visit, language),
        text=text.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action="press_release.save", obj=release, territory_path=visit.territory.path)
    return release


def as_docx(release: PressRelease) -> bytes:
    import io

    from docx import Document

    document = Document()
    lines = [line for line in release.text.splitlines() if line.strip()]
    if lines:
        document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@transaction.atomic
def restricted_template_set(
    *, actor: Any, language: str, text: str, allow_counts: bool
) -> RestrictedTemplate:
    """The press office's wording for a restricted event, one per language, the country's: every
    release from now on mentions such an event only in these words. `{date}` is the day; `{count}`
    the number of participants, and only when counts may be given."""
    if not policies.can_everywhere(actor, "write_press_release"):
        raise PermissionDenied(_("Only the press office of the whole country may change this wording."))
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError({"language": _("Choose Kazakh or Russian.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The text is empty.")})
    unknown = sorted({p for p in _PLACEHOLDER.findall(text) if p not in ("{date}", "{count}")})
    if unknown:
        raise ValidationError(
            {
                "text": _("Only {date} and {count} may be filled in; remove %(unknown)s.")
                % {"unknown": ", ".join(unknown)}
            }
        )
    if "{count}" in text and not allow_counts:
        raise ValidationError(
            {"text": _("{count} is used, but counts may not be given: tick the box or remove it.")}
        )
    template, created = RestrictedTemplate.objects.get_or_create(
        language=language, defaults={"text": text, "allow_counts": allow_counts}
    )
    if not created:
        template.text, template.allow_counts = text, allow_counts
        template.save(update_fields=["text", "allow_counts"])
    audit_record(
        actor=actor,
        action="restricted_template.set",
        obj=template,
        params={"language": language, "allow_counts": allow_counts},
    )
    return template
