"""Which period a staff page is about: `?periode=<slug>`, else the current one."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sumberdaya.surveys.models import Period


def chosen_period(request: HttpRequest) -> Period:
    """`?periode=<slug>` (or the form field) or the current period; 404 for an unknown slug or no period yet."""
    slug = request.GET.get("periode") or request.POST.get("periode")
    if slug:
        return get_object_or_404(Period, slug=slug.strip())
    period = Period.current()
    if period is None:
        raise Http404(_("Belum ada periode survei. Admin kota perlu membuat periode lebih dulu."))
    return period
