"""deploy/bin/motcua-backup and motcua-restore (issue 13, "Backups"): a backup restored into a fresh
database and an empty media folder gives back the same data, files and audit chains."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "bin" / "motcua-backup"
RESTORE = ROOT / "deploy" / "bin" / "motcua-restore"

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backup is PostgreSQL's"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client"),
    pytest.mark.django_db(transaction=True),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own deploy scripts
        ["/bin/sh", str(script), *args],
        env={"PATH": os.environ["PATH"], "MOTCUA_ENV_FILE": "/nonexistent", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _snapshot(url: str) -> dict[str, list]:
    import psycopg

    queries = {
        "dossiers": "SELECT code, applicant_name, status FROM dossiers_dossier ORDER BY code",
        "attachments": "SELECT storage_name, sha256 FROM dossiers_attachment ORDER BY id",
        "audit": "SELECT seq, action, hash FROM audit_auditevent ORDER BY seq",
        "access": "SELECT seq, purpose, hash FROM audit_personaldataaccess ORDER BY seq",
        "guards": "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = 'motcua_append_only_guard' ORDER BY 1",
    }
    with psycopg.connect(url) as conn:
        return {k: conn.execute(q).fetchall() for k, q in queries.items()}


@pytest.fixture
def fresh_database():
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_a_fresh_database(
    personas, procedure, settings, tmp_path, fresh_database
):
    from motcua.audit.services import personal_data_access_record
    from motcua.dossiers.attachments import store_attachment
    from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {**settings.STORAGES}
    dossier = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Hoàng Thị Mai", id_number="046195000123"),
        documents=[DocumentLine("Tờ khai", "original")],
    )
    import io

    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    attachment = store_attachment(
        actor=personas["clerk"],
        dossier=dossier,
        uploaded_file=SimpleUploadedFile("to-khai.pdf", out.getvalue()),
    )
    personal_data_access_record(actor=personas["clerk"], subject=dossier, purpose="test")
    source = _url(connection.settings_dict["NAME"])

    made = _run(BACKUP, str(tmp_path / "backups"), env={
        "DATABASE_URL": source, "MOTCUA_MEDIA_ROOT": str(media)})  # fmt: skip
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert sorted(p.name for p in backup.iterdir()) == [
        "MANIFEST", "SHA256SUMS", "db.dump", "media.tar.gz"]  # fmt: skip
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [backup.name]

    restored_media = tmp_path / "restored-media"
    target = _url(fresh_database)
    done = _run(RESTORE, str(backup), env={
        "DATABASE_URL": target, "MOTCUA_MEDIA_ROOT": str(restored_media)})  # fmt: skip
    assert done.returncode == 0, done.stderr

    before, after = _snapshot(source), _snapshot(target)
    assert after == before
    assert after["dossiers"][0][1] == "Hoàng Thị Mai" and len(after["audit"]) >= 2
    assert "audit_auditevent" in [name for (name,) in after["guards"]]
    copied = restored_media / attachment.storage_name
    assert copied.read_bytes() == (media / attachment.storage_name).read_bytes()

    # Never over live data: the same restore again is refused, nothing changed.
    again = _run(RESTORE, str(backup), env={
        "DATABASE_URL": target, "MOTCUA_MEDIA_ROOT": str(tmp_path / "other")})  # fmt: skip
    assert again.returncode == 1 and "not empty" in again.stderr
    assert _snapshot(target) == before


def test_a_damaged_backup_is_refused(tmp_path, fresh_database, units):
    made = _run(BACKUP, str(tmp_path), env={
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MOTCUA_MEDIA_ROOT": str(tmp_path / "none")})  # fmt: skip
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    with open(backup / "db.dump", "r+b") as handle:
        handle.seek(100)
        handle.write(b"XXXX")
    done = _run(RESTORE, str(backup), env={
        "DATABASE_URL": _url(fresh_database), "MOTCUA_MEDIA_ROOT": str(tmp_path / "m")})  # fmt: skip
    assert done.returncode == 1 and "checksum" in done.stderr
    assert not (tmp_path / "m").exists()
