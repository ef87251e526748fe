"""Honest 95 % intervals of a unit's IKM, and of group and city means, from kept sums only.

Per-respondent score. Respondent r answered k_r ≥ 1 of the nine elements with answers a_ri (1–4). Their
own score is the weighted mean of what they answered on the 25–100 scale:

    y_r = 25 · 9w · (Σ_i a_ri) / k_r            (w = 0,111 or 1/9; an all-4 questionnaire gives 99,9 or 100)

Without blanks the mean of y_r over respondents is exactly the IKM (Σ_i w · NRR_i · 25); with blanks it is
the IKM's usual linearisation (a respondent's blank takes their own mean), so the spread of y_r measures
the IKM's sampling error using **every** respondent, not only complete questionnaires.

Kept in integers. 2520 = lcm(1..9), so m_r = 2520 · Σ a_ri / k_r is an integer (at most 10 080); the tallies
keep n (respondents with an answer), Σ m_r and Σ m_r² exactly (database triggers, `results.aggregates`), and
y_r = m_r · 25 · 9w / 2520. From those:

    s² = (Σ y² − (Σ y)² / n) / (n − 1)
    s²* = ((n − 1) s² + ν₀ σ₀²) / (n − 1 + ν₀)     (ν₀ = 1 pseudo-respondent with σ₀ = 10 points)
    se = √(s²* / n · (N − n) / (N − 1))             (finite-population correction when N, the people served,
                                                     is known and N ≥ n)
    IKM ± t(0,975; n − 1) · se, clipped to [25, 100]

The small variance prior keeps forty identical questionnaires from claiming a zero-width interval (they do
not prove that the next citizen answers the same), and is negligible once n is in the tens. The t quantile
(exact for integer degrees of freedom, A&S 26.7.3–4) widens small samples. Below `MIN_RESPONDENTS` no
interval is shown; the reason is given instead.

Aggregates. A group or city mean of unit IKMs is a linear combination Σ c_u IKM_u of independent unit
estimates, so its standard error is √(Σ c_u² se_u²) (c_u = 1/k for the plain mean, population shares for the
weighted mean); the pooled method is one unit made of every respondent. A normal quantile is used there:
the degrees of freedom are those of hundreds of respondents.

Imported results. An imported result has element values and n but no respondent's own answers, so its
spread is unknown: `bounded_interval` uses the largest spread its element values allow on the scale
(`bounded_sd`: Bhatia–Davis per element, elements moving together), with the same shrinkage, population
correction and t quantile. The group or city interval then combines it like any unit (√(Σ c_u² se_u²); for
the pooled method c_u = n_u / Σ n, the units taken as strata) and is marked `bounded`: it may be wider than
the truth, never narrower for want of data.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

LCM = 2520  # lcm(1, …, 9): 2520 · (sum of answers) / (answers given) is an integer
MIN_RESPONDENTS = 10
PRIOR_SD = 10.0
PRIOR_WEIGHT = 1.0
CONFIDENCE = 0.95
SCALE_LOW = 25.0
SCALE_HIGH = 100.0

REASON_FEW = "few"
REASON_NO_DATA = "no_data"


@dataclass(frozen=True)
class Estimate:
    """A 95 % interval [low, high] around `centre`, or why there is none (`reason`)."""

    centre: float | None
    n: int
    se: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    bounded: bool = False  # the standard error is a worst case (an imported result: see `bounded_interval`)

    @property
    def shown(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def half_width(self) -> float | None:
        return None if self.low is None or self.high is None else (self.high - self.low) / 2


def respondent_units(answers: Sequence[int | None]) -> int | None:
    """m_r = 2520 · Σa / k for one questionnaire (None when nothing was answered)."""
    given = [a for a in answers if a is not None]
    if not given:
        return None
    return LCM * sum(given) // len(given)


def score_factor(weight: Fraction) -> Fraction:
    """y_r = m_r · factor: 25 · 9w / 2520."""
    return Fraction(25 * 9) * weight / LCM


def _t_two_sided_mass(t: float, df: int) -> float:
    """P(|T| ≤ t) for Student's t with integer df (Abramowitz & Stegun 26.7.3 and 26.7.4)."""
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 1:
        if df == 1:
            return 2 * theta / math.pi
        term, total = 1.0, 1.0
        for k in range(2, df - 1, 2):  # 1 + (2/3)c² + (2·4)/(3·5)c⁴ + …
            term *= k / (k + 1) * cos2
            total += term
        return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0
    for k in range(1, df - 2, 2):  # 1 + (1/2)c² + (1·3)/(2·4)c⁴ + …
        term *= k / (k + 1) * cos2
        total += term
    return math.sin(theta) * total


