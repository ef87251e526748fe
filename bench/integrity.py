"""How well the integrity rules (`sumberdaya.surveys.integrity`) catch gaming, on a synthetic city.

    .venv/bin/python bench/integrity.py [--seeds 16,7,3,4,5,42,100 | --seed 16] [--honest 36] [--json]

Builds a city of honest units (ordinary, weak, genuinely excellent ones, busy kiosk counters with dozens of
answers an hour, online units where many citizens share the office Wi-Fi, paper entry by operators after
hours of service, monthly spreadsheet imports of date-only forms, a 24-hour hospital, honest backlogs typed
just before the deadline), each with a year of history; then injects every gaming pattern at three strengths
into units of every kind, runs the rules exactly as `sumberdaya integrity scan` does (`evaluate` with the
unit's history and the period's deadline) and prints precision and recall per rule and overall, at the row
and the unit level, and the largest share of flagged responses in an honest unit. No database needed.

One city is one sample: a figure met on one seed only is not a measurement. So the default command is the
measurement: it builds and scans the cities of the seeds in SEEDS one after another (one process, about 7 s
each here, under a minute for the seven) and prints one line per seed, then per rule and pattern the pooled
figures (counts summed over the cities) and the worst seed's figure with its seed. The targets are for the
pooled figures; the worst seed shows how far one city falls from them (each pattern goes into three units
per city, one per strength, so one unlucky draw moves a city's figure a long way). `--seed N` runs one
city and prints its full detail; `--json` prints the run(s) as JSON (with
`--seeds`: {"pooled": ..., "seeds": [...]}).

The injected deadline surge arrives as a real one does: it is sent, not spread. Staff post the survey's link
to chat groups or broadcast lists (or ask relatives and colleagues) a few times in the last three days
(SURGE_WAVES messages, 08:00-17:00), and whoever a message reaches answers soon after reading it (a delay of
SURGE_DELAY minutes on average, exponential: most within the hour, a tail into the next hours). So the surge
comes in waves of a few hours, overlapping the unit's service hours, while the unit's honest answers
(including honest new phones giving top scores) keep their pace all day; those stay as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

if not __import__("os").environ.get("DJANGO_SETTINGS_MODULE"):
    __import__("os").environ["DJANGO_SETTINGS_MODULE"] = "sumberdaya.settings"
django.setup()

from sumberdaya.surveys.integrity import RULES, Context, Reference, Row, evaluate  # noqa: E402

LOCAL = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2024, 4, 1)
END = dt.date(2024, 5, 31)
DEADLINE = END
ALL_FOUR = (4,) * 9
PATTERNS = {
    "identical_run": "kiosk: staff tap the same near-perfect answers again and again",
    "top_straightline": "operator types all-4 forms among the day's real ones",
    "device_burst": "one phone sends mostly one answer pattern within half an hour",
    "import_uniform": "one import of identical all-4 rows one minute apart",
    "deadline_surge": "high scores from many phones in the last three days",
    "off_hours": "paper forms dated at night by one operator",
    "duplicate_import": "an earlier import entered again",
}
SEEDS = (16, 7, 3, 4, 5, 42, 100)  # the default measurement: every figure pooled over these cities and its worst
TARGETS = "targets: precision ≥ 95 %, recall ≥ 90 %, no honest unit above 2 %"
SURGE_WAVES = (2, 4)  # messages sending the survey's link in the last three days
SURGE_DELAY = 45  # minutes, on average, from a message to an answer
STRENGTHS = {
    "identical_run": (8, 15, 30),
    "top_straightline": (8, 15, 30),
    "device_burst": (8, 12, 25),
    "import_uniform": (10, 20, 40),
    "deadline_surge": (40, 80, 160),
    "off_hours": (3, 6, 12),
    "duplicate_import": (5, 20, 60),
}


@dataclass
class Unit:
    id: int
    kind: str  # ordinary | weak | excellent | busy | wifi | paper | imports | hospital | backlog
    rows: list[Row] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)
    truth: dict[int, str] = field(default_factory=dict)  # injected row id -> pattern
    pattern: str | None = None
    strength: int = 0


class City:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_id = 1
        self.next_batch = 1
        self.next_operator = 1

    def ident(self) -> int:
        self.next_id += 1
        return self.next_id

    def answers(self, kind: str) -> tuple[int | None, ...]:
        rng = self.rng
        if kind == "excellent" and rng.random() < 0.55:
            vector: list[int | None] = list(ALL_FOUR)
        else:
            base = {"weak": [2, 2, 3, 3], "excellent": [3, 4, 4]}.get(kind, [2, 3, 3, 3, 4])
            level = rng.choice(base)
            vector = [min(4, max(1, level + rng.choice([-1, 0, 0, 0, 0, 1]))) for _ in range(9)]
        if rng.random() < 0.06:
            vector[rng.randrange(9)] = None
        return tuple(vector)

    def profile(self) -> tuple[object, ...]:
        rng = self.rng
        return (
            rng.choice([None, 1, 2]), rng.choice(["L", "P", ""]), rng.choice([None, *range(18, 70)]),
            rng.choice(["SD", "SMP", "SMA", "S1/D4", ""]), rng.choice(["Swasta", "Wirausaha", "PNS", "Lainnya", ""]),
            "",
        )

    def service_moments(self, first: dt.date, last: dt.date, per_hour: float, hours: tuple[int, int] = (8, 15),
                        every_day: bool = False) -> list[dt.datetime]:
        moments = []
        day = first
        while day <= last:
            if every_day or day.weekday() < 6:
                at = dt.datetime.combine(day, dt.time(hours[0]), tzinfo=LOCAL)
                close = dt.datetime.combine(day, dt.time(hours[1]), tzinfo=LOCAL) if hours[1] < 24 else (
                    at + dt.timedelta(hours=24 - hours[0]))
                while True:
                    at += dt.timedelta(minutes=self.rng.expovariate(per_hour / 60))
                    if at >= close:
                        break
                    moments.append(at)
            day += dt.timedelta(days=1)
        return moments

    def honest(self, unit: Unit, first: dt.date, last: dt.date) -> list[Row]:
        """A unit's honest responses between two dates, by the unit's way of collecting them."""
        rng, kind, rows = self.rng, unit.kind, []
        if kind == "busy":
            for at in self.service_moments(first, last, 25):
                rows.append(self.row(unit, at, self.answers("ordinary" if unit.id % 2 else "excellent"),
                                     channel="kiosk", client=f"tablet-{unit.id}-{rng.randrange(2)}"))
        elif kind == "wifi":
            for at in self.service_moments(first, last, 6):
                client = f"wifi-{unit.id}" if rng.random() < 0.4 else f"phone-{rng.randrange(10**9)}"
                rows.append(self.row(unit, at, self.answers("ordinary"), client=client))
        elif kind in ("paper", "hospital", "backlog"):
            operator = self.operator(unit)
            hours = (0, 24) if kind == "hospital" else (8, 15)
            for at in self.service_moments(first, last, 2.5, hours, every_day=kind == "hospital"):
                if kind == "backlog" and at.date() >= DEADLINE - dt.timedelta(days=14) and first == START:
                    continue  # these forms wait in a drawer and are typed just before the deadline, below
                typed = at.replace(hour=15, minute=30) + dt.timedelta(seconds=rng.randrange(3600))
                if kind == "hospital":
                    typed = at + dt.timedelta(minutes=rng.randrange(5, 60))
                rows.append(self.row(unit, at, self.answers("ordinary"), channel="paper", entered_by=operator,
                                     created=typed, profile=self.profile()))
            if kind == "backlog" and first == START:
                for i in range(90):
                    day = DEADLINE - dt.timedelta(days=14 - i // 7)
                    if day.weekday() == 6:  # closed on Sundays: the form is from the Saturday
                        day -= dt.timedelta(days=1)
                    at = dt.datetime.combine(day, dt.time(12), tzinfo=LOCAL)
                    typed = dt.datetime.combine(DEADLINE - dt.timedelta(days=1), dt.time(9), tzinfo=LOCAL)
                    rows.append(self.row(unit, at, self.answers("ordinary"), channel="paper", entered_by=operator,
                                         created=typed + dt.timedelta(minutes=2 * i), profile=self.profile()))
            # a few honest late entries: one form now and then typed in the evening
            for sample in rng.sample(rows, min(4, len(rows))):
                late = sample.submitted_at.replace(hour=19)
                rows.append(self.row(unit, late, self.answers("ordinary"), channel="paper", entered_by=operator,
                                     profile=self.profile()))
        elif kind == "imports":
            month = first.replace(day=1)
            while month <= last:
                batch = self.batch()
                imported = dt.datetime.combine(month + dt.timedelta(days=33), dt.time(10), tzinfo=LOCAL)
                for at in self.service_moments(month, min(last, _month_end(month)), 2):
                    noon = at.replace(hour=12, minute=0, second=0, microsecond=0)
                    rows.append(self.row(unit, noon, self.answers("ordinary"), channel="paper", batch=batch,
                                         created=imported, profile=self.profile()))
                month = (month + dt.timedelta(days=32)).replace(day=1)
        else:  # ordinary, weak, excellent: a mix of online and kiosk
            for at in self.service_moments(first, last, 4):
                kiosk = rng.random() < 0.5
                rows.append(self.row(unit, at, self.answers(kind), channel="kiosk" if kiosk else "online",
                                     client=f"tablet-{unit.id}" if kiosk else f"phone-{rng.randrange(10**9)}"))
        return rows

    def operator(self, unit: Unit) -> int:
        return 1000 + unit.id

    def batch(self) -> int:
        self.next_batch += 1
        return self.next_batch

    def row(self, unit: Unit, at: dt.datetime, answers: tuple[int | None, ...], *, channel: str = "online",
            client: str = "", entered_by: int | None = None, batch: int | None = None,
            created: dt.datetime | None = None, profile: tuple[object, ...] = ()) -> Row:
        return Row(
            id=self.ident(), unit_id=unit.id, submitted_at=at, created_at=created or at, channel=channel,
            answers=answers, client=client, entered_by=entered_by, import_batch=batch, profile=profile,
        )

    # ------------------------------------------------------------------------------------------ gaming

    def inject(self, unit: Unit, pattern: str, k: int) -> list[Row]:
        rng = self.rng
        day = START + dt.timedelta(days=rng.randrange(10, 45))
        while day.weekday() >= 6:
            day += dt.timedelta(days=1)
        at = dt.datetime.combine(day, dt.time(9), tzinfo=LOCAL) + dt.timedelta(minutes=rng.randrange(240))
        rows: list[Row] = []
        if pattern == "identical_run":
            vector = (4, 4, 4, 4, 3, 4, 4, 4, 4)
            tablet = next((r.client for r in unit.rows if r.channel == "kiosk"), f"tablet-{unit.id}")
            for i in range(k):
                rows.append(self.row(unit, at + dt.timedelta(seconds=60 * i + rng.randrange(50)), vector,
                                     channel="kiosk", client=tablet))
        elif pattern == "top_straightline":
            operator = 5000 + unit.id
            for _ in range(k):
                moment = at + dt.timedelta(minutes=rng.randrange(180))
                rows.append(self.row(unit, moment, ALL_FOUR, channel="paper", entered_by=operator,
                                     created=moment, profile=self.profile()))
        elif pattern == "device_burst":
            vector = (4, 4, 3, 4, 4, 4, 4, 3, 4)
            for _ in range(k):
                answers = vector if rng.random() < 0.8 else tuple(rng.choice([3, 4, 4]) for _ in range(9))
                rows.append(self.row(unit, at + dt.timedelta(minutes=rng.randrange(30)), answers,
                                     client=f"staff-phone-{unit.id}"))
        elif pattern == "import_uniform":
            batch = self.batch()
            imported = at + dt.timedelta(days=2)
            for i in range(k):
                rows.append(self.row(unit, at + dt.timedelta(minutes=i), ALL_FOUR, channel="paper", batch=batch,
                                     created=imported))
        elif pattern == "deadline_surge":
            # Sent in waves: each message (08:00-17:00 on one of the last three days) is answered by whoever
            # it reaches after a delay of about SURGE_DELAY, so most of a wave comes within the hour or two.
            messages = [
                dt.datetime.combine(DEADLINE - dt.timedelta(days=rng.randrange(3)), dt.time(8), tzinfo=LOCAL)
                + dt.timedelta(minutes=rng.randrange(540))
                for _ in range(rng.randint(*SURGE_WAVES))
            ]
            for _ in range(k):
                moment = rng.choice(messages) + dt.timedelta(minutes=rng.expovariate(1 / SURGE_DELAY))
                answers = tuple(4 if rng.random() < 0.85 else 3 for _ in range(9))
                rows.append(self.row(unit, moment, answers, client=f"phone-{rng.randrange(10**9)}"))
        elif pattern == "off_hours":
            operator = 6000 + unit.id
            night = at.replace(hour=20)
            for _ in range(k):
                moment = night + dt.timedelta(minutes=rng.randrange(180))
                answers = tuple(4 if rng.random() < 0.7 else 3 for _ in range(9))
                rows.append(self.row(unit, moment, answers, channel="paper", entered_by=operator, created=moment,
                                     profile=self.profile()))
        elif pattern == "duplicate_import":
            source = [r for r in unit.rows if r.import_batch is not None] or [r for r in unit.rows if r.typed]
            copies = rng.sample(source, min(k, len(source)))
            batch = self.batch()
            again = dt.datetime.combine(DEADLINE + dt.timedelta(days=10), dt.time(11), tzinfo=LOCAL)
            for original in copies:
                rows.append(replace(original, id=self.ident(), import_batch=batch, created_at=again))
        for r in rows:
            unit.truth[r.id] = pattern
        return rows


def ratio(a: int, b: int) -> float | None:
    return None if b == 0 else a / b


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


HONEST_KINDS = ("ordinary", "weak", "excellent", "busy", "wifi", "paper", "imports", "hospital", "backlog")
# Where each pattern is injected: units of kinds where it could plausibly happen (and is hardest to see).
HOSTS = {
    "identical_run": ("busy", "excellent", "ordinary"),
    "top_straightline": ("paper", "backlog", "paper"),
    "device_burst": ("wifi", "ordinary", "excellent"),
    "import_uniform": ("imports", "imports", "imports"),
    "deadline_surge": ("ordinary", "wifi", "weak"),
    "off_hours": ("paper", "backlog", "paper"),
    "duplicate_import": ("imports", "imports", "imports"),
}


def build(seed: int, honest_units: int) -> list[Unit]:
    city = City(seed)
    units: list[Unit] = []
    for i in range(honest_units):
        units.append(Unit(len(units) + 1, HONEST_KINDS[i % len(HONEST_KINDS)]))
    for pattern, strengths in STRENGTHS.items():
        for host, k in zip(HOSTS[pattern], strengths, strict=True):
            units.append(Unit(len(units) + 1, host, pattern=pattern, strength=k))
    for unit in units:
        unit.history = city.honest(unit, START - dt.timedelta(days=365), START - dt.timedelta(days=305))
        unit.rows = city.honest(unit, START, END)
        if unit.pattern:
            unit.rows += city.inject(unit, unit.pattern, unit.strength)
    return units


def run(seed: int, honest_units: int) -> dict[str, object]:
    started = time.monotonic()
    units = build(seed, honest_units)
    built = time.monotonic() - started
    flagged_by: dict[str, set[int]] = defaultdict(set)
    units_by: dict[str, set[int]] = defaultdict(set)  # rule -> units with a flag of it
    flagged_any: set[int] = set()
    per_unit: dict[int, int] = {}
    started = time.monotonic()
    for unit in units:
        context = Context(
            history=Reference.of(unit.history), deadline=DEADLINE, always_open=unit.kind == "hospital",
            zone="Asia/Makassar",
        )
        found = evaluate(unit.rows, context)
        per_unit[unit.id] = len(found)
        for response_id, findings in found.items():
            flagged_any.add(response_id)
            for finding in findings:
                flagged_by[finding.rule].add(response_id)
                units_by[finding.rule].add(unit.id)
    scanned = time.monotonic() - started
    truth: dict[int, str] = {rid: p for u in units for rid, p in u.truth.items()}
    injected = set(truth)
    total_rows = sum(len(u.rows) for u in units)

    gamed_units = {u.id for u in units if u.pattern}
    rules = {}
    for rule in RULES:
        hits = flagged_by.get(rule, set())
        hit_units = units_by.get(rule, set())
        rules[rule] = {
            "flagged": len(hits), "correct": len(hits & injected), "precision": ratio(len(hits & injected), len(hits)),
            "units": len(hit_units), "correct_units": len(hit_units & gamed_units),
            "unit_precision": ratio(len(hit_units & gamed_units), len(hit_units)),
        }
    patterns = {}
    for pattern in PATTERNS:
        rows = {rid for rid, p in truth.items() if p == pattern}
        by_strength = {}
        for unit in units:
            if unit.pattern == pattern:
                mine = set(unit.truth)
                by_strength[unit.strength] = ratio(len(mine & flagged_any), len(mine))
        hosts = {u.id for u in units if u.pattern == pattern}
        found_units = sum(1 for uid in hosts if per_unit[uid] > 0)
        patterns[pattern] = {
            "injected": len(rows), "caught": len(rows & flagged_any),
            "recall": ratio(len(rows & flagged_any), len(rows)), "by_strength": by_strength,
            "units": len(hosts), "caught_units": found_units, "unit_recall": ratio(found_units, len(hosts)),
        }
    honest_share = {u.id: per_unit[u.id] / len(u.rows) for u in units if not u.pattern and u.rows}
    predicted = {u.id for u in units if per_unit[u.id] > 0}
    # The row precision of a rule catching every injected surge answer: in its host units, honest answers of the
    # surge days as high as the injected ones, online, from a device new to the unit, look exactly like them;
    # a rule that finds the surge's own hours still flags those of them within the clock hours of the surge.
    alike = alike_hours = injected_late = 0
    for unit in units:
        if unit.pattern != "deadline_surge":
            continue
        seen = {r.client for r in unit.history + unit.rows if r.submitted_at.date() < DEADLINE - dt.timedelta(days=2)}
        lowest = min(r.score or 0 for r in unit.rows if r.id in unit.truth)
        surge_hours = {r.submitted_at.replace(minute=0, second=0, microsecond=0)
                       for r in unit.rows if r.id in unit.truth}
        for r in unit.rows:
            if r.submitted_at.date() >= DEADLINE - dt.timedelta(days=2) and (r.score or 0) >= lowest:
                if r.id in unit.truth:
                    injected_late += 1
                elif r.channel == "online" and r.client not in seen:
                    alike += 1
                    alike_hours += r.submitted_at.replace(minute=0, second=0, microsecond=0) in surge_hours
    # Honest rows inside gamed units count as honest rows for the row-level precision (they are).
    return {
        "deadline_surge_injected_late": injected_late,
        "deadline_surge_bound": ratio(injected_late, injected_late + alike),
        "deadline_surge_alike": alike,
        "deadline_surge_hours_bound": ratio(injected_late, injected_late + alike_hours),
        "deadline_surge_alike_hours": alike_hours,
        "seed": seed,
        "units": len(units),
        "honest_units": honest_units,
        "responses": total_rows,
        "build_seconds": round(built, 2),
        "scan_seconds": round(scanned, 2),
        "rules": rules,
        "patterns": patterns,
        "rows": {
            "flagged": len(flagged_any),
            "injected": len(injected),
            "correct": len(flagged_any & injected),
            "precision": ratio(len(flagged_any & injected), len(flagged_any)),
            "recall": ratio(len(flagged_any & injected), len(injected)),
        },
        "unit_level": {
            "gamed": len(gamed_units),
            "flagged": len(predicted),
            "correct": len(predicted & gamed_units),
            "precision": ratio(len(predicted & gamed_units), len(predicted)),
            "recall": ratio(len(predicted & gamed_units), len(gamed_units)),
        },
        "honest_units_flagged": sum(1 for s in honest_share.values() if s > 0),
        "max_honest_share": max(honest_share.values(), default=0.0),
        "honest_kinds_worst": sorted(
            ((s, next(u.kind for u in units if u.id == uid)) for uid, s in honest_share.items()), reverse=True
        )[:3],
    }


def _worst(values: list[tuple[float | None, int]]) -> tuple[float | None, int | None]:
    """The lowest figure over the seeds and its seed, the first in run order on a tie (seeds without the figure
    are left out)."""
    known = [(v, seed) for v, seed in values if v is not None]
    return min(known, key=lambda t: t[0]) if known else (None, None)


def _pooled(
    runs: list[tuple[dict[str, Any], int]], counts: tuple[str, ...], ratios: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    """Counts summed over the seeds' runs, each ratio (part, whole) of those sums, and each ratio's worst seed."""
    pooled: dict[str, Any] = {key: sum(d[key] for d, _ in runs) for key in counts}
    for name, (part, whole) in ratios.items():
        pooled[name] = ratio(pooled[part], pooled[whole])
        pooled[f"worst_{name}"] = _worst([(d[name], seed) for d, seed in runs])
    return pooled


def pool(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several seeds' runs as one measurement: counts summed (pooled figures) and each figure's worst seed."""
    seeds = [r["seed"] for r in results]
    rules = {
        rule: _pooled(
            [(r["rules"][rule], r["seed"]) for r in results], ("flagged", "correct", "units", "correct_units"),
            {"precision": ("correct", "flagged"), "unit_precision": ("correct_units", "units")},
        )
        for rule in RULES
    }
    patterns = {}
    for pattern in PATTERNS:
        runs = [(r["patterns"][pattern], r["seed"]) for r in results]
        patterns[pattern] = _pooled(
            runs, ("injected", "caught", "units", "caught_units"),
            {"recall": ("caught", "injected"), "unit_recall": ("caught_units", "units")},
        )
        patterns[pattern]["by_strength_worst"] = {
            k: _worst([(d["by_strength"][k], seed) for d, seed in runs]) for k in STRENGTHS[pattern]
        }
    overall = {
        level: _pooled(
            [(r[level], r["seed"]) for r in results], ("flagged", total, "correct"),
            {"precision": ("correct", "flagged"), "recall": ("correct", total)},
        )
        for level, total in (("rows", "injected"), ("unit_level", "gamed"))
    }
    share, share_seed = max((r["max_honest_share"], r["seed"]) for r in results)
    return {
        "seeds": seeds,
        "responses": sum(r["responses"] for r in results),
        "seconds": round(sum(r["build_seconds"] + r["scan_seconds"] for r in results), 1),
        "rules": rules,
        "patterns": patterns,
        **overall,
        "honest_units_flagged": sum(r["honest_units_flagged"] for r in results),
        "max_honest_share": share,
        "max_honest_share_seed": share_seed,
        "deadline_surge_bound": ratio(
            sum(r["deadline_surge_injected_late"] for r in results),
            sum(r["deadline_surge_injected_late"] + r["deadline_surge_alike"] for r in results),
        ),
        "deadline_surge_hours_bound": ratio(
            sum(r["deadline_surge_injected_late"] for r in results),
            sum(r["deadline_surge_injected_late"] + r["deadline_surge_alike_hours"] for r in results),
        ),
    }


