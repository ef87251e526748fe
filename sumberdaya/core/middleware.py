"""Requests no page can answer sensibly, refused before any view or query sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
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
