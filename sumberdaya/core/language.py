"""The page language is the person's explicit choice, never the browser's Accept-Language.

Banjarmasin's officers and citizens often run phones and PCs set to English; "Indonesian by default" must
hold for them too (issue 12). Order: `?lang=` on the address (that page, and the links that carry it), then
the language cookie set by the footer switch (Django's set_language view), then LANGUAGE_CODE (Indonesian).
Used in place of Django's LocaleMiddleware, which would fall back to Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    for choice in (request.GET.get("lang"), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        if choice in available:
            return str(choice)
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # A view may have switched (the survey's own lang field); report what the page is in.
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        patch_vary_headers(response, ("Cookie",))
        return response
