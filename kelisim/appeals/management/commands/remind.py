from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kelisim.appeals.reminders import send_digests


class Command(BaseCommand):
    help = "E-mail each executor and coordinator a digest of their at-risk and overdue appeals (for a scheduler)."

    def handle(self, *args: object, **options: object) -> None:
        sent = send_digests()
        self.stdout.write(_("%(count)d digests sent.") % {"count": sent})
