"""The project's URLs plus three that fail on purpose, for the error-page tests."""

from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sumberdaya.urls import handler400, handler500
from sumberdaya.urls import urlpatterns as project_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [path("uji/rusak/", boom), path("uji/basis-data-mati/", database_down), *project_urls]
__all__ = ["handler400", "handler500", "urlpatterns"]
