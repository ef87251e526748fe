"""Integrity of the index: one set of rules for every channel (online, kiosk, paper entry, import, interview).

Each rule compares a unit's responses with the unit's **own** reference (its history in the year before the
scanned window; without enough history, the rest of the window), so a genuinely excellent unit or a busy
counter is not suspicious for being excellent or busy. A rule fires only when chance under that reference
is vanishingly small (binomial / run-length tails well below 1 in 1 000 per unit), and it names in words
why. The rules (codes in `RULES`, reasons in Indonesian):

- `identical_run`: many copies of one answer pattern for a unit, each within 15 minutes of the previous
  copy, more than the unit's responses in that time and its own rate of that pattern make plausible;
- `top_straightline`: on one day, one source (device, tablet, operator account or import) gives
  all-top questionnaires far more often than the unit's history;
- `source_burst`: one device, tablet, operator account (within an hour of entry) or one import brings many
  copies of one answer pattern, or scores far above the unit's reference;
- `deadline_surge`: in the last three days before the period's input deadline one channel brings far more
  responses than its usual daily volume, with far more very high scores than the unit's reference (only
  that channel's very high answers at the surge's own level are flagged, no online answer from a device
  that had answered the unit before, and only in the surge's waves: consecutive hours bringing far more of
  those answers than the channel's usual rate in those hours of the day, unless what the waves leave is
  itself far above its usual number, a surge spread over the days);
- `off_hours`: paper or interview questionnaires dated outside service hours (before 07:00, from 18:00,
  or on a Sunday; never for a 24-hour service), three or more from one source on a day;
- `duplicate_import`: the same questionnaire (time, service, answers, profile, comment) entered again by a
  different import or operator.

Flags never delete or drop: a flagged response counts until a person decides (`decide`: keep or exclude,
audit-logged). The rules are pure (`evaluate` over `Row`s, used by `bench/integrity.py` too); `scan` loads a
unit's rows, evaluates, stores new flags (`IntegrityFlag`, `Response.flagged`/`flag_reason`) and removes the
undecided ones whose rule no longer fires. It runs after paper entry and web imports in the background
(`queue_scan`, a task of the database queue), after a command-line import at once, and as
`sumberdaya integrity scan` over existing data. The survey's submit path adds
no query: online and kiosk answers are scanned in batches by that command (every few minutes from a timer),
while `surveys.abuse` keeps its cheap burst flags and rate limit at submission time.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.audit import record
from sumberdaya.surveys.models import ANSWER_COLUMNS, IntegrityFlag, IntegrityReview, Period, Response

if TYPE_CHECKING:
    from sumberdaya.units.models import Unit

IDENTICAL_RUN = "identical_run"
TOP_STRAIGHTLINE = "top_straightline"
SOURCE_BURST = "source_burst"
DEADLINE_SURGE = "deadline_surge"
OFF_HOURS = "off_hours"
DUPLICATE_IMPORT = "duplicate_import"

RULES = {
    IDENTICAL_RUN: _("Kuesioner identik beruntun dalam waktu singkat"),
    TOP_STRAIGHTLINE: _("Semua jawaban bernilai tertinggi, jauh di atas riwayat unit"),
    SOURCE_BURST: _("Banyak kiriman seragam dari satu perangkat, akun operator atau impor"),
    DEADLINE_SURGE: _("Lonjakan kiriman bernilai tinggi menjelang batas input"),
    OFF_HOURS: _("Kuesioner kertas/wawancara bertanggal di luar jam layanan"),
    DUPLICATE_IMPORT: _("Kuesioner sama persis dengan impor atau entri lain"),
}

# Thresholds (tuned on bench/integrity.py; see README "Integrity of the index").
ALPHA = 1e-4  # chance of a false alarm per test, under the unit's own reference
RUN_GAP = dt.timedelta(minutes=15)
RUN_MIN = 6
BURST_WINDOW = dt.timedelta(minutes=60)
BURST_MIN = 6
MEAN_SHIFT_Z = 5.0
SURGE_DAYS = 3
SURGE_MIN = 15
SURGE_HOUR_MIN = 3  # answers in one wave of the surge (consecutive hours) at least
SURGE_HOUR_P = 0.1  # an hour is in a wave when its number of such answers has a chance below this usually
HOURS = (7, 18)  # service hours, local time: [07:00, 18:00), Monday–Saturday
ALWAYS_OPEN_KINDS = frozenset({"rsud"})
OFF_HOURS_MIN = 3
DUPLICATE_MIN = 3
HISTORY_DAYS = 365
HISTORY_MIN = 30
TOP = 4


@dataclass(frozen=True)
class Row:
    """What the rules read of one response."""

    id: int
    unit_id: int
    submitted_at: dt.datetime
    created_at: dt.datetime
    channel: str
    answers: tuple[int | None, ...]
    client: str = ""
    entered_by: int | None = None
    import_batch: int | None = None
    profile: tuple[object, ...] = ()  # service, sex, age, education, occupation, comment

    @property
    def source(self) -> str:
        """Who brought it: one import, one operator account, one tablet or one device."""
        if self.import_batch is not None:
            return f"impor #{self.import_batch}"
        if self.entered_by is not None:
            return f"operator #{self.entered_by}"
        if self.channel == "kiosk":
            return f"tablet {self.client}"
        return f"perangkat {self.client[:8]}" if self.client else "perangkat tanpa identitas"

    @property
    def typed(self) -> bool:
        """Entered by staff (paper entry or import): its entry time is `created_at`."""
        return self.import_batch is not None or self.entered_by is not None

    @property
    def entered(self) -> dt.datetime:
        return self.created_at if self.typed else self.submitted_at

    @property
    def score(self) -> float | None:
        given = [a for a in self.answers if a is not None]
        return 25 * sum(given) / len(given) if given else None

    @property
    def all_top(self) -> bool:
        given = [a for a in self.answers if a is not None]
        return len(given) >= 8 and all(a == TOP for a in given)


@dataclass
class Reference:
    """A unit's own reference: how often each answer pattern occurs and how its scores spread."""

    n: int = 0
    vectors: Counter[tuple[int | None, ...]] = field(default_factory=Counter)
    top: int = 0
    score_sum: float = 0.0
    score_squares: float = 0.0
    scored: int = 0
    scores: Counter[float] = field(default_factory=Counter)
    clients: set[str] = field(default_factory=set)  # online devices that answered (for `deadline_surge`)

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Reference:
        ref = cls()
        for row in rows:
            ref.add(row)
        return ref

    def copy(self) -> Reference:
        return Reference(
            self.n, Counter(self.vectors), self.top, self.score_sum, self.score_squares, self.scored,
            Counter(self.scores), set(self.clients),
        )

    def add(self, row: Row, sign: int = 1) -> None:
        self.n += sign
        self.vectors[row.answers] += sign
        self.top += sign * row.all_top
        if sign > 0 and row.channel == "online" and row.client:
            self.clients.add(row.client)
        score = row.score
        if score is not None:
            self.scored += sign
            self.score_sum += sign * score
            self.score_squares += sign * score * score
            self.scores[score] += sign

    def share(self, vector: tuple[int | None, ...]) -> float:
        """Smoothed share of one answer pattern (never 0: one pseudo-count over 20 pseudo-respondents)."""
        return (self.vectors[vector] + 1) / (self.n + 20)

    def share_above(self, limit: float) -> float:
        """Smoothed share of questionnaires scoring above a limit."""
        above = sum(count for score, count in self.scores.items() if score > limit)
        return (above + 1) / (self.scored + 20)

    @property
    def top_share(self) -> float:
        return (self.top + 1) / (self.n + 20)

    @property
    def mean(self) -> float:
        return self.score_sum / self.scored if self.scored else 75.0

    @property
    def sd(self) -> float:
        if self.scored < 2:
            return 12.0
        variance = (self.score_squares - self.score_sum**2 / self.scored) / (self.scored - 1)
        return max(math.sqrt(max(variance, 0.0)), 5.0)  # a floor: a few dozen similar answers are not certainty


