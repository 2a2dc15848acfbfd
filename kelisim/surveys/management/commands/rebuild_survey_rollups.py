from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.surveys import rollups


class Command(BaseCommand):
    help = (
        "Add up the survey rollups the analytics read anew from every response, all or nothing "
        "(after a bulk load or a restore); --check only compares them with the responses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 if they differ")

    def handle(self, *args: object, **options: object) -> None:
        if options["check"]:
            check(self)
            return
        count = rollups.rebuild()
        self.stdout.write(
            ngettext("%(count)d survey rollup row rebuilt.", "%(count)d survey rollup rows rebuilt.", count)
            % {"count": count}
        )


def check(command: BaseCommand) -> None:
    """Exit non-zero, saying which rows differ, when the rollups are not the responses' sums."""
    found = rollups.differences()
    if found:
        for line in found:
            command.stderr.write(line)
        raise CommandError(
            _("The survey rollups differ from the responses; run kelisim rebuild_survey_rollups.")
        )
    command.stdout.write(_("The survey rollups equal the responses."))