def _pct(value: float | None) -> str:
    return "   –  " if value is None else f"{100 * value:5.1f}%"


def _print_one(result: dict[str, Any]) -> None:
    print(f"Synthetic city: {result['units']} units ({result['honest_units']} honest), "
          f"{result['responses']} responses, seed {result['seed']}; scan {result['scan_seconds']} s")
    print()
    print(f"{'rule':<18} {'rows':>8} {'precision':>10} {'units':>6} {'precision':>10}")
    for rule, data in result["rules"].items():
        print(f"{rule:<18} {data['flagged']:>8} {_pct(data['precision']):>10} {data['units']:>6} "
              f"{_pct(data['unit_precision']):>10}")
    print()
    print(f"{'pattern':<18} {'injected':>8} {'recall':>8} {'units':>6} {'recall':>8}   "
          "by strength (rows injected: recall)")
    for pattern, data in result["patterns"].items():
        strengths = ", ".join(f"{k}: {_pct(v).strip()}" for k, v in data["by_strength"].items())
        print(f"{pattern:<18} {data['injected']:>8} {_pct(data['recall']):>8} {data['units']:>6} "
              f"{_pct(data['unit_recall']):>8}   {strengths}")
    rows, units = result["rows"], result["unit_level"]
    print()
    print(f"overall, rows:  precision {_pct(rows['precision'])}  recall {_pct(rows['recall'])}  "
          f"({rows['flagged']} flagged, {rows['injected']} injected)")
    print(f"overall, units: precision {_pct(units['precision'])}  recall {_pct(units['recall'])}  "
          f"({units['flagged']} units flagged, {units['gamed']} gamed)")
    print(f"honest units with any flag: {result['honest_units_flagged']}; largest share flagged in an honest unit: "
          f"{_pct(result['max_honest_share'])} (worst: {result['honest_kinds_worst']})")
    print(f"deadline_surge: {result['deadline_surge_alike']} honest answers of the surge days look exactly like "
          f"the injected ones (as high, online, a new device): row precision of a rule catching every injected one "
          f"{_pct(result['deadline_surge_bound']).strip()}; {result['deadline_surge_alike_hours']} of them in the "
          f"clock hours of the surge's answers: flagging exactly those hours, "
          f"{_pct(result['deadline_surge_hours_bound']).strip()}")


