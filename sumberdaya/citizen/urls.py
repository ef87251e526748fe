from django.urls import path

from sumberdaya.citizen import complaints, views

app_name = "surveys"  # the citizen's survey keeps its URL names (surveys:survey, surveys:thanks…)

urlpatterns = [
    path("s/poster-semua-unit.pdf", views.poster_sheet, name="poster_sheet"),
    path("s/<slug:code>/", views.survey, name="survey"),
    path("s/<slug:code>/terima-kasih/", views.thanks, name="thanks"),
    path("s/<slug:code>/poster.pdf", views.poster_pdf, name="poster_pdf"),
    path("s/<slug:code>/poster.png", views.poster_png, name="poster_png"),
    path("s/<slug:code>/kios.webmanifest", views.kiosk_manifest, name="kiosk_manifest"),
    path("s/<slug:code>/kios-sw.js", views.kiosk_worker, name="kiosk_worker"),
    path("s/<slug:code>/kios-token/", views.kiosk_tokens, name="kiosk_tokens"),
    path("s/<slug:code>/kios-kirim/", views.kiosk_send, name="kiosk_send"),
    path("k/<int:number>", views.short_link, name="short"),
    path("u/<str:code>", views.invitation, name="invitation"),
    path("kios/<slug:code>/<str:key>/", views.kiosk, name="kiosk"),
    # Tracked complaints (sumberdaya.complaints): file, confirmation, tracking.
    path("aduan/", complaints.choose, name="complaint_choose"),
    path("aduan/lacak/", complaints.lookup, name="complaint_lookup"),
    path("aduan/lacak/<str:code>/", complaints.track, name="complaint_track"),
    path("aduan/terkirim/<str:code>/", complaints.sent, name="complaint_sent"),
    path("aduan/<slug:code>/", complaints.file, name="complaint"),
]
