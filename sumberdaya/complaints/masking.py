"""Personal data in free text: phone numbers, e-mail addresses and 16-digit NIK, masked for staff screens.

Plain Python. `segments()` splits a text into plain and sensitive parts (the template shows the masked
form of the sensitive ones unless the user chose to reveal that text, which is logged); `mask()` gives the
masked text, e.g. for exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_NIK = r"(?<!\d)\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?!\d)"
# Indonesian mobile and fixed numbers: +62 / 62 / 0, then 8–12 more digits, maybe split by spaces or dashes.
_PHONE = r"(?<![\d+])(?:\+62|62|0)[ -]?\d{2,4}[ .-]?\d{3,4}[ .-]?\d{2,5}(?!\d)"
PATTERN = re.compile(f"(?P<email>{_EMAIL})|(?P<nik>{_NIK})|(?P<phone>{_PHONE})")
DOT = "•"


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # "", "email", "nik" or "phone"

    @property
    def sensitive(self) -> bool:
        return bool(self.kind)

    @property
    def masked(self) -> str:
        return mask_value(self.text, self.kind) if self.kind else self.text


def mask_value(value: str, kind: str) -> str:
    if kind == "email":
        name, _at, domain = value.partition("@")
        return f"{name[:1]}{DOT * 3}@{domain}"
    digits = [c for c in value if c.isdigit()]
    keep_start = 4 if kind == "nik" else 4
    shown = "".join(digits[:keep_start]) + DOT * max(len(digits) - keep_start - 2, 3) + "".join(digits[-2:])
    return shown


def _is_phone(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return 9 <= digits <= 14


def segments(text: str) -> list[Segment]:
    found: list[Segment] = []
    position = 0
    for match in PATTERN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "phone" and not _is_phone(match.group()):
            continue
        if match.start() > position:
            found.append(Segment(text[position : match.start()]))
        found.append(Segment(match.group(), kind))
        position = match.end()
    if position < len(text):
        found.append(Segment(text[position:]))
    return found


def has_personal_data(text: str) -> bool:
    return any(s.sensitive for s in segments(text))


def mask(text: str) -> str:
    return "".join(s.masked for s in segments(text))
