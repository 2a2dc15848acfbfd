from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from kelisim.appeals import deadlines


class Command(BaseCommand):
    help = (
        "Print the due date (ISO) of an appeal received on a day: N working days, counted from the next day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=deadlines.ANSWER_DAYS)

    def handle(self, *args: object, **options: object) -> None:
        received = options["received"]
        days = options["days"]
        assert isinstance(received, date) and isinstance(days, int)
        self.stdout.write(deadlines.due_date(received, days).isoformat())
