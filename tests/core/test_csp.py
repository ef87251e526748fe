"""A Content-Security-Policy (django-csp) on every HTML page, strict for scripts and styles, and the pages still
work under it in Chromium: the survey's script runs, charts and styles render, nothing is reported blocked.
tests/test_every_page_browser.py checks every page of every role for refusals too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def policy(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def answered(unit: Any, period: Any, make_responses: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6, when=when)
    return unit


def test_every_kind_of_html_page_carries_the_policy(client: Client, answered: Any, operator: Any, admin_user: Any) -> None:
    pages = {
        "/": "Sumber Daya",
        "/hasil/": "Hasil",
        reverse("accounts:login"): "Masuk",
        f"/s/{answered.code}/": "Survei Kepuasan Masyarakat",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode(), url
        rules = policy(response)
        assert rules["script-src"] == ["'self'"], url
        assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'none'"], url
        assert rules["base-uri"] == ["'none'"] and rules["form-action"] == ["'self'"], url
    client.force_login(operator)
    dashboard = client.get(reverse("dashboards:unit", args=[answered.code]))
    assert dashboard.status_code == 200 and "<svg" in dashboard.content.decode()
    assert " style=" not in dashboard.content.decode() and "<style" not in dashboard.content.decode()  # charts too
    assert policy(dashboard)["default-src"] == ["'self'"]
    admin_user.is_staff = admin_user.is_superuser = True  # as the account form sets for a city admin
    admin_user.save()
    client.force_login(admin_user)
    admin = client.get("/admin/")
    assert admin.status_code == 200 and policy(admin)["script-src"] == ["'self'"]


def test_no_script_may_be_inline_anywhere(client: Client) -> None:
    rules = policy(client.get("/"))
    for directive in ("script-src", "default-src"):
        assert "'unsafe-inline'" not in rules[directive] and "'unsafe-eval'" not in rules[directive]


def test_no_style_may_be_inline_either(client: Client, answered: Any, operator: Any) -> None:
    pages = [client.get("/"), client.get(f"/s/{answered.code}/")]
    client.force_login(operator)
    pages.append(client.get(reverse("dashboards:unit", args=[answered.code])))
    for response in pages:
        assert response.status_code == 200
        rules = policy(response)
        assert rules["style-src"] == ["'self'"], rules["style-src"]
        assert not {"style-src-attr", "style-src-elem"} & set(rules)  # nothing loosens it per kind of style


# Rendered only to PDF by WeasyPrint (never served as a page), so they keep their <style> and style attributes.
PDF_ONLY = {"surveys/poster.html", "surveys/invitations.html", "reports/document_base.html"}


def test_no_served_template_has_a_style_attribute_or_a_style_block() -> None:
    import sumberdaya

    root = Path(sumberdaya.__file__).parent
    templates = {
        path.relative_to(next(p for p in path.parents if p.name == "templates")).as_posix(): path
        for path in root.glob("**/templates/**/*.html")
    }
    assert "core/base.html" in templates and set(templates) >= PDF_ONLY
    offending = {
        name
        for name, path in templates.items()
        if name not in PDF_ONLY and any(needle in path.read_text(encoding="utf-8") for needle in ("style=", "<style"))
    }
    assert offending == set(), sorted(offending)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy_in_a_browser(
    live_server: Any, browser: Any, unit: Any, period: Any, make_responses: Any, operator: Any, login: Any,
    screenshot: Any,
) -> None:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6, when=when)
    for width in (360, 1366):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US")
        page = context.new_page()
        page.add_init_script(COLLECT_VIOLATIONS)
        page.goto(f"{live_server.url}/s/{unit.code}/")
        assert page.locator("#progress").is_visible()  # survey.js ran: it unhides the progress bar
        assert page.locator("html").get_attribute("lang") == "id"  # an English browser still gets Indonesian
        assert page.evaluate("window.__csp") == []
        screenshot(page, f"csp/survey-{width}")
        login(page, "operator-mawar")
        page.goto(f"{live_server.url}{reverse('dashboards:unit', args=[unit.code])}")
        screenshot(page, f"csp/dashboard-{width}")
        assert page.locator("svg[role=img]:visible").count() >= 1
        assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") != "inline"  # app.css
        assert page.evaluate("window.__csp") == []
        screenshot(page, f"csp/dashboard-{width}")
        page.goto(f"{live_server.url}{reverse('workspace:entry', args=[unit.code])}")
        assert page.evaluate("window.__csp") == []
        # The policy is enforced: a script added inline is refused and reported.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.appendChild(s); }")
        page.wait_for_function("window.__csp.length > 0")
        assert page.evaluate("window.__ran") is None
        assert page.evaluate("window.__csp")[0].startswith("script-src")
        # So are an inline style attribute and a <style> block: the paragraph keeps the stylesheet's colour.
        page.evaluate("() => document.body.insertAdjacentHTML('beforeend',"
                      " '<p id=\"red\" style=\"color:rgb(255, 0, 0)\">x</p><style>#red{background:red}</style>')")
        page.wait_for_function("window.__csp.length >= 3")
        assert {v.split()[0] for v in page.evaluate("window.__csp")[1:]} == {"style-src-attr", "style-src-elem"}
        assert page.evaluate("getComputedStyle(document.getElementById('red')).color") != "rgb(255, 0, 0)"
        assert page.evaluate("getComputedStyle(document.getElementById('red')).backgroundColor") == "rgba(0, 0, 0, 0)"
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_settings_pages_work_under_the_policy(live_server: Any, page: Any, unit: Any, admin_user: Any, login: Any) -> None:
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    page.add_init_script(COLLECT_VIOLATIONS)
    login(page, "admin-kota")
    for path in ("/admin/", "/admin/units/unit/", f"/admin/units/unit/{unit.pk}/change/"):
        reply = page.goto(f"{live_server.url}{path}")
        assert reply is not None and reply.status == 200, path
        assert page.locator("#content").is_visible(), path
        assert page.evaluate("window.__csp") == [], path


def test_the_kept_header_is_django_csps_own_and_an_adjusted_response_still_gets_its_own(rf: Any, settings: Any) -> None:
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from sumberdaya.core.middleware import CSPMiddleware

    middleware = CSPMiddleware(lambda request: HttpResponse("ok"))
    plain = middleware(rf.get("/"))
    assert plain["Content-Security-Policy"] == build_policy()

    @csp_update({"img-src": ["https://peta.example"]})
    def adjusted(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    changed = CSPMiddleware(adjusted)(rf.get("/"))
    assert "https://peta.example" in changed["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}  # new settings: built anew
    assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
