"""`sumberdaya backup` and `sumberdaya restore`: back up, restore into a fresh database (another process, as an
operator would) and find every response, report, RTL item, evidence file and audit event identical
(issue 13, item 4). Runs on the engine of the suite: SQLite, or PostgreSQL with DATABASE_URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.models import AuditEvent
from sumberdaya.core.backup import archive_path, prune
from sumberdaya.followup.models import Evidence, PlanItem
from sumberdaya.reports.models import UnitReport
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows from its own connection
PROJECT = Path(__file__).resolve().parents[2]
MODELS = {"responses": Response, "reports": UnitReport, "rtl_items": PlanItem, "evidence": Evidence,
          "audit_events": AuditEvent}


def fingerprint() -> dict[str, Any]:
    """Counts and a SHA-256 of every column of every row, per table; and of every evidence file's bytes."""
    result: dict[str, Any] = {}
    for label, model in MODELS.items():
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = list(model.objects.order_by("pk").values_list(*columns))
        digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
        result[label] = {"count": len(rows), "sha256": digest}
    files = hashlib.sha256()
    for evidence in Evidence.objects.order_by("pk"):
        files.update(evidence.file.name.encode() + Path(evidence.file.path).read_bytes())
    result["evidence_files"] = files.hexdigest()
    return result


@pytest.fixture
def installation(settings: Any, tmp_path: Path, unit: Any, period: Any, admin_user: Any, make_responses: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    when = timezone.now() - dt.timedelta(days=1)
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2], [1, 2, 3, 4, 1, 2, 3, 4, None]], when=when, comment="Antre lama.")
    make_responses(unit, [[3] * 9] * 30, when=when, channel="paper")
    report = UnitReport.objects.create(unit=unit, period=period, analysis="Unsur U3 terendah.", snapshot={"ikm": "81.5"})
    item = PlanItem.objects.create(
        unit=unit, period=period, element="u3", problem="Waktu tunggu", action="Tambah loket", responsible="Kepala"
    )
    for name, content in (("foto loket.jpg", b"\xff\xd8\xff" + os.urandom(2000)), ("notulen.pdf", b"%PDF-1.4 x")):
        evidence = Evidence(item=item, original_name=name, content_type="application/pdf", size=len(content))
        evidence.file.save(name, ContentFile(content), save=True)
    record(admin_user, "report.accept", report)
    record(admin_user, "rtl.create", item, after={"action": "Tambah loket"})
    return fingerprint()


def _other_process(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, cwd=PROJECT, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Any:
    """An empty database of the suite's engine, and an empty MEDIA_ROOT, for the restoring process."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "MEDIA_ROOT": str(tmp_path / "restored-media"), "SUMBERDAYA_VAR": str(tmp_path),
           "SECRET_KEY": settings.SECRET_KEY}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env
        return
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = f"{db['USER']}@" if db.get("USER") else ""
    env["DATABASE_URL"] = f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


FINGERPRINT = "import django, json; django.setup(); from tests.core.test_backup import fingerprint; print(json.dumps(fingerprint()))"


def test_a_backup_restored_into_a_fresh_database_holds_every_answer_report_rtl_item_file_and_audit_event(
    installation: Any, fresh_database: dict[str, str], tmp_path: Path
) -> None:
    archive = tmp_path / "cadangan.tar"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == connection.vendor and len(manifest["media"]) == 2
    expected_db = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert expected_db in names and sum(n.startswith("media/rtl/") for n in names) == 2

    done = _other_process([sys.executable, "-m", "sumberdaya.cli", "restore", str(archive)], fresh_database)
    assert done.returncode == 0, done.stderr
    assert "2 berkas unggahan" in done.stdout
    restored = _other_process([sys.executable, "-c", FINGERPRINT], fresh_database)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout) == installation
    assert installation["responses"]["count"] == 32 and installation["evidence"]["count"] == 2
    assert installation["audit_events"]["count"] >= 2 and installation["reports"]["count"] == 1

    again = _other_process([sys.executable, "-m", "sumberdaya.cli", "restore", str(archive)], fresh_database)
    assert again.returncode == 1 and "tidak kosong" in again.stderr  # never over an installation


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(installation: Any, tmp_path: Path) -> None:
    archive = tmp_path / "cadangan.tar"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="Basis data tujuan tidak kosong"):
        call_command("restore", str(archive))
    assert fingerprint() == installation


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, db: Any) -> None:
    other = tmp_path / "bukan.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="x.py")
    with pytest.raises(CommandError, match="bukan cadangan Sumber Daya"):
        call_command("restore", str(other))


def test_the_daily_backup_into_a_folder_keeps_only_the_newest_archives(tmp_path: Path, db: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"sumberdaya-202501{day:02d}-020000.tar").write_bytes(b"old")
    (folder / "catatan.txt").write_text("not an archive: kept")
    call_command("backup", str(folder), "--keep", "3")
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 4 and "catatan.txt" in kept
    assert kept[1:3] == ["sumberdaya-20250104-020000.tar", "sumberdaya-20250105-020000.tar"]
    assert tarfile.is_tarfile(folder / kept[3])  # today's, dated now
    assert prune(folder, 3) == []
    stamp = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    assert archive_path(folder, stamp).name == "sumberdaya-20261201-020000.tar"
