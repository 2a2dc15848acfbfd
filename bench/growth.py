"""Cost against data size, across the scales the benchmark has been run at.

Each run keeps its figures in `docs/bench/<scale>.json` (committed with docs/benchmarks.md), so a
national run on one day and a region run on another draw one chart: `docs/bench/growth.svg`, one
small panel per figure, the data size (appeals in the database) on a logarithmic axis, one line per
engine. Growth is seen, not guessed.
"""

import json
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "docs" / "bench"
SCALES = ("small", "region", "national")
COLOURS = {"sqlite": "#1f6f8b", "postgresql": "#c0392b"}
# The figures whose cost should not grow with the data (name → the panel's title).
CHARTED = {
    "list API CPU per request": "list API, CPU ms per request",
    "list API p99 at 50 req/s open loop, pinned cores": "list API p99 ms at 50 req/s",
    "search p95 over appeals and events": "search p95 ms",
    "Tolerance Index by district × age band": "Tolerance Index ms",
    "Tolerance Index, first view after new responses": "Tolerance Index, first view ms",
    "appeals dashboard aggregates": "dashboard ms",
    "XLSX import of appeals (parse + commit)": "import rows/s",
}


def save(scale: str, info: dict[str, Any], runs: list[dict[str, Any]]) -> Path:
    STORE.mkdir(parents=True, exist_ok=True)
    path = STORE / f"{scale}.json"
    kept = {
        "date": info["date"],
        "runs": [
            {
                "database": run["database"],
                "appeals": run["sizes"]["appeals"],
                "figures": [
                    {k: f.get(k) for k in ("name", "database", "value", "unit", "baseline", "ratio")}
                    for f in run["figures"]
                    if f.get("value") is not None
                ],
            }
            for run in runs
        ],
    }
    path.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load() -> dict[str, dict[str, Any]]:
    found = {}
    for scale in SCALES:
        path = STORE / f"{scale}.json"
        if path.exists():
            found[scale] = json.loads(path.read_text(encoding="utf-8"))
    return found


def series(history: dict[str, dict[str, Any]]) -> dict[tuple[str, str], list[tuple[int, float, str]]]:
    """(figure, engine) → [(appeals, value, scale)] in the order of the scales."""
    out: dict[tuple[str, str], list[tuple[int, float, str]]] = {}
    for scale in SCALES:
        for run in history.get(scale, {}).get("runs", []):
            for f in run["figures"]:
                if f["name"] in CHARTED and f["database"] == run["database"]:
                    out.setdefault((f["name"], run["database"]), []).append(
                        (run["appeals"], f["value"], scale)
                    )
    return out


def table(history: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| Figure | Engine | " + " | ".join(SCALES) + " | national ÷ region |",
        "| --- | --- |" + " ---: |" * (len(SCALES) + 1),
    ]
    for (name, engine), points in sorted(series(history).items()):
        by_scale = {scale: value for _n, value, scale in points}
        cells = [f"{by_scale[s]:,.1f}" if s in by_scale else "—" for s in SCALES]
        growth = (
            f"{by_scale['national'] / by_scale['region']:.2f}×"
            if by_scale.get("region") and "national" in by_scale
            else "—"
        )
        lines.append(f"| {name} | {engine} | " + " | ".join(cells) + f" | {growth} |")
    sizes = {
        scale: max((run["appeals"] for run in history[scale]["runs"]), default=0)
        for scale in SCALES
        if scale in history
    }
    lines.append(
        "| *appeals in the database* | | "
        + " | ".join(f"{sizes[s]:,}" if s in sizes else "—" for s in SCALES)
        + " | |"
    )
    return lines


def svg(history: dict[str, dict[str, Any]]) -> str:
    data = series(history)
    panels = [name for name in CHARTED if any(key[0] == name for key in data)]
    width, height, columns = 300, 190, 3
    rows = max(1, math.ceil(len(panels) / columns))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * columns}" height="{height * rows + 30}" '
        'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for engine, colour in COLOURS.items():
        x = 10 + list(COLOURS).index(engine) * 110
        parts.append(f'<rect x="{x}" y="{height * rows + 12}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{height * rows + 18}">{engine}</text>')
    for index, name in enumerate(panels):
        ox, oy = (index % columns) * width, (index // columns) * height
        left, top, plot_w, plot_h = ox + 45, oy + 28, width - 65, height - 60
        parts.append(f'<text x="{ox + 10}" y="{oy + 16}" font-weight="bold">{escape(CHARTED[name])}</text>')
        points = [p for (n, _e), ps in data.items() if n == name for p in ps]
        xs = [math.log10(max(p[0], 1)) for p in points]
        ys = [p[1] for p in points]
        x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
        y1 = max(ys) * 1.1 if max(ys) > 0 else 1
        parts.append(
            f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>'
        )
        parts.append(f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{y1:,.0f}</text>')
        parts.append(f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>')
        for (n, engine), ps in data.items():
            if n != name:
                continue
            coords = [
                (
                    left + (math.log10(max(a, 1)) - x0) / (x1 - x0) * plot_w,
                    top + plot_h - value / y1 * plot_h,
                    scale,
                )
                for a, value, scale in ps
            ]
            colour = COLOURS.get(engine, "#333")
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _s in coords)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y, scale in coords:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
                if engine == "sqlite":
                    parts.append(
                        f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{scale}</text>'
                    )
    parts.append("</svg>")
    return "\n".join(parts)


def write(scale: str, info: dict[str, Any], runs: list[dict[str, Any]]) -> list[str]:
    """Keep this run, redraw the chart; the lines of benchmarks.md's growth section."""
    save(scale, info, runs)
    history = load()
    (STORE / "growth.svg").write_text(svg(history), encoding="utf-8")
    dates = ", ".join(f"{s} {history[s]['date']}" for s in SCALES if s in history)
    return [
        "## Growth with the data",
        "",
        f"Each scale's latest run ({dates}); the cost of a request should follow the page, not the "
        "data, so the lines should stay flat from `region` to `national` (target for the list API: "
        "national within 1.5× of region).",
        "",
        "![cost against data size](bench/growth.svg)",
        "",
        *table(history),
        "",
    ]
