"""Indonesian phone/WhatsApp numbers: typed as 0812-3456-7890, +62 812 …, 62812…; stored as 6281234567890."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s().-]")
MIN_DIGITS, MAX_DIGITS = 10, 15  # 62 + 8–13 national digits (ITU E.164: at most 15)


def normalise_phone(raw: str) -> str:
    """The number in international form without "+" (what wa.me expects), or "" for an empty input.

    Raises ValidationError (Indonesian) for anything that is not an Indonesian number.
    """
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return ""
    if text.startswith("+"):
        text = text[1:]
    if not text.isdigit():
        raise ValidationError(_("Nomor HP/WhatsApp hanya boleh berisi angka, spasi, tanda - dan + di depan."))
    if text.startswith("0"):
        text = "62" + text[1:]
    elif text.startswith("8"):
        text = "62" + text
    if not text.startswith("62") or text.startswith("620"):
        raise ValidationError(_("Nomor HP/WhatsApp harus nomor Indonesia: 08…, +62… atau 62…."))
    if not MIN_DIGITS <= len(text) <= MAX_DIGITS:
        raise ValidationError(_("Nomor HP/WhatsApp terlalu pendek atau terlalu panjang."))
    return text
