"""`kelisim backup` / `kelisim restore`: the demo survives a round trip table by table, on SQLite and on
PostgreSQL, and a restore refuses, changing nothing, whatever is not an empty target and a sound backup."""

import io
import json
import secrets
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kelisim.core import backup
from kelisim.core.backup import BackupError, read_manifest, restore, snapshot, table_checksums

VENDOR = connection.vendor
sqlite_only = pytest.mark.skipif(
    VENDOR != "sqlite", reason=f"the suite runs on {VENDOR}; the SQLite round trip runs in the SQLite pass"
)
postgresql_only = pytest.mark.skipif(
    VENDOR != "postgresql",
    reason="needs PostgreSQL: runs when DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (make test-postgres)",
)
OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}


@pytest.fixture
def empty_target(tmp_path):
    """settings.DATABASES-style entry for an empty database of the suite's engine, removed afterwards."""
    if VENDOR == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    from psycopg import sql

    name = f"kelisim_restore_{secrets.token_hex(6)}"
    with backup.connect_postgresql(connection.settings_dict, autocommit=True, dbname="postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with backup.connect_postgresql(connection.settings_dict, autocommit=True, dbname="postgres") as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def open_target(settings_dict):
    if VENDOR == "sqlite":
        return closing(sqlite3.connect(settings_dict["NAME"]))
    return backup.connect_postgresql(settings_dict)


def target_tables(settings_dict) -> list[str]:
    """The target's tables; the target of a refused restore must still have none."""
    if VENDOR == "sqlite" and not Path(settings_dict["NAME"]).exists():
        return []
    with open_target(settings_dict) as conn:
        return sorted(table_checksums(conn))


def assert_round_trip(tmp_path, target) -> None:
    before = table_checksums(connection)
    # The demo is there, so the comparison below is about real data, not about empty tables.
    for table in ("territories_territory", "accounts_user", "programs_visit", "django_migrations"):
        assert before[table][0] > 0, table
    assert len(before) > 40
    assert sum(rows for rows, _digest in before.values()) > 1000

    made = snapshot(tmp_path / "kelisim.backup", connection)
    assert made.path.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only
    assert backup.manifest_checksums(made.manifest) == before
    assert {tuple(m) for m in made.manifest["migrations"]} >= {
        ("core", "0001_initial"),
        ("programs", "0001_initial"),
    }
    with zipfile.ZipFile(made.path) as archive:
        assert sorted(archive.namelist()) == sorted([backup.MANIFEST, backup.PAYLOADS[VENDOR]])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kelisim.backup"]  # no temporary file left

    restored = restore(made.path, target)
    assert restored.verified
    assert restored.tables == len(before)
    assert restored.missing_migrations == []

    with open_target(target) as conn:
        after = table_checksums(conn)
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table

    # The checksums see a change of one value in one table, and only there.
    with open_target(target) as conn:
        conn.execute(
            "UPDATE django_migrations SET name = name || 'x' WHERE id = (SELECT min(id) FROM django_migrations)"
        )
        conn.commit()
        changed = table_checksums(conn)
    assert {table for table in before if changed[table] != before[table]} == {"django_migrations"}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip_keeps_every_table(seed_visit, tmp_path, empty_target):
    assert not Path(empty_target["NAME"]).exists()
    (tmp_path / "backups").mkdir()
    assert_round_trip(tmp_path / "backups", empty_target)
    with open_target(empty_target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert "search_fts" in table_checksums(conn)  # the FTS5 index came along


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_keeps_every_table(seed_visit, tmp_path, empty_target):
    assert target_tables(empty_target) == []
    (tmp_path / "backups").mkdir()
    assert_round_trip(tmp_path / "backups", empty_target)

    # pg_dump carries the sequences' positions, so new rows after a restore get fresh ids.
    query = "SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2"
    with connection.cursor() as cursor:
        cursor.execute(query)
        source_sequences = cursor.fetchall()
    with backup.connect_postgresql(empty_target) as conn:
        assert conn.execute(query).fetchall() == source_sequences
    assert any(last_value for _schema, _name, last_value in source_sequences)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_already_has_tables(tmp_path):
    """The configured database (the test database, migrated) is not empty: restoring into it is refused."""
    path = tmp_path / "kelisim.backup"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "kelisim.backup" in out.getvalue()
    before = table_checksums(connection)

    with pytest.raises(CommandError, match=r"is not empty: it already has \d+ tables") as refused:
        call_command("restore", str(path), stdout=io.StringIO())
    assert "django_migrations" in str(refused.value) or "accounts_" in str(refused.value)
    assert table_checksums(connection) == before


def write_archive(
    path: Path, manifest: dict | None, payload: bytes = b"", payload_name: str | None = None
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        if manifest is not None:
            archive.writestr(backup.MANIFEST, json.dumps(manifest))
        if payload_name:
            archive.writestr(payload_name, payload)
    return path


def fake_manifest(engine: str, payload: bytes = b"not a database", **changes) -> dict:
    import hashlib

    return {
        "format": backup.FORMAT,
        "version": backup.FORMAT_VERSION,
        "engine": engine,
        "created_at": "2025-01-31T00:00:00+00:00",
        "pg_dump_version": "15.0",
        "payload": backup.PAYLOADS[engine],
        "payload_size": len(payload),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "migrations": [],
        "tables": {},
        **changes,
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("text", "not a zip archive"),
        ("sqlite", "not a zip archive"),
        ("zip without manifest", "has no manifest.json"),
        ("foreign manifest", "not a Kelisim manifest"),
        ("future format", "format version 99"),
        ("no payload", "lacks or garbles payload"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, content, reason):
    path = tmp_path / "backup.zip"
    if content == "text":
        path.write_text("name,phone\n")
    elif content == "sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
    elif content == "zip without manifest":
        write_archive(path, None, b"data", backup.PAYLOADS[VENDOR])
    elif content == "foreign manifest":
        write_archive(path, {"format": "something-else"})
    elif content == "future format":
        write_archive(path, fake_manifest(VENDOR, version=99), b"not a database", backup.PAYLOADS[VENDOR])
    else:
        write_archive(path, fake_manifest(VENDOR))

    with pytest.raises(CommandError, match=rf"is not a Kelisim backup: .*{reason}"):
        call_command("restore", str(path), stdout=io.StringIO())


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    other = OTHER[VENDOR]
    path = write_archive(
        tmp_path / "other.zip", fake_manifest(other), b"not a database", backup.PAYLOADS[other]
    )
    assert read_manifest(path)["engine"] == other
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with pytest.raises(
        CommandError,
        match=f"is a backup of a {names[other]} database, and the target database is {names[VENDOR]}",
    ):
        call_command("restore", str(path), stdout=io.StringIO())


def test_restore_refuses_a_backup_from_a_newer_kelisim(tmp_path, empty_target):
    manifest = fake_manifest(VENDOR, migrations=[["core", "0001_initial"], ["core", "9999_from_the_future"]])
    path = write_archive(tmp_path / "newer.zip", manifest, b"not a database", backup.PAYLOADS[VENDOR])
    with pytest.raises(BackupError, match=r"newer version of Kelisim.*core.9999_from_the_future"):
        restore(path, empty_target)
    assert target_tables(empty_target) == []


def test_restore_refuses_a_damaged_backup_and_leaves_the_target_alone(tmp_path, empty_target):
    manifest = fake_manifest(VENDOR, payload=b"the original bytes")
    path = write_archive(tmp_path / "damaged.zip", manifest, b"the damaged bytes!", backup.PAYLOADS[VENDOR])
    with pytest.raises(BackupError, match="is damaged"):
        restore(path, empty_target)
    assert target_tables(empty_target) == []
    if VENDOR == "sqlite":
        assert not Path(empty_target["NAME"]).exists()


def test_backup_refuses_a_missing_folder_and_an_existing_file(tmp_path):
    with pytest.raises(CommandError, match=r"the folder .*missing does not exist"):
        call_command("backup", str(tmp_path / "missing" / "b.zip"), stdout=io.StringIO())
    existing = tmp_path / "b.zip"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match=r"already exists; .*--overwrite"):
        call_command("backup", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"yesterday's backup"
    with pytest.raises(CommandError, match="is a folder"):
        call_command("backup", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_backup_leaves_nothing_behind_when_writing_fails(tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
    with pytest.raises(CommandError, match=r"Cannot write the backup to .*b.zip: No space left on device"):
        call_command("backup", str(tmp_path / "b.zip"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_a_missing_postgresql_client_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        backup._pg_tool("pg_dump")


def test_checksums_follow_the_content_not_the_order_of_insertion():
    def database(rows):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
        conn.execute("CREATE TABLE loose (a, b)")  # no primary key: ordered by every column
        conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
        conn.executemany("INSERT INTO loose VALUES (?, ?)", [(v, i) for i, v in rows])
        conn.commit()
        return table_checksums(conn)

    rows = [(1, "a"), (2, None), (3, b"\x00\n"), (4, 1.5), (5, "line\nbreak")]
    reference = database(rows)
    assert reference["t"][0] == 5
    assert database(list(reversed(rows))) == reference
    assert database([*rows[:1], (2, "NULL"), *rows[2:]])["t"] != reference["t"]  # NULL is not 'NULL'
    assert database([(1, "1"), *rows[1:]])["t"] != database([(1, 1), *rows[1:]])["t"]  # 1 is not '1'
    assert database(rows[:4])["t"] != reference["t"]


def test_client_tool_errors_stop_before_lines_that_quote_data():
    stderr = (
        'pg_restore: error: COPY failed for table "accounts_user": ERROR:  duplicate key value\n'
        "DETAIL:  Key (username)=(aigerim.n) already exists.\n"
        'CONTEXT:  COPY accounts_user, line 1: "7\taigerim.n\tАйгерім"\n'
    )
    message = backup._tool_error(stderr)
    assert "duplicate key value" in message
    assert "aigerim" not in message
    assert (
        backup._tool_error("pg_dump: error: x\npg_dump: detail: Query was: SELECT secret\n")
        == "pg_dump: error: x"
    )
