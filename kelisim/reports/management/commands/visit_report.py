from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.accounts.models import User
from kelisim.core.audit import audit_export
from kelisim.core.files import write_private
from kelisim.core.validation import DOCUMENT_LANGUAGES
from kelisim.programs.models import Visit
from kelisim.reports.visit_report import render


class Command(BaseCommand):
    help = "Write the visit report as DOCX, PDF or XLSX (with a system administrator's view)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--visit", type=int, required=True)
        parser.add_argument("--lang", choices=DOCUMENT_LANGUAGES, default="kk")
        parser.add_argument("--format", choices=["docx", "pdf", "xlsx"], required=True)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: object, **options: object) -> None:
        visit = (
            Visit.objects.select_related("territory", "edition__program")
            .filter(pk=int(str(options["visit"])))
            .first()
        )
        if visit is None:
            raise CommandError(_("No visit with the number %(id)s.") % {"id": options["visit"]})
        # The command runs for the region's staff: it reads as a user who sees the whole country.
        reader = User(is_superuser=True, is_active=True)
        body, _type, rows = render(
            user=reader, visit=visit, language=str(options["lang"]), kind=str(options["format"])
        )
        output = options["output"]
        assert isinstance(output, Path)
        try:
            write_private(output, body)  # names of officials and appeal counts: owner only (0600)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": output, "error": error}
            ) from error
        audit_export(
            actor=None,
            kind="visit_report",
            fmt=str(options["format"]),
            rows=rows,
            obj=visit,
            filters={"language": options["lang"]},
            paths=[visit.territory.path],
            source="command",
        )
        self.stdout.write(_("Written: %(path)s (%(size)d bytes).") % {"path": output, "size": len(body)})