@dataclass(frozen=True)
class Context:
    """What the rules know about the unit besides its rows."""

    history: Reference | None = None  # the unit's responses before the window (None: too few)
    deadline: dt.date | None = None
    always_open: bool = False
    zone: str = "Asia/Makassar"


@dataclass(frozen=True)
class Finding:
    rule: str
    detail: str


Flagger = Callable[[Iterable[Row], str, str], None]


def binomial_tail(x: int, m: int, p: float) -> float:
    """P(X ≥ x) for X ~ Binomial(m, p), in log space (stable for m in the thousands)."""
    if x <= 0:
        return 1.0
    if x > m:
        return 0.0
    p = min(max(p, 1e-12), 1 - 1e-12)
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) + k * log_p + (m - k) * log_q
        for k in range(x, m + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def poisson_tail(x: int, mean: float) -> float:
    """P(X ≥ x) for X ~ Poisson(mean), in log space."""
    if x <= 0:
        return 1.0
    mean = max(mean, 1e-12)
    log_mean = math.log(mean)
    below = [k * log_mean - mean - math.lgamma(k + 1) for k in range(x)]
    top = max(below)
    cdf = math.exp(top) * sum(math.exp(t - top) for t in below)
    if cdf < 0.5:
        return 1.0 - cdf
    terms = [k * log_mean - mean - math.lgamma(k + 1) for k in range(x, x + 10 * int(mean + x) + 50)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


CHANNEL_WORDS = {"online": _("daring"), "kiosk": _("kios"), "paper": _("kertas"), "interview": _("wawancara")}


def _reference(context: Context, whole: Reference, leave_out: Iterable[Row] = ()) -> Reference:
    """The history when there is enough, else the window's rows (`whole`) minus those under test."""
    if context.history is not None and context.history.n >= HISTORY_MIN:
        return context.history
    return _without(whole, leave_out)


def _without(whole: Reference, leave_out: Iterable[Row]) -> Reference:
    ref = whole.copy()
    for row in leave_out:
        ref.add(row, -1)
    return ref


def _local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone))


def evaluate(rows: Sequence[Row], context: Context | None = None) -> dict[int, list[Finding]]:
    """Every rule over one unit's rows (any order); the findings per response id."""
    context = context or Context()
    ordered = sorted(rows, key=lambda r: (r.submitted_at, r.id))
    found: dict[int, list[Finding]] = defaultdict(list)

    def flag(members: Iterable[Row], rule: str, detail: str) -> None:
        for row in members:
            if all(f.rule != rule for f in found[row.id]):
                found[row.id].append(Finding(rule, detail))

    whole = Reference.of(ordered)
    _identical_runs(ordered, whole, context, flag)
    _top_straightlining(ordered, whole, context, flag)
    _source_bursts(ordered, whole, context, flag)
    _deadline_surge(ordered, whole, context, flag)
    _off_hours(ordered, context, flag)
    _duplicates(ordered, flag)
    return dict(found)


