from django.urls import path

from sumberdaya.followup import views

app_name = "followup"

urlpatterns = [
    path("item/<int:pk>/", views.edit, name="edit"),
    path("item/<int:pk>/hapus/", views.delete, name="delete"),
    path("item/<int:pk>/bukti/", views.upload, name="upload"),
    path("bukti/<int:pk>/", views.evidence, name="evidence"),
    path("bukti/<int:pk>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("bukti/<int:pk>/publik/", views.evidence_public, name="evidence_public"),
    path("<slug:code>/", views.plan, name="plan"),
    path("<slug:code>/<str:slug>/tambah/", views.add, name="add"),
    path("<slug:code>/<str:slug>/prioritas/", views.choose_priorities, name="priorities"),
]
