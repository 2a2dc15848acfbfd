"""Accuracy of the derived Kazakh territory names (docs/territory-names.md).

    .venv/bin/python tools/territory_names_accuracy.py [--show-errors]

Derives the Kazakh name of every unit of the shipped classifier as `load_territories` does, then
compares with (1) the hand-checked sample kelisim/territories/tests/names_kk_sample.tsv and (2) the
official Zhambyl names of kelisim/territories/data/names_kk_zhambyl.csv, which the lexicon does not
use (held out). Prints whole-name accuracy per stratum and type word, and per restored letter."""

import csv
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kelisim.text.toponyms import Place, derive_names, level_of, parse  # noqa: E402

DATA = ROOT / "kelisim" / "territories" / "data"
SAMPLE = ROOT / "kelisim" / "territories" / "tests" / "names_kk_sample.tsv"
KAZAKH = "әғқңөұүі"


def letters(derived: str, expected: str, counts: Counter[tuple[str, str]]) -> None:
    """Per Kazakh letter: hit (both), invented (derived only), missed (expected only)."""
    matcher = SequenceMatcher(None, derived, expected, autojunk=False)
    for _op, a1, a2, b1, b2 in matcher.get_opcodes():
        left, right = derived[a1:a2], expected[b1:b2]
        if len(left) == len(right):  # equal, or a letter for a letter
            for d, e in zip(left, right, strict=True):
                if d == e and d in KAZAKH:
                    counts[(d, "hit")] += 1
                    continue
                if d in KAZAKH:
                    counts[(d, "invented")] += 1
                if e in KAZAKH:
                    counts[(e, "missed")] += 1
            continue
        for d in left:
            if d in KAZAKH:
                counts[(d, "invented")] += 1
        for e in right:
            if e in KAZAKH:
                counts[(e, "missed")] += 1


def proper_names(derived: str, expected: str) -> tuple[str, str]:
    """The two names without the type words they share at the end: letters of the proper name only."""
    a, b = derived.split(), expected.split()
    while a and b and a[-1] == b[-1] and len(a) > 1 and len(b) > 1:
        a, b = a[:-1], b[:-1]
    return " ".join(a), " ".join(b)


def type_word(name_ru: str, code: str) -> str:
    template = parse(name_ru, level_of(code)).template
    return template.replace("{name}", "…").strip() or "…"


def report(title: str, rows: list[tuple[str, str, str, str, str]], show: bool) -> None:
    """rows: (code, stratum, name_ru, expected, derived)."""
    total = len(rows)
    exact = sum(e == d for _c, _s, _r, e, d in rows)
    print(f"\n## {title}\n\nwhole name exact: {exact}/{total} = {exact / total:.1%}")
    for label, key in (("stratum", 1), ("type word", None)):
        groups: dict[str, list[bool]] = {}
        for row in rows:
            name = row[key] if key is not None else type_word(row[2], row[0])
            groups.setdefault(name, []).append(row[3] == row[4])
        print(f"\n| {label} | n | exact |\n|---|---|---|")
        for name, hits in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"| {name} | {len(hits)} | {sum(hits)} ({sum(hits) / len(hits):.0%}) |")
    counts: Counter[tuple[str, str]] = Counter()
    for _c, _s, _r, expected, derived in rows:
        letters(*proper_names(derived, expected), counts)
    print(
        "\n| letter | in expected | restored | missed | invented | precision | recall |\n|---|---|---|---|---|---|---|"
    )
    for ch in KAZAKH:
        hit, missed, invented = counts[(ch, "hit")], counts[(ch, "missed")], counts[(ch, "invented")]
        precision = f"{hit / (hit + invented):.0%}" if hit + invented else "—"
        recall = f"{hit / (hit + missed):.0%}" if hit + missed else "—"
        print(f"| {ch} | {hit + missed} | {hit} | {missed} | {invented} | {precision} | {recall} |")
    hit = sum(v for (ch, k), v in counts.items() if k == "hit")
    missed = sum(v for (ch, k), v in counts.items() if k == "missed")
    invented = sum(v for (ch, k), v in counts.items() if k == "invented")
    print(
        f"| all | {hit + missed} | {hit} | {missed} | {invented} | {hit / max(1, hit + invented):.0%} | {hit / max(1, hit + missed):.0%} |"
    )
    if show:
        print()
        for code, _s, ru, expected, derived in rows:
            if expected != derived:
                print(f"- {code} {ru}: derived «{derived}», expected «{expected}»")


def main() -> None:
    show = "--show-errors" in sys.argv
    with (DATA / "kato_2022-10-17_ru.csv").open(encoding="utf-8") as handle:
        kato = list(csv.DictReader(handle, delimiter=";"))
    by_id = {r["id"]: r["code"] for r in kato}
    name_ru = {r["code"]: r["name"].strip() for r in kato}
    derived = derive_names(Place(r["code"], by_id.get(r["parent_id"]), r["name"]) for r in kato)

    with SAMPLE.open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle, delimiter="\t"))
    rows = [(s["code"], s["stratum"], s["name_ru"], s["name_kk"], derived[s["code"]]) for s in sample]
    report("Hand-checked sample (all)", rows, show)
    report(
        "Hand-checked sample (labels marked sure)",
        [r for r, s in zip(rows, sample, strict=True) if s["sure"] == "1"],
        False,
    )

    with (DATA / "names_kk_zhambyl.csv").open(encoding="utf-8") as handle:
        gold = list(csv.DictReader(handle))
    gold_rows = [
        (
            g["code"],
            re.sub(r"\d", "", type_word(name_ru[g["code"]], g["code"])),
            name_ru[g["code"]],
            g["name_kk"],
            derived[g["code"]],
        )
        for g in gold
    ]
    report("Official Zhambyl names (held out)", gold_rows, show)


if __name__ == "__main__":
    main()
