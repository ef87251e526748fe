"""The audit log: call `record()` in the same transaction as every change a signed-in user makes."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from sumberdaya.accounts.models import AuditEvent, User
from sumberdaya.units.models import Unit


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The object's field values as JSON-friendly data, for `before` / `after`."""
    data = model_to_dict(obj, fields=fields)
    return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def record(
    user: User | Any,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Unit | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    """Log `action` (e.g. "response.exclude") by `user` on `obj`."""
    if unit is None and obj is not None:
        unit = obj if isinstance(obj, Unit) else getattr(obj, "unit", None)
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        unit=unit if isinstance(unit, Unit) else None,
        before=before,
        after=after,
    )
