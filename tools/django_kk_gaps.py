#!/usr/bin/env python
"""Find Django / DRF strings that have no Kazakh (kk) translation.

For each third-party catalogue below we take the CURRENT msgids from the
Russian (ru) catalogue of the installed package (ru is complete and up to
date), and look each one up in the installed kk .mo.  Entries for which kk
gives no translation (missing or empty) are "gaps".  Our own completion of
them lives in kelisim/locale_django/kk/LC_MESSAGES/{django,djangojs}.po
(listed in LOCALE_PATHS, so it takes precedence over the packages' kk).

Usage (re-runnable, read-only unless --skeleton is given):
    .venv/bin/python tools/django_kk_gaps.py            # report
    .venv/bin/python tools/django_kk_gaps.py --skeleton DIR
        # also write DIR/django.po and DIR/djangojs.po with the gaps
        # (msgstr empty, source catalogue in a comment) to translate

It also checks our .po files: no untranslated or fuzzy entries, and every
msgstr has the same set of %-placeholders and {}-placeholders as its msgid
(msgstr[0] vs msgid, msgstr[1] vs msgid_plural).

Exit status is 1 if any gap is not covered by a translated entry in our .po,
or the check of our .po files finds a problem.
"""

import argparse
import importlib.util
import os
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OUR_DIR = ROOT / "kelisim" / "locale_django" / "kk" / "LC_MESSAGES"

# (package, locale dir inside the package, domain)
CATALOGUES = [
    ("django", "conf/locale", "django"),
    ("django", "contrib/admin/locale", "django"),
    ("django", "contrib/admin/locale", "djangojs"),
    ("django", "contrib/auth/locale", "django"),
    ("django", "contrib/contenttypes/locale", "django"),
    ("django", "contrib/sessions/locale", "django"),
    ("django", "contrib/humanize/locale", "django"),
    ("rest_framework", "locale", "django"),
    ("drf_spectacular", "locale", "django"),
]


def package_dir(name):
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec and spec.origin else None


def load_catalogue(lc_messages, domain):
    """Prefer the .po beside the .mo; fall back to the .mo (DRF ships no .po)."""
    po, mo = lc_messages / f"{domain}.po", lc_messages / f"{domain}.mo"
    if po.exists():
        return polib.pofile(str(po)), po
    if mo.exists():
        return polib.mofile(str(mo)), mo
    return None, None


def has_translation(entry):
    if entry is None:
        return False
    if entry.msgid_plural:
        return any(s.strip() for s in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def key(entry):
    return (entry.msgctxt or None, entry.msgid)


# %(name)s, %s, %d, %.1f, %r ... (not %%); and {name}, {}, {code_point:X}
PCT = re.compile(r"%(?:\([^)]*\))?[#0+-]*\d*(?:\.\d+)?[sdrifxXeEgGc]")
BRACE = re.compile(r"\{[^{}\s]*\}")


def placeholders(text):
    text = text.replace("%%", "")
    return set(PCT.findall(text)), set(BRACE.findall(text))


def check_ours(po):
    """Return a list of problems in one of our .po files."""
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    for e in po.translated_entries():
        pairs = (
            [(e.msgid, e.msgstr)]
            if not e.msgid_plural
            else [(e.msgid if i == 0 else e.msgid_plural, s) for i, s in sorted(e.msgstr_plural.items())]
        )
        for src, dst in pairs:
            if placeholders(src) != placeholders(dst):
                problems.append(f"placeholders differ: {src!r} -> {dst!r}")
    return problems


def find_gaps():
    """Yield (label, domain, ru_entry) for every kk gap."""
    for pkg, locdir, domain in CATALOGUES:
        base = package_dir(pkg)
        label = f"{pkg}/{locdir}/{domain}"
        if base is None or not (base / locdir).is_dir():
            print(f"# skip {label}: no locale dir", file=sys.stderr)
            continue
        ru, _ru_path = load_catalogue(base / locdir / "ru" / "LC_MESSAGES", domain)
        if ru is None:
            print(f"# skip {label}: no ru catalogue", file=sys.stderr)
            continue
        kk_mo = base / locdir / "kk" / "LC_MESSAGES" / f"{domain}.mo"
        kk = {key(e): e for e in polib.mofile(str(kk_mo))} if kk_mo.exists() else {}
        for e in ru:
            if not e.msgid or e.obsolete:  # header / obsolete
                continue
            if not has_translation(kk.get(key(e))):
                yield label, domain, e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skeleton", help="write untranslated gap .po files here")
    args = ap.parse_args()

    gaps = {"django": {}, "djangojs": {}}  # domain -> key -> (labels, entry)
    for label, domain, e in find_gaps():
        labels, _ = gaps[domain].setdefault(key(e), ([], e))
        labels.append(label)  # dedupe identical (msgctxt, msgid) pairs

    uncovered = 0
    for domain, entries in gaps.items():
        ours_path = OUR_DIR / f"{domain}.po"
        ours = {}
        if ours_path.exists():
            ours = {key(e): e for e in polib.pofile(str(ours_path)) if "fuzzy" not in e.flags}
        per_cat = {}
        for labels, _ in entries.values():
            for lab in labels:
                per_cat[lab] = per_cat.get(lab, 0) + 1
        missing = [k for k in entries if not has_translation(ours.get(k))]
        uncovered += len(missing)
        print(
            f"{domain}.po: {len(entries)} unique gaps, "
            f"{len(entries) - len(missing)} covered, {len(missing)} missing; "
            f"{len(set(ours) - set(entries))} extra entries (corrections)"
        )
        if ours_path.exists():
            po = polib.pofile(str(ours_path))
            problems = check_ours(po)
            uncovered += len(problems)
            print(
                f"    check: {len(po.translated_entries())} translated, "
                f"{len(po.untranslated_entries())} untranslated, "
                f"{len(po.fuzzy_entries())} fuzzy, {len(problems)} problems"
            )
            for p in problems:
                print("    PROBLEM:", p)
        for lab, n in sorted(per_cat.items()):
            print(f"    {n:4d}  {lab}")
        for ctx, msgid in missing:
            print(f"    MISSING: {ctx + ' | ' if ctx else ''}{msgid!r}")

        if args.skeleton:
            out = polib.POFile()
            out.metadata = {
                "Language": "kk",
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": "nplurals=2; plural=(n!=1);",
            }
            for labels, e in entries.values():
                new = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, comment="from: " + ", ".join(labels))
                if e.msgid_plural:
                    new.msgid_plural = e.msgid_plural
                    new.msgstr_plural = {0: "", 1: ""}
                new.flags = [f for f in e.flags if f.endswith("-format")]
                out.append(new)
            os.makedirs(args.skeleton, exist_ok=True)
            out.save(os.path.join(args.skeleton, f"{domain}.po"))
    return 1 if uncovered else 0


if __name__ == "__main__":
    sys.exit(main())
