from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from sumberdaya.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="dashboards:my_units")), name="index"),
    path("saya/", views.my_units, name="my_units"),
    path("kota/tabel/", views.city, name="city"),
    path("unit/<slug:code>/", views.unit, name="unit"),
    path("unit/<slug:code>/populasi/", views.population, name="population"),
]
