import os

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
        logins = settings.VAR_DIR / "demo-logins.txt"
        accounts = [f"{username:22} {password:16} {role}" for username, password, role in result.new_logins]
        # The OpenRosa clients' arguments, ready to paste (ODK Collect: the same user name and password).
        credentials = [
            f"--user {username} --password {secret}"
            for username, secret, _device in result.new_collection_credentials
        ]
        sections = [(_("Demo accounts (shown once; a copy is in %(path)s):") % {"path": logins}, accounts)]
        if credentials:
            sections.append(
                (
                    _(
                        "Collection credential for ODK Collect and other OpenRosa clients at /openrosa "
                        "(shown once; the account's password is refused there):"
                    ),
                    credentials,
                )
            )
        # Printed once, when the accounts are made; a copy stays in ./var for this machine only.
        text = "".join(f"{title}\n" + "".join(f"  {line}\n" for line in lines) for title, lines in sections)
        logins.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(logins, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        logins.chmod(0o600)  # a file left from an earlier run keeps its old mode otherwise
        self.stdout.write(text, ending="")
