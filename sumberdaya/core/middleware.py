"""Requests no page can answer sensibly, refused before any view or query sees them; the CSP header."""

from __future__ import annotations

import functools
from collections.abc import Callable

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template import loader

API_PREFIX = "/api/"


class RefuseNulBytes:
    """A NUL byte in the path or the query string answers 404 / 400.

    PostgreSQL cannot store or compare text containing NUL, so `/api/v1/units/%00/` or `?periode=%00`
    reached the database as an error (500) on a dozen pages. Checked once here, for every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return self._refuse(request, "404.html", 404)
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return self._refuse(request, "400.html", 400)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, template: str, status: int) -> HttpResponse:
        if request.path.startswith(API_PREFIX):  # the API answers in its own JSON error shape
            message = "Data tidak ditemukan." if status == 404 else "Permintaan tidak sah."
            return JsonResponse({"error": {"status": status, "message": message}}, status=status)
        page = loader.get_template(template).render({"request": request} if status == 404 else {}, request)
        return HttpResponse(page, status=status)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware with the site's headers built once per process, not for every response.

    Building the policy from `CONTENT_SECURITY_POLICY` (twice: enforced and report-only) was the most
    expensive middleware of a request, a sixth of a trivial page's CPU. A response that adjusts nothing
    (no `csp_update`/`csp_replace`/`csp` decorator, no nonce asked for) gets the same headers, so those are
    kept; any other response, and every response with DEBUG on, goes through django-csp unchanged.
    """

    ADJUSTED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in self.ADJUSTED)
        ):
            return super().process_response(request, response)
        for header, (policy, prefixes), exempt in zip(
            (csp.constants.HEADER, csp.constants.HEADER_REPORT_ONLY),
            _site_policies(*(id(getattr(settings, name, None)) for name in POLICY_SETTINGS)),
            ("_csp_exempt", "_csp_exempt_ro"),
            strict=True,
        ):
            excluded = getattr(response, exempt, False) or request.path_info.startswith(prefixes)
            if policy and header not in response and not excluded:
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:  # as django-csp: a nonce asked for later is an error
            request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@functools.cache  # a pure function of the settings objects (their ids): the same on every server
def _site_policies(*settings_ids: int) -> tuple[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]:
    """(header, excluded path prefixes) for the enforced and the report-only policy, per settings objects."""

    def prefixes(name: str) -> tuple[str, ...]:
        return tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())

    enforced, report_only = POLICY_SETTINGS
    return (
        (csp.utils.build_policy(), prefixes(enforced)),
        (csp.utils.build_policy(report_only=True), prefixes(report_only)),
    )
