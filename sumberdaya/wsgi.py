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

# No chart warm-up here: vl-convert (and Pillow, lxml, openpyxl, segno) load where they are used, so a worker
# that serves the survey stays small; the first chart of a worker pays the engine's start (about a second).
