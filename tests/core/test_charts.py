from sumberdaya.core.charts import bar_chart, element_chart, trend_chart
from sumberdaya.skm.results import figures_of
from sumberdaya.skm.scoring import score_answers


def test_the_element_chart_renders_svg_with_every_element_and_indonesian_numbers() -> None:
    score = score_answers([[4, 3, 3, 2, 4, 4, 4, 3, 1], [4, 4, 3, 2, 3, 4, 4, 3, 2]])
    chart = element_chart(figures_of(score).pairs())
    svg = chart.svg()
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "U1 Persyaratan" in svg and "U9 Penanganan pengaduan" in svg
    assert "87,50" in svg  # U3 answered 3 and 3 → 75; U2 answered 3 and 4 → NRR 3,5 → 87,50
    assert "prioritas" in svg


def test_the_same_chart_gives_a_png_for_word_documents() -> None:
    png = element_chart(figures_of(score_answers([[4] * 9])).pairs()).png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_trend_chart_takes_several_series_and_skips_missing_values() -> None:
    chart = trend_chart([("Kota", "2023", 85.1), ("Kota", "2024", 86.2), ("Kelurahan", "2024", None)])
    svg = chart.svg()
    assert "2023" in svg and "2024" in svg
    assert "Kelurahan" not in chart.description


def test_chart_descriptions_escape_markup() -> None:
    svg = bar_chart([('<script>alert("x")</script>', 3)]).svg()
    assert "<script>" not in svg
