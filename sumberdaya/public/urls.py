from django.urls import path

from sumberdaya.public import api, views

app_name = "public"

urlpatterns = [
    path("hasil/", views.overview, name="overview"),
    path("hasil/<slug:period>/", views.overview, name="period"),
    path("hasil/<slug:period>/rekap.csv", views.recap_csv, name="recap_csv"),
    path("hasil/<slug:period>/rekap.json", views.recap_json, name="recap_json"),
    path("hasil/foto-rtl/<int:pk>/", views.action_photo, name="action_photo"),
    path("hasil/<slug:period>/<slug:code>/", views.unit_page, name="unit"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("api/v1/units/", api.units, name="api_units"),
    path("api/v1/units/<str:code>/", api.unit_detail, name="api_unit"),
    path("api/v1/periods/", api.periods, name="api_periods"),
    path("api/v1/results/<str:period>/", api.results, name="api_results"),
    path("api/v1/results/<str:period>/<str:code>/", api.unit_result, name="api_unit_result"),
]
