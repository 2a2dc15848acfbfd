from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.accounts.models import User
from kelisim.core.audit import audit_export
from kelisim.core.files import write_private
from kelisim.core.validation import DOCUMENT_LANGUAGES
from kelisim.reports.summary import parse_period, summary_files
from kelisim.territories.models import Level, Territory


class Command(BaseCommand):
    help = "Write a region's monthly (YYYY-MM) or quarterly (YYYY-Qn) summary as XLSX and DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="the region's KATO code")
        parser.add_argument("--period", required=True, help="2023-05 or 2023-Q2")
        parser.add_argument("--lang", choices=DOCUMENT_LANGUAGES, default="kk")
        parser.add_argument("--output-dir", type=Path, default=None)

    def handle(self, *args: object, **options: object) -> None:
        region = Territory.objects.filter(code=options["region"], level=Level.REGION).first()
        if region is None:
            raise CommandError(_("No region with the KATO code %(code)s.") % {"code": options["region"]})
        reader = User(
            is_superuser=True, is_active=True
        )  # a scheduler has no session: it reads the whole region
        try:
            files, body_rows = summary_files(
                user=reader, region=region.code, period=str(options["period"]), language=str(options["lang"])
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        folder = options["output_dir"] or Path(settings.VAR_DIR) / "summaries"
        assert isinstance(folder, Path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        start, end = parse_period(str(options["period"]))
        for kind, body in files.items():
            path = folder / f"summary-{region.code}-{options['period']}-{options['lang']}.{kind}"
            write_private(path, body)
            audit_export(
                actor=None,
                kind="summary",
                fmt=kind,
                rows=body_rows,
                obj=region,
                filters={"date_from": start, "date_to": end, "language": options["lang"]},
                paths=[region.path],
                source="command",
            )
            self.stdout.write(str(path))
