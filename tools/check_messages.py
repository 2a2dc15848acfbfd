"""Fail when the kk or ru catalogue misses a string the code uses, or leaves one untranslated.

It extracts the strings afresh (makemessages, in a scratch copy of the package) and compares them
with the committed catalogues, so a new `_("...")` without `make messages` is caught here rather
than by a user who sees English.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kelisim"
LANGUAGES = ("kk", "ru")


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


# makemessages finds `_`, `gettext_lazy`, `ngettext`… by name: under any other alias a string is
# never extracted, and the page shows it in English while this check counts the catalogue complete.
ALIAS = re.compile(r"import\s+(?:\w*gettext\w*)\s+as\s+(?!_\b)(\w+)")


def hidden_by_alias() -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: gettext imported as {alias!r}, which makemessages does not read"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts
        for alias in ALIAS.findall(path.read_text(encoding="utf-8"))
    ]


def main() -> int:
    problems: list[str] = hidden_by_alias()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "kelisim"
        shutil.copytree(
            PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "locale_django", "__pycache__")
        )
        (copy / "locale").mkdir()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "kk",
                "--no-location",
                "-i",
                "conftest.py",
                "-i",
                "*/tests/*",
                "-v",
                "0",
            ],
            cwd=copy,
            check=True,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
        )
        fresh = {key(e) for e in polib.pofile(str(copy / "locale/kk/LC_MESSAGES/django.po")) if e.msgid}
    for language in LANGUAGES:
        path = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        have = {key(e) for e in catalogue if e.msgid and not e.obsolete}
        for ctxt, msgid in sorted(fresh - have):
            problems.append(
                f"{path.relative_to(ROOT)}: missing {msgid!r}" + (f" (context {ctxt!r})" if ctxt else "")
            )
        for entry in catalogue.untranslated_entries():
            problems.append(f"{path.relative_to(ROOT)}: untranslated {entry.msgid!r}")
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{path.relative_to(ROOT)}: fuzzy {entry.msgid!r}")
    for path in sorted((PACKAGE / "locale_django").rglob("*.po")):
        catalogue = polib.pofile(str(path))
        problems += [
            f"{path.relative_to(ROOT)}: untranslated {e.msgid!r}" for e in catalogue.untranslated_entries()
        ]
        problems += [f"{path.relative_to(ROOT)}: fuzzy {e.msgid!r}" for e in catalogue.fuzzy_entries()]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} catalogue problems: run `make messages`, then translate.", file=sys.stderr)
        return 1
    print(f"catalogues complete: {len(fresh)} strings in kk and ru")
    return 0


if __name__ == "__main__":
    sys.exit(main())