def _identical_runs(rows: Sequence[Row], whole: Reference, context: Context, flag: Flagger) -> None:
    """Copies of one answer pattern close in time (each within RUN_GAP of the previous copy), tested against
    how many of the unit's responses came in that time and how common the pattern is for the unit."""
    times = [r.submitted_at for r in rows]
    by_vector: dict[tuple[int | None, ...], list[Row]] = defaultdict(list)
    for r in rows:
        if any(a is not None for a in r.answers):
            by_vector[r.answers].append(r)
    tests = max(len(rows), 1)
    for vector, copies in by_vector.items():
        if len(copies) < RUN_MIN:
            continue
        clusters: list[list[Row]] = [[copies[0]]]
        for r in copies[1:]:
            if r.submitted_at - clusters[-1][-1].submitted_at <= RUN_GAP:
                clusters[-1].append(r)
            else:
                clusters.append([r])
        for run in clusters:
            if len(run) < RUN_MIN:
                continue
            within = bisect_right(times, run[-1].submitted_at) - bisect_left(times, run[0].submitted_at)
            ref = _reference(context, whole, run)
            p = max(ref.share(vector), _without(whole, run).share(vector))
            if binomial_tail(len(run), within, p) * tests < ALPHA:
                minutes = max(1, round((run[-1].submitted_at - run[0].submitted_at).total_seconds() / 60))
                flag(run, IDENTICAL_RUN, str(_(
                    "%(n)d dari %(m)d kuesioner dalam %(minutes)d menit berjawaban persis sama; pola ini biasanya "
                    "hanya %(p)s%% dari kuesioner unit."
                ) % {"n": len(run), "m": within, "minutes": minutes, "p": _percent(p)}))


def _percent(share: float) -> str:
    return f"{100 * share:.1f}".replace(".", ",")


def _top_straightlining(rows: Sequence[Row], whole: Reference, context: Context, flag: Flagger) -> None:
    days: dict[tuple[dt.date, str], list[Row]] = defaultdict(list)
    for row in rows:
        days[(_local(row.submitted_at, context.zone).date(), row.source)].append(row)
    tests = max(len(days), 1)
    for (day, source), members in days.items():
        tops = [r for r in members if r.all_top]
        if len(tops) < BURST_MIN:
            continue
        ref = _reference(context, whole, members)
        p = ref.top_share
        if len(tops) / len(members) < p + 0.3:
            continue
        if binomial_tail(len(tops), len(members), p) * tests < ALPHA:
            flag(tops, TOP_STRAIGHTLINE, str(_(
                "%(x)d dari %(m)d kuesioner dari %(source)s pada %(day)s semuanya bernilai 4; biasanya "
                "%(p)s%% kuesioner unit ini begitu."
            ) % {"x": len(tops), "m": len(members), "source": source, "day": day.strftime("%d-%m-%Y"),
                 "p": _percent(p)}))


def _bursts(rows: Sequence[Row]) -> list[list[Row]]:
    """Groups of one source: a whole import; an operator's or a device's entries less than an hour apart."""
    by_source: dict[str, list[Row]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.entered, r.id)):
        by_source[row.source].append(row)
    groups: list[list[Row]] = []
    for source, members in by_source.items():
        if source.startswith("impor"):
            groups.append(members)
            continue
        current: list[Row] = []
        for row in members:
            if current and row.entered - current[-1].entered > BURST_WINDOW:
                groups.append(current)
                current = []
            current.append(row)
        groups.append(current)
    return [g for g in groups if len(g) >= BURST_MIN]


