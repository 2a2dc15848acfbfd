"""`python -m kelisim.text.extract FILE... [--lang kk|ru] [--pub-date YYYY-MM-DD]`, without Django."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .cli import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kelisim.text.extract", description=__doc__)
    parser.add_argument("files", nargs="+", help="press releases (.txt in UTF-8 or .docx)")
    parser.add_argument("--lang", choices=("kk", "ru"), help="the language, when not to be detected")
    parser.add_argument("--pub-date", type=dt.date.fromisoformat, help="publication date, for 'биыл'")
    args = parser.parse_args(argv)
    return run(args.files, args.lang, args.pub_date, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
