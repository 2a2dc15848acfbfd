from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.core.backup import ENGINE_NAMES, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `kelisim backup` into the configured database, which must be empty "
        "(no tables); then check every table against the backup's checksums. See docs/backups.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file written by `kelisim backup`")
        parser.add_argument(
            "--no-verify",
            action="store_true",
            help="skip comparing the restored tables with the backup's checksums",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias to restore into")

    def handle(self, *args: object, **options: object) -> None:
        settings_dict = connections[str(options["database"])].settings_dict
        restored = restore(str(options["path"]), settings_dict, verify=not options["no_verify"])
        message = (
            _(
                "Restored %(tables)d tables, %(rows)d rows, into the %(engine)s database; every table matches the backup."
            )
            if restored.verified
            else _("Restored %(tables)d tables, %(rows)d rows, into the %(engine)s database (not verified).")
        )
        self.stdout.write(
            message
            % {"tables": restored.tables, "rows": restored.rows, "engine": ENGINE_NAMES[restored.engine]}
        )
        if restored.missing_migrations:
            count = len(restored.missing_migrations)
            warning = ngettext(
                "The backup predates %(count)d migration of this version of Kelisim (%(first)s); "
                "run “kelisim migrate” now.",
                "The backup predates %(count)d migrations of this version of Kelisim (%(first)s…); "
                "run “kelisim migrate” now.",
                count,
            ) % {"count": count, "first": restored.missing_migrations[0]}
            self.stdout.write(self.style.WARNING(warning))
