from django.urls import path

from sumberdaya.city import integrity_views, views

app_name = "city"

urlpatterns = [
    path("", views.recap, name="recap"),
    path("pemantauan/", views.monitoring, name="monitoring"),
    path("integritas/", integrity_views.panel, name="integrity"),
    path("integritas/<slug:code>/", integrity_views.unit_panel, name="integrity_unit"),
    path("integritas/<slug:code>/putuskan/", integrity_views.decide, name="integrity_decide"),
    path("impor/", views.import_upload, name="import"),
    path("impor/contoh.csv", views.import_example, name="import_example"),
    path("impor/<int:pk>/", views.import_batch, name="import_batch"),
    path("terbitkan/", views.publish_period, name="publish"),
    path("terbitkan/<int:pk>/tarik/", views.withdraw_publication, name="withdraw"),
    path("sumber/", views.prefer_imported, name="prefer_imported"),
    path("narasi/<slug:period>/", views.narrative, name="narrative"),
    path("laporan/<slug:period>.<str:fmt>", views.report, name="report"),
]
