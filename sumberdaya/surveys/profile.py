"""Respondent profile: the bands and categories by which respondents are counted, for dashboards and reports.

One definition of the age bands (and of "not filled in") so a dashboard's breakdown and a report's profile
table always count the same people in the same rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When

from sumberdaya.surveys.models import Response

NOT_FILLED = "Tidak diisi"

# (label, lowest age, highest age); None = open end.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("< 25", None, 24),
    ("25–34", 25, 34),
    ("35–44", 35, 44),
    ("45–54", 45, 54),
    ("≥ 55", 55, None),
)


def age_band_expression() -> Case:
    """SQL CASE giving each response its age band label ("" when the age was not given)."""
    whens = []
    for label, low, high in AGE_BANDS:
        condition = Q(age__isnull=False)
        if low is not None:
            condition &= Q(age__gte=low)
        if high is not None:
            condition &= Q(age__lte=high)
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(""))


def profile_fields() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, Indonesian title, [(value, label)]) of every profile characteristic, in report order."""
    return [
        ("sex", "Jenis kelamin", [(v, str(label)) for v, label in Response.Sex.choices]),
        ("age_band", "Umur", [(label, label) for label, _low, _high in AGE_BANDS]),
        ("education", "Pendidikan", [(v, str(label)) for v, label in Response.Education.choices]),
        ("occupation", "Pekerjaan", [(v, str(label)) for v, label in Response.Occupation.choices]),
        ("channel", "Metode survei", [(v, str(label)) for v, label in Response.Channel.choices]),
    ]


def with_age_band(responses: QuerySet[Response]) -> QuerySet[Response]:
    return responses.annotate(age_band=age_band_expression())


def profile_counts(responses: QuerySet[Response]) -> list[dict[str, Any]]:
    """Respondents per category of each characteristic: [{"name", "rows": [[label, count], ...]}].

    Answers outside the known categories (or left blank) are counted together as "Tidak diisi".
    """
    annotated = with_age_band(responses)
    groups = []
    for key, title, choices in profile_fields():
        counts = dict(annotated.order_by().values_list(key).annotate(n=Count("id")))
        rows: list[list[Any]] = [[label, counts.get(value, 0)] for value, label in choices]
        known = {value for value, _label in choices}
        missing = sum(n for value, n in counts.items() if value not in known)
        if missing:
            rows.append([NOT_FILLED, missing])
        groups.append({"name": title, "rows": rows})
    return groups
