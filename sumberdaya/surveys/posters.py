"""QR posters: an A4 page per unit with its name, the QR code, the short link and three instructions.

The QR carries the short link /k/<id> on the public host `SKM_PUBLIC_BASE_URL` (the poster is paper; the
host cannot be guessed from a request). PDF through WeasyPrint with the QR as inline SVG; PNG composed with
Pillow from segno's PNG.

The sheet of every active unit (about 9 s for 156 units) is built by the worker, not in the request
(`city.tasks.poster_sheet_file`); `sheet_fingerprint()` says when a built sheet is still the right one: the
same active units with the same names, the same public address and the same city name.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from sumberdaya.units.models import Unit

if TYPE_CHECKING:  # segno and Pillow load only when a poster or a slip sheet is drawn, not in every worker
    from PIL import ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def public_base_url() -> str:
    return settings.SKM_PUBLIC_BASE_URL.rstrip("/")


def short_url(unit: Unit) -> str:
    return public_base_url() + reverse("surveys:short", args=[unit.pk])


def display_url(unit: Unit) -> str:
    """The short link as printed under the QR, without the scheme."""
    return short_url(unit).split("://", 1)[-1]


def complaint_url(unit: Unit) -> str:
    """The unit's tracked-complaint page (sumberdaya.complaints), printed under the QR code."""
    return (public_base_url() + reverse("surveys:complaint", args=[unit.code])).split("://", 1)[-1]


def instructions() -> list[str]:
    return [
        _("1. Buka kamera ponsel dan arahkan ke kode QR ini."),
        _("2. Ketuk tautan yang muncul, lalu jawab 9 pertanyaan singkat (± 2 menit)."),
        _("3. Tanpa nama, NIK, atau nomor HP. Terima kasih atas penilaian Anda!"),
    ]


def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#000", light="#fff"))


SHEET_VERSION = 1  # raise when the poster's layout or text changes, so built sheets are not reused


def sheet_units() -> list[Unit]:
    """The units of the all-units sheet: every active one, in the city's order."""
    return list(Unit.objects.filter(active=True).order_by("order", "name", "pk"))


def sheet_fingerprint() -> str:
    """A digest of what the all-units sheet prints (units, their names and links, the city)."""
    units = list(Unit.objects.filter(active=True).order_by("order", "name", "pk").values_list("pk", "name"))
    parts = (SHEET_VERSION, public_base_url(), settings.SKM_CITY_NAME, units)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def poster_pdf(units: Sequence[Unit]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a poster is asked for

    pages = [
        {"unit": unit, "qr": qr_svg(short_url(unit)), "link": display_url(unit), "complaint": complaint_url(unit)}
        for unit in units
    ]
    html = render_to_string(
        "surveys/poster.html",
        {"pages": pages, "instructions": instructions(), "city_name": settings.SKM_CITY_NAME},
    )
    return bytes(HTML(string=html).write_pdf())


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def poster_png(unit: Unit) -> bytes:
    """An A4 portrait poster at 150 dpi (1240×1754 px)."""
    import segno
    from PIL import Image, ImageDraw

    width, height, margin = 1240, 1754, 90
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    brand = (11, 93, 75)
    draw.rectangle([0, 0, width, 150], fill=brand)
    header = _font(44, bold=True)
    draw.text((margin, 50), _("Survei Kepuasan Masyarakat"), font=header, fill="white")

    y = 200
    name_font = _font(60, bold=True)
    name_lines = _wrap(draw, unit.name, name_font, width - 2 * margin)
    for line in name_lines:
        draw.text((margin, y), line, font=name_font, fill="black")
        y += 76
    y += 10
    draw.text(
        (margin, y),
        _("Bagaimana pelayanan kami hari ini? Beri penilaian Anda."),
        font=_font(34),
        fill=(60, 60, 60),
    )
    y += 70

    buffer = io.BytesIO()
    segno.make(short_url(unit), error="m").save(buffer, kind="png", scale=22, border=2)
    buffer.seek(0)
    qr = Image.open(buffer).convert("RGB")
    size = min(760 - 90 * (len(name_lines) - 1), width - 2 * margin)  # a long name leaves room for the rest
    qr = qr.resize((size, size), Image.Resampling.NEAREST)
    image.paste(qr, ((width - size) // 2, y))
    y += size + 20

    link_font = _font(54, bold=True)
    link = display_url(unit)
    draw.text(((width - draw.textlength(link, font=link_font)) // 2, y), link, font=link_font, fill=brand)
    y += 100
    text_font = _font(34)
    for instruction in instructions():
        for line in _wrap(draw, instruction, text_font, width - 2 * margin):
            draw.text((margin, y), line, font=text_font, fill="black")
            y += 46
        y += 12
    # The tracked-complaint page, as on the PDF poster (issue 15).
    y += 10
    for line in _wrap(draw, _("Keluhan, pujian, atau saran yang ingin dijawab (dengan kode lacak):"), text_font,
                      width - 2 * margin):
        draw.text((margin, y), line, font=text_font, fill="black")
        y += 46
    address, size = complaint_url(unit), 34
    while size > 18 and draw.textlength(address, font=_font(size, bold=True)) > width - 2 * margin:
        size -= 2  # a long unit code: a smaller font rather than an address cut at the edge
    draw.text((margin, y), address, font=_font(size, bold=True), fill=brand)
    draw.text((margin, height - 80), settings.SKM_CITY_NAME, font=_font(30), fill=(80, 80, 80))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
