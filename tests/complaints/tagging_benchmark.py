"""Precision and recall of the comment tagger (sumberdaya/complaints/tagging.py) on the labelled set.

Run: `.venv/bin/python -m tests.complaints.tagging_benchmark` (prints both parts). Every 4th row of
comments_labelled.tsv (rows 4, 8, 12, …) is held out: the lexicon was tuned on the other rows only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sumberdaya.complaints.tagging import ELEMENT_CODES, KINDS, tag

LABELLED = Path(__file__).with_name("comments_labelled.tsv")


@dataclass(frozen=True)
class Example:
    row: int
    kind: str
    elements: frozenset[str]
    text: str

    @property
    def held_out(self) -> bool:
        return self.row % 4 == 0


def examples() -> list[Example]:
    rows = [line for line in LABELLED.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    found = []
    for number, line in enumerate(rows, start=1):
        kind, elements, text = line.split("\t")
        found.append(Example(number, kind, frozenset(e for e in elements.split(",") if e), text))
    return found


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Report:
    name: str
    count: int = 0
    labels: dict[str, Score] = field(default_factory=dict)
    micro: Score = field(default_factory=Score)
    kind_correct: int = 0
    errors: list[str] = field(default_factory=list)


def evaluate(items: list[Example], name: str) -> Report:
    report = Report(name, len(items), {code: Score() for code in (*ELEMENT_CODES, *KINDS)})
    for item in items:
        tags = tag(item.text)
        got = set(tags.elements)
        for code in ELEMENT_CODES:
            score = report.labels[code]
            if code in got and code in item.elements:
                score.tp += 1
                report.micro.tp += 1
            elif code in got:
                score.fp += 1
                report.micro.fp += 1
            elif code in item.elements:
                score.fn += 1
                report.micro.fn += 1
        for kind in KINDS:
            score = report.labels[kind]
            if tags.kind == kind and item.kind == kind:
                score.tp += 1
            elif tags.kind == kind:
                score.fp += 1
            elif item.kind == kind:
                score.fn += 1
        report.kind_correct += tags.kind == item.kind
        if got != item.elements or tags.kind != item.kind:
            report.errors.append(
                f"{item.row:3d} want {item.kind}/{','.join(sorted(item.elements))} "
                f"got {tags.kind}/{','.join(sorted(got))}: {item.text}"
            )
    return report


def table(report: Report) -> str:
    lines = [f"{report.name}: {report.count} comments", f"{'label':<12} {'precision':>9} {'recall':>7} {'n':>4}"]
    for code, score in report.labels.items():
        lines.append(f"{code:<12} {score.precision:9.2f} {score.recall:7.2f} {score.support:4d}")
    lines.append(f"{'elements':<12} {report.micro.precision:9.2f} {report.micro.recall:7.2f} (micro)")
    lines.append(f"kind accuracy {report.kind_correct / report.count:.2f}")
    return "\n".join(lines)


def main() -> None:
    items = examples()
    for part, chosen in (
        ("tuning", [i for i in items if not i.held_out]),
        ("held-out", [i for i in items if i.held_out]),
    ):
        print(table(evaluate(chosen, part)))
        print()


if __name__ == "__main__":
    main()
