from django.urls import path

from sumberdaya.results import views

app_name = "results"

urlpatterns = [
    path("", views.my_units, name="my_units"),
    path("kota/", views.city, name="city"),
    path("unit/<slug:code>/", views.unit, name="unit"),
    path("unit/<slug:code>/populasi/", views.population, name="population"),
]
