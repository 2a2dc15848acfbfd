"""The QR code of a public page, as an inline SVG of one square per dark module (printable at any
size, and readable back module by module)."""

import qrcode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BORDER = 4


def matrix(data: str) -> list[list[bool]]:
    """The QR symbol of `data` without its quiet zone (error correction M)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def svg(data: str, *, title: str) -> SafeString:
    cells = matrix(data)
    size = len(cells) + 2 * BORDER
    rects = "".join(
        f'<rect x="{x + BORDER}" y="{y + BORDER}" width="1" height="1"/>'
        for y, row in enumerate(cells)
        for x, dark in enumerate(row)
        if dark
    )
    return mark_safe(  # noqa: S308 - numbers we generate, and an escaped title  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" role="img" '
        f'shape-rendering="crispEdges" data-url="{escape(data)}"><title>{escape(title)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/><g fill="#000">{rects}</g></svg>'
    )