def t_quantile(df: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided critical value t with P(|T| ≤ t) = confidence (Newton from the Cornish–Fisher start)."""
    if df < 1:
        raise ValueError("Derajat bebas minimal 1.")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    start = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    if df > 200:  # Cornish–Fisher alone: within 1e-6 of the exact value here
        return start
    if df <= 2:  # closed forms
        return math.tan(math.pi * confidence / 2) if df == 1 else math.sqrt(2 * confidence**2 / (1 - confidence**2))
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    t = start
    for _ in range(50):
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = (_t_two_sided_mass(t, df) - confidence) / (2 * density)
        t -= step
        if abs(step) < 1e-12:
            break
    return t


def _clip(value: float) -> float:
    return min(max(value, SCALE_LOW), SCALE_HIGH)


def unit_interval(
    centre: Fraction | float | None,
    n: int,
    total: Fraction | float,
    squares: Fraction | float,
    population: int | None = None,
    min_n: int = MIN_RESPONDENTS,
) -> Estimate:
    """The interval of a unit's IKM from n, Σy and Σy² of its per-respondent scores (see the module)."""
    if centre is None or n < 1:
        return Estimate(None if centre is None else float(centre), n, reason=REASON_NO_DATA)
    middle = float(centre)
    if n < 2:
        return Estimate(middle, n, reason=REASON_FEW)
    variance = float((Fraction(squares) - Fraction(total) ** 2 / n) / (n - 1))
    return _interval(middle, n, max(variance, 0.0), population, min_n)


def _interval(middle: float, n: int, variance: float, population: int | None, min_n: int, bounded: bool = False
              ) -> Estimate:
    """Shrink the per-respondent variance, correct for the population, t quantile, clip (see the module)."""
    adjusted = ((n - 1) * variance + PRIOR_WEIGHT * PRIOR_SD**2) / (n - 1 + PRIOR_WEIGHT)
    if bounded:  # a worst case is not shrunk below itself
        adjusted = max(adjusted, variance)
    correction = 1.0
    if population is not None and population >= n and population > 1:
        correction = (population - n) / (population - 1)
    se = math.sqrt(adjusted / n * correction)
    if n < min_n:
        return Estimate(middle, n, se=se, reason=REASON_FEW, bounded=bounded)
    half = t_quantile(n - 1) * se
    return Estimate(middle, n, se=se, low=_clip(middle - half), high=_clip(middle + half), bounded=bounded)


def bounded_sd(values: Sequence[Fraction | float | None], weight: Fraction | float) -> float | None:
    """The largest SD of per-respondent scores that nine element values (25–100) allow: Σ w · √((v−25)(100−v)).

    An element's answers x (25–100) with mean v have at most the variance (v − 25)(100 − v) (Bhatia–Davis:
    all answers at the two ends), and the SD of a weighted sum is at most the weighted sum of the SDs (all
    elements moving together). None when an element value is missing or off the scale."""
    given = [float(v) for v in values if v is not None]
    if not given or len(given) != len(values) or any(not SCALE_LOW <= v <= SCALE_HIGH for v in given):
        return None
    return sum(float(weight) * math.sqrt((v - SCALE_LOW) * (SCALE_HIGH - v)) for v in given)


def bounded_interval(
    centre: Fraction | float | None,
    values: Sequence[Fraction | float | None],
    weight: Fraction | float,
    n: int,
    population: int | None = None,
    min_n: int = MIN_RESPONDENTS,
) -> Estimate:
    """The interval of an IKM known only by its element values and respondents (an imported result): the unit
    formula with the worst-case spread `bounded_sd` in place of the respondents' own, so it is never narrower
    than the data could justify (`bounded=True`)."""
    if centre is None or n < 1:
        return Estimate(None if centre is None else float(centre), n, reason=REASON_NO_DATA)
    sd = bounded_sd(values, weight)
    if sd is None:  # unusable element values (the stated IKM counts): the same bound on the IKM itself
        middle = _clip(float(centre))
        sd = math.sqrt((middle - SCALE_LOW) * (SCALE_HIGH - middle))
    if n < 2:
        return Estimate(float(centre), n, reason=REASON_FEW, bounded=True)
    return _interval(float(centre), n, sd * sd, population, min_n, bounded=True)


def respondent_interval(
    centre: Fraction | None, n: int, unit_sum: int, unit_squares: int, factor: Fraction, population: int | None
) -> Estimate:
    """`unit_interval` from the kept Σm and Σm² of the respondents' scores (y = factor · m).

    Memoised like `results.counted_figures`: a pure function of its arguments, read for every unit of a recap.
    The memo is keyed by integers: hashing a Fraction (a modular inverse) cost more than the look-up saved.
    """
    return _respondent_interval(
        None if centre is None else (centre.numerator, centre.denominator), n, unit_sum, unit_squares,
        (factor.numerator, factor.denominator), population,
    )


@functools.lru_cache(maxsize=4096)
def _respondent_interval(
    centre: tuple[int, int] | None, n: int, unit_sum: int, unit_squares: int, factor: tuple[int, int],
    population: int | None,
) -> Estimate:
    y = Fraction(*factor)
    return unit_interval(
        None if centre is None else Fraction(*centre), n, y * unit_sum, y * y * unit_squares, population
    )


def combined_interval(
    centre: Fraction | float | None, parts: Sequence[tuple[float, float | None]], bounded: bool = False
) -> Estimate:
    """The interval of Σ c_u · IKM_u from each unit's (c_u, se_u); none when a unit has no standard error.
    `bounded`: some se_u is a worst case (an imported result), so the interval is conservative."""
    if centre is None or not parts:
        return Estimate(None if centre is None else float(centre), len(parts), reason=REASON_NO_DATA)
    if any(se is None for _c, se in parts):
        return Estimate(float(centre), len(parts), reason=REASON_NO_DATA)
    se_total = math.sqrt(sum(c * c * se * se for c, se in parts if se is not None))
    half = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2) * se_total
    middle = float(centre)
    return Estimate(
        middle, len(parts), se=se_total, low=_clip(middle - half), high=_clip(middle + half), bounded=bounded
    )
