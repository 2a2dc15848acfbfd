import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.accounts.services import administrator_create

FROM_ENVIRONMENT = "KELISIM_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a system administrator (all capabilities, the whole country): the first account of a "
        f"fresh install. The password is asked twice, or read from ${FROM_ENVIRONMENT}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: object, **options: Any) -> None:
        password = os.environ.get(FROM_ENVIRONMENT) or self._ask_password()
        try:
            user = administrator_create(
                username=options["username"],
                password=password,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            lines = [
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in error.message_dict.items()
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            _(
                "The system administrator “%(name)s” is created. Sign in and set up the second factor; "
                "then add the other users and their roles."
            )
            % {"name": user.username}
        )

    def _ask_password(self) -> str:
        first = getpass.getpass(_("Password: "))
        if getpass.getpass(_("Password (again): ")) != first:
            raise CommandError(_("The two passwords differ."))
        return first
