"""Several app servers: what the survey keeps between requests lives in the shared cache, so a change made on
one server is seen by the next request on another, and one server's rendered page serves the others
(issue 13, item 2). "Another server" is a forked process on the same Redis."""

from __future__ import annotations

import ast
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sumberdaya.citizen import views
from sumberdaya.surveys import lookups
from sumberdaya.units.models import Service, Unit

pytestmark = pytest.mark.django_db
PACKAGE = Path(__file__).resolve().parents[2] / "sumberdaya"


def _in_other_process(target: Any, *args: Any) -> Any:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=lambda: queue.put(target(*args)))
    child.start()
    result = queue.get(timeout=20)
    child.join(timeout=20)
    assert child.exitcode == 0
    return result


def _forget_like_a_save_on_another_server() -> bool:
    lookups.forget()
    return True


def test_a_unit_renamed_on_another_server_is_seen_at_the_next_request_here(redis_cache, unit, period):
    assert lookups.unit_and_services(unit.code)[0].name == "Kelurahan Mawar"
    # queryset.update() sends no signal here: only the other server's forget() can make this one see it.
    Unit.objects.filter(pk=unit.pk).update(name="Kelurahan Mawar Baru")
    assert lookups.unit_and_services(unit.code)[0].name == "Kelurahan Mawar"  # still cached, as designed
    assert _in_other_process(_forget_like_a_save_on_another_server)
    assert lookups.unit_and_services(unit.code)[0].name == "Kelurahan Mawar Baru"


def _services_seen(code: str) -> list[str]:
    return [s.name for s in lookups.unit_and_services(code)[1]]


def _entry_is_current(code: str) -> bool:
    key = f"skm:survey:unit:{code}"
    found = cache.get_many([lookups.GENERATION_KEY, key])
    return key in found and found[key][0] == found.get(lookups.GENERATION_KEY, 0)


def test_a_service_added_on_one_server_voids_the_cached_list_for_every_server(redis_cache, unit, period):
    assert _services_seen(unit.code) == ["Surat keterangan domisili", "Surat pengantar nikah"]
    # (The other server cannot read this test's transaction, so it asks only whether the entry still counts.)
    assert _in_other_process(_entry_is_current, unit.code) is True
    Service.objects.create(unit=unit, name="Legalisir", order=3)  # the signal bumps the shared generation
    assert _in_other_process(_entry_is_current, unit.code) is False
    assert _services_seen(unit.code)[-1] == "Legalisir"


def _blank_page_without_rendering(unit_key: Any, service_key: Any) -> str:
    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("rendered again in the other process")

    views.render_to_string = refuse  # only in the child
    page = views._blank_page(unit_key, service_key, "id", False)
    return page.text({views.TOKEN_SLOT: views.TOKEN_SLOT, views.CSRF_SLOT: views.CSRF_SLOT})


def test_the_blank_survey_page_rendered_on_one_server_is_served_by_another(redis_cache, unit, period):
    page = Client().get(f"/s/{unit.code}/")
    assert page.status_code == 200 and "Kelurahan Mawar" in page.content.decode()
    services = tuple((s.pk, s.name) for s in unit.services.filter(active=True).order_by("order", "name"))
    other = _in_other_process(_blank_page_without_rendering, (unit.pk, unit.code, unit.name), services)
    assert views.TOKEN_SLOT in other and "Surat keterangan domisili" in other


def test_no_request_starts_a_thread_and_nothing_keeps_state_in_an_lru_cache():
    """A thread started by a request dies with its worker and is invisible to other servers; an lru_cache
    is one process's memory. Neither belongs in the app. A memo of a pure function is fine: functools.cache
    of a fingerprint, and lru_cache in the pure core (`skm`), whose results depend on the arguments only."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        pure = path.relative_to(PACKAGE).parts[0] == "skm"
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
            if name == "Thread" or (name == "lru_cache" and not pure):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert found == []
    assert len(list(PACKAGE.rglob("*.py"))) > 50  # the walk saw the package
