from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kelisim.appeals.reminders import send_digests
from kelisim.core.locks import alone


class Command(BaseCommand):
    help = "E-mail each executor and coordinator a digest of their at-risk and overdue appeals (for a scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        # Every application server has the timer; the digests go out once.
        with alone("remind") as mine:
            if not mine:
                self.stdout.write(_("Another server is sending the digests now; nothing sent here."))
                return
            sent = send_digests()
        self.stdout.write(_("%(count)d digests sent.") % {"count": sent})
