"""The tallies kept by database triggers equal a raw recomputation after every change a response can undergo."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sumberdaya.results.aggregates import MONTHS, YEARS, differences, schema_complete
from sumberdaya.results.checks import installed_triggers
from sumberdaya.results.models import ResponseTally, YearTally
from sumberdaya.results.tallies import _buckets, kept_tallies, tallies_by, valid_responses
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.models import Unit

LOCAL = timezone.get_fixed_timezone(8 * 60)  # Asia/Makassar
ANSWER = st.one_of(st.none(), st.integers(1, 4))
# Moments around month edges (local midnight) and inside months, in 2024 and early 2025.
MOMENT = st.builds(
    lambda month, day, minute: dt.datetime(2024 + (month > 12), (month - 1) % 12 + 1, day, tzinfo=LOCAL)
    + dt.timedelta(minutes=minute),
    st.integers(1, 14),
    st.sampled_from([1, 2, 15, 28]),
    st.sampled_from([0, 1, 60 * 12, 60 * 24 - 1, -1]),
)
PERIODS = [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-TW2", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    ("custom", dt.date(2024, 3, 15), dt.date(2024, 8, 10)),  # partial months at both ends
    ("short", dt.date(2024, 5, 2), dt.date(2024, 5, 20)),  # no whole month at all
    ("two-years", dt.date(2024, 1, 1), dt.date(2025, 12, 31)),  # year buckets only
    ("wide", dt.date(2023, 12, 1), dt.date(2025, 2, 10)),  # a month, a whole year, a month, then days
]


def _same_as_raw() -> None:
    assert differences(connection) == []
    for slug, start, end in PERIODS:
        period = Period(slug=slug, name=slug, start=start, end=end)
        kept, _channels = kept_tallies(period)
        raw = tallies_by(valid_responses(period), "unit_id")
        assert set(kept) == set(raw), slug
        for unit_id, tally in raw.items():
            other = kept[unit_id]
            assert (other.respondents, other.totals, other.counts) == (tally.respondents, tally.totals, tally.counts)
            assert (other.complete, other.answer_sum, other.answer_squares) == (
                tally.complete, tally.answer_sum, tally.answer_squares,
            )
            assert (other.first, other.last) == (tally.first, tally.last), slug
            assert (other.answered, other.mean_sum, other.mean_squares) == (
                tally.answered, tally.mean_sum, tally.mean_squares,
            )
            assert (other.flagged, other.flagged_totals, other.flagged_counts) == (
                tally.flagged, tally.flagged_totals, tally.flagged_counts,
            )


class Responses(RuleBasedStateMachine):
    """Random submissions, imports, exclusions, re-inclusions, moves and deletes."""

    @initialize()
    def units(self) -> None:
        Response.objects.all().delete()  # the triggers take them out of the tallies
        ResponseTally.objects.all().delete()
        YearTally.objects.all().delete()
        self.units = list(Unit.objects.order_by("pk")[:2])

    def _pick(self, data: st.DataObject) -> Response | None:
        """One stored response, chosen by position (ids differ between runs; positions do not)."""
        ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return None
        return Response.objects.get(pk=ids[data.draw(st.integers(0, len(ids) - 1))])

    def _response(self, data: st.DataObject) -> Response:
        return Response(
            unit=data.draw(st.sampled_from(self.units)),
            submitted_at=data.draw(MOMENT),
            channel=data.draw(st.sampled_from(Response.Channel.values)),
            instrument=data.draw(st.sampled_from(["skm", "skm", "spkp"])),
            status=data.draw(st.sampled_from(["valid", "valid", "excluded"])),
            flagged=data.draw(st.booleans()),
            **{f"a{i}": data.draw(ANSWER) for i in range(1, 10)},
        )

    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        self._response(data).save()

    @rule(data=st.data(), count=st.integers(1, 6))
    def import_file(self, data: st.DataObject, count: int) -> None:
        Response.objects.bulk_create([self._response(data) for _ in range(count)])

    @rule(data=st.data())
    def exclude_or_include(self, data: st.DataObject) -> None:
        response = self._pick(data)
        if response is not None:
            status = data.draw(st.sampled_from(["valid", "excluded"]))
            Response.objects.filter(pk=response.pk).update(status=status)

    @rule(data=st.data())
    def save_everything_again(self, data: st.DataObject) -> None:
        response = self._pick(data)
        if response is not None:
            response.comment = "lagi"
            response.save()  # writes every column, changes none that counts

    @rule(data=st.data())
    def flag_or_decide(self, data: st.DataObject) -> None:
        """The integrity rules flag a response, or a person keeps it (unflagged) or excludes it."""
        chosen = [self._pick(data) for _ in range(data.draw(st.integers(1, 3)))]
        ids = [r.pk for r in chosen if r is not None]
        change = data.draw(st.sampled_from(["flag", "keep", "exclude"]))
        if change == "exclude":
            Response.objects.filter(pk__in=ids).update(status="excluded")
        else:
            Response.objects.filter(pk__in=ids).update(flagged=change == "flag", flag_reason=change)

    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        response = self._pick(data)
        if response is not None:
            response.submitted_at = data.draw(MOMENT)
            response.unit = data.draw(st.sampled_from(self.units))
            response.a1 = data.draw(ANSWER)
            response.save()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        chosen = [self._pick(data) for _ in range(data.draw(st.integers(0, 3)))]
        Response.objects.filter(pk__in=[r.pk for r in chosen if r is not None]).delete()

    @invariant()
    def tallies_equal_the_responses(self) -> None:
        _same_as_raw()


@pytest.mark.django_db
def test_whole_years_are_read_from_year_buckets_and_the_months_around_them_from_month_buckets() -> None:
    d = dt.date
    assert _buckets(d(2024, 1, 1), d(2024, 12, 1)) == [(YEARS, d(2024, 1, 1), d(2024, 1, 1))]
    assert _buckets(d(2024, 4, 1), d(2024, 6, 1)) == [(MONTHS, d(2024, 4, 1), d(2024, 6, 1))]
    assert _buckets(d(2023, 12, 1), d(2025, 1, 1)) == [
        (YEARS, d(2024, 1, 1), d(2024, 1, 1)), (MONTHS, d(2023, 12, 1), d(2023, 12, 1)),
        (MONTHS, d(2025, 1, 1), d(2025, 1, 1)),
    ]
    assert _buckets(d(2023, 2, 1), d(2024, 11, 1)) == [(MONTHS, d(2023, 2, 1), d(2024, 11, 1))]
    assert _buckets(d(2022, 1, 1), d(2024, 12, 1)) == [(YEARS, d(2022, 1, 1), d(2024, 1, 1))]


def test_kept_tallies_equal_a_raw_recomputation_after_every_step(unit: Any, other_unit: Any) -> None:
    Responses.TestCase.settings = settings(
        max_examples=12, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
    )
    Responses.TestCase().runTest()


@pytest.mark.django_db
def test_the_command_finds_a_tampered_tally_and_repairs_it(unit: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9, [3] * 9])
    out = io.StringIO()
    call_command("tallies", stdout=out)
    assert "Tally sesuai" in out.getvalue()
    ResponseTally.objects.update(n=99)
    with pytest.raises(SystemExit):
        call_command("tallies", "--verify", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("tallies", "--repair", stdout=io.StringIO())
    assert differences(connection) == []
    YearTally.objects.update(s1=1)  # the year buckets are checked and repaired too
    assert {line.split(" ")[0] for line in differences(connection)} == {"year"}
    call_command("tallies", "--repair", stdout=io.StringIO())
    assert differences(connection) == []


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_to_one_unit_are_all_counted(unit: Any, period: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    Response.objects.create(unit=unit, submitted_at=timezone.now(), a1=4, a2=3)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    kept, _channels = kept_tallies(period)
    assert kept[unit.pk].respondents == 80 == Response.objects.count()
    assert differences(connection) == []


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_year_buckets_and_forward_again_keeps_the_tallies_exact(
    unit: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 9, [3] * 9, [2, 3, 4, 1, 2, 3, 4, 1, 2]])
    call_command("migrate", "results", "0005", verbosity=0)
    try:
        assert not schema_complete(connection)
        assert not {t for t in installed_triggers() if t.startswith("results_tally_")}  # none naming a lost table
        make_responses(unit, [[1] * 9])  # a response still goes in (no trigger writes the dropped table)
        with pytest.raises(CommandError, match="belum lengkap"):
            call_command("tallies", stdout=io.StringIO())
    finally:
        call_command("migrate", "results", verbosity=0)
    assert schema_complete(connection)
    assert YearTally.objects.filter(unit=unit).count() > 0
    assert differences(connection) == []  # the migration counted what came in meanwhile
