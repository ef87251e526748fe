"""Backups that restore: one archive holds the database and the uploaded files (issue 13, item 4).

The archive is a plain tar file (its parts are compressed already) with
- `manifest.json`: format, database engine, when, the latest migration of each app, and every media file's
  path, size and SHA-256;
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, a consistent snapshot while the site serves) or
  `database.sqlite3` (SQLite: the online backup API, also consistent while the site writes);
- `media/…`: everything under MEDIA_ROOT (RTL evidence).

`restore` goes into an empty database and an empty MEDIA_ROOT only, so it never mixes two installations,
and checks every file against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
ARCHIVE_PREFIX = "sumberdaya-"
ARCHIVE_SUFFIX = ".tar"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Basis data {vendor} tidak didukung (hanya PostgreSQL dan SQLite).")
    return vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore, from DATABASE_URL (no password on a command line)."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {done.stderr.strip()[-2000:]}")


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(root).as_posix()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def archive_path(target: Path, now: dt.datetime | None = None) -> Path:
    """`target` itself, or a dated name inside it when it is a directory."""
    if target.is_dir():
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
        return target / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    return target


def backup(target: Path) -> dict[str, Any]:
    """Write the archive to `target` (a file, or a directory for a dated name); returns the manifest."""
    engine = _engine()
    path = archive_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        database = Path(work) / ("database.pgdump" if engine == "postgresql" else "database.sqlite3")
        if engine == "postgresql":
            dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}"]
            _run(dump, _pg_environment())
        else:
            connection.ensure_connection()
            target_db = sqlite3.connect(database)
            try:
                connection.connection.backup(target_db)  # type: ignore[union-attr]
            finally:
                target_db.close()
        files = list(_media_files())
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": database.name,
            "migrations": _migrations(),
            "media": [{"path": name, "size": p.stat().st_size, "sha256": _sha256(p)} for p, name in files],
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name)
            for file, name in files:
                tar.add(file, arcname=f"media/{name}")
        os.replace(partial, path)  # a half-written archive never carries the final name
    manifest["path"] = str(path)
    return manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` dated archives in `directory`; returns what was deleted."""
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    doomed = archives[: max(0, len(archives) - keep)]
    for old in doomed:
        old.unlink()
    return doomed


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Berkas ini bukan cadangan Sumber Daya (manifest.json tidak ada).")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path) -> dict[str, Any]:
    """Restore an archive into the configured (empty) database and (empty) MEDIA_ROOT."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r") as tar:
        manifest = read_manifest(tar)
        if manifest["engine"] != engine:
            raise BackupError(
                f"Cadangan ini dari {manifest['engine']}, basis data tujuan {engine}: pulihkan ke mesin yang sama."
            )
        if not _database_is_empty():
            raise BackupError("Basis data tujuan tidak kosong: pulihkan hanya ke basis data baru yang kosong.")
        if any(_media_files()):
            raise BackupError(f"MEDIA_ROOT ({media_root}) tidak kosong: pulihkan ke folder kosong.")
        with tempfile.TemporaryDirectory(prefix="sumberdaya-restore-") as work:
            tar.extract(manifest["database"], work, filter="data")
            database = Path(work) / manifest["database"]
            if engine == "postgresql":
                _run(
                    ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                     f"--dbname={settings.DATABASES['default']['NAME']}", str(database)],
                    _pg_environment(),
                )
            else:
                connection.ensure_connection()
                source_db = sqlite3.connect(database)
                try:
                    source_db.backup(connection.connection)  # type: ignore[arg-type]
                finally:
                    source_db.close()
        media_root.mkdir(parents=True, exist_ok=True)
        for entry in manifest["media"]:
            name = PurePosixPath(entry["path"])
            member = tar.getmember(f"media/{name}")
            member.name = str(name)
            tar.extract(member, media_root, filter="data")  # refuses absolute paths and ../
            restored = media_root / name
            if _sha256(restored) != entry["sha256"]:
                raise BackupError(f"Berkas {name} rusak di cadangan (checksum tidak cocok).")
    connection.close()  # the next query sees the restored database from a fresh connection
    return manifest
