from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kelisim.accounts.services import roles_sync


class Command(BaseCommand):
    help = "Apply roles.py (roles and their capabilities) to the database; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        result = roles_sync()
        self.stdout.write(
            _("%(roles)d roles and %(capabilities)d capabilities in force (%(created)d new).") % result
        )
