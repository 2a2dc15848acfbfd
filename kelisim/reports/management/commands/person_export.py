import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kelisim.core.audit import audit_export
from kelisim.registry.models import Person
from kelisim.reports.person_export import person_record


class Command(BaseCommand):
    help = "Write everything held about one person (the right of access) as JSON to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", type=int, required=True)

    def handle(self, *args: object, **options: object) -> None:
        person = Person.objects.select_related("territory").filter(pk=int(str(options["person"]))).first()
        if person is None:
            raise CommandError(_("No person with the number %(id)s.") % {"id": options["person"]})
        record = person_record(person)
        self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))
        audit_export(
            actor=None,
            kind="person",
            fmt="json",
            rows=1 + sum(len(v) for v in record.values() if isinstance(v, list)),
            obj=person,
            paths=[person.territory.path],
            source="command",
        )
