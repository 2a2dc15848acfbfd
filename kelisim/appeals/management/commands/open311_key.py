"""Open311 api_keys from the command line: issue, revoke, list (the page does the same)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.accounts import policies
from kelisim.accounts.models import Department, User
from kelisim.appeals import selectors, services
from kelisim.appeals.models import Open311Key


class Command(BaseCommand):
    help = "Issue, revoke or list Open311 api_keys, as the given user (who manages departments there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["issue", "revoke", "list"])
        parser.add_argument("--user", required=True, help="username of the person acting")
        parser.add_argument("--name", default="", help="issue: the client system the key is for")
        parser.add_argument("--department", default="", help="issue: the department's code")
        parser.add_argument("--key-id", type=int, help="revoke: the key's number, as `list` shows it")

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No such user."))
        keys = selectors.open311_keys(user=user)
        try:
            if options["action"] == "issue":
                # A code is unique within a territory only: among the user's own departments.
                mine = Department.objects.filter(policies.scope_q(user, "manage_open311")).order_by("code")
                found_departments = list(mine.filter(code=options["department"]))
                if len(found_departments) != 1:
                    codes = ", ".join(sorted({d.code for d in mine})) or "—"
                    raise CommandError(
                        (
                            _("Give --department with the code of one of your departments: %(codes)s.")
                            if not found_departments
                            else _(
                                "Several of your departments have this code; ask an administrator to make them distinct."
                            )
                        )
                        % {"codes": codes}
                    )
                department = found_departments[0]
                key, raw = services.open311_key_create(
                    actor=user, name=str(options["name"]), department=department
                )
                self.stdout.write(
                    _("Key %(id)s for %(name)s: %(key)s") % {"id": key.pk, "name": key.name, "key": raw}
                )
                self.stdout.write(_("Keep it now: it is not shown again."))
            elif options["action"] == "revoke":
                found: Open311Key | None = keys.filter(pk=int(str(options["key_id"] or 0))).first()
                if found is None:
                    raise CommandError(_("No such key."))
                services.open311_key_revoke(actor=user, key=found)
                self.stdout.write(_("Key %(id)s revoked.") % {"id": found.pk})
            else:
                for key in keys:
                    state = _("active") if key.is_active else _("revoked")
                    self.stdout.write(f"{key.pk}\t{key.name}\t{key.department.code}\t{state}")
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
