"""Survey submission benchmark: concurrent citizens doing GET + POST of complete surveys on the real server.

    .venv/bin/python bench/submit.py [--clients 16] [--duration 20] [--workers 2] [--threads 1]
        [--redis redis://127.0.0.1:6379/0] [--database sd_survey_bench] [--port 8765] [--url http://host:port]

Without --url it builds a fresh PostgreSQL database (`--database`, on PG_URL, default
postgres://postgres@127.0.0.1:5432), migrates it, adds one unit with three services and an open period,
runs ANALYZE (the server's autovacuum may be off), and starts gunicorn as deploy/ does
(`-c deploy/gunicorn.conf.py`: sync workers, WEB_CONCURRENCY=--workers) with the production settings
(DEBUG off, PostgreSQL, Redis as the shared cache under a key prefix of the run, whitenoise, gzip) plus
SKM_TRUSTED_PROXY_COUNT=1, as behind the reverse proxy in production: each simulated citizen sends its own
X-Forwarded-For address, so every protection (one-time token, CSRF, honeypot, the per-client rate limit and
the burst rules) applies to them as to real people.

In the same run, on the same server and cores, it measures the references: Django's trivial view (a
plain "ok" through the whole middleware stack) under the same clients, and PostgreSQL alone inserting one
such response row per statement from 16 connections (autocommit, the tally triggers included). The peer
PHP SKM application cannot run here (no PHP); its figure is quoted from issue 18.

Each client loops: GET /s/<unit>/ (form with CSRF and the one-time token), then POST nine random answers,
a service and a profile; a 302 to the thank-you page is an accepted submission. The load generator is one
asyncio process with raw HTTP/1.1 (light enough to share two cores with the server).
Prints requests (GET + POST) and accepted submissions per second, p50/p95/p99 latency of GET, POST and all
requests, errors, the survey page's transferred weight, database transactions per submission, each
worker's memory after the run, and checks that the database holds exactly the accepted submissions.
Targets (2 cores, load generator included, issue 18): >= 500 GET+POST requests/s, p95 < 50 ms, zero
errors, rows = accepted, every worker < 100 MB RSS after the run.

Faults (the audit's "database restart and killed worker"):

    PG_URL=postgres://postgres@127.0.0.1:5442 .venv/bin/python bench/submit.py \
        --pg-cluster 15/h2 --restart-db-at 8 --kill-worker-at 14

restarts that PostgreSQL cluster (pg_ctlcluster; refused for the shared one on port 5432) and SIGKILLs one
gunicorn worker at the given seconds. A citizen whose POST fails (a 503 "belum tersimpan" page, or a
dropped connection) taps Kirim again with the same form, as the page asks, up to 10 times. Every
non-2xx/3xx page is classified: styled (the app's Indonesian layout) or unstyled/English; the database
must hold exactly one row per acknowledged form.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv running this script (python, gunicorn)
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_survey_bench"  # --database
UNIT = "bench-kelurahan"
RAW_UNIT = "bench-raw-insert"  # the reference inserts go to another unit: they are not survey rows
PORT = 8765  # --port
SETTINGS = "sd_survey_bench_settings"
TRIVIAL = "/bench-trivial/"
TARGET_RPS, TARGET_P95_MS, TARGET_RSS_MB = 500, 50, 100
PEER_PHP_RPS = 249  # issue 18's measurement of the peer PHP SKM app (GET + POST requests/s, 16 clients)

TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVICE_RE = re.compile(rb'name="service" value="(\d+)"')
COOKIE_RE = re.compile(rb"csrftoken=([^;]+)")


# --------------------------------------------------------------------------------------------------
# The server: database, settings, gunicorn.


def django_env(database_url: str, redis_url: str, workers: int, key_prefix: str) -> dict[str, str]:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    (bench_dir / f"{SETTINGS}.py").write_text(
        "from sumberdaya.settings import *  # noqa: F403\n"
        "# Production sits behind one reverse proxy that sets X-Forwarded-For.\n"
        "SKM_TRUSTED_PROXY_COUNT = 1\n"
        f"CACHES['default']['KEY_PREFIX'] = {key_prefix!r}  # noqa: F405\n"
        "ROOT_URLCONF = 'sd_survey_bench_urls'\n"
    )
    (bench_dir / "sd_survey_bench_urls.py").write_text(
        "from django.http import HttpResponse\n"
        "from django.urls import path\n"
        "from sumberdaya.urls import handler400, handler500, urlpatterns as app\n\n"
        "def trivial(request):\n"
        "    return HttpResponse('ok')\n\n"
        f"urlpatterns = [path({TRIVIAL[1:]!r}, trivial), *app]\n"
    )
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONPATH": f"{bench_dir}:{ROOT}",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "ERROR",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        }
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def clear_cache_prefix(redis_url: str, key_prefix: str) -> None:
    import redis

    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(match=f"{key_prefix}:*", count=1000):
        server.delete(key)
    server.close()


def prepare_database(env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    python = str(BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from sumberdaya.units.models import Unit, Service\n"
        "from sumberdaya.surveys.models import Period\n"
        f"Unit.objects.create(code='{RAW_UNIT}', name='Rujukan INSERT', kind='kelurahan', active=False)\n"
        f"u = Unit.objects.create(code='{UNIT}', name='Kelurahan Uji Beban', kind='kelurahan')\n"
        "for i, name in enumerate(['Surat domisili', 'Surat pengantar nikah', 'Surat keterangan usaha']):\n"
        "    Service.objects.create(unit=u, name=name, order=i)\n"
        "y = timezone.localdate().year\n"
        "Period.objects.create(slug=str(y), name=f'Tahun {y}', start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))\n"
    )
    subprocess.run([python, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)
    with psycopg.connect(f"{PG_URL}/{PG_DB}", autocommit=True) as conn:
        conn.execute("ANALYZE")  # statistics for the planner: autovacuum may be off on a server


def start_gunicorn(env: dict[str, str], threads: int) -> subprocess.Popen[bytes]:
    """gunicorn with deploy/gunicorn.conf.py (workers from WEB_CONCURRENCY, sync workers); --threads > 1
    switches to gthread for comparison."""
    command = [
        str(BIN / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--threads", str(threads), "--worker-class", "gthread"]
    # No recycling during the run: the memory figure is that of a worker that served all of it.
    command += ["--max-requests", "0"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            status, _, _ = asyncio.run(http("127.0.0.1", PORT, "GET", f"/s/{UNIT}/", {}))
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_processes(master: int) -> tuple[list[int], list[int]]:
    """gunicorn's master and workers, and the PostgreSQL backends serving the benchmark database."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres") as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [PG_DB]).fetchall()
    return [master, *map(int, children)], [int(pid) for (pid,) in rows]


