from typing import Any

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.models import AuditEvent


def test_it_records_who_did_what_to_which_unit_with_before_and_after(operator: Any, unit: Any) -> None:
    before = snapshot(unit)
    unit.publishes_index = False
    unit.save()
    event = record(operator, "unit.update", unit, before=before, after=snapshot(unit))
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.username == "operator-mawar"
    assert stored.unit == unit
    assert stored.object_type == "units.Unit"
    assert stored.before["publishes_index"] is True
    assert stored.after["publishes_index"] is False
