from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kelisim.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the demo (the seed's Korday visit) and its accounts; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        result = demo_load()
        if not result.new_logins:
            self.stdout.write(_("Demo data is up to date; the demo accounts already exist."))
            return
        lines = [f"{username:22} {password:16} {role}" for username, password, role in result.new_logins]
        # Printed once, when the accounts are made; a copy stays in ./var for this machine only.
        logins = settings.VAR_DIR / "demo-logins.txt"
        logins.parent.mkdir(parents=True, exist_ok=True)
        logins.write_text("\n".join(lines) + "\n")
        logins.chmod(0o600)
        self.stdout.write(_("Demo accounts (shown once; a copy is in %(path)s):") % {"path": logins})
        for line in lines:
            self.stdout.write("  " + line)
