"""A fresh PostgreSQL benchmark database with the packaged units, shared by bench/export.py and
bench/integrity_scan.py (each then adds its own periods, accounts and generated responses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")


def django_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a `manage.py` or child process on `database`: production-like, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_URL}/{database}",
        "DJANGO_SETTINGS_MODULE": "sumberdaya.settings",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def fresh_database(database: str, env: dict[str, str]) -> dict[str, Any]:
    """Drop and create `database`, migrate it and import the packaged units; returns the keyword arguments
    for further `subprocess.run([python, "manage.py", …], **run)` calls on it."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    python = str(BIN / "python")
    run: dict[str, Any] = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], **run)
    units = ROOT / "sumberdaya" / "data" / "units-banjarmasin.csv"
    subprocess.run([python, "manage.py", "import-units", str(units)], capture_output=True, **run)
    return run