def _at(worst: tuple[float | None, int | None]) -> str:
    value, seed = worst
    return f"{_pct(value)} ({seed})" if seed is not None else _pct(value)


def _print_pooled(results: list[dict[str, Any]], pooled: dict[str, Any]) -> None:
    print(f"{'seed':>6} {'responses':>9} {'row prec':>9} {'row rec':>8} {'unit prec':>9} {'unit rec':>8} "
          f"{'honest max':>10}  {'lowest rule precision':<30} lowest pattern recall")
    for r in results:
        rule = min((d["precision"], name) for name, d in r["rules"].items() if d["precision"] is not None)
        recall = min((d["recall"], name) for name, d in r["patterns"].items() if d["recall"] is not None)
        print(f"{r['seed']:>6} {r['responses']:>9} {_pct(r['rows']['precision']):>9} {_pct(r['rows']['recall']):>8} "
              f"{_pct(r['unit_level']['precision']):>9} {_pct(r['unit_level']['recall']):>8} "
              f"{_pct(r['max_honest_share']):>10}  {rule[1] + ' ' + _pct(rule[0]).strip():<30} "
              f"{recall[1]} {_pct(recall[0]).strip()}")
    print()
    seeds = ",".join(str(s) for s in pooled["seeds"])
    print(f"Pooled over seeds {seeds} (counts summed), and the worst seed's figure (its seed); "
          f"{pooled['responses']} responses, {pooled['seconds']} s")
    print()
    print(f"{'rule':<18} {'rows':>6} {'precision':>9} {'worst seed':>14} {'units':>6} {'precision':>9} "
          f"{'worst seed':>14}")
    for rule, d in pooled["rules"].items():
        print(f"{rule:<18} {d['flagged']:>6} {_pct(d['precision']):>9} {_at(d['worst_precision']):>14} "
              f"{d['units']:>6} {_pct(d['unit_precision']):>9} {_at(d['worst_unit_precision']):>14}")
    print()
    print(f"{'pattern':<18} {'rows':>6} {'recall':>9} {'worst seed':>14} {'units':>6} {'recall':>9} "
          f"{'worst seed':>14}   worst seed by strength")
    for pattern, d in pooled["patterns"].items():
        strengths = ", ".join(f"{k}: {_at(v).strip()}" for k, v in d["by_strength_worst"].items())
        print(f"{pattern:<18} {d['injected']:>6} {_pct(d['recall']):>9} {_at(d['worst_recall']):>14} "
              f"{d['units']:>6} {_pct(d['unit_recall']):>9} {_at(d['worst_unit_recall']):>14}   {strengths}")
    print()
    for label, level in (("rows", "rows"), ("units", "unit_level")):
        d = pooled[level]
        print(f"overall, {label + ':':<6} precision {_pct(d['precision'])} (worst {_at(d['worst_precision']).strip()})"
              f"  recall {_pct(d['recall'])} (worst {_at(d['worst_recall']).strip()})")
    print(f"honest units with any flag: {pooled['honest_units_flagged']} over {len(pooled['seeds'])} cities; "
          f"largest share flagged in an honest unit: {_pct(pooled['max_honest_share']).strip()} "
          f"(seed {pooled['max_honest_share_seed']})")
    print(f"deadline_surge: best row precision at full recall {_pct(pooled['deadline_surge_bound']).strip()}, "
          f"flagging exactly the surge's clock hours {_pct(pooled['deadline_surge_hours_bound']).strip()} (pooled)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default=",".join(str(s) for s in SEEDS),
                        help="comma-separated seeds, run one after another and pooled (default: %(default)s)")
    parser.add_argument("--seed", type=int, help="one seed only, with its full detail")
    parser.add_argument("--honest", type=int, default=36, help="honest units (besides the 21 gamed ones)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.seed is not None:
        result = run(args.seed, args.honest)
        if args.json:
            print(json.dumps(result, default=str))
        else:
            _print_one(result)
            print(TARGETS)
        return
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    results = [run(seed, args.honest) for seed in seeds]  # one after another: one process, one core
    pooled = pool(results)
    if args.json:
        print(json.dumps({"pooled": pooled, "seeds": results}, default=str))
        return
    _print_pooled(results, pooled)
    print(TARGETS + " — on the pooled figures (the worst seed: the spread between cities)")


if __name__ == "__main__":
    main()
