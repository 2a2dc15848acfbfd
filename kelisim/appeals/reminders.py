"""The daily digest: each person their own at-risk and overdue appeals, in their own language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kelisim.accounts.models import User

from . import deadlines
from .models import Appeal
from .selectors import OPEN, AppealFilters, appeal_list


def _digest_for(user: User) -> tuple[list[Appeal], list[Appeal]]:
    today = timezone.localdate()
    risk_until = deadlines.work_calendar().add_working_days(today, deadlines.AT_RISK_DAYS)
    mine = Q(lead_executor=user) | Q(co_executors__user=user)
    # Coordinators (who may close appeals) hear about every late appeal in their territories.
    scope = appeal_list(user=user, filters=AppealFilters()).filter(OPEN)
    if not user.memberships.filter(role__capabilities__code="close_appeal").exists():
        scope = scope.filter(mine)
    scope = scope.distinct()
    overdue = list(scope.filter(due_date__lt=today))
    at_risk = list(scope.filter(due_date__gte=today, due_date__lte=risk_until))
    return at_risk, overdue


def send_digests() -> int:
    sent = 0
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(memberships__role__capabilities__code="manage_appeal")
        .distinct()
    )
    for user in candidates:
        at_risk, overdue = _digest_for(user)
        if not at_risk and not overdue:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Kelisim: %(overdue)d overdue and %(risk)d at-risk appeals") % {
                "overdue": len(overdue),
                "risk": len(at_risk),
            }
            body = render_to_string(
                "appeals/digest.txt", {"user": user, "at_risk": at_risk, "overdue": overdue}
            )
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
