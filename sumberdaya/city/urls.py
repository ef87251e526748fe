from django.urls import path

from sumberdaya.city import complaints, exports, integrity_views, views

app_name = "city"

urlpatterns = [
    path("", views.recap, name="recap"),
    path("pemantauan/", views.monitoring, name="monitoring"),
    path("aduan/", complaints.complaints, name="complaints"),
    path("pemantauan/pengingat/", views.send_reminders, name="reminders"),
    path("integritas/", integrity_views.panel, name="integrity"),
    path("integritas/<slug:code>/", integrity_views.unit_panel, name="integrity_unit"),
    path("integritas/<slug:code>/putuskan/", integrity_views.decide, name="integrity_decide"),
    path("impor/", views.import_upload, name="import"),
    path("impor-akun/", views.accounts_upload, name="accounts_import"),
    path("impor-akun/contoh.csv", views.accounts_example, name="accounts_example"),
    path("impor/contoh.csv", views.import_example, name="import_example"),
    path("impor/<int:pk>/", views.import_batch, name="import_batch"),
    path("terbitkan/", views.publish_period, name="publish"),
    path("terbitkan/<int:pk>/tarik/", views.withdraw_publication, name="withdraw"),
    path("sumber/", views.prefer_imported, name="prefer_imported"),
    path("narasi/<slug:period>/", views.narrative, name="narrative"),
    path("laporan/<slug:period>.<str:fmt>", views.report, name="report"),
    path("respons.csv", exports.responses, {"kind": "csv"}, name="responses_csv"),
    path("respons.xlsx", exports.responses, {"kind": "xlsx"}, name="responses_xlsx"),
    path("riwayat/", views.figures, name="history"),
    path("riwayat/<int:pk>/hapus/", views.delete_figure, name="history_delete"),
    path("riwayat/templat.<str:fmt>", views.figures_template, name="history_template"),
]
