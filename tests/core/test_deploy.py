"""deploy/: the environment template names every setting, and with it `check --deploy` is clean; the units
run commands that exist; nginx keeps metrics and media off the public side (issue 13, item 1)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management import get_commands

from sumberdaya.followup.forms import MAX_EVIDENCE_BYTES
from sumberdaya.workspace.importer import MAX_BYTES as IMPORT_MAX_BYTES

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
# Read outside settings.py: by dj-database-url, prometheus_client, and deploy/gunicorn.conf.py.
OTHER_VARIABLES = {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "GUNICORN_BIND", "GUNICORN_FORWARDED_ALLOW_IPS"}


def settings_variables() -> set[str]:
    source = (PROJECT / "sumberdaya" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))


def template() -> dict[str, str]:
    lines = (DEPLOY / "sumberdaya.env").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    # systemd's EnvironmentFile and a shell's `.` both take "quoted values"; the value is what is inside.
    return {name: value.strip('"') for name, value in pairs}


def test_the_environment_template_and_the_readme_name_every_setting():
    variables = settings_variables()
    assert {"SECRET_KEY", "REDIS_URL", "SKM_PUBLIC_BASE_URL", "METRICS_ALLOWED_IPS"} <= variables  # the regex works
    assert variables | OTHER_VARIABLES - {"GUNICORN_FORWARDED_ALLOW_IPS"} <= set(template())
    readme = (PROJECT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("### Several app servers")]
    missing = [name for name in variables | {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"} if f"`{name}`" not in table]
    assert missing == []


def _deploy_environment(tmp_path: Path) -> dict[str, str]:
    # What systemd gives the service: little but PATH, and the EnvironmentFile.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8", **template()}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # the one value the template makes the operator fill in
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "prometheus")  # systemd's RuntimeDirectory
    (tmp_path / "prometheus").mkdir()
    return env


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sumberdaya.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=_deploy_environment(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)" in done.stdout


def test_the_placeholder_secret_key_of_the_template_stops_the_start(tmp_path):
    env = _deploy_environment(tmp_path)
    env["SECRET_KEY"] = template()["SECRET_KEY"]
    done = subprocess.run(
        [sys.executable, "-m", "sumberdaya.cli", "check"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 1 and "placeholder of deploy/sumberdaya.env" in done.stderr


def _exec_start(unit: str) -> list[str]:
    text = (DEPLOY / "systemd" / unit).read_text()
    return re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1).split()  # type: ignore[union-attr]


def test_the_systemd_units_run_commands_that_exist():
    commands = get_commands()
    worker = _exec_start("sumberdaya-worker.service")
    assert worker[0].endswith("/sumberdaya") and worker[1] in commands and worker[1] == "db_worker"
    backup = _exec_start("sumberdaya-backup.service")
    assert backup[1] == "backup" and backup[1] in commands and backup[3:] == ["--keep", "14"]
    app = _exec_start("sumberdaya.service")
    assert app[0].endswith("/gunicorn") and app[-1] == "/etc/sumberdaya/gunicorn.conf.py"
    timer = (DEPLOY / "systemd" / "sumberdaya-backup.timer").read_text()
    assert "OnCalendar=*-*-* 02:30:00" in timer and "Persistent=true" in timer


def test_the_gunicorn_settings_read_the_bind_address_and_worker_count(monkeypatch: Any):
    monkeypatch.setenv("GUNICORN_BIND", "10.213.1.2:8000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    namespace: dict[str, Any] = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["bind"] == ["10.213.1.2:8000"] and namespace["workers"] == 3
    assert namespace["wsgi_app"] == "sumberdaya.wsgi:application"


def test_nginx_keeps_metrics_and_media_private_and_admits_the_largest_upload():
    site = (DEPLOY / "nginx" / "sumberdaya.conf").read_text()
    assert "location = /metrics { return 404; }" in site and "location /media/ { return 404; }" in site
    limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))  # type: ignore[union-attr]
    assert limit * 1024 * 1024 > max(IMPORT_MAX_BYTES, MAX_EVIDENCE_BYTES)
    proxy = (DEPLOY / "nginx" / "sumberdaya-proxy.conf").read_text()
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "X-Request-ID $request_id"):
        assert f"proxy_set_header {header};" in proxy
    # Only the survey, whose one-time token makes a repeated POST harmless, is retried on another server.
    assert site.count("non_idempotent") == 1
    assert site.index("non_idempotent") > site.index("location /s/ {")


def test_the_deploy_guide_explains_every_file_of_the_folder():
    guide = (DEPLOY / "README.md").read_text()
    files = [p.relative_to(DEPLOY).as_posix() for p in DEPLOY.rglob("*") if p.is_file() and p.name != "README.md" and "__pycache__" not in p.parts]
    assert len(files) >= 9
    assert [name for name in files if name not in guide] == []
    assert "Debian 12" in guide and "check --deploy" in guide


def test_the_template_can_be_read_by_a_shell_as_the_admin_wrapper_does(tmp_path):
    done = subprocess.run(
        ["sh", "-c", f'set -a; . {DEPLOY / "sumberdaya.env"}; set +a; printf %s "$SKM_CITY_NAME|$WEB_CONCURRENCY"'],
        capture_output=True, text=True, timeout=10, check=False, env={"PATH": os.environ["PATH"]},
    )
    assert done.returncode == 0 and done.stdout == "Kota Banjarmasin|4", done.stderr
