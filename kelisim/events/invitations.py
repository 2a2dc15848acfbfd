"""Invitations to a visit's working group: an e-mail to each member, in Kazakh and Russian, with
the days they are expected, the programme of those days, a link to confirm or decline, and the
programme as an .ics file for their calendar. The mail leaves after the transaction commits."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kelisim.programs.models import Member, Visit
from kelisim.programs.services import member_invitation_issue

from . import ical
from .models import Event

LANGUAGES = ("kk", "ru")


@dataclass
class Sent:
    invited: list[Member] = field(default_factory=list)
    without_email: list[Member] = field(default_factory=list)


def programme(*, visit: Visit, member: Member) -> list[Event]:
    """The open events of the visit on the member's days: restricted meetings are never mailed."""
    days = set(member.present_days)
    return [
        e
        for e in Event.objects.filter(visit=visit, restricted=False)
        .select_related("territory", "venue", "format")
        .order_by("start")
        if timezone.localtime(e.start).date() in days or timezone.localtime(e.end).date() in days
    ]


def invite(*, actor: Any, visit: Visit, members: list[Member], answer_url: Any, host: str) -> Sent:
    """Issue a fresh link to each member with an e-mail and send them the invitation.
    `answer_url(token)` gives the absolute address of the answer page."""
    sent = Sent()
    with transaction.atomic():  # the service checks the caller's right for each member
        for member in members:
            if not member.person.email:
                sent.without_email.append(member)
                continue
            token = member_invitation_issue(actor=actor, member=member)
            message = _message(visit=visit, member=member, link=answer_url(token), host=host)
            transaction.on_commit(message.send)
            sent.invited.append(member)
    return sent


def _message(*, visit: Visit, member: Member, link: str, host: str) -> EmailMessage:
    events = programme(visit=visit, member=member)
    parts, subjects = [], []
    for language in LANGUAGES:
        with translation.override(language):
            context = {"visit": visit, "member": member, "events": events, "link": link}
            subjects.append(render_to_string("events/invitation_subject.txt", context).strip())
            parts.append(render_to_string("events/invitation_email.txt", context).strip())
    message = EmailMessage(
        subject=" / ".join(dict.fromkeys(subjects)),
        body="\n\n— — —\n\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.person.email],
    )
    with translation.override(LANGUAGES[0]):
        calendar = ical.calendar_bytes(events, name=str(visit))
    message.attach(f"visit-{visit.pk}.ics", calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    return message
