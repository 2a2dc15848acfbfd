from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kelisim.core.audit import audit_export
from kelisim.core.backup import ENGINE_NAMES, snapshot


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database to PATH: a zip holding manifest.json and the "
        "database (SQLite's online backup, or pg_dump -Fc). See docs/backups.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file to write, e.g. /backups/kelisim-2025-01-31.zip")
        parser.add_argument("--overwrite", action="store_true", help="replace PATH if it exists")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias to back up")

    def handle(self, *args: object, **options: object) -> None:
        backup = snapshot(
            str(options["path"]), connections[str(options["database"])], overwrite=bool(options["overwrite"])
        )
        # Everything left the database: written to the audit log once the file is complete.
        audit_export(
            actor=None, kind="backup", fmt="zip", rows=backup.rows, obj=None, paths=[""], source="command"
        )
        self.stdout.write(
            _(
                "Backup of the %(engine)s database written to %(path)s: %(tables)d tables, %(rows)d rows, %(size)s."
            )
            % {
                "engine": ENGINE_NAMES[backup.manifest["engine"]],
                "path": backup.path,
                "tables": backup.tables,
                "rows": backup.rows,
                "size": filesizeformat(backup.size),
            }
        )
