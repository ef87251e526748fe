"""The production shape on one machine: nginx, two app hosts and a database host in network namespaces,
citizens submitting the survey through nginx while PostgreSQL restarts, one app host's gunicorn is killed
and Redis restarts (issue 13, item 3).

    sudo .venv/bin/python bench/cluster.py [--threads 6] [--phase 15] [--keep-going]

Needs root (ip netns) on Debian; installs what is missing (nginx, iproute2, openssl, redis-server,
PostgreSQL 15's server binaries) with apt-get, without starting Debian's own nginx. Builds:

    citizens 10.213.1.1 ── 10.213.1.2 nginx 10.213.2.1 ── 10.213.2.2 app1 10.213.4.1 ── 10.213.4.2 db
                                           10.213.3.1 ── 10.213.3.2 app2 10.213.5.1 ── 10.213.5.2 db

five namespaces joined by veth pairs, every address inside them (none in the machine's own namespace).
db runs a private PostgreSQL 15 (port 5444) and Redis (6394); app1 and app2 run gunicorn with
deploy/gunicorn.conf.py and the deploy/sumberdaya.env template (2 workers each); nginx runs the
deploy/nginx site with a self-signed certificate. The citizens' process runs `--threads` citizens who
each loop: GET the form, POST complete answers (a citizen who sees an error page presses Kirim again with
the same form, up to 4 times, a second apart). Faults, `--phase` seconds apart: PostgreSQL `restart -m
fast`, SIGKILL of app1's gunicorn (systemd's Restart=always brings it back after RestartSec=1), Redis
restart. Everything is bounded (threads, seconds, at most 20 000 submissions) and torn down at the end,
also on error or Ctrl-C.

Prints: requests, accepted, rows stored, doubles, lost, error pages seen by citizens (which), and per fault
the accepted rate before / during / after it and when the last error was seen. Target: every accepted
answer stored once, none lost, service back within 5 s of each fault.

The rate limit is raised for the run (SKM_RATE_LIMIT=1000000): all citizens come from one address here.
"""

from __future__ import annotations

import argparse
import base64
import collections
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
WORK = Path("/tmp/sdh4-cluster")
PREFIX = "sdh4"
NAMESPACES = ["citizens", "nginx", "app1", "app2", "db"]
# (namespace a, address a, namespace b, address b); /30 links.
LINKS = [
    ("citizens", "10.213.1.1", "nginx", "10.213.1.2"),
    ("nginx", "10.213.2.1", "app1", "10.213.2.2"),
    ("nginx", "10.213.3.1", "app2", "10.213.3.2"),
    ("app1", "10.213.4.1", "db", "10.213.4.2"),
    ("app2", "10.213.5.1", "db", "10.213.5.2"),
]
APPS = {"app1": ("10.213.2.2", "10.213.2.1", "10.213.4.2"), "app2": ("10.213.3.2", "10.213.3.1", "10.213.5.2")}
NGINX_ADDRESS = "10.213.1.2"
DB_ADDRESSES = ["10.213.4.2", "10.213.5.2"]
PG_PORT, REDIS_PORT = 5444, 6394
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "skm.example.go.id"
UNIT = "kelurahan-uji-klaster"
MAX_SUBMISSIONS = 20_000
SUBMIT_TRIES = 4


def ns(name: str) -> str:
    return f"{PREFIX}-{name}"


def run(*command: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, check=False, text=True, capture_output=True, timeout=120, **kwargs)
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: {(done.stderr or done.stdout)[-1500:]}")
    return done


def in_ns(name: str, *command: str) -> list[str]:
    return ["ip", "netns", "exec", ns(name), *command]


# ----------------------------------------------------------------------------------------- installing


