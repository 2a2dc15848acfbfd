from django.core.management.base import BaseCommand

from .rebuild_survey_rollups import check


class Command(BaseCommand):
    help = "Compare the survey rollups with the responses; exit 1, naming the rows, if they differ."

    def handle(self, *args: object, **options: object) -> None:
        check(self)
