"""Survey submission benchmark: concurrent citizens doing GET + POST of complete surveys on the real server.

    .venv/bin/python bench/submit.py [--clients 16] [--duration 20] [--workers 2] [--threads 4] [--url http://host:port]

Without --url it builds a fresh PostgreSQL database `sd_survey_bench` (PG_URL, default
postgres://postgres@127.0.0.1:5432), migrates it, adds one unit with three services and an open period,
and starts gunicorn with the production settings (DEBUG off, PostgreSQL, whitenoise, gzip) plus
SKM_TRUSTED_PROXY_COUNT=1, as behind the reverse proxy in production: each simulated citizen sends its own
X-Forwarded-For address, so the per-client rate limit and burst rules apply to them as to real people.

Each client loops: GET /s/<unit>/ (form with CSRF and the one-time token), then POST nine random answers,
a service and a profile; a 302 to the thank-you page is an accepted submission. The load generator is one
asyncio process with raw HTTP/1.1 (light enough to share two cores with the server).
Prints accepted submissions per second, p50/p95/p99 latency of GET, POST and all requests, errors, the
survey page's transferred weight, and checks that the database holds exactly the accepted submissions.
Target (2 cores, load generator included): >= 200 submissions/s, p95 < 150 ms, zero errors.

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
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_survey_bench"
UNIT = "bench-kelurahan"
PORT = 8765
SETTINGS = "sd_survey_bench_settings"

TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVICE_RE = re.compile(rb'name="service" value="(\d+)"')
COOKIE_RE = re.compile(rb"csrftoken=([^;]+)")


# --------------------------------------------------------------------------------------------------
# The server: database, settings, gunicorn.


def django_env(database_url: str) -> dict[str, str]:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    (bench_dir / f"{SETTINGS}.py").write_text(
        "from sumberdaya.settings import *  # noqa: F403\n"
        "# Production sits behind one reverse proxy that sets X-Forwarded-For.\n"
        "SKM_TRUSTED_PROXY_COUNT = 1\n"
    )
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONPATH": f"{bench_dir}:{ROOT}",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from sumberdaya.units.models import Unit, Service\n"
        "from sumberdaya.surveys.models import Period\n"
        f"u = Unit.objects.create(code='{UNIT}', name='Kelurahan Uji Beban', kind='kelurahan')\n"
        "for i, name in enumerate(['Surat domisili', 'Surat pengantar nikah', 'Surat keterangan usaha']):\n"
        "    Service.objects.create(unit=u, name=name, order=i)\n"
        "y = timezone.localdate().year\n"
        "Period.objects.create(slug=str(y), name=f'Tahun {y}', start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))\n"
    )
    subprocess.run([python, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "sumberdaya.wsgi",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
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
    python = str(ROOT / ".venv" / "bin" / "python")
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent citizens")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread when > 1)")
    parser.add_argument("--url", help="benchmark a running server instead (no database check)")
    parser.add_argument("--pg-cluster", help="VERSION/NAME of the private cluster PG_URL points at (for restarts)")
    parser.add_argument("--restart-db-at", type=float, help="restart that cluster this many seconds into the load")
    parser.add_argument("--kill-worker-at", type=float, help="SIGKILL one gunicorn worker this many seconds in")
    args = parser.parse_args()
    if args.restart_db_at is not None and (not args.pg_cluster or urlsplit(PG_URL).port in (None, 5432)):
        raise SystemExit("--restart-db-at needs --pg-cluster and a PG_URL on a private port, never the shared 5432")

    server = None
    env: dict[str, str] = {}
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
    else:
        env = django_env(f"{PG_URL}/{PG_DB}")
        print(f"preparing PostgreSQL database {PG_DB} ...", flush=True)
        prepare_database(env)
        server = start_gunicorn(env, args.workers, args.threads)
        host, port = "127.0.0.1", PORT
    try:
        wire, raw = asyncio.run(page_weight(host, port))
        print(f"survey page weight: {wire / 1024:.1f} KB transferred ({raw / 1024:.1f} KB uncompressed)")
        print(
            f"{args.clients} clients, {args.workers} workers x {args.threads} threads, "
            f"{args.warmup:.0f} s warm-up + {args.duration:.0f} s measured, {os.cpu_count()} cores ...",
            flush=True,
        )
        if server is not None:
            before = {pid: cpu_seconds(pid) for group in server_processes(server.pid) for pid in group}
            client_before = time.process_time()
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
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    every = stats.get + stats.post
    print(
        f"accepted submissions/s : {stats.accepted / args.duration:8.1f}  ({stats.accepted} in {args.duration:.0f} s)"
    )
    print("latency ms p50/p95/p99 :")
    print(f"  GET form             : {ms(stats.get)}")
    print(f"  POST answers         : {ms(stats.post)}")
    print(f"  every request        : {ms(every)}")
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
        django_ms, pg_ms, client_ms = (1000 * c / stats.accepted_total for c in cpu)
        total = django_ms + pg_ms + client_ms
        cores = os.cpu_count() or 1
        print(
            f"CPU per submission     : Django {django_ms:.1f} ms + PostgreSQL {pg_ms:.1f} ms + load generator "
            f"{client_ms:.1f} ms = {total:.1f} ms"
        )
        print(f"capacity if the {cores} cores were ours alone: ~{1000 * cores / total:.0f} submissions/s")
        print(f"machine load average   : {os.getloadavg()[0]:.1f} (other work on the machine slows the figures)")


if __name__ == "__main__":
    sys.exit(main())
