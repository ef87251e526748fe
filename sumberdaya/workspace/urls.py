from django.urls import path

from sumberdaya.workspace import complaints, integrity_views, served, slips, tablets, views

app_name = "workspace"

urlpatterns = [
    path("<slug:code>/entri/", views.entry, name="entry"),
    path("<slug:code>/impor/", views.import_file, name="import"),
    path("<slug:code>/impor/contoh.xlsx", views.import_template, name="import_template"),
    path("<slug:code>/respons/", views.review, name="review"),
    path("<slug:code>/respons/unduh.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("<slug:code>/respons/unduh.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("<slug:code>/integritas/", integrity_views.flags, name="integrity"),
    path("<slug:code>/integritas/<int:pk>/jelaskan/", integrity_views.explain, name="integrity_explain"),
    path("<slug:code>/respons/<int:pk>/keluarkan/", views.exclude, name="exclude"),
    path("<slug:code>/respons/<int:pk>/hitung/", views.include, name="include"),
    path("<slug:code>/komentar/", views.comments, name="comments"),
    path("<slug:code>/komentar/<int:pk>/", views.follow_up, name="follow_up"),
    path("<slug:code>/komentar/<int:pk>/tampilkan/", complaints.reveal_comment, name="reveal_comment"),
    path("<slug:code>/komentar/<int:pk>/label/", complaints.tag_comment, name="tag_comment"),
    path("<slug:code>/aduan/<int:pk>/", complaints.complaint, name="complaint"),
    path("<slug:code>/aduan/<int:pk>/tanggapi/", complaints.reply, name="complaint_reply"),
    path("<slug:code>/aduan/<int:pk>/alihkan/", complaints.forward, name="complaint_forward"),
    path("<slug:code>/aduan/<int:pk>/tampilkan/", complaints.reveal_complaint, name="complaint_reveal"),
    path("<slug:code>/aduan/<int:pk>/label/", complaints.tag_complaint, name="complaint_tag"),
    path("<slug:code>/tablet/", tablets.tablets, name="tablets"),
    path("<slug:code>/tablet/<int:pk>/cabut/", tablets.revoke, name="revoke_tablet"),
    path("<slug:code>/undangan/", slips.slips, name="slips"),
    path("<slug:code>/dilayani/", served.served, name="served"),
]
