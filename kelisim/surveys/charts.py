"""Charts drawn on the server as SVG, so the same picture serves the page, DOCX and PDF."""

from collections.abc import Sequence
from html import escape

from .scoring import BAND_LABELS
from .selectors import Cell

COLOURS = ["#b42318", "#f2b705", "#116329", "#0b5cad", "#6e40c9"]


def band_shares_svg(cells: Sequence[Cell], bands: Sequence[str], *, title: str) -> str:
    """Stacked horizontal bars: one per group, a segment per band, the share printed in it."""
    row, label_width, bar_width = 26, 220, 360
    height = row * (len(cells) + 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {label_width + bar_width + 10} {height}" '
        f'width="100%" font-family="DejaVu Sans, sans-serif" font-size="12"><title>{escape(title)}</title>'
    ]
    for index, band in enumerate(bands):
        legend_x = label_width + index * 110
        parts.append(
            f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{COLOURS[index % len(COLOURS)]}"/>'
        )
        parts.append(f'<text x="{legend_x + 16}" y="14">{escape(str(BAND_LABELS.get(band, band)))}</text>')
    for i, cell in enumerate(cells):
        y = row * (i + 1) + 4
        parts.append(f'<text x="0" y="{y + 15}">{escape(cell.label[:30])} (n={cell.n})</text>')
        x = float(label_width)
        for index, band in enumerate(bands):
            share = cell.shares.get(band)
            if share is None or share.estimate <= 0:
                continue
            width = bar_width * share.estimate
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" fill="{COLOURS[index % len(COLOURS)]}">'
                    f"<title>{escape(band)}: {share.estimate:.0%}</title></rect>"
                )
                if width > 28:
                    parts.append(
                        f'<text x="{x + 3:.1f}" y="{y + 15}" fill="#fff">{share.estimate:.0%}</text>'
                    )
            x += width
    parts.append("</svg>")
    return "".join(parts)
