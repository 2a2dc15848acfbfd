from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "kelisim.appeals"
    label = "appeals"
    verbose_name = _("Receptions and appeals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import deadlines
        from .models import WorkdayOverride

        # This process's read cache follows the administrator's edits at once; others within a minute.
        for signal in (post_save, post_delete):
            signal.connect(
                deadlines.forget_cached_calendar, sender=WorkdayOverride, dispatch_uid=f"calendar-{signal}"
            )
