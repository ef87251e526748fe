"""The home page: a citizen finds a unit's survey by name, with a plain form (no JavaScript)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_citizen_finds_the_survey_of_a_unit_by_part_of_its_name(unit: Any, other_unit: Any) -> None:
    page = Client().get("/", {"q": "  mawar "})
    html = page.content.decode()
    assert page.status_code == 200 and 'href="/s/kelurahan-mawar/"' in html
    assert other_unit.name not in html
    both = Client().get("/", {"q": "kelurahan MAWAR"}).content.decode()
    assert 'href="/s/kelurahan-mawar/"' in both


def test_a_search_without_a_match_says_so_and_inactive_units_are_not_offered(unit: Any) -> None:
    Unit.objects.create(code="kelurahan-lama", name="Kelurahan Lama", kind="kelurahan", active=False)
    page = Client().get("/", {"q": "lama"})
    assert page.status_code == 200 and "Tidak ada unit yang cocok" in page.content.decode()
    assert "/s/kelurahan-lama/" not in page.content.decode()


def test_the_search_form_works_without_javascript_and_bounds_the_query(unit: Any) -> None:
    page = Client().get("/", {"q": "x" * 500})
    html = page.content.decode()
    assert page.status_code == 200 and '<form method="get"' in html and 'name="q"' in html
    assert page.context["query"] == "x" * 80
