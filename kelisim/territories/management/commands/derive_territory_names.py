from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kelisim.territories.services import territories_rederive_names


class Command(BaseCommand):
    help = (
        "Derive the Kazakh names again for the units that have no official one (after the language "
        "kit changed). Corrections made on the territory page are kept unless --include-edited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--include-edited", action="store_true", help="replace administrators' corrections too"
        )

    def handle(self, *args: object, **options: object) -> None:
        changed = territories_rederive_names(include_edited=bool(options["include_edited"]))
        self.stdout.write(_("Kazakh names derived again: %(count)d changed.") % {"count": changed})
