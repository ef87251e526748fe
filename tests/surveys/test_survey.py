"""The citizen's survey: form, validation, one-time tokens, periods, abuse rules, kiosk, thank-you page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sumberdaya.accounts.client import client_ip
from sumberdaya.citizen.views import kiosk_url
from sumberdaya.city.publication import publish
from sumberdaya.perception.models import PerceptionSetting
from sumberdaya.results.service import unit_result
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys import abuse, kiosks, lookups, tokens
from sumberdaya.surveys.models import Period, Response

pytestmark = pytest.mark.django_db

ANSWERS = [4, 3, 3, 4, 3, 4, 4, 3, 2]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()
    lookups.forget()


def survey_url(unit: Any) -> str:
    return f"/s/{unit.code}/"


def form_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


def answers_data(token: str, answers: list[int] = ANSWERS, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"token": token, "service": "", **{f"a{i}": str(v) for i, v in enumerate(answers, 1)}}
    data.update(extra)
    return data


def submit(client: Client, unit: Any, answers: list[int] = ANSWERS, **extra: Any) -> Any:
    url = survey_url(unit)
    token = form_token(client, url + ("?kiosk=1" if extra.pop("kiosk", False) else ""))
    service = unit.services.first()
    extra.setdefault("service", str(service.pk) if service else "")
    return client.post(url, answers_data(token, answers, **extra))


def test_the_form_shows_the_nine_questions_with_four_labelled_answers(client: Client, unit: Any, period: Any) -> None:
    page = client.get(survey_url(unit))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kelurahan Mawar" in html
    assert "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?" in html
    assert html.count('type="radio" name="a') == 36
    assert "Dikelola dengan baik" in html and "Gratis" in html
    assert "Surat pengantar nikah" in html  # two services: the person chooses
    assert "no-store" in page["Cache-Control"]  # each visit gets its own one-time token
    assert html.count("<fieldset") >= 12 and html.count("<legend") == html.count("<fieldset")
    for word in ("NIK", "nomor HP"):  # only named to say they are NOT asked
        assert f'name="{word}' not in html


def test_a_complete_survey_is_stored_once_and_counts_in_the_recap(client: Client, unit: Any, period: Any) -> None:
    service = unit.services.last()
    reply = submit(
        client,
        unit,
        service=str(service.pk),
        sex="P",
        age="34",
        education="SMA",
        occupation="Wirausaha",
        comment_kind="pujian",
        comment="Petugas ramah.",
    )
    assert reply.status_code == 302
    response = Response.objects.get()
    assert reply["Location"] == f"/s/{unit.code}/terima-kasih/?kunjungan={response.visit}"
    assert response.answers == ANSWERS
    assert (response.service, response.sex, response.age, response.channel) == (service, "P", 34, "online")
    assert (response.comment_kind, response.comment) == ("pujian", "Petugas ramah.")
    assert response.token and response.visit and len(response.client) == 64
    assert "127.0.0.1" not in response.client
    assert not response.flagged
    assert unit_result(unit, period).respondents == 1


def test_the_service_step_is_skipped_when_the_unit_has_one_service(
    client: Client, other_unit: Any, period: Any
) -> None:
    page = client.get(survey_url(other_unit)).content.decode()
    assert 'name="service"' not in page and "Poli umum" in page
    token = form_token(client, survey_url(other_unit))
    assert client.post(survey_url(other_unit), answers_data(token)).status_code == 302
    assert Response.objects.get().service.name == "Poli umum"


def test_a_missing_answer_is_named_and_the_other_answers_are_kept(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    data = answers_data(token, service=str(unit.services.first().pk), comment="Antre lama")
    del data["a5"]
    page = client.post(survey_url(unit), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Pertanyaan ini belum dijawab" in html
    assert 'href="#f-a5"' in html
    assert html.count(" checked") == 9  # eight answers and the service kept
    assert "Antre lama" in html
    assert token in html  # the same one-time token: nothing stored yet
    assert not Response.objects.exists()


def test_a_missing_service_is_asked_for_when_there_are_several(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    page = client.post(survey_url(unit), answers_data(token))
    assert "Pilih layanan yang Anda terima." in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("value", ["0", "5", "4.0", "x", "-1", "1' OR '1'='1"])
def test_tampered_answer_values_are_refused(client: Client, unit: Any, period: Any, value: str) -> None:
    token = form_token(client, survey_url(unit))
    data = answers_data(token, service=str(unit.services.first().pk))
    data["a3"] = value
    page = client.post(survey_url(unit), data)
    assert "Jawaban tidak dikenal" in page.content.decode()
    assert not Response.objects.exists()


def test_a_service_of_another_unit_is_refused(client: Client, unit: Any, other_unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    page = client.post(survey_url(unit), answers_data(token, service=str(other_unit.services.get().pk)))
    assert "Layanan tidak dikenal" in page.content.decode()
    assert not Response.objects.exists()


def test_an_over_long_comment_is_refused_and_kept(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    comment = "panjang " * 300
    page = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk), comment=comment))
    html = page.content.decode()
    assert "Masukan terlalu panjang: paling banyak 2000 karakter" in html
    assert comment.strip() in html
    assert not Response.objects.exists()


def test_a_double_submit_stores_one_row_and_shows_the_thank_you_again(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    data = answers_data(token, service=str(unit.services.first().pk))
    first = client.post(survey_url(unit), data)
    second = client.post(survey_url(unit), data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Jawaban Anda sudah tersimpan sebelumnya" in second.content.decode()
    assert Response.objects.count() == 1


def test_a_forged_token_is_refused_politely_with_the_answers_kept(client: Client, unit: Any, period: Any) -> None:
    data = answers_data("eyJ1IjoiZm9yZ2VkIn0:forged:signature", service=str(unit.services.first().pk))
    page = client.post(survey_url(unit), data)
    html = page.content.decode()
    assert page.status_code == 400
    assert "Formulir tidak dikenali" in html
    assert html.count(" checked") == 10
    assert not Response.objects.exists()


def test_a_token_of_another_unit_is_refused(client: Client, unit: Any, other_unit: Any, period: Any) -> None:
    token = tokens.issue(other_unit.code)
    page = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk)))
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_an_expired_form_keeps_the_answers_and_issues_a_new_token(
    client: Client, unit: Any, period: Any, settings: Any
) -> None:
    token = form_token(client, survey_url(unit))
    settings.SKM_FORM_MAX_AGE = -1
    page = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk)))
    html = page.content.decode()
    assert "terlalu lama terbuka" in html
    assert html.count(" checked") == 10
    new_token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert new_token != token
    settings.SKM_FORM_MAX_AGE = 3600
    assert (
        client.post(survey_url(unit), answers_data(new_token, service=str(unit.services.first().pk))).status_code == 302
    )
    assert Response.objects.count() == 1


def test_an_unknown_unit_shows_a_page_that_says_so(client: Client, db: Any) -> None:
    page = client.get("/s/tidak-ada/")
    assert page.status_code == 404
    assert "Unit tidak ditemukan" in page.content.decode()


def test_an_inactive_unit_shows_the_not_found_page_and_stores_nothing(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    unit.active = False
    unit.save()
    assert client.get(survey_url(unit)).status_code == 404
    page = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk)))
    assert page.status_code == 404
    assert "tidak aktif" in page.content.decode()
    assert not Response.objects.exists()


def test_a_unit_without_an_open_period_says_the_survey_is_closed(client: Client, unit: Any, period_2024: Any) -> None:
    page = client.get(survey_url(unit))
    assert "Survei belum dibuka / sudah ditutup" in page.content.decode()
    assert 'name="token"' not in page.content.decode()


def test_a_submission_after_the_period_closed_is_not_stored(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    period.end = timezone.localdate() - dt.timedelta(days=1)
    period.start = period.end - dt.timedelta(days=30)
    period.save()
    page = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk)))
    assert "sudah ditutup" in page.content.decode()
    assert not Response.objects.exists()


def test_a_future_period_tells_when_the_survey_opens(client: Client, unit: Any, db: Any) -> None:
    today = timezone.localdate()
    Period.objects.create(
        slug="next", name="Berikut", start=today + dt.timedelta(days=3), end=today + dt.timedelta(days=40)
    )
    html = client.get(survey_url(unit)).content.decode()
    assert "belum dibuka" in html and str((today + dt.timedelta(days=3)).year) in html


def test_the_rate_limit_shows_a_friendly_page_with_the_answers_kept(
    client: Client, unit: Any, period: Any, settings: Any
) -> None:
    settings.SKM_RATE_LIMIT = (2, 600)
    for _ in range(2):
        assert submit(client, unit, answers=[1, 2, 3, 4, 1, 2, 3, 4, 1]).status_code == 302
    page = submit(client, unit)
    html = page.content.decode()
    assert page.status_code == 429
    assert "Terlalu banyak kiriman dari perangkat ini" in html
    assert html.count(" checked") == 10
    assert Response.objects.count() == 2


def test_a_registered_kiosk_has_a_higher_rate_limit(
    client: Client, unit: Any, period: Any, settings: Any, tablet: Any
) -> None:
    client.get(kiosk_url(tablet))
    settings.SKM_RATE_LIMIT = (1, 600)
    settings.SKM_KIOSK_RATE_LIMIT = (3, 600)
    for answers in ([1] * 9, [2] * 9, [3] * 9):
        assert submit(client, unit, answers=answers, kiosk=True).status_code == 302
    assert submit(client, unit, kiosk=True).status_code == 429


def test_the_rate_limit_is_per_client(client: Client, unit: Any, period: Any, settings: Any) -> None:
    settings.SKM_RATE_LIMIT = (1, 600)
    assert submit(client, unit).status_code == 302
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert submit(other, unit, answers=[1] * 9).status_code == 302


def test_forwarded_addresses_are_trusted_only_behind_a_configured_proxy(rf: Any, settings: Any) -> None:
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    settings.SKM_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "2.2.2.2"
    assert abuse.client_id(request) != abuse.client_id(rf.get("/", REMOTE_ADDR="2.2.2.3"))


def test_a_filled_honeypot_is_kept_but_excluded_and_flagged(client: Client, unit: Any, period: Any) -> None:
    reply = submit(client, unit, website="http://spam.example")
    assert reply.status_code == 302  # the bot learns nothing
    response = Response.objects.get()
    assert response.status == Response.Status.EXCLUDED and response.flagged
    assert "tersembunyi" in response.excluded_reason
    assert unit_result(unit, period).respondents == 0
    from sumberdaya.accounts.models import AuditEvent

    assert AuditEvent.objects.get().action == "response.exclude"


def test_the_fifth_submission_from_one_device_within_minutes_is_flagged(client: Client, unit: Any, period: Any) -> None:
    for i in range(6):
        answers = [1 + (i + j) % 4 for j in range(9)]
        assert submit(client, unit, answers=answers).status_code == 302
    flags = list(Response.objects.order_by("submitted_at", "id").values_list("flagged", "flag_reason"))
    assert [f for f, _ in flags] == [False] * 4 + [True] * 2
    assert flags[4][1] == abuse.FLAG_SAME_CLIENT
    assert unit_result(unit, period).respondents == 6  # flagged still count until a reviewer decides


def test_a_run_of_identical_answers_is_flagged_even_from_different_devices(
    client: Client, unit: Any, period: Any
) -> None:
    for i in range(5):
        assert submit(Client(REMOTE_ADDR=f"10.0.0.{i + 1}"), unit, answers=[4] * 9).status_code == 302
    flags = list(Response.objects.order_by("submitted_at", "id").values_list("flag_reason", flat=True))
    assert flags == [""] * 4 + [abuse.FLAG_IDENTICAL]


def test_a_kiosk_is_not_flagged_for_many_submissions_but_is_for_identical_runs(
    client: Client, unit: Any, period: Any, tablet: Any
) -> None:
    client.get(kiosk_url(tablet))
    for i in range(6):
        assert submit(client, unit, answers=[1 + (i + j) % 4 for j in range(9)], kiosk=True).status_code == 302
    assert not Response.objects.filter(flagged=True).exists()
    for _ in range(5):
        submit(client, unit, answers=[3] * 9, kiosk=True)
    assert list(Response.objects.filter(flagged=True).values_list("flag_reason", flat=True)) == [abuse.FLAG_IDENTICAL]


def test_kiosk_mode_records_the_channel_and_returns_to_the_start(
    client: Client, unit: Any, period: Any, tablet: Any
) -> None:
    client.get(kiosk_url(tablet))
    start = client.get(survey_url(unit) + "?kiosk=1").content.decode()
    assert 'data-reset="/s/kelurahan-mawar/?kiosk=1"' in start and 'data-idle="60"' in start
    assert "<footer" not in start and "<nav" not in start
    reply = submit(client, unit, kiosk=True)
    response = Response.objects.get()
    assert response.channel == Response.Channel.KIOSK and response.client == tablet.client_key
    assert reply["Location"] == f"/s/{unit.code}/terima-kasih/?kunjungan={response.visit}&kiosk=1"
    thanks = client.get(reply["Location"]).content.decode()
    # The perception survey is open too: the kiosk waits the idle time before going back to the start.
    assert 'http-equiv="refresh" content="60;url=/s/kelurahan-mawar/?kiosk=1"' in thanks
    assert f"/zi/s/{unit.code}/?kunjungan={response.visit}&amp;kiosk=1" in thanks
    PerceptionSetting.objects.create(period=period, enabled=False)
    thanks = client.get(reply["Location"]).content.decode()
    assert 'http-equiv="refresh" content="10;url=/s/kelurahan-mawar/?kiosk=1"' in thanks
    assert "/zi/s/" not in thanks


def test_the_kiosk_channel_cannot_be_forged_without_the_signed_token(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk), kiosk="1"))
    assert Response.objects.get().channel == Response.Channel.ONLINE


def test_a_phone_claiming_kiosk_mode_gets_the_ordinary_survey_and_the_online_rules(
    client: Client, unit: Any, period: Any, settings: Any, tablet: Any
) -> None:
    page = client.get(survey_url(unit) + "?kiosk=1").content.decode()
    assert "Kirim jawaban" in page and 'name="kiosk"' not in page and "kiosk.js" not in page
    settings.SKM_RATE_LIMIT = (5, 600)
    for i in range(5):
        assert submit(client, unit, answers=[1 + (i + j) % 4 for j in range(9)], kiosk=True).status_code == 302
    assert Response.objects.filter(channel="online").count() == 5
    assert not Response.objects.filter(channel="kiosk").exists()
    assert Response.objects.filter(flag_reason=abuse.FLAG_SAME_CLIENT).count() == 1
    assert submit(client, unit, kiosk=True).status_code == 429


def test_the_kiosk_link_registers_the_tablet_and_the_short_link_leads_to_the_survey(
    client: Client, unit: Any, other_unit: Any, period: Any, tablet: Any
) -> None:
    reply = client.get(kiosk_url(tablet))
    assert reply["Location"] == f"/s/{unit.code}/?kiosk=1"
    assert reply.cookies["skm_kiosk"]["httponly"]
    other = kiosks.register(other_unit, "Loket A")
    assert client.get(f"/kios/{unit.code}/{other.key}/").status_code == 404
    assert client.get(f"/kios/{unit.code}/tebakan/").status_code == 404
    assert client.get(f"/k/{unit.pk}")["Location"] == f"/s/{unit.code}/"
    assert client.get("/k/999999").status_code == 404


def test_the_thank_you_page_shows_the_unit_index_the_city_published(
    client: Client, unit: Any, period: Any, period_2024: Any, make_responses: Any, admin_user: Any
) -> None:
    make_responses(unit, [[4] * 9] * 20 + [[3] * 9] * 10, when=dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC))
    assert "Indeks Kepuasan" not in client.get(f"/s/{unit.code}/terima-kasih/").content.decode()  # not yet
    publish(period_2024, admin_user)
    published = format_number(unit_result(unit, period_2024).ikm)
    make_responses(unit, [[1] * 9] * 30, when=dt.datetime(2024, 6, 2, 10, tzinfo=dt.UTC))  # late data
    html = client.get(f"/s/{unit.code}/terima-kasih/").content.decode()
    assert "Indeks Kepuasan Masyarakat Tahun 2024" in html
    assert published in html and "Sangat Baik" in html  # the published figure, not today's recomputation
    assert format_number(unit_result(unit, period_2024).ikm) not in html
    assert "Very good" in client.get(f"/s/{unit.code}/terima-kasih/?lang=en").content.decode()
    unit.publishes_index = False
    unit.save()
    assert "Tahun 2024" not in client.get(f"/s/{unit.code}/terima-kasih/").content.decode()


def test_the_survey_speaks_english_when_asked(client: Client, unit: Any, period: Any) -> None:
    html = client.get(survey_url(unit) + "?lang=en").content.decode()
    assert 'lang="en"' in html
    assert "How do you rate the ease of the service procedure at this unit?" in html
    assert "Very easy" in html and "Submit" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    reply = client.post(survey_url(unit), answers_data(token, service=str(unit.services.first().pk), lang="en"))
    assert "lang=en" in reply["Location"]
    assert "Thank you" in client.get(reply["Location"]).content.decode()


def test_the_survey_is_indonesian_by_default_even_for_an_english_browser(
    client: Client, unit: Any, period: Any
) -> None:
    html = client.get(survey_url(unit), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kirim jawaban" in html


def test_comments_are_escaped(client: Client, unit: Any, period: Any) -> None:
    token = form_token(client, survey_url(unit))
    data = answers_data(token, comment="<script>alert(1)</script>")
    html = client.post(survey_url(unit), data).content.decode()  # service missing: page shown again
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_two_posts_of_one_form_at_the_same_moment_store_one_row(unit: Any, period: Any) -> None:
    # The second request passed every check before the first one was saved: the unique token decides.
    from sumberdaya.citizen.views import store
    from sumberdaya.surveys.forms import SurveyForm

    services = list(unit.services.all())
    raw = tokens.issue(unit.code)
    token = tokens.read(raw, unit.code)
    data = answers_data(raw, service=str(services[0].pk))
    forms = [SurveyForm(data, services=services) for _ in range(2)]
    assert all(form.is_valid() for form in forms)
    assert store(forms[0], unit, token, "client") is not None
    assert store(forms[1], unit, token, "client") is None
    assert Response.objects.count() == 1


def test_the_same_device_rule_counts_per_unit(client: Client, unit: Any, other_unit: Any, period: Any) -> None:
    for i in range(4):
        assert submit(client, unit, answers=[1 + (i + j) % 4 for j in range(9)]).status_code == 302
    assert submit(client, other_unit, answers=[2] * 9).status_code == 302
    assert not Response.objects.filter(flagged=True).exists()


def test_the_thank_you_page_offers_the_perception_survey_for_the_same_visit(
    client: Client, unit: Any, period: Any
) -> None:
    reply = submit(client, unit)
    visit = Response.objects.get().visit
    html = client.get(reply["Location"]).content.decode()
    assert f'href="/zi/s/{unit.code}/?kunjungan={visit}"' in html
    assert "Lanjut ke survei persepsi" in html
    # Opened directly (no visit just completed) there is nothing to continue.
    assert "/zi/s/" not in client.get(f"/s/{unit.code}/terima-kasih/").content.decode()


def test_a_replayed_token_with_other_answers_is_refused_politely_and_the_first_answers_stay(
    client: Client, unit: Any, period: Any
) -> None:
    token = form_token(client, survey_url(unit))
    service = str(unit.services.first().pk)
    assert client.post(survey_url(unit), answers_data(token, service=service)).status_code == 302
    replay = client.post(survey_url(unit), answers_data(token, [1] * 9, service=service), REMOTE_ADDR="10.9.9.9")
    assert replay.status_code == 200
    assert "sudah tersimpan sebelumnya" in replay.content.decode()
    assert Response.objects.get().answers == ANSWERS


def test_a_repeated_visit_reads_the_unit_and_period_from_memory_until_they_change(
    client: Client, unit: Any, period: Any, django_assert_num_queries: Any
) -> None:
    client.get(survey_url(unit))
    with django_assert_num_queries(0):
        assert client.get(survey_url(unit)).status_code == 200
    service = unit.services.first()
    service.name = "Surat keterangan pindah"
    service.save()
    assert "Surat keterangan pindah" in client.get(survey_url(unit)).content.decode()
    period.end = timezone.localdate() - dt.timedelta(days=1)
    period.start = period.end - dt.timedelta(days=10)
    period.save()
    assert "sudah ditutup" in client.get(survey_url(unit)).content.decode()
