"""Accessibility of the survey: fieldsets with legends, labels tied to inputs, AA contrast of the palette."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import sumberdaya.surveys

CSS = Path(sumberdaya.surveys.__file__).parent / "static" / "surveys" / "survey.css"


class FormAudit(HTMLParser):
    """Collects inputs with their enclosing fieldset/legend/label and the ids that labels point to."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.legend_in_fieldset: list[bool] = []
        self.inputs: list[dict[str, Any]] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if tag == "fieldset":
            self.legend_in_fieldset.append(False)
        if tag == "legend" and self.legend_in_fieldset:
            self.legend_in_fieldset[-1] = True
        if tag == "label" and data.get("for"):
            self.label_for.add(str(data["for"]))
        if tag in ("input", "select", "textarea") and data.get("type") != "hidden":
            self.inputs.append(
                {
                    **data,
                    "in_label": "label" in self.stack,
                    "fieldset_with_legend": bool(self.legend_in_fieldset and self.legend_in_fieldset[-1]),
                }
            )
        if tag not in ("input", "meta", "link", "br", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self.legend_in_fieldset:
            self.legend_in_fieldset.pop()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


@pytest.mark.django_db
def test_every_radio_is_in_a_fieldset_with_a_legend_and_every_input_has_a_label(
    client: Client, unit: Any, period: Any
) -> None:
    audit = FormAudit()
    audit.feed(client.get(f"/s/{unit.code}/").content.decode())
    radios = [i for i in audit.inputs if i.get("type") == "radio"]
    assert len(radios) == 2 + 36 + 2 + 3  # service, nine questions, sex, comment kind
    assert all(r["fieldset_with_legend"] and r["in_label"] for r in radios)
    others = [i for i in audit.inputs if i.get("type") != "radio"]
    assert others and all(i["in_label"] or i.get("id") in audit.label_for for i in others)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast() -> None:
    palette = dict(re.findall(r"--([a-z]+):(#[0-9a-f]{6})", CSS.read_text()))
    white = "#ffffff"
    pairs = [
        (palette["ink"], palette["bg"]),
        (palette["ink"], white),
        (palette["muted"], white),
        (palette["muted"], palette["bg"]),
        (white, palette["brand"]),
        (palette["brand"], white),
        (palette["ink"], palette["soft"]),
        (palette["bad"], palette["badsoft"]),
        ("#5c3d00", "#fff4d6"),  # notice
        (white, "#8a5c00"),  # band C, the lightest band colour
    ]
    for foreground, background in pairs:
        assert contrast(foreground, background) >= 4.5, (foreground, background)


def test_focus_is_visible() -> None:
    css = CSS.read_text()
    assert ":focus-visible{outline:3px" in css
    assert ".opt:has(input:focus-visible){outline:3px" in css
