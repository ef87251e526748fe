from django.urls import path

from sumberdaya.perception import views

app_name = "perception"

urlpatterns = [
    path("s/<slug:code>/", views.survey, name="survey"),
    path("s/<slug:code>/terima-kasih/", views.thanks, name="thanks"),
    path("unit/<slug:code>/", views.unit_indices, name="unit"),
    path("unit/<slug:code>/excel/", views.unit_excel, name="unit_excel"),
    path("kota/", views.city_indices, name="city"),
    path("kota/excel/", views.city_excel, name="city_excel"),
    path("pengaturan/", views.settings_page, name="settings"),
]