def install_missing() -> None:
    """What the script needs, from Debian's packages (as .ci/run does for the tests)."""
    need = []
    if not shutil.which("ip"):
        need.append("iproute2")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        need.append("nginx-light")
    if not shutil.which("openssl"):
        need.append("openssl")
    if not shutil.which("redis-server"):
        need.append("redis-server")
    if not (PG_BIN / "postgres").exists():
        need.append("postgresql-15")
    if not need:
        return
    print(f"installing {' '.join(need)} …", flush=True)
    # A package's post-install must not start its own daemon (nginx on :80 in the machine's namespace).
    policy = Path("/usr/sbin/policy-rc.d")
    made_policy = not policy.exists()
    if made_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        run("apt-get", "update", "-qq")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *need, env=env)
    finally:
        if made_policy:
            policy.unlink()


# ------------------------------------------------------------------------------------------- topology


def teardown_namespaces() -> None:
    for name in NAMESPACES:
        run("ip", "netns", "del", ns(name), check=False)  # deleting a namespace deletes its veth ends


def build_namespaces() -> None:
    teardown_namespaces()
    for name in NAMESPACES:
        run("ip", "netns", "add", ns(name))
        run(*in_ns(name, "ip", "link", "set", "lo", "up"))
    for number, (a, address_a, b, address_b) in enumerate(LINKS, 1):
        end_a, end_b = f"{PREFIX}v{number}a", f"{PREFIX}v{number}b"
        # Created directly inside namespace a, the peer directly inside b: never in the machine's namespace.
        run(*in_ns(a, "ip", "link", "add", end_a, "type", "veth", "peer", "name", end_b, "netns", ns(b)))
        run(*in_ns(a, "ip", "addr", "add", f"{address_a}/30", "dev", end_a))
        run(*in_ns(b, "ip", "addr", "add", f"{address_b}/30", "dev", end_b))
        run(*in_ns(a, "ip", "link", "set", end_a, "up"))
        run(*in_ns(b, "ip", "link", "set", end_b, "up"))


# ------------------------------------------------------------------------------------------- services


