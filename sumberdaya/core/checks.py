"""System checks for the production setup (run by `sumberdaya check`, `migrate`, `runserver`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def shared_cache_with_several_processes(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits live in the cache: with several worker processes and a per-process cache each worker
    counts on its own (two workers accept 40 where the limit says 20)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.WEB_CONCURRENCY > 1 and backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                f"WEB_CONCURRENCY={settings.WEB_CONCURRENCY} worker processes share no cache, so survey rate "
                "limits and cached pages are counted per process.",
                hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) or run a single worker process.",
                id="sumberdaya.W001",
            )
        ]
    return []
