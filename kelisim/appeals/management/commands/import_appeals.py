from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from kelisim.accounts.models import User
from kelisim.appeals import importer


class Command(BaseCommand):
    help = "Import appeals from an XLSX or CSV file, all or nothing, as the given user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="username of the person importing")

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No such user."))
        try:
            parsed = importer.parse(name=path.name, content=path.read_bytes(), user=user)
            if parsed.errors:
                raise ValidationError([str(e) for e in parsed.errors[:50]])
            bar = tqdm(total=len(parsed.rows), desc=_("Appeals"), disable=options["verbosity"] == 0)
            created = importer.commit(parsed=parsed, user=user, progress=bar.update)
            bar.close()
        except (ValidationError, OSError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(_("%(count)d appeals imported.") % {"count": len(created)})
