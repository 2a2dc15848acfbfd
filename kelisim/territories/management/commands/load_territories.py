from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from kelisim.territories import kato
from kelisim.territories.services import territories_load

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SHIPPED = DATA_DIR / "kato_2022-10-17_ru.csv"
SHIPPED_NAMES = DATA_DIR / "names_kk_zhambyl.csv"


class Command(BaseCommand):
    help = "Load the KATO classifier (the shipped 2022 copy, or a newer file) idempotently."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED)
        parser.add_argument("--names", type=Path, default=SHIPPED_NAMES, help="code,name_kk,name_ru overlay")
        parser.add_argument("--date", type=date.fromisoformat, help="the classifier's date (YYYY-MM-DD)")

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        names_path = options["names"]
        assert isinstance(path, Path) and isinstance(names_path, Path)
        classifier_date = options["date"] or kato.classifier_date_from_name(path)
        if not isinstance(classifier_date, date):
            raise CommandError(_("Give the classifier's date with --date YYYY-MM-DD."))
        try:
            units = kato.parse(_read(path))
            names = kato.parse_names(_read(names_path)) if names_path.exists() else {}
        except kato.KatoFileError as error:
            raise CommandError(f"{path}: {error}") from error
        bar = tqdm(desc=_("Territories"), unit="", total=len(units), disable=options["verbosity"] == 0)
        version = territories_load(
            units=units,
            classifier_date=classifier_date,
            source=path.name,
            names=names,
            progress=lambda items: bar_iter(bar, items),
        )
        bar.close()
        self.stdout.write(
            _("KATO %(date)s: %(created)d added, %(updated)d updated, %(retired)d retired.")
            % {
                "date": classifier_date.isoformat(),
                "created": version.created,
                "updated": version.updated,
                "retired": version.retired,
            }
        )


def bar_iter(bar, items):
    for item in items:
        yield item
        bar.update()


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(
            _("%(path)s: line %(line)d is not UTF-8 text")
            % {"path": path, "line": raw[: error.start].count(b"\n") + 1}
        ) from error