def count_rows(env: dict[str, str]) -> int:
    python = str(BIN / "python")
    script = (
        f"from sumberdaya.surveys.models import Response\nprint(Response.objects.filter(unit__code='{UNIT}').count())\n"
    )
    result = subprocess.run(
        [python, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return int(result.stdout.decode().strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------------
# The load generator.


async def http(
    host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, bytes, bytes]:
    """One HTTP/1.1 request on its own connection; (status, raw headers, body); status 0: no answer."""
    try:
        return await _http(host, port, method, path, headers, body)
    except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
        return 0, b"", b""


async def _http(
    host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, bytes, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    data = await reader.read()
    writer.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        payload = dechunk(payload)
    return status, head, payload


def dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


@dataclass
class Stats:
    get: list[float] = field(default_factory=list)
    post: list[float] = field(default_factory=list)
    accepted: int = 0
    accepted_total: int = 0
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    already: int = 0  # a retry answered "already stored": the first attempt had committed
    styled_errors: Counter[str] = field(default_factory=Counter)
    unstyled_errors: list[str] = field(default_factory=list)


MAX_TAPS = 10


def classify(stats: Stats, method: str, status: int, body: bytes) -> None:
    """Note what a citizen saw on a failed request: the app's Indonesian page, or something raw."""
    if status == 0:
        stats.styled_errors[f"{method} no answer (connection dropped)"] += 1
        return
    page = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    styled = b'<html lang="id"' in page and b"Server Error" not in page
    if styled:
        label = "belum tersimpan" if b"belum tersimpan" in page else "styled page"
        stats.styled_errors[f"{method} {status} {label}"] += 1
    else:
        stats.unstyled_errors.append(f"{method} {status}: {page[:80]!r}")


async def citizen(host: str, port: int, stats: Stats, start: float, stop: float, rng: random.Random) -> None:
    while time.perf_counter() < stop:
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        t0 = time.perf_counter()
        status, head, page = await http(host, port, "GET", f"/s/{UNIT}/", {"X-Forwarded-For": ip})
        t1 = time.perf_counter()
        token, csrf, cookie = TOKEN_RE.search(page), CSRF_RE.search(page), COOKIE_RE.search(head)
        if status != 200 or not (token and csrf and cookie):
            stats.errors.append(f"GET {status}")
            if status != 200:
                classify(stats, "GET", status, page)
                await asyncio.sleep(0.2)
            continue
        services = SERVICE_RE.findall(page)
        form = {
            "csrfmiddlewaretoken": csrf.group(1).decode(),
            "token": token.group(1).decode(),
            "lang": "id",
            "service": rng.choice(services).decode() if services else "",
            "sex": rng.choice("LP"),
            "age": str(rng.randint(17, 75)),
            "education": rng.choice(["SD", "SMP", "SMA", "S1/D4"]),
            "website": "",
            **{f"a{i}": str(rng.choice([2, 3, 3, 3, 4, 4])) for i in range(1, 10)},
        }
        if rng.random() < 0.2:
            form.update(comment_kind="saran", comment="Mohon ruang tunggu diperluas.")
        body = urlencode(form).encode()
        headers = {
            "X-Forwarded-For": ip,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.group(1).decode()}",
        }
        acknowledged = False
        for tap in range(MAX_TAPS):
            status, head, answer = await http(host, port, "POST", f"/s/{UNIT}/", headers, body)
            if status == 302 and b"/terima-kasih/" in head:
                acknowledged = True
                break
            if status == 200 and b'name="token"' not in answer and tap > 0:
                acknowledged = True  # "already stored": an earlier tap committed, its answer was lost
                stats.already += 1
                break
            classify(stats, "POST", status, answer)
            stats.retries += 1
            await asyncio.sleep(0.5)  # the citizen reads "belum tersimpan", then taps Kirim again
        t2 = time.perf_counter()
        if not acknowledged:
            stats.errors.append(f"POST {status} after {MAX_TAPS} taps")
            continue
        stats.accepted_total += 1
        if t0 >= start and t2 <= stop:
            stats.accepted += 1
            stats.get.append(t1 - t0)
            stats.post.append(t2 - t1)


async def fault(delay: float, action: str, do: Callable[[], str]) -> None:
    await asyncio.sleep(delay)
    started = time.perf_counter()
    what = await asyncio.to_thread(do)
    print(f"  [{delay:5.1f} s] {action}: {what} ({time.perf_counter() - started:.1f} s)", flush=True)


async def load(
    host: str, port: int, clients: int, warmup: float, duration: float, faults: list[tuple[float, str, Any]] = ()
) -> Stats:
    stats = Stats()
    start = time.perf_counter() + warmup
    stop = start + duration
    await asyncio.gather(
        *(citizen(host, port, stats, start, stop, random.Random(i)) for i in range(clients)),  # noqa: S311
        *(fault(warmup + at, action, do) for at, action, do in faults),
    )
    return stats


async def trivial_load(host: str, port: int, clients: int, seconds: float) -> tuple[int, list[float], int]:
    """(answered requests, latencies, errors) of the trivial Django view under `clients` loops."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            status, _, _ = await http(host, port, "GET", TRIVIAL, {})
            if status == 200:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    await asyncio.gather(*(one() for _ in range(clients)))
    return len(latencies), latencies, errors


RAW_INSERT = (
    "INSERT INTO surveys_response (instrument, unit_id, service_id, submitted_at, channel, scale, a1, a2, a3, a4, "
    "a5, a6, a7, a8, a9, visit, sex, age, education, occupation, occupation_other, comment, comment_kind, status, "
    "excluded_reason, flagged, flag_reason, token, client, created_at, demo) VALUES ('skm', %s, NULL, now(), "
    "'online', 4, %s, %s, %s, %s, %s, %s, %s, %s, %s, gen_random_uuid(), 'L', 30, 'SMA', '', '', '', '', 'valid', "
    "'', false, '', gen_random_uuid(), 'raw', now(), false) RETURNING id"
)


async def raw_insert_load(connections: int, seconds: float) -> int:
    """Rows PostgreSQL inserts in `seconds`, one autocommit INSERT … RETURNING per row from each connection."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(f"{PG_URL}/{PG_DB}", autocommit=True) as conn:
        row = await (await conn.execute("SELECT id FROM units_unit WHERE code = %s", [RAW_UNIT])).fetchone()
    assert row is not None
    unit_id = row[0]
    count = 0
    stop = time.perf_counter() + seconds

    async def one(seed: int) -> None:
        nonlocal count
        rng = random.Random(seed)  # noqa: S311
        async with await psycopg.AsyncConnection.connect(f"{PG_URL}/{PG_DB}", autocommit=True) as conn:
            while time.perf_counter() < stop:
                await conn.execute(RAW_INSERT, [unit_id, *(rng.randint(1, 4) for _ in range(9))])
                count += 1

    await asyncio.gather(*(one(i) for i in range(connections)))
    return count


def database_counters() -> tuple[int, int]:
    """(committed transactions, inserted tuples) of the benchmark database so far (pg_stat_database)."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute(
            "SELECT xact_commit + xact_rollback, tup_inserted FROM pg_stat_database WHERE datname = %s", [PG_DB]
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def restart_cluster(cluster: str) -> str:
    version, name = cluster.split("/")
    subprocess.run(["pg_ctlcluster", version, name, "restart", "-m", "fast"], check=True, capture_output=True)
    return f"PostgreSQL cluster {cluster} restarted"


def kill_one_worker(master: int) -> str:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if not children:
        return "no worker to kill"
    os.kill(int(children[0]), signal.SIGKILL)
    return f"gunicorn worker {children[0]} killed (SIGKILL)"


async def page_weight(host: str, port: int) -> tuple[int, int]:
    """(bytes on the wire with gzip, uncompressed) for the survey page and its assets."""
    status, head, page = await http(host, port, "GET", f"/s/{UNIT}/", {"Accept-Encoding": "gzip"})
    html = gzip.decompress(page) if b"content-encoding: gzip" in head.lower() else page
    wire, raw = len(page), len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        _, head, body = await http(host, port, "GET", asset.decode(), {"Accept-Encoding": "gzip"})
        plain = gzip.decompress(body) if b"content-encoding: gzip" in head.lower() else body
        wire += len(body) if b"content-encoding: gzip" in head.lower() else len(gzip.compress(plain))
        raw += len(plain)
    return wire, raw


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return " / ".join(f"{percentile(values, p) * 1000:6.1f}" for p in (50, 95, 99))


def main() -> None:
    global PG_DB, PORT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent citizens")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (WEB_CONCURRENCY; deploy/sumberdaya.env: 4)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread when > 1; deploy: 1)")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database", default=PG_DB, help="benchmark database (dropped and created)")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    parser.add_argument("--reference-seconds", type=float, default=8.0, help="seconds of each reference (0: none)")
    parser.add_argument("--url", help="benchmark a running server instead (no database check)")
    parser.add_argument("--pg-cluster", help="VERSION/NAME of the private cluster PG_URL points at (for restarts)")
    parser.add_argument("--restart-db-at", type=float, help="restart that cluster this many seconds into the load")
    parser.add_argument("--kill-worker-at", type=float, help="SIGKILL one gunicorn worker this many seconds in")
    args = parser.parse_args()
    if args.restart_db_at is not None and (not args.pg_cluster or urlsplit(PG_URL).port in (None, 5432)):
        raise SystemExit("--restart-db-at needs --pg-cluster and a PG_URL on a private port, never the shared 5432")
    PG_DB, PORT = args.database, args.port

    server = None
    env: dict[str, str] = {}
    key_prefix = f"bench-{os.getpid()}"
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
    else:
        env = django_env(f"{PG_URL}/{PG_DB}", args.redis, args.workers, key_prefix)
        print(f"preparing PostgreSQL database {PG_DB} (then ANALYZE), Redis {args.redis} prefix {key_prefix} ...")
        prepare_database(env)
        server = start_gunicorn(env, args.threads)
        host, port = "127.0.0.1", PORT
    trivial: tuple[int, list[float], int] | None = None
    raw_rows = 0
    workers_mb: list[float] = []
    try:
        wire, raw = asyncio.run(page_weight(host, port))
        print(f"survey page weight: {wire / 1024:.1f} KB transferred ({raw / 1024:.1f} KB uncompressed)")
        kind = f"gthread x {args.threads} threads" if args.threads > 1 else "sync"
        print(
            f"{args.clients} clients, gunicorn -c deploy/gunicorn.conf.py: {args.workers} {kind} workers, "
            f"{args.warmup:.0f} s warm-up + {args.duration:.0f} s measured, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} before ...",
            flush=True,
        )
        if server is not None:
            before = {pid: cpu_seconds(pid) for group in server_processes(server.pid) for pid in group}
            client_before = time.process_time()
            counters_before = database_counters()
        faults: list[tuple[float, str, Any]] = []
        if args.restart_db_at is not None:
            faults.append((args.restart_db_at, "database", lambda: restart_cluster(args.pg_cluster)))
        if args.kill_worker_at is not None and server is not None:
            master = server.pid
            faults.append((args.kill_worker_at, "worker", lambda: kill_one_worker(master)))
        stats = asyncio.run(load(host, port, args.clients, args.warmup, args.duration, faults))
        if server is not None:
            django_pids, pg_pids = server_processes(server.pid)
            used = {pid: cpu_seconds(pid) - before.get(pid, 0.0) for pid in [*django_pids, *pg_pids]}
            cpu = (
                sum(used[p] for p in django_pids),
                sum(used[p] for p in pg_pids),
                time.process_time() - client_before,
            )
            time.sleep(1.0)  # let the server's statistics settle
            counters_after = database_counters()
            workers_mb = [rss_mb(pid) for pid in django_pids[1:]]
            if args.reference_seconds > 0:
                print("references in the same run ...", flush=True)
                trivial = asyncio.run(trivial_load(host, port, args.clients, args.reference_seconds))
                raw_rows = asyncio.run(raw_insert_load(args.clients, args.reference_seconds))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            clear_cache_prefix(args.redis, key_prefix)
    every = stats.get + stats.post
    rps = len(every) / args.duration
    p95 = percentile(every, 95) * 1000
    print(f"GET+POST requests/s    : {rps:8.1f}  target >= {TARGET_RPS}  {'OK' if rps >= TARGET_RPS else 'MISSED'}")
    print(
        f"accepted submissions/s : {stats.accepted / args.duration:8.1f}  ({stats.accepted} in {args.duration:.0f} s)"
    )
    print("latency ms p50/p95/p99 :")
    print(f"  GET form             : {ms(stats.get)}")
    print(f"  POST answers         : {ms(stats.post)}")
    verdict_p95 = "OK" if p95 < TARGET_P95_MS else "MISSED"
    print(f"  every request        : {ms(every)}   p95 target < {TARGET_P95_MS}  {verdict_p95}")
    print(f"  GET + POST together  : {ms([g + p for g, p in zip(stats.get, stats.post, strict=True)])}")
    print(f"errors                 : {len(stats.errors)} {sorted(set(stats.errors))[:5]}")
    print(f"second taps            : {stats.retries} ({stats.already} answered 'already stored')")
    print(f"styled pages citizens saw on failures: {dict(stats.styled_errors) or 'none'}")
    print(f"unstyled/English pages : {len(stats.unstyled_errors)} {stats.unstyled_errors[:3]}")
    if not args.url:
        rows = count_rows(env)
        verdict = "OK" if rows == stats.accepted_total else "MISMATCH"
        print(f"database rows          : {rows} (accepted {stats.accepted_total} incl. warm-up) {verdict}")
    mean = statistics.mean(every) * 1000 if every else float("nan")
    print(f"mean request latency   : {mean:.1f} ms")
    if server is not None and stats.accepted_total:
        measured = len(stats.post) or 1
        xacts = counters_after[0] - counters_before[0]
        print(
            f"database transactions  : {xacts / measured:.2f} per accepted submission (pg_stat_database: the kept "
            "connection's health check and the answer's; statements per POST: tests/surveys/test_survey_path.py)"
        )
        django_ms, pg_ms, client_ms = (1000 * c / stats.accepted_total for c in cpu)
        total = django_ms + pg_ms + client_ms
        cores = os.cpu_count() or 1
        print(
            f"CPU per submission     : Django {django_ms:.1f} ms + PostgreSQL {pg_ms:.1f} ms + load generator "
            f"{client_ms:.1f} ms = {total:.1f} ms"
        )
        print(f"capacity if the {cores} cores were ours alone: ~{2000 * cores / total:.0f} GET+POST requests/s")
        largest = max(workers_mb, default=float("nan"))
        print(
            f"worker memory after run: {', '.join(f'{mb:.0f}' for mb in workers_mb)} MB RSS  target < {TARGET_RSS_MB}"
            f"  {'OK' if largest < TARGET_RSS_MB else 'MISSED'}"
        )
    if trivial is not None:
        answered, latencies, errors = trivial
        print(
            f"reference, same run    : Django trivial view {answered / args.reference_seconds:7.1f} requests/s "
            f"(p95 {percentile(latencies, 95) * 1000:.1f} ms, {errors} errors), same server and clients"
        )
        print(
            f"reference, same run    : PostgreSQL raw INSERT … RETURNING of one such row "
            f"{raw_rows / args.reference_seconds:7.1f} rows/s ({args.clients} connections, autocommit, "
            "tally triggers included)"
        )
        print(f"reference, quoted      : peer PHP SKM app {PEER_PHP_RPS} requests/s (issue 18; no PHP on this machine)")
    print(f"machine load average   : {os.getloadavg()[0]:.1f} (other work on the machine slows the figures)")


if __name__ == "__main__":
    sys.exit(main())
