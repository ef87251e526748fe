from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sumberdaya.accounts.models import User


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in staff go straight to their dashboard; everyone else sees the welcome page."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return redirect("dashboards:city" if user.sees_all_units else "dashboards:my_units")
    return render(request, "core/home.html")
