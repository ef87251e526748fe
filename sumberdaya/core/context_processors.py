from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sumberdaya.core.navigation import nav_items

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (a name to warn about, not to bind)


def public_address_is_local(url: str | None = None) -> bool:
    """True when the address printed on QR posters and slips (`SKM_PUBLIC_BASE_URL`) only works on this
    machine: citizens' phones could not open it."""
    host = (urlsplit(url if url is not None else settings.SKM_PUBLIC_BASE_URL).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "city_name": settings.SKM_CITY_NAME,
        "nav_items": SimpleLazyObject(lambda: nav_items(request)),
        "public_address_local": public_address_is_local(),
        "public_address": settings.SKM_PUBLIC_BASE_URL,
    }
