"""URL map: one include per app, each under its own prefix."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sumberdaya.city import views as city_views

urlpatterns = [
    # First: the citizen's survey is most of the traffic, and Django tries the patterns in order.
    path("", include("sumberdaya.citizen.urls")),  # /s/<unit>/, /aduan/ and the short QR aliases
    path("i18n/", include("django.conf.urls.i18n")),
    # The settings pages sign in through our login (with its lockout), not the admin's own form.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("akun/", include("sumberdaya.accounts.urls")),
    # Leadership's brief (city app: it needs monitoring); the full table is dashboards:city (/dasbor/kota/tabel/).
    path("dasbor/kota/", city_views.brief, name="city_brief"),
    path("dasbor/", include("sumberdaya.dashboards.urls")),
    path("unit/", include("sumberdaya.workspace.urls")),
    path("rtl/", include("sumberdaya.followup.urls")),
    path("laporan/", include("sumberdaya.reports.urls")),
    path("kota/", include("sumberdaya.city.urls")),
    path("zi/", include("sumberdaya.perception.urls")),
    path("", include("sumberdaya.public.urls")),  # /hasil/, /api/v1/
    path("", include("sumberdaya.core.urls")),
]

# Styled Indonesian error pages (core/templates/4xx.html, 5xx.html); 404 and 403 use Django's own views.
handler400 = "sumberdaya.core.views.bad_request"
handler500 = "sumberdaya.core.views.server_error"
