"""The English UI: the language switch, the pages of each role in English, and a complete, compiled catalog.

Indonesian stays the default, for an English browser too: only the person's explicit choice (the footer
switch's cookie, or `?lang=en` on the address) turns English on, never the browser's Accept-Language.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.city.publication import publish
from sumberdaya.followup.models import PlanItem

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture
def data(unit: Any, other_unit: Any, period: Any, make_responses: Any, admin_user: Any) -> Any:
    """Answers for two units, one follow-up plan item and a published period."""
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]] * 4, when=when)
    make_responses(other_unit, [[4, 4, 3, 4, 3, 4, 4, 3, 3]] * 3, when=when)
    PlanItem.objects.create(
        unit=unit, period=period, element="sarana", problem="Panas", action="Pasang kipas", quarter="TW II"
    )
    publish(period, admin_user)
    return unit


def english(client: Client, user: Any = None) -> Client:
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_english(html: str, present: list[str], absent: list[str]) -> None:
    assert '<html lang="en">' in html
    for text in present:
        assert text in html, f"missing English text: {text!r}"
    for text in absent:
        assert text not in html, f"Indonesian text left: {text!r}"


def test_indonesian_stays_the_default(client: Client) -> None:
    html = page(client, "/")
    assert '<html lang="id">' in html and "Masuk sebagai petugas" in html and "Sign in as staff" not in html


def test_a_browser_asking_for_english_still_gets_indonesian(client: Client, unit: Any, period: Any, operator: Any) -> None:
    for url in ("/", "/hasil/", reverse("accounts:login"), f"/s/{unit.code}/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="id">' in html and "Survei Kepuasan Masyarakat" in html, url
        assert "Public Satisfaction Survey" not in html, url
    client.force_login(operator)
    html = client.get(reverse("dashboards:unit", args=[unit.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in html and "Keluar" in html and "Sign out" not in html


def test_the_address_can_ask_for_english_and_the_choice_beats_the_browser(client: Client) -> None:
    html = page(client, "/?lang=en")
    assert_english(html, ["Sign in as staff", "Skip to content"], ["Masuk sebagai petugas", "Langsung ke isi"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Masuk sebagai petugas" in page(client, "/?lang=id")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in html and "Sign in as staff" in html
    assert "Sign in as staff" in page(client, "/?lang=xx")  # an unknown choice falls back to the cookie


def test_the_footer_switch_sets_the_language_and_can_switch_back(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/hasil/"})
    assert response.status_code == 302 and response["Location"] == "/hasil/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in as staff" in page(client, "/")
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Masuk sebagai petugas" in page(client, "/")


def test_the_login_page_is_in_english(client: Client) -> None:
    html = page(english(client), reverse("accounts:login"))
    assert_english(
        html, ["Sign in", "Username", "Password", "Forgot your password?"], ["Kata sandi", "Lupa kata sandi"]
    )


def test_the_unit_dashboard_is_in_english_with_element_names(client: Client, data: Any, operator: Any) -> None:
    html = page(english(client, operator), reverse("dashboards:unit", args=[data.code]))
    assert_english(
        html,
        [
            "Public Satisfaction Index (IKM)",
            "Score per element",
            "Respondents and sample target",
            "Requirements",
            "Sign out",
            "Follow-up plan",
        ],
        ["Indeks Kepuasan Masyarakat", "Nilai per unsur", "Rincian responden", "<td>Persyaratan</td>", "Keluar"],
    )


def test_the_city_dashboard_is_in_english(client: Client, data: Any, admin_user: Any) -> None:
    html = page(english(client, admin_user), reverse("dashboards:city"))
    assert_english(
        html,
        ["City dashboard", "City IKM", "Mean of unit IKMs", "Below target"],
        ["Di bawah target", "Saring", "Jenis unit"],
    )


def test_the_menu_follows_the_language_of_each_request(rf: Any, admin_user: Any) -> None:
    from django.utils import translation

    from sumberdaya.core.navigation import nav_items

    request = rf.get("/")
    request.user = admin_user
    with translation.override("id"):
        indonesian = [str(item["label"]) for item in nav_items(request)]
    with translation.override("en"):
        english_menu = [str(item["label"]) for item in nav_items(request)]
    assert "Rekap kota" in indonesian and "City recap" in english_menu


def test_the_city_recap_is_in_english(client: Client, data: Any, admin_user: Any) -> None:
    html = page(english(client, admin_user), reverse("city:recap"))
    assert_english(
        html,
        ["City SKM recap", "Number of units per category", "Very good", "Withdraw publication", "Mean of unit IKMs"],
        ["Rekap SKM kota", "Jumlah unit per kategori", "Tarik publikasi", "Rata-rata IKM unit"],
    )


def test_the_public_results_are_in_english(client: Client, data: Any, period: Any) -> None:
    html = page(english(client), "/hasil/")
    assert_english(
        html,
        ["Public Satisfaction Survey results", "Results per unit", "Open data"],
        ["Hasil per unit", "Data terbuka"],
    )
    html = page(client, reverse("public:unit", args=[period.slug, data.code]))
    assert_english(
        html,
        ["Public Satisfaction Index", "Score per element", "Handling of complaints, suggestions and feedback"],
        ["Nilai per unsur", "Status rencana tindak lanjut"],
    )


def test_the_follow_up_plan_page_is_in_english(client: Client, data: Any, period: Any, operator: Any) -> None:
    html = page(english(client, operator), f"{reverse('followup:plan', args=[data.code])}?periode={period.slug}")
    assert_english(
        html,
        ["Follow-up plans", "Save priority elements", "Person in charge", "Facilities and infrastructure"],
        ["Rencana tindak lanjut (RTL)", "Penanggung jawab", "Sarana dan prasarana"],
    )


def test_the_unit_report_page_is_in_english(client: Client, data: Any, operator: Any) -> None:
    html = page(english(client, operator), reverse("reports:unit", args=[data.code]))
    assert_english(
        html,
        ["SKM implementation report", "Download report", "Submit report"],
        ["Laporan pelaksanaan SKM", "Ajukan laporan"],
    )


def test_the_zi_indices_page_is_in_english(client: Client, data: Any, operator: Any) -> None:
    html = page(english(client, operator), reverse("perception:unit", args=[data.code]))
    assert_english(
        html,
        [
            "Integrity Zone (ZI) perception survey",
            "Control question",
            "Service Quality Perception Survey",
            "index (0–100) = mean ÷ scale × 100",
        ],
        ["Pertanyaan kontrol", "Survei Persepsi Kualitas Pelayanan", "indeks (0–100)"],
    )


def test_the_citizen_survey_keeps_its_own_wording_next_to_the_project_catalog(client: Client, data: Any) -> None:
    # The project catalog wins over the survey's; a shared msgid must not change the survey's meaning.
    html = page(english(client), reverse("surveys:survey", args=[data.code]))
    assert "<span>Appropriate</span>" in html and "<span>Met</span>" not in html


def _entries(po: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr…) of each live entry of a .po file, with continuation lines joined."""
    entries = []
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        text = "\n".join(line for line in lines if not line.startswith("#"))
        if not text:
            continue
        msgid = "".join(re.findall(r'^(?:msgid|msgctxt) "(.*)"$', text, re.M)) + _following(text, "msgid")
        msgstr = "".join(re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M)) + _following(text, "msgstr")
        entries.append((flags, msgid, msgstr))
    return entries


