from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sumberdaya.core.navigation import nav_items


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "city_name": settings.SKM_CITY_NAME,
        "nav_items": SimpleLazyObject(lambda: nav_items(request)),
    }
