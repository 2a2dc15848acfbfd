from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.accounts.models import User
from kelisim.core.validation import DOCUMENT_LANGUAGES
from kelisim.programs.models import Visit
from kelisim.reports.press_release import draft


class Command(BaseCommand):
    help = "Print the press-release draft of a visit, in Kazakh or Russian, with its reception and survey figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--visit", type=int, required=True)
        parser.add_argument("--lang", choices=DOCUMENT_LANGUAGES, default="kk")

    def handle(self, *args: object, **options: object) -> None:
        visit = (
            Visit.objects.select_related("territory", "edition__program")
            .filter(pk=int(str(options["visit"])))
            .first()
        )
        if visit is None:
            raise CommandError(_("No visit with the number %(id)s.") % {"id": options["visit"]})
        # The command runs for the region's staff: it reads as a user who sees the whole country
        # (counts of receptions, survey tables with small groups suppressed).
        reader = User(is_superuser=True, is_active=True)
        self.stdout.write(draft(visit, str(options["lang"]), reader).text)
