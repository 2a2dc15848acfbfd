"""The visit report's chart as a picture, for the DOCX (Word embeds raster images, not SVG).

The same drawing as `surveys.charts.band_shares_svg`: a stacked bar per group, a segment per
band, the share printed in it, drawn with Pillow at twice the size for print.
"""

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from kelisim.surveys.charts import COLOURS
from kelisim.surveys.scoring import BAND_LABELS

SCALE = 2
ROW, LABEL_WIDTH, BAR_WIDTH = 26, 220, 360
# WeasyPrint needs the same fonts for the PDF, so where reports are made one of these is installed.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)


def _font(size: int) -> Any:
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size * SCALE)
    return ImageFont.load_default(size * SCALE)


def band_shares_png(cells: Sequence[Any], bands: Sequence[str]) -> bytes:
    width = LABEL_WIDTH + BAR_WIDTH + 10
    height = ROW * (len(cells) + 1) + 10
    image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(12)

    def box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        return (x * SCALE, y * SCALE, (x + w) * SCALE, (y + h) * SCALE)

    for index, band in enumerate(bands):
        legend_x = LABEL_WIDTH + index * 110
        draw.rectangle(box(legend_x, 4, 12, 12), fill=COLOURS[index % len(COLOURS)])
        draw.text(
            ((legend_x + 16) * SCALE, 4 * SCALE), str(BAND_LABELS.get(band, band)), fill="black", font=font
        )
    for i, cell in enumerate(cells):
        y = ROW * (i + 1) + 4
        draw.text((0, (y + 3) * SCALE), f"{cell.label[:30]} (n={cell.n})", fill="black", font=font)
        x = float(LABEL_WIDTH)
        for index, band in enumerate(bands):
            share = cell.shares.get(band)
            if share is None or share.estimate <= 0:
                continue
            segment = BAR_WIDTH * share.estimate
            draw.rectangle(box(x, y, segment, 20), fill=COLOURS[index % len(COLOURS)])
            if segment > 28:
                draw.text(
                    ((x + 3) * SCALE, (y + 3) * SCALE), f"{share.estimate:.0%}", fill="white", font=font
                )
            x += segment
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
