"""gunicorn settings for Sumber Daya (systemd: sumberdaya.service runs `gunicorn -c /etc/sumberdaya/gunicorn.conf.py`).

The worker count comes from WEB_CONCURRENCY (gunicorn reads it; settings.py checks it against the cache), the
address from GUNICORN_BIND. With several workers, PROMETHEUS_MULTIPROC_DIR collects each worker's metrics.
"""

import os
import shutil
from pathlib import Path

wsgi_app = "sumberdaya.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 60  # a city report in the browser takes a few seconds; nothing legitimate takes a minute
graceful_timeout = 20  # systemctl restart lets answers being stored finish
keepalive = 5  # nginx keeps connections to the upstream open
max_requests = 5000  # recycle workers now and then (memory of long-lived report rendering)
max_requests_jitter = 500
accesslog = None  # the app writes one JSON line per request itself (LOG_LEVEL=INFO)
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):  # noqa: ANN001, ARG001 (gunicorn's hook signature)
    """Start with an empty metrics directory: files of workers from before a restart would count twice."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):  # noqa: ANN001, ARG001
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
