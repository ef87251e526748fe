from django.conf import settings
from django.urls import path

from sumberdaya.core import observability, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", observability.healthz, name="healthz"),
    path(f"{settings.METRICS_PATH}", observability.metrics, name="metrics"),
]
