"""WSGI entry point (gunicorn sumberdaya.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
application = get_wsgi_application()


def _warm_up_charts() -> None:
    """Start the chart engine now, so a worker's first dashboard does not pay its 1–2 s start-up."""
    from sumberdaya.core.charts import bar_chart

    bar_chart([("", 1)]).svg()


_warm_up_charts()
