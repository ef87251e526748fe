import sys

from django.db.models import Q
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader

from sumberdaya.accounts.models import User
from sumberdaya.units.models import Unit

SEARCH_MAX_CHARS = 80
SEARCH_RESULTS = 20


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in staff go straight to their dashboard; everyone else sees the welcome page, where a citizen
    finds a unit's survey by name (`?q=`, a plain GET form: no JavaScript needed)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return redirect("city_brief" if user.sees_all_units else "dashboards:my_units")
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_CHARS]
    found: list[Unit] = []
    if query:
        units = Unit.objects.filter(active=True)
        for word in query.split()[:6]:
            units = units.filter(Q(name__icontains=word) | Q(code__icontains=word))
        found = list(units.order_by("name")[: SEARCH_RESULTS + 1])
    return render(
        request,
        "core/home.html",
        {"query": query, "found": found[:SEARCH_RESULTS], "more": len(found) > SEARCH_RESULTS},
    )


# The database being unreachable (a restart, a failover) is "try again in a moment", not a bug.
_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _plain(template: str, status: int) -> HttpResponse:
    """An error page rendered without request context: no session, user or query can fail again."""
    response = HttpResponse(loader.get_template(template).render({}), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 when the database is unreachable, else the styled 500 page; neither needs the database."""
    error = sys.exc_info()[1]
    if isinstance(error, _UNAVAILABLE):
        return _plain("503.html", 503)
    return _plain("500.html", 500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain("400.html", 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the styled Indonesian 403 instead of Django's English page."""
    return render(request, "403.html", {"csrf_failure": True}, status=403)
