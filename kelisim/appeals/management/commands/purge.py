from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.appeals.retention import purge


class Command(BaseCommand):
    help = "Anonymize applicants and visitors of cases closed before the retention period (dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=5, dest="years", help="years (default 5)")
        parser.add_argument("--commit", action="store_true", help="really anonymize; without it, only count")

    def handle(self, *args: object, **options: object) -> None:
        years = options["years"]
        if not isinstance(years, int) or years < 1:
            raise CommandError(_("--older-than takes a whole number of years, 1 or more."))
        result = purge(years=years, commit=bool(options["commit"]))
        values = {"appeals": result.appeals, "visitors": result.visitors, "cutoff": result.cutoff.isoformat()}
        if options["commit"]:
            self.stdout.write(
                _("Anonymized %(appeals)d appeals and %(visitors)d visitors closed before %(cutoff)s.")
                % values
            )
        else:
            self.stdout.write(
                _(
                    "Dry run: %(appeals)d appeals and %(visitors)d visitors closed before %(cutoff)s would be anonymized. Add --commit to do it."
                )
                % values
            )
