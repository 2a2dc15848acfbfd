from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kelisim.core.files import WAITING_HOURS, expire_waiting
from kelisim.core.jobs import jobs_expire
from kelisim.imports.services import UNCOMMITTED_DAYS, batches_expire


class Command(BaseCommand):
    help = (
        "Delete import previews that were never committed: uploaded files waiting for their import "
        "(after an hour), finished background jobs (after 30 days), press-release imports never saved "
        "into records (after 30 days). Run hourly by deploy/kelisim-expire.timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=float, default=WAITING_HOURS, help="age of waiting uploads")
        parser.add_argument("--days", type=int, default=UNCOMMITTED_DAYS, help="age of jobs and imports")

    def handle(self, *args: object, **options: object) -> None:
        days = int(str(options["days"]))
        files = expire_waiting(hours=float(str(options["hours"])))
        jobs = jobs_expire(days=days)
        batches = batches_expire(days=days)
        self.stdout.write(
            _("Deleted: %(files)d waiting files, %(jobs)d finished jobs, %(batches)d press-release imports.")
            % {"files": files, "jobs": jobs, "batches": batches}
        )
