from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kelisim.surveys.services import instruments_install_ready


class Command(BaseCommand):
    help = "Install the ready instruments (Tolerance Index, Bogardus scale) once; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        installed = instruments_install_ready()
        self.stdout.write(_("%(count)d instruments installed.") % {"count": len(installed)})