def _source_bursts(rows: Sequence[Row], whole: Reference, context: Context, flag: Flagger) -> None:
    groups = _bursts(rows)
    tests = max(len(groups), 1)
    for group in groups:
        ref = _reference(context, whole, group)
        vector, copies = Counter(r.answers for r in group).most_common(1)[0]
        p = ref.share(vector)
        source = group[0].source
        # The most common of the group's patterns is tested: a chance that small among as many patterns.
        patterns = len({r.answers for r in group})
        # Copies are a burst when there are BURST_MIN of them or, in a short burst, when they are most of it:
        # one phone sending one pattern again and again, varied now and then, as 5 of 8 within half an hour.
        many = copies >= min(BURST_MIN, len(group) // 2 + 1)
        if many and binomial_tail(copies, len(group), p) * tests * patterns < ALPHA:
            # One phone's submissions within the hour all came from whoever sent the copies; a tablet or an
            # operator account serves many people, so there only the copies are flagged.
            device = not group[0].typed and group[0].channel != "kiosk"
            flag([r for r in group if device or r.answers == vector], SOURCE_BURST, str(_(
                "%(x)d dari %(m)d kuesioner dari %(source)s berjawaban persis sama; pola ini biasanya hanya "
                "%(p)s%% dari kuesioner unit."
            ) % {"x": copies, "m": len(group), "source": source, "p": _percent(p)}))
            continue
        scores = [s for r in group if (s := r.score) is not None]
        if len(scores) < BURST_MIN:
            continue
        mean = sum(scores) / len(scores)
        z = (mean - ref.mean) / (ref.sd / math.sqrt(len(scores)))
        if z > MEAN_SHIFT_Z:
            flag([r for r in group if (r.score or 0) > ref.mean], SOURCE_BURST, str(_(
                "%(m)d kuesioner dari %(source)s dalam waktu singkat rata-rata %(mean)s, jauh di atas "
                "rata-rata unit %(ref)s."
            ) % {"m": len(group), "source": source, "mean": _one(mean), "ref": _one(ref.mean)}))


def _one(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _deadline_surge(rows: Sequence[Row], whole: Reference, context: Context, flag: Flagger) -> None:
    """A surge before the input deadline, channel by channel (a surge comes in one way: links shared to phones,
    a pile of forms typed in; the other ways keep their usual pace and are not suspected).

    In the last SURGE_DAYS days a channel must bring more entries than its usual daily volume (the median
    day of the period before) makes plausible (Poisson tail), and more very high scores (above the unit's
    mean + one SD) than the unit's share of them in as many entries (binomial tail), by at least SURGE_MIN.
    Then the very high scores of that channel in those days that the surge brought (a score at least twice
    as frequent as the unit's usual share of its 5-point band), except online answers from a device that had
    answered this unit before those days (the office's Wi-Fi, a returning citizen: the unit's usual traffic,
    not the surge's new respondents), are flagged in the surge's own hours only (`_waves`): honest new phones
    giving top scores at the unit's usual pace on those days look exactly like the surge's answers, one by
    one, but they are not where the surge is. When what the waves leave is still far more than the usual
    number of such answers in those days (a surge spread evenly over them), it is flagged too."""
    if context.deadline is None:
        return
    first = context.deadline - dt.timedelta(days=SURGE_DAYS - 1)
    daily: dict[str, Counter[dt.date]] = defaultdict(Counter)
    hourly: dict[str, Counter[int]] = defaultdict(Counter)  # the channel's entries before, by hour of the day
    late: dict[str, list[Row]] = defaultdict(list)
    seen = set(context.history.clients) if context.history is not None else set()
    for row in sorted(rows, key=lambda r: (r.entered, r.id)):
        day = _local(row.entered, context.zone).date()
        if first <= day <= context.deadline:
            late[row.channel].append(row)
        elif day < first:
            daily[row.channel][day] += 1
            hourly[row.channel][_local(row.entered, context.zone).hour] += 1
            if row.client:
                seen.add(row.client)
    every_late = [r for members in late.values() for r in members]
    if len(every_late) < SURGE_MIN:
        return
    ref = _reference(context, whole, every_late)
    high = ref.mean + ref.sd
    p = ref.share_above(high)
    tests = max(len(late), 1)
    for channel, members in late.items():
        usual = median(daily[channel].values()) if daily[channel] else 0
        expected = usual * SURGE_DAYS
        if len(members) < SURGE_MIN or poisson_tail(len(members), max(expected, 1.0)) * tests >= ALPHA:
            continue
        rising = [r for r in members if (r.score or 0) > high]
        excess = len(rising) - p * max(expected, 1.0)  # beyond the usual number of high scores in those days
        if excess < SURGE_MIN or binomial_tail(len(rising), len(members), p) * tests >= ALPHA:
            continue
        # Which scores the surge brought: bands of 5 points at least twice as frequent in those days as the
        # unit's usual share of them in as many entries (the surge's own level, not the unit's usual good
        # answers, which stay unflagged).
        usual_bands: Counter[int] = Counter()
        for score, n in ref.scores.items():
            usual_bands[_band(score)] += n
        at_band = Counter(_band(r.score or 0) for r in rising)
        brought = {
            band for band, n in at_band.items()
            if n >= 2 * (usual_bands[band] + 1) / (ref.scored + 20) * max(expected, 1.0)
        }
        new = [
            r for r in rising
            if _band(r.score or 0) in brought and (channel != "online" or not r.client or r.client not in seen)
        ]
        scores = [s for r in members if (s := r.score) is not None]
        mean = sum(scores) / len(scores)
        usual_share = (sum(n for band, n in usual_bands.items() if band in brought) + 1) / (ref.scored + 20)
        waves = _waves(new, hourly[channel], len(daily[channel]), usual_share, context.zone)
        # What the waves leave: the usual good answers of those days, unless it is itself far above their usual
        # number (a surge spread over the days, or top scores rare in this unit): then it is flagged too.
        in_waves = {r.id for wave, *_rest in waves for r in wave}
        rest = [r for r in new if r.id not in in_waves]
        usual_rest = sum(
            _usual_hour(hourly[channel], len(daily[channel]), usual_share, hour) for hour in range(24)
        ) * SURGE_DAYS - sum(usual_wave for *_rest, usual_wave in waves)
        if len(rest) >= SURGE_HOUR_MIN and poisson_tail(len(rest), max(usual_rest, 1.0)) * tests < ALPHA:
            flag(rest, DEADLINE_SURGE, str(_(
                "%(m)d kuesioner %(channel)s dientri dalam %(d)d hari terakhir sebelum batas input %(deadline)s "
                "(biasanya sekitar %(usual)s sehari), %(x)d di antaranya bernilai sangat tinggi (biasanya %(p)s%%); "
                "rata-rata %(mean)s, rata-rata unit %(ref)s."
            ) % {"m": len(members), "channel": CHANNEL_WORDS.get(channel, channel), "d": SURGE_DAYS,
                 "deadline": context.deadline.strftime("%d-%m-%Y"), "usual": _one(usual), "x": len(rising),
                 "p": _percent(p), "mean": _one(mean), "ref": _one(ref.mean)}))
        for wave, start, end, usual_wave in waves:
            flag(wave, DEADLINE_SURGE, str(_(
                "%(k)d kuesioner %(channel)s bernilai sangat tinggi pada %(day)s pukul %(start)s–%(end)s (biasanya "
                "sekitar %(usual_wave)s dalam jam-jam itu), dalam lonjakan %(m)d kuesioner %(channel)s pada "
                "%(d)d hari terakhir sebelum batas input %(deadline)s (biasanya sekitar %(usual)s sehari); "
                "rata-rata %(mean)s, rata-rata unit %(ref)s."
            ) % {"k": len(wave), "channel": CHANNEL_WORDS.get(channel, channel), "day": start.strftime("%d-%m-%Y"),
                 "start": start.strftime("%H.00"), "end": end.strftime("%H.00"), "usual_wave": _few(usual_wave),
                 "m": len(members), "d": SURGE_DAYS, "deadline": context.deadline.strftime("%d-%m-%Y"),
                 "usual": _one(usual), "mean": _one(mean), "ref": _one(ref.mean)}))


def _few(value: float) -> str:
    """A small expected count: one decimal, two below 0,05 (hours when the channel hardly ever brings any)."""
    return _one(value) if value >= 0.05 else f"{max(value, 0.01):.2f}".replace(".", ",")


def _waves(
    candidates: Sequence[Row], hourly: Counter[int], days: int, share: float, zone: str
) -> list[tuple[list[Row], dt.datetime, dt.datetime, float]]:
    """The surge's own hours: a surge is sent (a link shared in a chat group, a pile of forms typed in) and
    arrives in waves of a few hours, while the unit's usual good answers keep coming at their pace all day.
    An hour (local clock hour) is elevated when its number of such answers has a chance below SURGE_HOUR_P
    under the channel's usual rate in that hour of the day (its entries per day in that hour before the last
    days, times the unit's share of the surge's score bands; Poisson tail); consecutive elevated hours make
    a wave, and a wave of at least SURGE_HOUR_MIN answers, improbable under the usual rate of its hours as
    strictly as the other tests (ALPHA, over the 24 hours of each of the last days), is the surge's. Each
    wave: its answers, its first hour, the end of its last hour, and the usual number of such answers in its
    hours."""
    hour = dt.timedelta(hours=1)
    slots: dict[dt.datetime, list[Row]] = defaultdict(list)
    for r in candidates:
        slots[_local(r.entered, zone).replace(minute=0, second=0, microsecond=0)].append(r)

    def usual(slot: dt.datetime) -> float:
        return _usual_hour(hourly, days, share, slot.hour)

    runs: list[list[dt.datetime]] = []
    for slot in sorted(s for s, members in slots.items() if poisson_tail(len(members), usual(s)) < SURGE_HOUR_P):
        if runs and slot - runs[-1][-1] == hour:
            runs[-1].append(slot)
        else:
            runs.append([slot])
    waves = []
    for run in runs:
        members = [r for slot in run for r in slots[slot]]
        expected = sum(usual(slot) for slot in run)
        if len(members) >= SURGE_HOUR_MIN and poisson_tail(len(members), expected) * 24 * SURGE_DAYS < ALPHA:
            waves.append((members, run[0], run[-1] + hour, expected))
    return waves


def _usual_hour(hourly: Counter[int], days: int, share: float, hour: int) -> float:
    """The channel's usual number of such answers in one hour of the day: its entries per day in that hour before
    the last days (never 0: an hour without answers before may see one), times their share of such scores."""
    return (hourly[hour] + 1) / (days + 1) * share


def _band(score: float) -> int:
    return 5 * round(score / 5)


def _off_hours(rows: Sequence[Row], context: Context, flag: Flagger) -> None:
    if context.always_open:
        return
    groups: dict[tuple[dt.date, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.channel not in ("paper", "interview"):
            continue
        local = _local(row.submitted_at, context.zone)
        if local.weekday() == 6 or not HOURS[0] <= local.hour < HOURS[1]:
            groups[(local.date(), row.source)].append(row)
    for (day, source), members in groups.items():
        if len(members) >= OFF_HOURS_MIN:
            flag(members, OFF_HOURS, str(_(
                "%(m)d kuesioner dari %(source)s bertanggal %(day)s di luar jam layanan (07.00–18.00, "
                "Senin–Sabtu)."
            ) % {"m": len(members), "source": source, "day": day.strftime("%d-%m-%Y")}))


def _duplicates(rows: Sequence[Row], flag: Flagger) -> None:
    typed = [r for r in rows if r.typed]
    seen: dict[tuple[object, ...], Row] = {}
    copies: dict[str, list[tuple[Row, Row]]] = defaultdict(list)
    for row in sorted(typed, key=lambda r: (r.created_at, r.id)):
        key = (row.submitted_at, row.answers, row.profile)
        first = seen.get(key)
        if first is None:
            seen[key] = row
        elif first.source != row.source:
            copies[row.source].append((first, row))
    for again, pairs in copies.items():
        if len(pairs) >= DUPLICATE_MIN:
            originals = ", ".join(sorted({first.source for first, _row in pairs}))
            flag([r for _first, r in pairs], DUPLICATE_IMPORT, str(_(
                "%(m)d kuesioner dari %(again)s sama persis (waktu, layanan, jawaban, profil) dengan kuesioner "
                "yang sudah masuk dari %(original)s."
            ) % {"m": len(pairs), "again": again, "original": originals}))


# --------------------------------------------------------------------------------------------- database

FIELDS = (
    "id", "unit_id", "submitted_at", "created_at", "channel", *ANSWER_COLUMNS, "client", "entered_by_id",
    "import_batch", "service_id", "sex", "age", "education", "occupation", "comment",
)


def _row(values: Sequence[object]) -> Row:
    (pk, unit_id, submitted, created, channel, *rest) = values
    answers = tuple(rest[:9])
    client, entered_by, batch, *profile = rest[9:]
    return Row(
        id=pk, unit_id=unit_id, submitted_at=submitted, created_at=created, channel=channel,  # type: ignore[arg-type]
        answers=answers, client=client or "", entered_by=entered_by, import_batch=batch,  # type: ignore[arg-type]
        profile=tuple(profile),
    )


def _rows(unit_id: int, begin: dt.datetime, end: dt.datetime) -> list[Row]:
    return [
        _row(v)
        for v in Response.objects.filter(
            instrument=Response.Instrument.SKM, unit_id=unit_id, submitted_at__gte=begin, submitted_at__lt=end
        ).exclude(status=Response.Status.EXCLUDED).values_list(*FIELDS).iterator(chunk_size=5000)
    ]


@dataclass(frozen=True)
class ScanSummary:
    units: int
    responses: int
    flagged: int  # responses newly flagged
    findings: int  # new (response, rule) flags
    removed: int = 0  # stale (response, rule) flags removed: the rule no longer fires, nobody had decided
    unflagged: int = 0  # responses no longer flagged at all by those removals


def scan(period: Period, unit_ids: Iterable[int] | None = None) -> ScanSummary:
    """Evaluate every rule over the period's SKM responses of these units (all units with responses when
    None) and store what changed. Idempotent. A flag whose rule no longer fires (the history changed, a rule
    was tuned) is removed while nobody has decided on its response, and the removals are audit-logged per
    unit; a decided response keeps its flags and its decision. One unit at a time, under a lock on its row
    (two scans of one unit, e.g. two imports' background scans, follow each other)."""
    from sumberdaya.units.models import Unit

    begin, end = period.bounds()
    zone = settings.TIME_ZONE
    if unit_ids is None:
        unit_ids = (
            Response.objects.filter(submitted_at__gte=begin, submitted_at__lt=end).order_by()
            .values_list("unit_id", flat=True).distinct()
        )
    ids = sorted(set(unit_ids))
    total_rows = flagged = findings = removed = unflagged = 0
    units = 0
    for unit_id in ids:
        with transaction.atomic():
            unit = Unit.objects.select_for_update().filter(pk=unit_id).first()
            if unit is None:
                continue
            units += 1
            rows = _rows(unit_id, begin, end)
            total_rows += len(rows)
            history_rows = _rows(unit_id, begin - dt.timedelta(days=HISTORY_DAYS), begin)
            history = Reference.of(history_rows) if len(history_rows) >= HISTORY_MIN else None
            context = Context(
                history=history, deadline=period.input_deadline, always_open=unit.kind in ALWAYS_OPEN_KINDS,
                zone=zone,
            )
            found = evaluate(rows, context)
            new_flags, new_findings = _store(found)
            gone, cleared = _remove_stale(unit, period, [r.id for r in rows], found)
        flagged += new_flags
        findings += new_findings
        removed += gone
        unflagged += cleared
    return ScanSummary(units, total_rows, flagged, findings, removed, unflagged)


def scan_around(unit_ids: Iterable[int], moments: Iterable[dt.datetime]) -> ScanSummary | None:
    """After paper entry or an import: scan the periods holding these moments (the longest one each)."""
    days = {timezone.localtime(m).date() for m in moments}
    return scan_days(unit_ids, days)


def scan_days(unit_ids: Iterable[int], days: Iterable[dt.date]) -> ScanSummary | None:
    ids = list(set(unit_ids))
    summary = None
    periods = {p.pk: p for day in set(days) for p in Period.containing(day)}
    for period in periods.values():
        summary = scan(period, ids)
    return summary


def queue_scan(unit_ids: Iterable[int], moments: Iterable[dt.datetime]) -> None:
    """After paper entry or an import in a request: the same scan as `scan_around`, in the background
    (`surveys.tasks.scan_units`, run by `sumberdaya db_worker`), so the operator does not wait for the rules over
    a big unit. The task is enqueued in the caller's transaction (it exists exactly when the responses do);
    a scan of the same units and days still waiting in the queue is not queued twice (an operator typing a
    pile of forms gets one scan, not one per form)."""
    from sumberdaya.surveys.tasks import scan_units

    ids = sorted(set(unit_ids))
    days = sorted({timezone.localtime(m).date().isoformat() for m in moments})
    if not ids or not days:
        return
    if _waiting(scan_units, [ids, days]):
        return
    scan_units.enqueue(ids, days)


def _waiting(queued: Any, args: list[object]) -> bool:
    """Whether this task with these arguments waits in the database queue (not yet taken by a worker)."""
    from django_tasks.backends.database.backend import DatabaseBackend

    if not isinstance(queued.get_backend(), DatabaseBackend):
        return False
    task_path = queued.module_path
    from django_tasks.backends.database.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=task_path).values_list("args_kwargs", flat=True)
    for args_kwargs in waiting[:50]:
        if isinstance(args_kwargs, dict) and list(args_kwargs.get("args", [])) == args:
            return True
    return False


def _store(found: dict[int, list[Finding]]) -> tuple[int, int]:
    if not found:
        return 0, 0
    ids = list(found)
    decided = _decided(ids)
    existing: dict[int, set[str]] = defaultdict(set)
    for response_id, rule in IntegrityFlag.objects.filter(response_id__in=ids).values_list("response_id", "rule"):
        existing[response_id].add(rule)
    current = dict(Response.objects.filter(pk__in=ids).values_list("pk", "flag_reason"))
    new_flags = new_findings = 0
    with transaction.atomic():
        creating = []
        for response_id, findings in found.items():
            if response_id in decided:
                continue
            fresh = [f for f in findings if f.rule not in existing[response_id]]
            if not fresh:
                continue
            creating += [IntegrityFlag(response_id=response_id, rule=f.rule, detail=f.detail[:300]) for f in fresh]
            labels = [str(RULES[f.rule]) for f in fresh]
            reason = "; ".join([r for r in [current.get(response_id, "")] if r] + labels)[:200]
            Response.objects.filter(pk=response_id).update(flagged=True, flag_reason=reason)
            new_flags += not existing[response_id]
            new_findings += len(fresh)
        IntegrityFlag.objects.bulk_create(creating, ignore_conflicts=True)
    return new_flags, new_findings


def _decided(ids: Iterable[int]) -> set[int]:
    return set(
        IntegrityReview.objects.filter(response_id__in=list(ids)).exclude(decision="")
        .values_list("response_id", flat=True)
    )


def _remove_stale(
    unit: Unit, period: Period, scanned: Sequence[int], found: dict[int, list[Finding]]
) -> tuple[int, int]:
    """Remove the flags of scanned, undecided responses whose rule did not fire this time; a response left
    with no rule's flag is unflagged unless the submission's own burst check (`surveys.abuse`) flagged it.
    One audit event per unit with the counts by rule. A few queries whatever the number of flags."""
    begin, end = period.bounds()
    scanned_ids = set(scanned)
    stale: dict[int, set[str]] = defaultdict(set)
    stale_flags: list[tuple[int, int]] = []  # (flag, response)
    remaining: dict[int, set[str]] = defaultdict(set)
    flags = IntegrityFlag.objects.filter(
        response__unit=unit, response__submitted_at__gte=begin, response__submitted_at__lt=end
    ).values_list("pk", "response_id", "rule")
    for pk, response_id, rule in flags.iterator(chunk_size=5000):
        if response_id in scanned_ids and all(f.rule != rule for f in found.get(response_id, ())):
            stale[response_id].add(rule)
            stale_flags.append((pk, response_id))
        else:
            remaining[response_id].add(rule)
    decided = _decided(stale) if stale else set()
    for response_id in decided:
        del stale[response_id]
    if not stale:
        return 0, 0
    by_rule = Counter(rule for rules in stale.values() for rule in rules)
    gone = [pk for pk, response_id in stale_flags if response_id not in decided]
    removed = IntegrityFlag.objects.filter(pk__in=gone).delete()[0]
    labels = {str(label) for label in RULES.values()}
    changed = []
    for response in Response.objects.filter(pk__in=list(stale)).only("pk", "flagged", "flag_reason"):
        # The reason is rebuilt: the submission's own burst reasons (`surveys.abuse`) stay, then the labels of
        # the rules still flagging it (a label cut at the field's length is a rule's label too).
        own = [p for p in response.flag_reason.split("; ") if p and not any(label.startswith(p) for label in labels)]
        still = [str(RULES[rule]) for rule in RULES if rule in remaining[response.pk]]
        response.flagged = bool(own or still)
        response.flag_reason = "; ".join(own + still)[:200]
        changed.append(response)
    Response.objects.bulk_update(changed, ["flagged", "flag_reason"], batch_size=1000)
    cleared = sum(1 for r in changed if not r.flagged)
    record(
        None, "integrity.scan_unflag", unit,
        after={"period": period.slug, "flags_removed": removed, "responses_unflagged": cleared,
               "by_rule": dict(sorted(by_rule.items()))},
    )
    return removed, cleared


# ---------------------------------------------------------------------------------------------- people


def explain(response: Response, user: object, text: str) -> IntegrityReview:
    """The unit's explanation of a flagged response (logged)."""
    with transaction.atomic():
        review, _created = IntegrityReview.objects.select_for_update().get_or_create(response=response)
        before = {"explanation": review.explanation}
        review.explanation = text.strip()[:1000]
        review.explained_by = user  # type: ignore[assignment]
        review.explained_at = timezone.now()
        review.save()
        record(user, "response.integrity_explain", response, before=before, after={"explanation": review.explanation})  # type: ignore[arg-type]
    return review


def decide(response: Response, user: object, decision: str) -> IntegrityReview:
    """The city's decision on a flagged response: keep (it counts, unflagged) or exclude (logged).

    Keep: `flagged` goes off (the reasons stay in the review and the flags); exclude: the response leaves the
    index with the reasons as its excluded reason, reversible on the review page like any exclusion.
    """
    if decision not in IntegrityReview.Decision.values:
        raise ValueError(f"Keputusan tidak dikenal: {decision!r}")
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        review, _created = IntegrityReview.objects.get_or_create(response=response)
        before = {"decision": review.decision, "status": response.status, "flagged": response.flagged}
        review.decision = decision
        review.decided_by = user  # type: ignore[assignment]
        review.decided_at = timezone.now()
        review.reasons = response.flag_reason
        review.save()
        if decision == IntegrityReview.Decision.KEEP:
            Response.objects.filter(pk=response.pk).update(flagged=False)
        else:
            Response.objects.filter(pk=response.pk).update(
                status=Response.Status.EXCLUDED,
                excluded_reason=str(_("Integritas: %(reasons)s")) % {"reasons": response.flag_reason},
                excluded_by=user,
                excluded_at=timezone.now(),
            )
        response.refresh_from_db()
        record(
            user, "response.integrity_decide", response, before=before,  # type: ignore[arg-type]
            after={"decision": decision, "status": response.status, "flagged": response.flagged},
        )
    return review


# ---------------------------------------------------------------------------------------------- review


def ever_flagged() -> Q:
    """Responses flagged now (the rules here or the submission's burst checks, `surveys.abuse`) or ever by a rule."""
    return Q(flagged=True) | Q(pk__in=IntegrityFlag.objects.values("response_id"))


def flagged_in(period: Period, unit_ids: Iterable[int] | None = None) -> QuerySet[Response]:
    """SKM responses of the period flagged now or ever (pending, kept or excluded), newest first."""
    begin, end = period.bounds()
    responses = Response.objects.filter(
        ever_flagged(), instrument=Response.Instrument.SKM, submitted_at__gte=begin, submitted_at__lt=end
    )
    if unit_ids is not None:
        responses = responses.filter(unit_id__in=list(unit_ids))
    return (
        responses.select_related("unit", "service", "integrity_review", "entered_by")
        .prefetch_related("integrity_flags").order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class UnitIntegrity:
    """A unit's flags in a period: how many by rule, and how people decided."""

    unit_id: int
    by_rule: dict[str, int]
    kept: int
    excluded: int
    explained: int

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return [(str(RULES.get(rule, rule)), n) for rule, n in sorted(self.by_rule.items(), key=lambda p: -p[1])]


def summary(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, UnitIntegrity]:
    """Per unit with flags in the period: flags by rule and the decisions (a few GROUP BYs)."""
    begin, end = period.bounds()
    flags = IntegrityFlag.objects.filter(
        response__instrument=Response.Instrument.SKM, response__submitted_at__gte=begin,
        response__submitted_at__lt=end,
    )
    reviews = IntegrityReview.objects.filter(
        response__submitted_at__gte=begin, response__submitted_at__lt=end,
    )
    if unit_ids is not None:
        ids = list(unit_ids)
        flags = flags.filter(response__unit_id__in=ids)
        reviews = reviews.filter(response__unit_id__in=ids)
    by_rule: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, rule, n in flags.order_by().values_list("response__unit_id", "rule").annotate(n=Count("id")):
        by_rule[unit_id][rule] = n
    decided: dict[int, Counter[str]] = defaultdict(Counter)
    for unit_id, decision, explained, n in (
        reviews.order_by().values_list("response__unit_id", "decision")
        .annotate(explained=Count("id", filter=~Q(explanation="")), n=Count("id"))
    ):
        decided[unit_id][decision] += n
        decided[unit_id]["explained"] += explained
    return {
        unit_id: UnitIntegrity(
            unit_id, rules, decided[unit_id]["keep"], decided[unit_id]["exclude"], decided[unit_id]["explained"]
        )
        for unit_id, rules in by_rule.items()
    }


@dataclass(frozen=True)
class Counts:
    """How many of a period's SKM responses were flagged, and what became of them (reports, publication)."""

    flagged: int = 0  # ever flagged by the integrity rules
    pending: int = 0  # still flagged and counted, undecided
    kept: int = 0  # a person decided to keep them
    excluded: int = 0  # excluded (by a decision or on the review page)


def counts(period: Period, unit_ids: Iterable[int] | None = None) -> Counts:
    """One aggregate query over the period's flagged responses."""
    begin, end = period.bounds()
    responses = Response.objects.filter(
        ever_flagged(), instrument=Response.Instrument.SKM, submitted_at__gte=begin, submitted_at__lt=end
    )
    if unit_ids is not None:
        responses = responses.filter(unit_id__in=list(unit_ids))
    data = responses.aggregate(
        n_flagged=Count("id"),
        n_pending=Count("id", filter=Q(flagged=True, status=Response.Status.VALID)),
        n_kept=Count("id", filter=Q(integrity_review__decision=IntegrityReview.Decision.KEEP)),
        n_excluded=Count("id", filter=Q(status=Response.Status.EXCLUDED)),
    )
    return Counts(**{k.removeprefix("n_"): int(v or 0) for k, v in data.items()})
