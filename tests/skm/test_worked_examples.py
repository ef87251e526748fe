"""Indices worked out by hand, checked to the exact fraction."""

from decimal import Decimal
from fractions import Fraction

from sumberdaya.skm import (
    ELEMENT_CODES,
    ElementScore,
    Weight,
    format_number,
    round_half_up,
    score_answers,
    score_unit,
)


def _codes(scores: list[ElementScore]) -> list[str]:
    return [score.element.code for score in scores]


FOUR_RESPONDENTS: list[list[int | None]] = [
    # U1 U2 U3 U4 U5 U6 U7 U8 U9
    [4, 3, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 2, 4, 3, 3, 4, 3, None],  # left U9 blank
    [4, 4, 3, 4, 4, 4, 4, 3, 2],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
]


def test_four_respondents_with_one_blank_give_82_33_with_the_official_weight() -> None:
    # Sums / answers: U1 14/4, U2 13/4, U3 11/4, U4 16/4, U5 13/4, U6 14/4, U7 16/4, U8 11/4,
    # U9 8/3 (the blank leaves the denominator: 3 answers, not 4).
    # Σ NRR = 3,5 + 3,25 + 2,75 + 4 + 3,25 + 3,5 + 4 + 2,75 + 8/3 = 27 + 8/3 = 89/3.
    # IKM (1–4) = 89/3 × 0,111 = 3,293; IKM = 3,293 × 25 = 82,325 → 82,33 half-up (not 82,32) → B.
    unit = score_answers(FOUR_RESPONDENTS)
    assert unit.respondents == 4
    assert [score.nrr for score in unit.elements] == [
        Fraction(7, 2),
        Fraction(13, 4),
        Fraction(11, 4),
        Fraction(4),
        Fraction(13, 4),
        Fraction(7, 2),
        Fraction(4),
        Fraction(11, 4),
        Fraction(8, 3),
    ]
    assert unit.element("pengaduan").count == 3
    assert unit.ikm_1_4 == Fraction("3.293")
    assert unit.ikm == Fraction("82.325")
    assert round_half_up(unit.ikm) == Decimal("82.33")
    assert unit.band is not None and unit.band.letter == "B"


def test_four_respondents_with_one_blank_give_82_41_with_the_exact_weight() -> None:
    # IKM = 89/3 × 1/9 × 25 = 2225/27 = 82,4074… → 82,41 → B.
    unit = score_answers(FOUR_RESPONDENTS, Weight.EXACT)
    assert unit.ikm == Fraction(2225, 27)
    assert format_number(unit.ikm) == "82,41"
    assert unit.band is not None and unit.band.letter == "B"


def test_four_respondents_priorities_and_strengths_keep_questionnaire_order_on_ties() -> None:
    # Scores ×25: U9 66,67 < U3 = U8 68,75 < ...; at the top U4 = U7 100 > U1 = U6 87,5.
    unit = score_answers(FOUR_RESPONDENTS)
    assert _codes(unit.priorities()) == ["pengaduan", "waktu", "sarana"]
    assert _codes(unit.strengths()) == ["biaya", "perilaku", "persyaratan"]
    assert unit.element("pengaduan").score == Fraction(200, 3)


BANJARMASIN_LIKE_TOTALS = {
    "persyaratan": 712,  # /200 × 25 = 89,00
    "prosedur": 705,  # 88,125 → 88,13
    "waktu": 690,  # 86,25
    "biaya": 780,  # 97,50
    "produk": 708,  # 88,50
    "kompetensi": 715,  # 89,375 → 89,38
    "perilaku": 730,  # 91,25
    "sarana": 680,  # 85,00
    "pengaduan": 675,  # 84,375 → 84,38
}


def test_a_banjarmasin_like_unit_of_200_respondents_reaches_88_73() -> None:
    # Σ totals = 6395, every element answered by all 200: Σ NRR = 6395/200 = 31,975.
    # IKM = 31,975 × 0,111 × 25 = 31,975 × 2,775 = 88,730625 → 88,73 → A (≥ 88,31).
    counts = dict.fromkeys(ELEMENT_CODES, 200)
    unit = score_unit(BANJARMASIN_LIKE_TOTALS, counts, respondents=200)
    assert [format_number(score.score) for score in unit.elements] == [
        "89,00",
        "88,13",
        "86,25",
        "97,50",
        "88,50",
        "89,38",
        "91,25",
        "85,00",
        "84,38",
    ]
    assert unit.ikm == Fraction("88.730625")
    assert format_number(unit.ikm) == "88,73"
    assert unit.band is not None and (unit.band.letter, unit.band.kinerja) == ("A", "Sangat Baik")
    assert _codes(unit.priorities()) == ["pengaduan", "sarana", "waktu"]
    assert _codes(unit.strengths()) == ["biaya", "perilaku", "kompetensi"]


