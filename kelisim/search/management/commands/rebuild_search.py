from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from kelisim.search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every record (after bulk loads, which skip the signals) beside "
        "the live one, 2,000 records per transaction: searches answer throughout, and a stopped rebuild "
        "leaves the live index whole (run it again to finish)."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = rebuild(
            progress=lambda items: tqdm(items, desc=_("Search index"), disable=options["verbosity"] == 0)
        )
        self.stdout.write(_("%(count)d records indexed.") % {"count": count})
