"""Charts, defined once as Vega-Lite specifications and rendered on the server.

The same `Chart` gives SVG for web pages and PDF reports and PNG for Word, so a chart looks the same
everywhere and no JavaScript or CDN is needed. Rendering uses vl-convert (bundled, offline); the result
is cached by the specification's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.cache import cache

from sumberdaya.skm.elements import Element
from sumberdaya.skm.scoring import BANDS, band_for

# d3-format locale for Indonesian numbers (88,73; 1.234).
ID_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
BAND_COLORS = {"A": "#1e6b35", "B": "#2f6690", "C": "#9a6700", "D": "#a4161a"}
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#e4e8ee", "domainColor": "#8a94a3"},
    "title": {"fontSize": 13, "anchor": "start"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11},
}


def _engine() -> Any:
    """vl-convert, imported at the first chart: a survey worker never draws one and does not carry it."""
    import vl_convert

    return vl_convert


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]
    description: str

    def _key(self, kind: str) -> str:
        digest = hashlib.sha256(json.dumps(self.spec, sort_keys=True, default=str).encode()).hexdigest()
        return f"chart:{kind}:{digest}"

    def svg(self) -> str:
        key = self._key("svg")
        svg = cache.get(key)
        if svg is None:
            svg = _engine().vegalite_to_svg(
                self.spec, config=CONFIG, format_locale=ID_LOCALE, allowed_base_urls=[]
            )
            # Screen readers get the description; the chart itself is decorative detail.
            svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(self.description)}" ', 1)
            cache.set(key, svg, 3600)
        return svg

    def png(self, scale: float = 2.0) -> bytes:
        return bytes(
            _engine().vegalite_to_png(
                self.spec, scale=scale, config=CONFIG, format_locale=ID_LOCALE, allowed_base_urls=[]
            )
        )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _spec(values: list[dict[str, Any]], width: int | str, height: int, **rest: Any) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": width,
        "height": height,
        **rest,
    }


def element_chart(
    values: Sequence[tuple[Element, Fraction | float | None]],
    title: str = "",
    width: int = 560,
    priorities: int = 3,
    compact: bool = False,
) -> Chart:
    """Horizontal bars of the nine element values (25–100), coloured by band, the lowest marked as priorities.

    Takes plain values (a result's `Figures.elements`, a published snapshot's), never a score object.
    `compact` labels the bars U1..U9 only and leaves out the legend, for a phone's width.
    """
    known = [(element, Fraction(value)) for element, value in values if value is not None]
    lowest = sorted(range(len(known)), key=lambda i: known[i][1])[:priorities]  # stable: ties keep U order
    priority_codes = {known[i][0].code for i in lowest}
    chart_values = []
    for element, value in known:
        band = band_for(value)
        chart_values.append(
            {
                "unsur": element.key.upper() if compact else f"{element.key.upper()} {element.name}",
                "nilai": float(value),
                "mutu": band.letter,
                "prioritas": "Prioritas perbaikan" if element.code in priority_codes else "",
            }
        )
    color: dict[str, Any] = {
        "field": "mutu", "type": "nominal", "title": "Mutu",
        "scale": {"domain": [b.letter for b in BANDS], "range": [BAND_COLORS[b.letter] for b in BANDS]},
    }
    if compact:
        color["legend"] = None  # the letters stand in the table beside the chart
    y = {"field": "unsur", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 260}}
    spec = _spec(
        chart_values, width, 26 * max(len(chart_values), 1),
        layer=[
            {"mark": {"type": "bar", "cornerRadiusEnd": 3},
             "encoding": {"y": y, "x": {"field": "nilai", "type": "quantitative", "title": "Nilai (25–100)",
                                        "scale": {"domain": [0, 100]}}, "color": color}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
             "encoding": {"y": y, "x": {"field": "nilai", "type": "quantitative"},
                          "text": {"field": "nilai", "type": "quantitative", "format": ",.2f"}}},
            {"mark": {"type": "text", "align": "right", "dx": -4, "fontSize": 10, "color": "#ffffff",
                      "fontWeight": "bold"},
             "encoding": {"y": y, "x": {"field": "nilai", "type": "quantitative"},
                          "text": {"condition": {"test": "datum.prioritas != ''", "value": "▼ prioritas"},
                                   "value": ""}}},
        ],
    )
    if title:
        spec["title"] = title
    description = "; ".join(
        f"{element.key.upper()} {element.name}: {float(value):.2f}".replace(".", ",") for element, value in known
    )
    return Chart(spec, description)


def trend_chart(
    points: Sequence[tuple[str, float | None]] | Sequence[tuple[str, str, float | None]],
    title: str = "",
    width: int | str = 560,
    height: int = 220,
) -> Chart:
    """IKM over periods: `(period, value)` for one line or `(series, period, value)` for several."""
    values: list[dict[str, Any]] = []
    for point in points:
        if len(point) == 2:
            series, (period, value) = "IKM", point  # type: ignore[misc]
        else:
            series, period, value = point  # type: ignore[misc]
        if value is not None:
            values.append({"seri": series, "periode": period, "ikm": float(value)})
    spec = _spec(
        values, width, height,
        mark={"type": "line", "point": True},
        encoding={
            # Period names read horizontally ("Tahun 2024" turned on its side was hard to read in print).
            "x": {"field": "periode", "type": "ordinal", "title": None, "sort": None, "axis": {"labelAngle": 0}},
            "y": {"field": "ikm", "type": "quantitative", "title": "IKM", "scale": {"zero": False}},
            # One line needs no legend (the title or the caption says what it is).
            "color": {"field": "seri", "type": "nominal", "title": None,
                      **({"legend": None} if len({v["seri"] for v in values}) <= 1 else {})},
            "tooltip": [{"field": "seri"}, {"field": "periode"}, {"field": "ikm", "format": ",.2f"}],
        },
    )
    if title:
        spec["title"] = title
    description = "; ".join(f"{v['seri']} {v['periode']}: {v['ikm']:.2f}".replace(".", ",") for v in values)
    return Chart(spec, description)


def bar_chart(
    rows: Sequence[tuple[str, float]],
    title: str = "",
    value_title: str = "Jumlah",
    width: int = 420,
    value_format: str = ",.0f",
    domain: tuple[float, float] | None = None,
    label_limit: int = 220,
) -> Chart:
    """Simple horizontal bars (breakdowns such as respondents by education; group means: `value_format`
    ",.2f" and a `domain` such as (0, 100))."""
    values = [{"label": label, "nilai": float(value)} for label, value in rows]
    y = {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": label_limit}}
    x: dict[str, Any] = {"field": "nilai", "type": "quantitative", "title": value_title}
    if domain is not None:
        x["scale"] = {"domain": list(domain)}
    spec = _spec(
        values, width, 24 * max(len(values), 1),
        layer=[
            {"mark": {"type": "bar", "color": "#0b5d4b", "cornerRadiusEnd": 3}, "encoding": {"y": y, "x": x}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
             "encoding": {"y": y, "x": {"field": "nilai", "type": "quantitative"},
                          "text": {"field": "nilai", "type": "quantitative", "format": value_format}}},
        ],
    )
    if title:
        spec["title"] = title
    description = "; ".join(f"{v['label']}: {v['nilai']:g}" for v in values)
    return Chart(spec, description)


def band_chart(counts: Sequence[tuple[str, str, int]], title: str = "", width: int = 300) -> Chart:
    """How many units fall in each category: one bar per letter A–D `(letter, kinerja, count)`, in the
    band's colour, the count on the bar's end."""
    values = [{"mutu": f"{letter} {kinerja}", "huruf": letter, "unit": count} for letter, kinerja, count in counts]
    y = {"field": "mutu", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 160}}
    color = {
        "field": "huruf", "type": "nominal", "legend": None,
        "scale": {"domain": [b.letter for b in BANDS], "range": [BAND_COLORS[b.letter] for b in BANDS]},
    }
    spec = _spec(
        values, width, 30 * max(len(values), 1),
        layer=[
            {"mark": {"type": "bar", "cornerRadiusEnd": 3},
             "encoding": {"y": y, "x": {"field": "unit", "type": "quantitative", "title": "Jumlah unit"},
                          "color": color}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12, "fontWeight": "bold"},
             "encoding": {"y": y, "x": {"field": "unit", "type": "quantitative"},
                          "text": {"field": "unit", "type": "quantitative", "format": ",.0f"}}},
        ],
    )
    if title:
        spec["title"] = title
    description = "; ".join(f"{v['mutu']}: {v['unit']} unit" for v in values)
    return Chart(spec, description)