def _following(text: str, keyword: str) -> str:
    match = re.search(rf'^{keyword}(?:\[\d\])? ".*"\n((?:".*"\n?)+)', text, re.M)
    return "".join(re.findall(r'^"(.*)"$', match.group(1), re.M)) if match else ""


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    entries = _entries((CATALOG / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 600
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == []
    assert [msgid for flags, msgid, msgstr in entries[1:] if not msgstr] == []


def test_the_compiled_catalog_holds_every_string() -> None:
    with (CATALOG / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.gettext("Masuk sebagai petugas") == "Sign in as staff"
    po = (CATALOG / "django.po").read_text(encoding="utf-8")
    msgids = {m.replace('\\"', '"') for m in re.findall(r'^msgid "(.+)"$', po, re.M)}
    assert len(msgids) > 500
    keys = {key[0] if isinstance(key, tuple) else key for key in catalog._catalog}  # type: ignore[attr-defined]
    keys = {key.split("\x04")[-1] for key in keys}
    assert sorted(msgids - keys) == [], "run django-admin compilemessages"


def test_texts_listed_for_translation_still_match_their_sources() -> None:
    from sumberdaya.core import translations
    from sumberdaya.skm.aggregate import Method
    from sumberdaya.skm.instruments import CONVERSION_FORMULA, INSTRUMENTS, SCALE_LABELS
    from sumberdaya.skm.scoring import Weight
    from sumberdaya.units.groups import DEFAULT_GROUPS, OTHER_GROUP

    assert set(translations.AGGREGATION_METHODS) == {m.label for m in Method}
    assert set(translations.WEIGHT_LABELS) == {w.label for w in Weight} - {"0,111"}
    indonesian_names = {"Bagian Setda", "Perumda", "Kelurahan", "Puskesmas", "UPTD"}  # kept as they are
    assert set(translations.UNIT_GROUPS) == {name for name, _ in DEFAULT_GROUPS} - indonesian_names | {OTHER_GROUP}
    perception = {CONVERSION_FORMULA} | {label for labels in SCALE_LABELS.values() for label in labels}
    for instrument in INSTRUMENTS.values():
        perception |= {instrument.title, *(item.statement for item in instrument.items)}
        perception |= {instrument.control_question} if instrument.control_question else set()
    assert set(translations.PERCEPTION) == perception