class Services:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.secret = secrets.token_urlsafe(50)
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.logs.chmod(0o777)  # PostgreSQL writes its log here as the postgres user

    def spawn(self, key: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{key}.log").open("ab")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.work, start_new_session=True
        )
        self.processes[key] = process
        return process

    def kill(self, key: str, sig: int = signal.SIGTERM, wait: float = 10) -> None:
        process = self.processes.pop(key, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    # --- PostgreSQL 15 on the db host
    def pg(self, *args: str) -> subprocess.CompletedProcess[str]:
        options = (
            f"-c listen_addresses='{','.join(DB_ADDRESSES)}' -p {PG_PORT} "
            f"-c unix_socket_directories='{self.work / 'pgsock'}' -c max_connections=60"
        )
        return run(*in_ns("db", "runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                          str(self.work / "pg"), "-l", str(self.logs / "postgresql.log"), "-o", options, "-w", *args))

    def start_postgres(self) -> None:
        data = self.work / "pg"
        (self.work / "pgsock").mkdir(exist_ok=True)
        shutil.chown(self.work / "pgsock", "postgres")
        if not data.exists():
            data.mkdir()
            shutil.chown(data, "postgres")
            run("runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust",
                "-U", "postgres", "--no-sync")
            with (data / "pg_hba.conf").open("a") as hba:
                hba.write("host all all 10.213.0.0/16 trust\n")
        self.pg("start")

    def stop_postgres(self) -> None:
        if (self.work / "pg" / "postmaster.pid").exists():
            self.pg("-m", "immediate", "stop")

    # --- Redis on the db host
    def start_redis(self) -> None:
        self.spawn("redis", in_ns("db", "redis-server", "--bind", *DB_ADDRESSES, "--port", str(REDIS_PORT),
                                  "--save", "", "--appendonly", "no", "--protected-mode", "no"))
        wait_for(lambda: run(*in_ns("db", "redis-cli", "-h", DB_ADDRESSES[0], "-p", str(REDIS_PORT), "ping"),
                             check=False).stdout.strip() == "PONG", 10, "Redis")

    # --- the app hosts
    def app_env(self, app: str) -> dict[str, str]:
        bind, nginx_side, db = APPS[app]
        lines = (ROOT / "deploy" / "sumberdaya.env").read_text().splitlines()
        env = {"PATH": f"{VENV_BIN}:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": str(self.work)}
        for line in lines:
            if line.strip() and not line.startswith("#"):
                name, value = line.split("=", 1)
                env[name] = value.strip('"')
        (self.work / "var" / "static").mkdir(parents=True, exist_ok=True)
        prometheus = self.work / f"prometheus-{app}"
        prometheus.mkdir(exist_ok=True)
        env.update(
            SECRET_KEY=self.secret,
            DATABASE_URL=f"postgres://postgres@{db}:{PG_PORT}/sumberdaya",
            REDIS_URL=f"redis://{db}:{REDIS_PORT}/0",
            SUMBERDAYA_VAR=str(self.work / "var"),  # one folder for both hosts, as NFS would give
            MEDIA_ROOT=str(self.work / "var" / "media"),
            GUNICORN_BIND=f"{bind}:8000",
            GUNICORN_FORWARDED_ALLOW_IPS=nginx_side,
            WEB_CONCURRENCY="2",
            PROMETHEUS_MULTIPROC_DIR=str(prometheus),
            SUMBERDAYA_PLAIN_STATIC="1",
            LOG_LEVEL="WARNING",
            SKM_RATE_LIMIT="1000000",
        )
        return env

    def manage(self, *args: str) -> None:
        done = run(*in_ns("app1", str(VENV_BIN / "sumberdaya"), *args), env=self.app_env("app1"), cwd=self.work)
        if done.returncode:
            raise RuntimeError(done.stderr)

    def start_app(self, app: str) -> None:
        command = in_ns(app, str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"))
        self.spawn(app, command, env=self.app_env(app))

    def wait_app(self, app: str, timeout: float = 30) -> None:
        bind = APPS[app][0]
        wait_for(lambda: curl("nginx", f"http://{bind}:8000/healthz") == 200, timeout, app)

    # --- nginx
    def start_nginx(self) -> None:
        conf = self.work / "nginx"
        conf.mkdir(exist_ok=True)
        for sub in ("body", "proxy", "static", "acme"):
            (conf / sub).mkdir(exist_ok=True)
            (conf / sub).chmod(0o777)
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
            "-keyout", str(conf / "key.pem"), "-out", str(conf / "cert.pem"))
        site = (ROOT / "deploy" / "nginx" / "sumberdaya.conf").read_text()
        upstream = "".join(f"    server {bind}:8000 max_fails=1 fail_timeout=5s;\n" for bind, _, _ in APPS.values())
        site = re.sub(r"^    server 127\.0\.0\.1:8000 .*\n", upstream, site, flags=re.MULTILINE)
        site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
        site = site.replace("listen 80;", f"listen {NGINX_ADDRESS}:80;")
        site = site.replace("listen 443 ssl", f"listen {NGINX_ADDRESS}:443 ssl")
        site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {conf / 'cert.pem'};", site)
        site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {conf / 'key.pem'};", site)
        site = site.replace("/var/lib/sumberdaya/static/", f"{conf / 'static'}/")
        site = site.replace("/var/www/letsencrypt", str(conf / "acme"))
        snippet = ROOT / "deploy" / "nginx" / "sumberdaya-proxy.conf"
        site = site.replace("/etc/nginx/snippets/sumberdaya-proxy.conf", str(snippet))
        (conf / "site.conf").write_text(site)
        (conf / "nginx.conf").write_text(
            f"worker_processes 1;\ndaemon off;\npid {conf / 'nginx.pid'};\n"
            f"error_log {self.logs / 'nginx-error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            f"  client_body_temp_path {conf / 'body'};\n  proxy_temp_path {conf / 'proxy'};\n"
            f"  include {conf / 'site.conf'};\n}}\n"
        )
        test = run(*in_ns("nginx", "nginx", "-t", "-c", str(conf / "nginx.conf")), check=False)
        if test.returncode:
            raise RuntimeError(f"nginx -t: {test.stderr}")
        self.spawn("nginx", in_ns("nginx", "nginx", "-c", str(conf / "nginx.conf")))

    def stop_all(self) -> None:
        for key in list(self.processes):
            self.kill(key)
        self.stop_postgres()


def wait_for(ready: Any, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):
            if ready():
                return time.monotonic() - started
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def curl(namespace: str, url: str) -> int:
    done = run(*in_ns(namespace, "curl", "-ks", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url),
               check=False)
    return int(done.stdout or 0)


# ------------------------------------------------------------------------------------------- citizens


def token_id(raw: str) -> str:
    """The response UUID inside a signed form token (django.core.signing: base64 JSON, then the stamp)."""
    payload = raw.split(":")[0]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["t"])


class Citizen:
    def __init__(self) -> None:
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # the run's self-signed certificate
        self.connection: http.client.HTTPSConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict[str, str]]:
        headers = {"Host": HOST, "User-Agent": "sumberdaya-cluster-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        for attempt in (1, 2):  # a kept-alive connection nginx closed meanwhile: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(NGINX_ADDRESS, 443, context=self.context, timeout=15)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                reply = self.connection.getresponse()
                text = reply.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise error
                continue
            for header, value in reply.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";")[0]
            return reply.status, text, {k.lower(): v for k, v in reply.getheaders()}
        raise AssertionError("unreachable")


def error_kind(status: int, text: str) -> str:
    if status in (502, 503, 504) and "nginx" in text:
        return f"{status} from nginx"
    return f"{status} from the app"


def citizens(threads: int, start: float, stop: float, out: Path) -> None:
    """Runs in the citizens' namespace; writes every attempt and submission as JSON."""
    import urllib.parse

    lock = threading.Lock()
    submissions: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    requests = collections.Counter()

    def citizen(number: int) -> None:
        me = Citizen()
        answers = [str(1 + (number + i) % 4) for i in range(9)]
        while time.time() < stop:
            with lock:
                if len(submissions) >= MAX_SUBMISSIONS:
                    return
            began = time.time()
            try:
                status, text, _ = me.request("GET", f"/s/{UNIT}/")
            except OSError as error:
                status, text = 0, type(error).__name__
            with lock:
                requests["GET"] += 1
            if status != 200:
                with lock:
                    errors.append({"t": time.time(), "kind": error_kind(status, text) if status else text, "on": "GET"})
                time.sleep(1)
                continue
            token = re.search(r'name="token" value="([^"]+)"', text)
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            service = re.search(r'name="service" value="(\d+)"', text)
            if not (token and csrf):
                with lock:
                    errors.append({"t": time.time(), "kind": "form without token", "on": "GET"})
                continue
            form = {"csrfmiddlewaretoken": csrf.group(1), "token": token.group(1),
                    "service": service.group(1) if service else "", "lang": "id"}
            form.update({f"a{i}": v for i, v in enumerate(answers, 1)})
            body = urllib.parse.urlencode(form)
            outcome, accepted_at = "gave up", None
            for _try in range(SUBMIT_TRIES):
                try:
                    status, text, headers = me.request("POST", f"/s/{UNIT}/", body)
                except OSError as error:
                    status, text, headers = 0, type(error).__name__, {}
                with lock:
                    requests["POST"] += 1
                if status == 302 and "terima-kasih" in headers.get("location", ""):
                    outcome, accepted_at = "accepted", time.time()
                    break
                if status == 200 and "sudah tersimpan sebelumnya" in text:
                    outcome, accepted_at = "accepted (already stored)", time.time()
                    break
                with lock:
                    kind = error_kind(status, text) if status else text
                    errors.append({"t": time.time(), "kind": kind, "on": "POST"})
                time.sleep(1)  # the citizen reads the error page, then presses Kirim again
            with lock:
                submissions.append({"token": token_id(token.group(1)), "outcome": outcome, "began": began,
                                    "accepted_at": accepted_at})
            time.sleep(0.02)

    while time.time() < start:
        time.sleep(0.01)
    workers = [threading.Thread(target=citizen, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.write_text(json.dumps({"submissions": submissions, "errors": errors, "requests": dict(requests)}))


# --------------------------------------------------------------------------------------------- report


def stored_tokens() -> collections.Counter[str]:
    query = "SELECT replace(token::text, '-', ''), count(*) FROM surveys_response GROUP BY 1"
    done = run(*in_ns("db", "runuser", "-u", "postgres", "--", "psql", "-h", DB_ADDRESSES[0], "-p", str(PG_PORT),
                      "-U", "postgres", "-d", "sumberdaya", "-At", "-c", query))
    counts: collections.Counter[str] = collections.Counter()
    for line in done.stdout.splitlines():
        token, count = line.split("|")
        counts[token] = int(count)
    return counts


def report(results: dict[str, Any], rows: collections.Counter[str], faults: list[tuple[str, float, float]],
           start: float) -> bool:
    submissions = results["submissions"]
    accepted = [s for s in submissions if s["outcome"].startswith("accepted")]
    accepted_tokens = collections.Counter(s["token"] for s in accepted)
    lost = [t for t in accepted_tokens if rows.get(t, 0) == 0]
    doubles = sum(1 for t, n in rows.items() if n > 1)
    unconfirmed = [t for t in rows if t not in accepted_tokens]
    errors = results["errors"]
    kinds = collections.Counter(f"{e['kind']} ({e['on']})" for e in errors)
    requests = results["requests"]
    print()
    print("| figure | value |")
    print("|---|---|")
    print(f"| requests (GET + POST through nginx) | {requests.get('GET', 0) + requests.get('POST', 0)} "
          f"({requests.get('GET', 0)} + {requests.get('POST', 0)}) |")
    print(f"| survey forms submitted | {len(submissions)} |")
    print(f"| accepted (thank-you page seen) | {len(accepted)} "
          f"(of which after a retry showed 'already stored': {sum(s['outcome'] != 'accepted' for s in accepted)}) |")
    print(f"| rows stored | {sum(rows.values())} |")
    print(f"| doubles (a form stored twice) | {doubles} |")
    print(f"| lost (accepted, not stored) | {len(lost)} |")
    print(f"| stored but never confirmed to the citizen | {len(unconfirmed)} |")
    gave_up = sum(s["outcome"] == "gave up" for s in submissions)
    print(f"| citizens who gave up after {SUBMIT_TRIES} tries | {gave_up} |")
    print(f"| error pages seen by citizens | {len(errors)}"
          + (": " + ", ".join(f"{n}× {k}" for k, n in kinds.most_common()) if kinds else "") + " |")
    print()
    print("| fault | at (s) | accepted/s 5 s before | during (5 s) | after (5–10 s) | errors seen "
          "| last error after fault (s) | half rate again after (s) | back within 5 s |")
    print("|---|---|---|---|---|---|---|---|---|")
    ok = not lost and not doubles
    times = sorted(s["accepted_at"] for s in accepted)

    def rate(a: float, b: float) -> float:
        return sum(1 for t in times if a <= t < b) / (b - a)

    for number, (name, at, _done) in enumerate(faults):
        # This fault's errors: from just before it until the next fault (or 15 s).
        end = faults[number + 1][1] - 0.5 if number + 1 < len(faults) else at + 15
        window = [e for e in errors if at - 0.5 <= e["t"] < end]
        last = max((e["t"] for e in window), default=at) - at
        before = rate(at - 5, at)
        # Back: the first moment from which a second holds at least half the rate of before the fault.
        recovered = next((k / 4 for k in range(0, 60) if rate(at + k / 4, at + k / 4 + 1) >= before / 2), None)
        back = recovered is not None and recovered <= 5 and last <= 5
        ok = ok and back
        print(f"| {name} | {at - start:.1f} | {before:.1f} | {rate(at, at + 5):.1f} | {rate(at + 5, at + 10):.1f} | "
              f"{len(window)} | {last if window else 0:.1f} | "
              f"{'never' if recovered is None else f'{recovered:.2f}'} | {'yes' if back else 'NO'} |")
    print()
    verdict = "MET" if ok else "NOT MET"
    print(f"target (every accepted answer stored once, none lost, back within 5 s of each fault): {verdict}")
    return ok


# ----------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=6, help="concurrent citizens (bounded: 1–32)")
    parser.add_argument("--phase", type=float, default=15, help="seconds between faults (bounded: 8–60)")
    parser.add_argument("--citizens", nargs=4, metavar=("THREADS", "START", "STOP", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.citizens:
        threads, start, stop, out = args.citizens
        citizens(int(threads), float(start), float(stop), Path(out))
        return 0
    if os.geteuid() != 0:
        print("bench/cluster.py needs root (ip netns); run it with sudo", file=sys.stderr)
        return 2
    threads = max(1, min(32, args.threads))
    phase = max(8.0, min(60.0, args.phase))
    install_missing()
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(mode=0o755)
    services = Services(WORK)
    load: subprocess.Popen[bytes] | None = None
    try:
        print("building namespaces citizens, nginx, app1, app2, db …", flush=True)
        build_namespaces()
        services.start_postgres()
        run(*in_ns("db", "runuser", "-u", "postgres", "--", "psql", "-h", DB_ADDRESSES[0], "-p", str(PG_PORT),
                   "-U", "postgres", "-c", "CREATE DATABASE sumberdaya"))
        services.start_redis()
        services.manage("migrate", "--no-input", "-v", "0")
        services.manage("shell", "-c", (
            "import datetime as dt\nfrom django.utils import timezone\n"
            "from sumberdaya.units.models import Unit, Service\nfrom sumberdaya.surveys.models import Period\n"
            f"u = Unit.objects.create(code='{UNIT}', name='Kelurahan Uji Klaster', kind='kelurahan')\n"
            "Service.objects.create(unit=u, name='Surat domisili', order=1)\n"
            "Service.objects.create(unit=u, name='Surat pengantar nikah', order=2)\n"
            "y = timezone.localdate().year\n"
            "Period.objects.create(slug=str(y), name=f'Tahun {y}', start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))\n"
        ))
        for app in APPS:
            services.start_app(app)
        for app in APPS:
            services.wait_app(app)
        services.start_nginx()
        wait_for(lambda: curl("citizens", f"https://{NGINX_ADDRESS}/healthz") == 200, 10, "nginx")

        start = time.time() + 2
        stop = start + 4 * phase
        out = WORK / "citizens.json"
        load = subprocess.Popen(in_ns("citizens", sys.executable, str(Path(__file__).resolve()), "--citizens",
                                      str(threads), str(start), str(stop), str(out)), start_new_session=True)
        print(f"{threads} citizens for {4 * phase:.0f} s; faults at +{phase:.0f}, +{2 * phase:.0f}, +{3 * phase:.0f} s",
              flush=True)
        faults: list[tuple[str, float, float]] = []

        def at(offset: float) -> None:
            time.sleep(max(0.0, start + offset - time.time()))

        at(phase)
        began = time.time()
        services.pg("-m", "fast", "restart")
        faults.append(("PostgreSQL restart (-m fast)", began, time.time()))
        at(2 * phase)
        began = time.time()
        services.kill("app1", signal.SIGKILL)
        time.sleep(1)  # systemd: Restart=always, RestartSec=1
        services.start_app("app1")
        faults.append(("app1 gunicorn killed (SIGKILL), restarted after 1 s", began, time.time()))
        at(3 * phase)
        began = time.time()
        services.kill("redis")
        services.start_redis()
        faults.append(("Redis restart", began, time.time()))
        load.wait(timeout=4 * phase + 120)
        results = json.loads(out.read_text())
        rows = stored_tokens()
        return 0 if report(results, rows, faults, start) else 1
    finally:
        if load is not None and load.poll() is None:
            os.killpg(load.pid, signal.SIGKILL)
            load.wait(5)
        services.stop_all()
        teardown_namespaces()
        kept = ROOT / "var" / "bench" / "cluster-logs"  # the servers' logs of the last run, for a look afterwards
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(services.logs, kept, dirs_exist_ok=True)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