def test_the_same_unit_with_the_exact_weight_gives_88_82() -> None:
    # 31,975 × 25/9 = 799,375/9 = 88,8194… → 88,82.
    counts = dict.fromkeys(ELEMENT_CODES, 200)
    unit = score_unit(BANJARMASIN_LIKE_TOTALS, counts, respondents=200, weight=Weight.EXACT)
    assert unit.ikm == Fraction(799375, 9000)
    assert format_number(unit.ikm) == "88,82"


LOW_SCORES: list[list[int | None]] = [
    # U1 U2 U3 U4    U5    U6 U7 U8 U9
    [2, 2, 1, 3, 2, 2, 3, 2, 1],
    [3, 2, 2, None, 2, 3, 3, 2, 1],
    [2, 1, 2, 4, None, 2, 2, 2, None],
    [3, 2, 2, 4, 3, 3, 3, 1, 2],
    [2, 3, 2, 3, 2, 2, 3, 2, 1],
]


def test_five_respondents_with_three_blanks_give_56_06_and_band_d() -> None:
    # U1 12/5, U2 10/5, U3 9/5, U4 14/4, U5 9/4, U6 12/5, U7 14/5, U8 9/5, U9 5/4.
    # Σ NRR = 2,4 + 2 + 1,8 + 3,5 + 2,25 + 2,4 + 2,8 + 1,8 + 1,25 = 20,2.
    # 0,111: IKM (1–4) = 20,2 × 0,111 = 2,2422; IKM = 56,055 → 56,06 → D.
    # 1/9:   IKM = 20,2 × 25/9 = 505/9 = 56,111… → 56,11 → D.
    official = score_answers(LOW_SCORES)
    assert [score.count for score in official.elements] == [5, 5, 5, 4, 4, 5, 5, 5, 4]
    assert official.ikm_1_4 == Fraction("2.2422")
    assert official.ikm == Fraction("56.055")
    assert format_number(official.ikm) == "56,06"
    assert official.band is not None and official.band.letter == "D"
    exact = score_answers(LOW_SCORES, Weight.EXACT)
    assert exact.ikm == Fraction(505, 9)
    assert format_number(exact.ikm) == "56,11"
    # U9 31,25 is the weakest; U3 and U8 tie at 45,00 and keep questionnaire order.
    assert _codes(official.priorities()) == ["pengaduan", "waktu", "sarana"]
    biaya = official.element("biaya").band  # 3,5 × 25 = 87,50
    assert biaya is not None and biaya.letter == "B"


def test_the_weight_can_change_the_letter_which_is_why_reports_print_it() -> None:
    # 10 respondents, Σ totals = 318 → Σ NRR = 31,8.
    # 0,111: 31,8 × 2,775 = 88,245 → 88,25 → B.   1/9: 31,8 × 25/9 = 88,333… → 88,33 → A.
    totals = dict(zip(ELEMENT_CODES, [36, 35, 35, 36, 35, 36, 37, 34, 34], strict=True))
    counts = dict.fromkeys(ELEMENT_CODES, 10)
    official = score_unit(totals, counts, 10, Weight.OFFICIAL)
    exact = score_unit(totals, counts, 10, Weight.EXACT)
    assert official.ikm == Fraction("88.245")
    assert official.band is not None and official.band.letter == "B"
    assert exact.ikm == Fraction(795, 9)
    assert exact.band is not None and exact.band.letter == "A"


def test_a_unit_with_an_unanswered_element_has_element_scores_but_no_index() -> None:
    # Everybody skipped U9: no NRR for it, so no IKM and no letter, but U1..U8 still show.
    unit = score_answers([[4, 4, 3, 3, 4, 4, 4, 3, None], [3, 4, 3, 3, 4, 4, 4, 3, None]])
    assert unit.element("pengaduan").nrr is None
    assert unit.element("pengaduan").band is None
    assert unit.ikm is None and unit.ikm_1_4 is None and unit.band is None
    assert unit.element("persyaratan").score == Fraction(175, 2)  # 7/2 × 25
    assert "pengaduan" not in _codes(unit.priorities(9))
