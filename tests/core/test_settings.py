"""Settings come from typed environment variables: typos stop the start, importing writes nothing, and the
production environment behind TLS-terminating nginx passes `check --deploy` (issue 12, item 8)."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import sumberdaya.settings
from sumberdaya import keyfile

SETTINGS_FILE = Path(sumberdaya.settings.__file__)
ROOT = SETTINGS_FILE.parent.parent
LONG_KEY = "k3y-" + "x7Qa9pLm2Zr" * 6


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **variables: str) -> dict[str, Any]:
    """Run settings.py afresh with only these variables set (and var/ in tmp_path)."""
    for name in list(os.environ):
        if name in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} or name.startswith(("SKM_", "SECURE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMBERDAYA_VAR", str(tmp_path / "var"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "ture"), ("SECURE_COOKIES", "ya tentu"), ("SKM_RATE_LIMIT", "20x"), ("SKM_TRUSTED_PROXY_COUNT", "-1"),
     ("SECURE_HSTS_SECONDS", "1 tahun"), ("SKM_WEIGHT", "0.11"), ("SKM_AGGREGATION", "median"),
     ("REDIS_URL", "127.0.0.1:6379")],
)
def test_a_typo_in_a_typed_variable_stops_the_start_with_its_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"{name}='{value}'"):
        load(monkeypatch, tmp_path, SECRET_KEY=LONG_KEY, **{name: value})


def test_every_bad_variable_is_named_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        load(monkeypatch, tmp_path, SECRET_KEY=LONG_KEY, DEBUG="nope", SKM_KIOSK_RATE_LIMIT="banyak")
    assert "DEBUG='nope'" in str(error.value) and "SKM_KIOSK_RATE_LIMIT='banyak'" in str(error.value)


def test_good_values_are_read_with_their_types(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = load(
        monkeypatch, tmp_path, SECRET_KEY=LONG_KEY, DEBUG="true", SKM_RATE_LIMIT="30", SKM_TRUSTED_PROXY_COUNT="1",
        ALLOWED_HOSTS="skm.example.go.id,127.0.0.1", SECURE_PROXY_SSL="1",
    )
    assert loaded["DEBUG"] is True and loaded["SKM_RATE_LIMIT"] == (30, 600) and loaded["SKM_TRUSTED_PROXY_COUNT"] == 1
    assert loaded["ALLOWED_HOSTS"] == ["skm.example.go.id", "127.0.0.1"]
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_importing_the_settings_writes_no_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded = load(monkeypatch, tmp_path, DEBUG="1")
    assert not (tmp_path / "var").exists()
    assert len(loaded["SECRET_KEY"]) >= 50  # DEBUG without a key: one for this process, in memory only


def test_production_without_a_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load(monkeypatch, tmp_path)
    assert not (tmp_path / "var").exists()


def test_the_explicit_step_keeps_a_key_that_the_settings_then_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = keyfile.ensure(tmp_path / "var")
    key = path.read_text()
    assert len(key) >= 50 and (path.stat().st_mode & 0o777) == 0o600
    assert keyfile.ensure(tmp_path / "var").read_text() == key  # a second run keeps it
    assert load(monkeypatch, tmp_path)["SECRET_KEY"] == key


def test_check_deploy_is_clean_behind_tls_terminating_nginx_with_the_production_environment(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "sumberdaya.settings",
        "SUMBERDAYA_VAR": str(tmp_path),
        "SECRET_KEY": LONG_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "skm.banjarmasinkota.go.id",
        "CSRF_TRUSTED_ORIGINS": "https://skm.banjarmasinkota.go.id",
        "SECURE_PROXY_SSL": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_COOKIES": "1",
        "SKM_TRUSTED_PROXY_COUNT": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "WEB_CONCURRENCY": "4",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_redis_url_selects_a_redis_cache_that_can_be_created(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sumberdaya.core.cache import RedisCache

    loaded = load(monkeypatch, tmp_path, SECRET_KEY=LONG_KEY, REDIS_URL="redis://127.0.0.1:6379/1")
    config = loaded["CACHES"]["default"]
    assert config["BACKEND"] == "sumberdaya.core.cache.RedisCache"
    cache = RedisCache(config["LOCATION"], {})
    assert cache._cache.get_client() is not None  # the redis package is installed (a declared dependency)
