from django.urls import path

from sumberdaya.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<slug:code>/", views.unit, name="unit"),
    path("unit/<slug:code>/<str:slug>/narasi/", views.narrative, name="narrative"),
    path("unit/<slug:code>/<str:slug>/ajukan/", views.submit_view, name="submit"),
    path("unit/<slug:code>/<str:slug>/tinjau/", views.review_view, name="review"),
    path("unit/<slug:code>/<str:slug>/unduh/<str:fmt>/", views.download, name="download"),
]
