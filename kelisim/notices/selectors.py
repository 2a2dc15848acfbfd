"""Reads about notices: an appeal's notices as steps of its history, and the texts' list."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Channel, Notice, NoticePreference, NoticeTemplate


@dataclass(frozen=True)
class NoticeStep:
    """A notice shown among the appeal's history steps (same attributes the history list reads)."""

    at: datetime
    description: str
    status: str
    actor: Any = None
    comment: str = ""


def describe(notice: Notice) -> str:
    """ "Notice to the applicant (extension, SMS): delivered …; attempts: 2"."""
    text = _("Notice to the applicant (%(kind)s, %(channel)s): %(status)s") % {
        "kind": notice.get_kind_display(),
        "channel": notice.get_channel_display(),
        "status": notice.get_status_display(),
    }
    if notice.attempts > 1:
        text += "; " + ngettext("%(count)d attempt", "%(count)d attempts", notice.attempts) % {
            "count": notice.attempts
        }
    return text


def appeal_notice_steps(*, appeal: Any) -> list[NoticeStep]:
    """The appeal's notices, to be shown in its history; the caller has already checked access."""
    return [
        NoticeStep(at=n.sent_at or n.created_at, description=describe(n), status=n.status)
        for n in Notice.objects.filter(appeal=appeal)
    ]


def templates() -> QuerySet[NoticeTemplate]:
    return NoticeTemplate.objects.order_by("kind", "language", "channel")


@dataclass(frozen=True)
class PreferenceSummary:
    """What the appeal's page says of the applicant's notices: the channels and the language, not
    the addresses."""

    channels: str
    language: str
    consent_at: datetime


def appeal_notice_preference(*, appeal: Any) -> PreferenceSummary | None:
    preference = NoticePreference.objects.filter(appeal=appeal).first()
    if preference is None or preference.consent_at is None:
        return None
    labels = dict(Channel.choices)
    return PreferenceSummary(
        channels=", ".join(str(labels[c]) for c in preference.channels()),
        language=preference.get_language_display(),
        consent_at=preference.consent_at,
    )
