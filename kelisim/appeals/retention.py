"""Retention: after the period, closed cases keep their numbers, dates, statuses and departments
(the statistics) but lose the names and contacts of the people in them."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kelisim.core.audit import audit_record
from kelisim.notices.models import NoticePreference

from .models import Appeal, PreRegistration, Visitor, VisitorOutcomeChange

FINISHED = [Appeal.Status.CLOSED, Appeal.Status.REDIRECTED, Appeal.Status.ANSWERED]
REMOVED = "—"


@dataclass(frozen=True)
class Purge:
    cutoff: date
    appeals: int
    visitors: int


def _candidates(cutoff: date) -> tuple[object, object]:
    appeals = Appeal.objects.filter(anonymized=False, status__in=FINISHED).filter(
        Q(closed_on__lt=cutoff) | Q(closed_on__isnull=True, answered_on__lt=cutoff)
    )
    # A visitor is kept while an appeal of theirs is still open or young.
    visitors = Visitor.objects.filter(anonymized=False, session__end__date__lt=cutoff).exclude(
        appeal__in=Appeal.objects.exclude(pk__in=appeals.values("pk")).filter(visitor__isnull=False)
    )
    return appeals, visitors


def purge(*, years: int, commit: bool, actor: object = None) -> Purge:
    cutoff = timezone.localdate() - relativedelta(years=years)
    appeals, visitors = _candidates(cutoff)
    result = Purge(cutoff, appeals.count(), visitors.count())  # type: ignore[attr-defined]
    if commit:
        with transaction.atomic():
            # Sign-ups made on a visit's public page: a name, a phone and a topic, with nothing to
            # keep them for once their reception is past the retention period.
            PreRegistration.objects.filter(session__end__date__lt=cutoff).delete()
            # Where the applicant wanted to be told: their e-mail and phone go with the name.
            NoticePreference.objects.filter(appeal__in=appeals).delete()  # type: ignore[misc]
            appeals.update(  # type: ignore[attr-defined]
                applicant_name=REMOVED,
                applicant_contact="",
                applicant_name_key="",
                applicant_phone_key="",
                # A home address or a photo can name the applicant as well as their name does.
                address="",
                address_id="",
                latitude=None,
                longitude=None,
                media_url="",
                anonymized=True,
            )
            # A correction's reason is staff's free text, and often names the visitor.
            VisitorOutcomeChange.objects.filter(visitor__in=visitors).update(reason="", redirected_to="")
            visitors.update(name="", contact="", declined_name=True, anonymized=True)  # type: ignore[attr-defined]
            marker = (
                Appeal.objects.filter(anonymized=True).first()
                or Visitor.objects.filter(anonymized=True).first()
            )
            if marker is not None:
                audit_record(
                    actor=actor,
                    action="retention.purge",
                    obj=marker,
                    params={"years": years, "appeals": result.appeals, "visitors": result.visitors},
                )
    return result
