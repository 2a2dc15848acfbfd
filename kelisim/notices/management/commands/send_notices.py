from typing import Any

from django.core.management.base import BaseCommand

from kelisim.notices import services


class Command(BaseCommand):
    help = "Send again the notices to applicants that failed and whose pause is over (run by a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.retry_due()
        self.stdout.write(f"{count} notices tried")
