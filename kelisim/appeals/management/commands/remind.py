from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.appeals.reminders import send_digests
from kelisim.core.locks import once_today


class Command(BaseCommand):
    help = "E-mail each executor and coordinator a digest of their at-risk and overdue appeals (for a scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        # Every application server has the timer; the day's digests go out once.
        with once_today("remind", timezone.localdate()) as turn:
            if turn == "running":
                self.stdout.write(_("Another server is sending the digests now; nothing sent here."))
                return
            if turn == "done":
                self.stdout.write(_("Today's digests have been sent already; nothing sent here."))
                return
            sent = send_digests()
        self.stdout.write(_("%(count)d digests sent.") % {"count": sent})
