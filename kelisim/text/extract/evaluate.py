"""Per-field scores of the extractor on a corpus, with a held-out part split by site.

    python -m kelisim.text.extract.evaluate --corpus ../shared/corpus/real [--folds 4 --held-out 0]

The real corpus's rows carry the site (`domain`) they were taken from. A site's releases share a
template and wording, so a part held out for honest figures must hold out whole sites: a row is in
the held-out part when sha1(domain) mod `folds` equals `held-out`. Rules were developed looking
only at the other part; the held-out figures are the estimate for releases of sites not seen.

The texts stay where they are: the subsets are index files in a temporary folder that point at them,
and the corpus's own score.py (beside the corpus folder) does the scoring. Prints a Markdown table:
per-field F1 (and P/R) on the whole corpus and on each part.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess  # nosec B404
import sys
import tempfile
from pathlib import Path

FIELDS = (
    "events", "format", "date_start", "date_end", "date_text", "region", "district", "settlement", "venue",
    "audiences", "organizations", "topics", "official_name", "official_position",
)  # fmt: skip


def fold_of(domain: str, folds: int) -> int:
    return int(hashlib.sha1(domain.encode("utf-8"), usedforsecurity=False).hexdigest(), 16) % folds


def _subset(rows: list[dict], corpus: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "index.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            row = dict(row, file=str((corpus / (row.get("file") or f"{row['id']}.txt")).resolve()))
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def score(corpus: Path, scorer: Path) -> dict:
    command = f"{sys.executable} -m kelisim.text.extract"
    # this interpreter and the corpus's own scorer, no shell
    result = subprocess.run(  # nosec B603  # noqa: S603
        [sys.executable, str(scorer), "--corpus", str(corpus), "--cmd", command, "--json"],
        capture_output=True, text=True, timeout=1200, check=True,
    )  # fmt: skip
    return json.loads(result.stdout[: result.stdout.rindex("}") + 1])


def table(reports: dict[str, dict]) -> str:
    names = list(reports)
    lines = ["| field | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for field in FIELDS:
        cells = []
        for name in names:
            f = reports[name]["fields"][field]
            cells.append(f"{f['f1']:.3f} ({f['precision']:.2f}/{f['recall']:.2f}, {f['gold']})")
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    lines.append(
        "| **overall F1** | " + " | ".join(f"**{reports[n]['overall_f1']:.3f}**" for n in names) + " |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--scorer", type=Path, help="score.py (default: the one beside the corpus folder)")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--held-out", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    scorer = (args.scorer or corpus.parent / "score.py").resolve()
    rows = [
        json.loads(line) for line in (corpus / "index.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    reports = {f"{corpus.name} (all {len(rows)})": score(corpus, scorer)}
    if all(row.get("domain") for row in rows):
        held = [r for r in rows if fold_of(r["domain"], args.folds) == args.held_out]
        rest = [r for r in rows if fold_of(r["domain"], args.folds) != args.held_out]
        with tempfile.TemporaryDirectory() as tmp:
            reports[f"held-out sites ({len(held)})"] = score(
                _subset(held, corpus, Path(tmp) / "held"), scorer
            )
            reports[f"development sites ({len(rest)})"] = score(
                _subset(rest, corpus, Path(tmp) / "rest"), scorer
            )
    print(table(reports))


if __name__ == "__main__":
    main()
