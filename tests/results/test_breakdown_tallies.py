"""Kept breakdown tallies equal the raw GROUP BY per profile dimension, under every change of a response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sumberdaya.results import breakdowns
from sumberdaya.results.breakdowns import DIMENSIONS, unit_breakdowns
from sumberdaya.results.tallies import tallies_by, valid_responses
from sumberdaya.surveys.models import Period, Response
from sumberdaya.surveys.profile import with_age_band
from sumberdaya.units.models import Service, Unit

UTC = dt.UTC
PERIODS = [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),  # whole months only
    ("tw2", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    ("odd", dt.date(2024, 3, 17), dt.date(2024, 5, 9)),  # edge days on both sides
]
MOMENT = st.datetimes(dt.datetime(2024, 2, 25), dt.datetime(2024, 7, 5), timezones=st.just(UTC))
ANSWER = st.one_of(st.none(), st.integers(1, 4))


def _same_as_raw(units: list[Unit]) -> None:
    assert breakdowns.differences(connection) == []
    for slug, start, end in PERIODS:
        period = Period(slug=slug, name=slug, start=start, end=end)
        for unit in units:
            kept = unit_breakdowns(unit, period)
            responses = with_age_band(valid_responses(period).filter(unit=unit))
            for dimension in DIMENSIONS:
                raw = tallies_by(responses, dimension)
                got = kept[dimension]
                assert set(got) == set(raw), (slug, dimension)
                for key, tally in raw.items():
                    other = got[key]
                    assert (other.respondents, other.totals, other.counts) == (
                        tally.respondents, tally.totals, tally.counts,
                    ), (slug, dimension, key)


class Responses(RuleBasedStateMachine):
    """Random submissions, bulk imports, exclusions, profile edits, moves and deletes."""

    @initialize()
    def units(self) -> None:
        self.units = list(Unit.objects.order_by("pk")[:2])
        self.services = list(Service.objects.filter(unit=self.units[0]))

    def _response(self, data: st.DataObject) -> Response:
        unit = data.draw(st.sampled_from(self.units))
        return Response(
            unit=unit,
            service=data.draw(st.sampled_from([None, *self.services])) if unit == self.units[0] else None,
            submitted_at=data.draw(MOMENT),
            channel=data.draw(st.sampled_from(Response.Channel.values)),
            sex=data.draw(st.sampled_from(["", *Response.Sex.values])),
            age=data.draw(st.one_of(st.none(), st.integers(15, 80))),
            education=data.draw(st.sampled_from(["", *Response.Education.values])),
            occupation=data.draw(st.sampled_from(["", *Response.Occupation.values])),
            **{f"a{i}": data.draw(ANSWER) for i in range(1, 10)},
        )

    def _pick(self, data: st.DataObject) -> Response | None:
        ids = list(Response.objects.values_list("pk", flat=True))
        return Response.objects.get(pk=data.draw(st.sampled_from(ids))) if ids else None

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
            response.status = (
                Response.Status.EXCLUDED if response.status == Response.Status.VALID else Response.Status.VALID
            )
            response.save()

    @rule(data=st.data())
    def edit_profile(self, data: st.DataObject) -> None:
        response = self._pick(data)
        if response is not None:
            response.sex = data.draw(st.sampled_from(["", *Response.Sex.values]))
            response.age = data.draw(st.one_of(st.none(), st.integers(15, 80)))
            response.channel = data.draw(st.sampled_from(Response.Channel.values))
            response.a5 = data.draw(ANSWER)
            response.save()

    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        response = self._pick(data)
        if response is not None:
            response.submitted_at = data.draw(MOMENT)
            response.unit = data.draw(st.sampled_from(self.units))
            response.service = None
            response.save()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        chosen = [self._pick(data) for _ in range(data.draw(st.integers(0, 3)))]
        Response.objects.filter(pk__in=[r.pk for r in chosen if r is not None]).delete()

    @invariant()
    def breakdowns_equal_the_responses(self) -> None:
        _same_as_raw(self.units)


@pytest.mark.django_db
def test_kept_breakdowns_equal_a_raw_recomputation_after_every_step(unit: Any, other_unit: Any) -> None:
    Responses.TestCase.settings = settings(
        max_examples=10, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
    )
    Responses.TestCase().runTest()


@pytest.mark.django_db
def test_the_command_finds_a_tampered_breakdown_and_repairs_it(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4, 3, 3, 4, 4, 3, 4, 4, 3]] * 5, sex="P")
    assert breakdowns.differences(connection) == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE results_breakdowntally SET n = n + 1 WHERE dimension = 'sex'")
    assert breakdowns.differences(connection) != []
    with pytest.raises(SystemExit):
        call_command("tallies", "--verify")
    call_command("tallies", "--repair")
    assert breakdowns.differences(connection) == []
    assert unit_breakdowns(unit, period)["sex"]["P"].respondents == 5


@pytest.mark.django_db
def test_the_check_wants_the_breakdown_triggers_once_their_table_exists(monkeypatch: Any) -> None:
    from sumberdaya.results import checks

    assert checks.tally_triggers(databases=["default"]) == []
    with connection.cursor() as cursor:
        for statement in ("DROP TRIGGER IF EXISTS results_breakdown_insert",):
            cursor.execute(statement + (" ON surveys_response" if connection.vendor == "postgresql" else ""))
    errors = checks.tally_triggers(databases=["default"])
    assert [e.id for e in errors] == ["sumberdaya.E101"] and "results_breakdown_insert" in errors[0].msg
    # Before the migration that creates the table (an upgrade in progress), `migrate` must not be refused.
    names = connection.introspection.table_names()
    monkeypatch.setattr(
        connection.introspection, "table_names", lambda *a, **k: [n for n in names if n != "results_breakdowntally"]
    )
    assert checks.tally_triggers(databases=["default"]) == []
    breakdowns.install(connection)
