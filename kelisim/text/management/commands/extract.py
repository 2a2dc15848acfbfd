"""`kelisim extract FILE... [--lang kk|ru] [--pub-date YYYY-MM-DD]`: event records from press releases.

Prints one JSON line per file, {"file": PATH, "language": "kk", "events": [...]}, in the schema of
shared/corpus/dev/README.md. Files that are empty, binary, or in neither Kazakh nor Russian get a
message on stderr, an "error" line on stdout, and a non-zero exit status.
"""

from __future__ import annotations

import datetime as dt
import sys
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kelisim.text.extract.cli import run


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(
            _("expected a date as YYYY-MM-DD, got %(value)r") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = "Extract event records (JSON lines) from press releases in Kazakh or Russian (.txt or .docx)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", help="press releases: .txt in UTF-8 or .docx")
        parser.add_argument(
            "--lang", choices=("kk", "ru"), help="the language, when it should not be detected"
        )
        parser.add_argument(
            "--pub-date",
            type=_iso_date,
            help="the publication date (YYYY-MM-DD), to date events 'биыл'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Plain streams: JSON lines must not be styled, and messages must reach stderr even when a file fails.
        status = run(options["files"], options["lang"], options["pub_date"], sys.stdout, sys.stderr)
        if status:
            raise CommandError(_("some files could not be read; see the messages above"), returncode=status)
