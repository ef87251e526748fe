"""WSGI entry point (gunicorn sumberdaya.wsgi)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
application = get_wsgi_application()


def _refuse_unshared_cache() -> None:
    """Several workers (gunicorn reads WEB_CONCURRENCY) need a shared cache, or rate limits are per worker."""
    from django.core.checks import run_checks

    problems = [m for m in run_checks(tags=["caches"]) if m.id == "sumberdaya.W001"]
    if problems:
        raise ImproperlyConfigured(f"{problems[0].msg} {problems[0].hint}")


_refuse_unshared_cache()


def _warm_up_charts() -> None:
    """Start the chart engine now, so a worker's first dashboard does not pay its 1–2 s start-up."""
    from sumberdaya.core.charts import bar_chart

    bar_chart([("", 1)]).svg()


_warm_up_charts()
