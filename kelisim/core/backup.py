"""Backups: a consistent snapshot of the whole database in one file, and its restore into an empty one.

A backup is a zip archive (docs/backups.md) with two members:

- ``manifest.json``: the format and its version, the engine, the time, the versions of Kelisim, Django,
  the database and pg_dump, the applied migrations, the payload's size and SHA-256, and every table's
  row count and content checksum (``table_checksums``) taken from the same snapshot as the payload;
- the payload: ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump`` (``pg_dump -Fc``).

A restore checks the manifest (engine, migrations, payload checksum), refuses any target database that
already holds tables, restores, then recomputes the checksums of the restored database and compares them
with the manifest's. Nothing here logs or prints the content of a row.
"""

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMAT = "kelisim-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024

# settings.DATABASES[...]["OPTIONS"] keys that libpq understands, with the environment variable that
# carries each one to pg_dump and pg_restore (Django-only options such as "pool" are left out).
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}
# Names of settings, libpq parameters and variables (no secret: hence the nosec on "password").
_SETTINGS_TO_LIBPQ = {
    "NAME": "dbname",
    "USER": "user",
    "PASSWORD": "password",  # nosec B105
    "HOST": "host",
    "PORT": "port",
}
_LIBPQ_ENV = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",  # nosec B105
    "host": "PGHOST",
    "port": "PGPORT",
    **_LIBPQ_OPTIONS,
}

Checksums = dict[str, tuple[int, str]]


class BackupError(CommandError):
    """A backup or a restore refused or failed; the message says what is wrong, for the operator."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]
    size: int

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(rows for rows, _digest in self.manifest["tables"].values())


@dataclass(frozen=True)
class Restored:
    engine: str
    tables: int
    rows: int
    verified: bool
    # Migrations this version of Kelisim has and the backup had not applied: run `kelisim migrate`.
    missing_migrations: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Checksums


def table_checksums(
    connection: BaseDatabaseWrapper | sqlite3.Connection | psycopg.Connection[Any],
) -> Checksums:
    """Every table of the database: {table: (rows, sha256 of its columns and of its rows in order)}.

    Takes a Django connection or a raw sqlite3 / psycopg one, and reads all tables in one read
    transaction (a snapshot) when the connection is not already inside a transaction. Rows are read in
    primary-key order (all columns, when a table has no primary key), and every value is printed by the
    database itself (SQLite's quote(), PostgreSQL's text output under fixed settings), so the same data
    gives the same checksum on any connection of one engine, whatever Python types a driver would make.
    PostgreSQL tables of schemas other than public are named schema.table.
    """
    if isinstance(connection, sqlite3.Connection):
        return _sqlite_checksums(connection)
    if isinstance(connection, psycopg.Connection):
        return _postgresql_checksums(connection)
    # A Django connection, or django.db.connection (a proxy to one).
    if getattr(connection, "vendor", None) in PAYLOADS and hasattr(connection, "ensure_connection"):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            return _sqlite_checksums(connection.connection)
        return _postgresql_checksums(connection.connection)
    raise TypeError(f"table_checksums() takes a SQLite or PostgreSQL connection, not {connection!r}")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sqlite_checksums(conn: sqlite3.Connection) -> Checksums:
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        result: Checksums = {}
        for table in tables:
            columns = conn.execute(
                "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", (table,)
            ).fetchall()
            digest = hashlib.sha256(
                json.dumps([[name, kind] for name, kind, _pk in columns]).encode() + b"\n"
            )
            key = [name for name, _kind, pk in sorted(columns, key=lambda c: c[2]) if pk]
            # quote() prints each value as an SQL literal of its storage class: 1, 1.5, 'text', X'00', NULL.
            values = " || ',' || ".join(f"quote({_quote(name)})" for name, _kind, _pk in columns)
            order = ", ".join(_quote(name) for name in key) or "1"
            rows = 0
            # CAST AS BLOB: bytes straight from SQLite, untouched by the driver's converters and decoding.
            query = f"SELECT CAST({values} AS BLOB) AS v FROM {_quote(table)} ORDER BY {order}"  # nosec B608  # noqa: S608
            for (line,) in conn.execute(query):
                digest.update(line + b"\n")
                rows += 1
            result[table] = (rows, digest.hexdigest())
        return result
    finally:
        if began:
            conn.execute("COMMIT")


# Output settings fixed for the checksum transaction, so that the text of dates, times, intervals,
# floats and bytes does not depend on the session that reads them.
_PG_OUTPUT_SETTINGS = (
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO, YMD"),
    ("IntervalStyle", "postgres"),
    ("extra_float_digits", "1"),
    ("bytea_output", "hex"),
    ("lc_monetary", "C"),
    ("client_encoding", "UTF8"),
)


def _postgresql_checksums(conn: psycopg.Connection[Any]) -> Checksums:
    began = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # A transaction of its own (or a savepoint inside the caller's): SET LOCAL ends with it.
    with conn.transaction():
        if began:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for name, value in _PG_OUTPUT_SETTINGS:
            conn.execute("SELECT pg_catalog.set_config(%s, %s, true)", (name, value))
        tables = conn.execute(
            "SELECT c.oid::bigint, n.nspname, c.relname FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
            " ORDER BY n.nspname, c.relname"
        ).fetchall()
        result: Checksums = {}
        with conn.cursor() as cursor:
            for oid, schema, table in tables:
                columns = cursor.execute(
                    "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)"
                    " FROM pg_catalog.pg_attribute a"
                    " WHERE a.attrelid = %s::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    (oid,),
                ).fetchall()
                # Text keys sort by byte ("C"), so the order does not hang on the database's locale.
                key = [
                    _quote(name) + (' COLLATE "C"' if collatable else "")
                    for name, collatable in cursor.execute(
                        "SELECT a.attname, a.attcollation <> 0 FROM pg_catalog.pg_index i"
                        " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                        " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        " WHERE i.indrelid = %s::oid AND i.indisprimary ORDER BY k.ord",
                        (oid,),
                    )
                ]
                name = table if schema == "public" else f"{schema}.{table}"
                result[name] = _postgresql_table_checksum(cursor, schema, table, columns, key)
        return result


def _postgresql_table_checksum(
    cursor: psycopg.Cursor[Any], schema: str, table: str, columns: list[Any], key: list[str]
) -> tuple[int, str]:
    digest = hashlib.sha256(json.dumps([[name, kind] for name, kind in columns]).encode() + b"\n")
    relation = f"{_quote(schema)}.{_quote(table)}"
    if not columns:
        count = cursor.execute(f"SELECT count(*) FROM {relation}").fetchone()  # nosec B608  # noqa: S608
        rows = int(count[0]) if count else 0
        digest.update(b"\n" * rows)
        return rows, digest.hexdigest()
    select = ", ".join(_quote(name) for name, _kind in columns)
    order = ", ".join(key) or ", ".join(f'{_quote(name)}::text COLLATE "C"' for name, _kind in columns)
    rows = 0
    # COPY's text format: one line per row, every newline inside a value escaped, NULL as \N.
    query = f"COPY (SELECT {select} FROM {relation} ORDER BY {order}) TO STDOUT"  # nosec B608  # noqa: S608
    with cursor.copy(query) as copy:
        for chunk in copy:
            data = bytes(chunk)
            digest.update(data)
            rows += data.count(b"\n")
    return rows, digest.hexdigest()


# --------------------------------------------------------------------------------------------------
# Backup


def snapshot(path: Path | str, connection: BaseDatabaseWrapper, *, overwrite: bool = False) -> Backup:
    """Write a consistent snapshot of the database behind `connection` to `path`, atomically.

    The archive is built in a private temporary folder beside `path` and renamed into place only
    when complete, so `path` never holds half a backup. The file is readable by its owner only, and
    so is every file made on the way (the payload, pg_dump's output): they are made under umask 077.
    """
    with private_umask():
        return _snapshot(path, connection, overwrite=overwrite)


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders made meanwhile (by us, SQLite or pg_dump) are for their owner only: 0600, 0700.

    The umask is the process's: backups and restores run in their own command, not in a web worker.
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _snapshot(path: Path | str, connection: BaseDatabaseWrapper, *, overwrite: bool) -> Backup:
    vendor = connection.vendor
    if vendor not in PAYLOADS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this database is %(engine)s.") % {"engine": vendor}
        )
    destination = Path(path).expanduser().absolute()
    _check_destination(destination, overwrite=overwrite)
    try:
        work = tempfile.TemporaryDirectory(prefix=".kelisim-backup-", dir=destination.parent)
    except OSError as error:
        raise _cannot_write(destination, error) from error
    with work:
        payload = Path(work.name) / PAYLOADS[vendor]
        if vendor == "sqlite":
            facts = _dump_sqlite(connection, payload)
        else:
            facts = _dump_postgresql(connection.settings_dict, payload)
        try:
            digest, size = _file_digest(payload)
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "engine": vendor,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "kelisim_version": _kelisim_version(),
                "django_version": _django_version(),
                **facts,
                "payload": PAYLOADS[vendor],
                "payload_size": size,
                "payload_sha256": digest,
            }
            partial = Path(work.name) / "backup.zip"
            _write_archive(partial, manifest, payload, compress=vendor == "sqlite")
            _move_into_place(partial, destination, overwrite=overwrite)
            size = destination.stat().st_size
        except OSError as error:
            raise _cannot_write(destination, error) from error
    backup = Backup(path=destination, manifest=manifest, size=size)
    logger.info(
        "Backup written: %s (%s, %d tables, %d bytes)", destination, vendor, backup.tables, backup.size
    )
    return backup


def _check_destination(destination: Path, *, overwrite: bool) -> None:
    folder = destination.parent
    if destination.is_dir():
        raise BackupError(_("%(path)s is a folder; give the backup file's name.") % {"path": destination})
    if not folder.is_dir():
        raise BackupError(
            _("Cannot write the backup to %(path)s: the folder %(folder)s does not exist.")
            % {"path": destination, "folder": folder}
        )
    if destination.exists() and not overwrite:
        raise BackupError(
            _("%(path)s already exists; choose another name, or pass --overwrite to replace it.")
            % {"path": destination}
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(
            _("Cannot write the backup to %(path)s: the folder %(folder)s is not writable.")
            % {"path": destination, "folder": folder}
        )


def _cannot_write(destination: Path, error: OSError) -> BackupError:
    return BackupError(
        _("Cannot write the backup to %(path)s: %(error)s")
        % {"path": destination, "error": error.strerror or error}
    )


def _dump_sqlite(connection: BaseDatabaseWrapper, payload: Path) -> dict[str, Any]:
    name = str(connection.settings_dict["NAME"])
    if not _sqlite_in_memory(name) and not name.startswith("file:") and not Path(name).is_file():
        raise BackupError(_("The SQLite database %(path)s does not exist.") % {"path": name})
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    try:
        target = sqlite3.connect(payload)
        try:
            # One step (pages=-1) copies every page under one read lock: a consistent snapshot,
            # even while the application keeps writing (WAL).
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            migrations = _applied_migrations_sqlite(target)
            tables = _sqlite_checksums(target)
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(_("SQLite could not copy the database: %(error)s") % {"error": error}) from error
    return {
        "server_version": sqlite3.sqlite_version,
        "migrations": migrations,
        "tables": _manifest_tables(tables),
    }


def _applied_migrations_sqlite(conn: sqlite3.Connection) -> list[list[str]]:
    try:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.OperationalError as error:
        raise _not_migrated() from error
    return [[app, name] for app, name in rows]


def _not_migrated() -> BackupError:
    return BackupError(
        _(
            "The database has no migration table, so it holds no Kelisim data to back up; "
            "check DATABASE_URL, or run “kelisim migrate” first."
        )
    )


def _dump_postgresql(settings_dict: Mapping[str, Any], payload: Path) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    tool_major, tool_version = _pg_tool_version(pg_dump)
    conn = _pg_connect_or_fail(settings_dict)
    try:
        with conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            server_major, server_version = _pg_server_version(conn)
            if tool_major < server_major:
                raise BackupError(
                    _(
                        "pg_dump %(tool)s is older than the PostgreSQL server %(server)s and cannot dump it; "
                        "install the PostgreSQL %(major)d client (postgresql-client-%(major)d)."
                    )
                    % {"tool": tool_version, "server": server_version, "major": server_major}
                )
            # pg_dump and this transaction read the same snapshot, so the migrations and the checksums
            # written to the manifest describe exactly what the dump holds.
            row = conn.execute("SELECT pg_catalog.pg_export_snapshot()").fetchone()
            assert row is not None
            if conn.execute("SELECT pg_catalog.to_regclass('django_migrations')").fetchone() in (
                None,
                (None,),
            ):
                raise _not_migrated()
            migrations = [
                [app, name]
                for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            ]
            _run_pg_tool(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={row[0]}", f"--file={payload}"],
                settings_dict,
                failure=_("pg_dump failed: %(error)s"),
            )
            tables = _postgresql_checksums(conn)
            conn.rollback()
    except psycopg.Error as error:
        raise _postgresql_error(error) from error
    return {
        "server_version": server_version,
        "pg_dump_version": tool_version,
        "migrations": migrations,
        "tables": _manifest_tables(tables),
    }


def _manifest_tables(tables: Checksums) -> dict[str, list[Any]]:
    return {name: [rows, digest] for name, (rows, digest) in sorted(tables.items())}


def _write_archive(partial: Path, manifest: dict[str, Any], payload: Path, *, compress: bool) -> None:
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: owner only
    with os.fdopen(descriptor, "wb") as raw:
        with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
            archive.writestr(
                MANIFEST,
                json.dumps(manifest, indent=2, ensure_ascii=False),
                compress_type=zipfile.ZIP_DEFLATED,
            )
            # pg_dump's custom format is compressed already; an SQLite file shrinks a lot.
            archive.write(
                payload,
                manifest["payload"],
                compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED,
            )
        raw.flush()
        os.fsync(raw.fileno())


def _move_into_place(partial: Path, destination: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(partial, destination)
    else:
        # A hard link fails if the name was taken meanwhile; nothing is ever replaced without --overwrite.
        try:
            os.link(partial, destination)
        except FileExistsError as error:
            raise BackupError(
                _("%(path)s already exists; choose another name, or pass --overwrite to replace it.")
                % {"path": destination}
            ) from error
        except OSError:  # a file system without hard links
            if destination.exists():
                raise BackupError(
                    _("%(path)s already exists; choose another name, or pass --overwrite to replace it.")
                    % {"path": destination}
                ) from None
            os.replace(partial, destination)
    with suppress(OSError):  # make the rename durable where the platform allows it
        folder = os.open(destination.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _file_digest(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256")
    return digest.hexdigest(), path.stat().st_size


def _kelisim_version() -> str:
    try:
        return metadata.version("kelisim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _django_version() -> str:
    import django

    return django.get_version()


# --------------------------------------------------------------------------------------------------
# Reading a backup


def read_manifest(path: Path | str) -> dict[str, Any]:
    """The manifest of the backup at `path`, checked; a BackupError when it is not a Kelisim backup."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(_("%(path)s does not exist or is not a file.") % {"path": source})

    def not_a_backup(reason: str) -> BackupError:
        return BackupError(
            _("%(path)s is not a Kelisim backup: %(reason)s") % {"path": source, "reason": reason}
        )

    try:
        with zipfile.ZipFile(source) as archive:
            try:
                info = archive.getinfo(MANIFEST)
            except KeyError:
                raise not_a_backup(_("it has no %(name)s.") % {"name": MANIFEST}) from None
            if info.file_size > _MAX_MANIFEST_BYTES:
                raise not_a_backup(_("its manifest is too large."))
            manifest = json.loads(archive.read(info))
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise not_a_backup(_("it is not a zip archive.")) from None
    except (ValueError, RuntimeError):  # JSON, encoding, encrypted member
        raise not_a_backup(_("its manifest cannot be read.")) from None
    except OSError as error:
        raise BackupError(
            _("Cannot read %(path)s: %(error)s") % {"path": source, "error": error.strerror or error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_a_backup(_("its manifest is not a Kelisim manifest."))
    version = manifest.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise not_a_backup(
            _("it is in format version %(version)s; this version of Kelisim reads version %(supported)d.")
            % {"version": version, "supported": FORMAT_VERSION}
        )
    engine = manifest.get("engine")
    if engine not in PAYLOADS:
        raise not_a_backup(_("its engine %(engine)r is not SQLite or PostgreSQL.") % {"engine": engine})
    problems = []
    if manifest.get("payload") != PAYLOADS[engine] or PAYLOADS[engine] not in names:
        problems.append("payload")
    if not isinstance(manifest.get("payload_size"), int):
        problems.append("payload_size")
    if not (
        isinstance(manifest.get("payload_sha256"), str)
        and re.fullmatch(r"[0-9a-f]{64}", manifest["payload_sha256"])
    ):
        problems.append("payload_sha256")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, list) or not all(
        isinstance(m, list) and len(m) == 2 and all(isinstance(p, str) for p in m) for m in migrations
    ):
        problems.append("migrations")
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], int) and isinstance(v[1], str)
        for v in tables.values()
    ):
        problems.append("tables")
    if problems:
        raise not_a_backup(_("its manifest lacks or garbles %(fields)s.") % {"fields": ", ".join(problems)})
    return manifest


def manifest_checksums(manifest: Mapping[str, Any]) -> Checksums:
    return {name: (int(rows), str(digest)) for name, (rows, digest) in manifest["tables"].items()}


@contextmanager
def _extracted_payload(source: Path, manifest: Mapping[str, Any]) -> Iterator[Path]:
    """The payload, copied out into a private temporary folder and checked against the manifest."""
    damaged = BackupError(
        _(
            "%(path)s is damaged: its %(name)s does not match the checksum in its manifest. Nothing was restored."
        )
        % {"path": source, "name": manifest["payload"]}
    )
    with tempfile.TemporaryDirectory(prefix="kelisim-restore-") as work:
        payload = Path(work) / manifest["payload"]
        digest = hashlib.sha256()
        size = 0
        try:
            with (
                zipfile.ZipFile(source) as archive,
                archive.open(manifest["payload"]) as stream,
                payload.open("wb") as out,
            ):
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, KeyError, EOFError):  # a bad CRC, a truncated member
            raise damaged from None
        except OSError as error:
            raise BackupError(
                _("Cannot unpack %(path)s into %(folder)s: %(error)s")
                % {"path": source, "folder": work, "error": error.strerror or error}
            ) from error
        if size != manifest["payload_size"] or digest.hexdigest() != manifest["payload_sha256"]:
            raise damaged
        yield payload


def _check_schema(manifest: Mapping[str, Any]) -> list[str]:
    """Refuse a backup from a newer Kelisim; return the migrations the backup has not applied yet."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    installed = {config.label for config in apps.get_app_configs()}
    backed = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(key for key in backed - set(loader.disk_migrations) if key[0] in installed)
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer version of Kelisim: this version does not know its "
                "migrations %(migrations)s. Restore it with the version that made it."
            )
            % {"migrations": ", ".join(f"{app}.{name}" for app, name in unknown[:10])}
        )
    missing = []
    for key in sorted(loader.graph.nodes):
        replaces = getattr(loader.disk_migrations.get(key), "replaces", None) or []
        if key in backed or (replaces and all(tuple(r) in backed for r in replaces)):
            continue
        missing.append(f"{key[0]}.{key[1]}")
    return missing


# --------------------------------------------------------------------------------------------------
# Restore


def restore(path: Path | str, settings_dict: Mapping[str, Any], *, verify: bool = True) -> Restored:
    """Restore the backup at `path` into the empty database that `settings_dict` describes.

    `settings_dict` is one entry of settings.DATABASES (ENGINE, NAME, USER, PASSWORD, HOST, PORT,
    OPTIONS). Refuses, changing nothing, when the file is not a Kelisim backup, is damaged, comes from
    the other engine or a newer Kelisim, or when the target database already has tables.
    """
    with private_umask():  # the restored SQLite file, its journal and the unpacked payload: 0600
        return _restore(path, settings_dict, verify=verify)


def _restore(path: Path | str, settings_dict: Mapping[str, Any], *, verify: bool) -> Restored:
    from django.db.utils import load_backend

    source = Path(path).expanduser().absolute()
    manifest = read_manifest(source)
    vendor = load_backend(settings_dict["ENGINE"]).DatabaseWrapper.vendor
    if manifest["engine"] != vendor:
        raise BackupError(
            _(
                "%(path)s is a backup of a %(backup)s database, and the target database is %(target)s; "
                "restore it into a %(backup)s database."
            )
            % {
                "path": source,
                "backup": ENGINE_NAMES[manifest["engine"]],
                "target": ENGINE_NAMES.get(vendor, vendor),
            }
        )
    missing = _check_schema(manifest)
    if vendor == "sqlite":
        actual = _restore_sqlite(source, manifest, str(settings_dict["NAME"]), verify=verify)
    else:
        actual = _restore_postgresql(source, manifest, settings_dict, verify=verify)
    expected = manifest_checksums(manifest)
    if actual is not None and actual != expected:
        differing = sorted(
            name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name)
        )
        raise BackupError(
            _(
                "The backup was restored, but %(count)d tables differ from the backup's checksums: "
                "%(tables)s. Do not use this database; restore again into a new empty one."
            )
            % {"count": len(differing), "tables": ", ".join(differing[:10])}
        )
    restored = Restored(
        engine=vendor,
        tables=len(expected),
        rows=sum(rows for rows, _digest in expected.values()),
        verified=actual is not None,
        missing_migrations=missing,
    )
    logger.info(
        "Backup restored: %s (%s, %d tables, verified=%s)", source, vendor, restored.tables, restored.verified
    )
    return restored


def _not_empty(target: str, tables: list[str], others: list[str]) -> BackupError:
    if tables:
        listed = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        problem = _("it already has %(count)d tables (%(names)s)") % {"count": len(tables), "names": listed}
    else:
        listed = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        problem = _("it already has %(count)d views, sequences or indexes (%(names)s)") % {
            "count": len(others),
            "names": listed,
        }
    return BackupError(
        _(
            "The target database %(name)s is not empty: %(problem)s. Restore only into an empty database: "
            "create a new one, or remove this one first. Nothing was changed."
        )
        % {"name": target, "problem": problem}
    )


def _sqlite_in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def _sqlite_objects(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The tables, and the rest of the schema (indexes, views, triggers); an empty database has none."""
    rows = conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    return [name for kind, name in rows if kind == "table"], [name for kind, name in rows if kind != "table"]


def _restore_sqlite(
    source: Path, manifest: Mapping[str, Any], name: str, *, verify: bool
) -> Checksums | None:
    in_memory = _sqlite_in_memory(name)
    existed = in_memory or name.startswith("file:") or Path(name).exists()
    if (not in_memory and not name.startswith("file:")) and (
        Path(name).is_dir() or not Path(name).absolute().parent.is_dir()
    ):
        raise BackupError(
            _("Cannot restore into %(path)s: it is a folder, or its folder does not exist.") % {"path": name}
        )
    if existed:  # fail early, before unpacking anything
        try:
            with _sqlite_target(name, read_only=not in_memory) as probe:
                tables, others = _sqlite_objects(probe)
        except sqlite3.DatabaseError as error:
            raise BackupError(
                _(
                    "Cannot restore into %(path)s: it is not an SQLite database (%(error)s). Nothing was changed."
                )
                % {"path": name, "error": error}
            ) from error
        if tables or others:
            raise _not_empty(name, tables, others)
    if in_memory:
        raise BackupError(
            _(
                "Cannot restore into an in-memory SQLite database: it would vanish. Set DATABASE_URL to a file."
            )
        )
    with _extracted_payload(source, manifest) as payload:
        try:
            with _sqlite_target(name, read_only=False) as target:
                tables, others = _sqlite_objects(target)  # again, on the connection that writes
                if tables or others:
                    raise _not_empty(name, tables, others)
                snapshot_conn = sqlite3.connect(f"{payload.as_uri()}?mode=ro", uri=True)
                try:
                    snapshot_conn.backup(target)
                finally:
                    snapshot_conn.close()
                if not name.startswith("file:"):
                    os.chmod(name, 0o600)  # an empty file made beforehand may have been 0644
                return _sqlite_checksums(target) if verify else None
        except sqlite3.Error as error:
            if not existed:
                for leftover in (name, f"{name}-journal", f"{name}-wal", f"{name}-shm"):
                    with suppress(OSError):
                        os.remove(leftover)
            raise BackupError(
                _("SQLite could not restore into %(path)s: %(error)s") % {"path": name, "error": error}
            ) from error


@contextmanager
def _sqlite_target(name: str, *, read_only: bool) -> Iterator[sqlite3.Connection]:
    if read_only and not name.startswith("file:"):
        conn = sqlite3.connect(f"{Path(name).absolute().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(name, uri=True)  # as Django opens it: "file:" names are URIs
    try:
        yield conn
    finally:
        conn.close()


def _restore_postgresql(
    source: Path, manifest: Mapping[str, Any], settings_dict: Mapping[str, Any], *, verify: bool
) -> Checksums | None:
    pg_restore = _pg_tool("pg_restore")
    tool_major, tool_version = _pg_tool_version(pg_restore)
    dumped_by = str(manifest.get("pg_dump_version", "0"))
    if tool_major < int(dumped_by.split(".")[0] or 0):
        raise BackupError(
            _(
                "pg_restore %(tool)s cannot read a backup made by pg_dump %(dumped)s; "
                "install a PostgreSQL client of version %(dumped)s or newer."
            )
            % {"tool": tool_version, "dumped": dumped_by}
        )
    target = str(settings_dict.get("NAME") or "")
    try:
        with _pg_connect_or_fail(settings_dict, autocommit=True) as conn:
            relations = conn.execute(
                "SELECT c.relkind IN ('r', 'p'),"
                " CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END"
                " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                " AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
                " ORDER BY 2"
            ).fetchall()
    except psycopg.Error as error:
        raise _postgresql_error(error) from error
    if relations:
        raise _not_empty(
            target,
            [name for is_table, name in relations if is_table],
            [name for is_table, name in relations if not is_table],
        )
    with _extracted_payload(source, manifest) as payload:
        # One transaction: if anything fails, nothing at all is restored. Objects belong to the user
        # that restores; grants are left out, since the roles they name may not exist here.
        _run_pg_tool(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={psycopg.conninfo.make_conninfo(dbname=target)}",
                str(payload),
            ],
            settings_dict,
            failure=_("pg_restore failed, so nothing was restored: %(error)s"),
        )
    if not verify:
        return None
    try:
        with _pg_connect_or_fail(settings_dict) as conn:
            return _postgresql_checksums(conn)
    except psycopg.Error as error:
        raise _postgresql_error(error) from error


# --------------------------------------------------------------------------------------------------
# PostgreSQL connections and client tools


def postgresql_params(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """libpq parameters from one settings.DATABASES entry (what Django itself would connect with)."""
    params = {}
    for setting, param in _SETTINGS_TO_LIBPQ.items():
        value = settings_dict.get(setting)
        if value not in (None, ""):
            params[param] = str(value)
    for option, value in (settings_dict.get("OPTIONS") or {}).items():
        if option in _LIBPQ_OPTIONS and value not in (None, ""):
            params[option] = str(value)
    return params


def connect_postgresql(
    settings_dict: Mapping[str, Any], *, autocommit: bool = False, **overrides: str
) -> psycopg.Connection[Any]:
    """A psycopg connection to the database of `settings_dict`; `overrides` replace libpq parameters."""
    params = {"application_name": "kelisim-backup", **postgresql_params(settings_dict), **overrides}
    return psycopg.connect(psycopg.conninfo.make_conninfo(**params), autocommit=autocommit)


def _pg_connect_or_fail(
    settings_dict: Mapping[str, Any], *, autocommit: bool = False
) -> psycopg.Connection[Any]:
    try:
        return connect_postgresql(settings_dict, autocommit=autocommit)
    except psycopg.OperationalError as error:
        raise BackupError(
            _("Cannot connect to the PostgreSQL database %(name)s: %(error)s")
            % {"name": settings_dict.get("NAME"), "error": str(error).strip().splitlines()[-1]}
        ) from error


def _postgresql_error(error: psycopg.Error) -> BackupError:
    # The first line only: the next ones (DETAIL, CONTEXT) can quote a row's values.
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return BackupError(_("PostgreSQL reported an error: %(error)s") % {"error": first})


def _pg_server_version(conn: psycopg.Connection[Any]) -> tuple[int, str]:
    number = conn.info.server_version
    return number // 10000, f"{number // 10000}.{number % 10000}"


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(tool)s was not found on PATH; install the PostgreSQL client tools of the server's "
                "version (Debian: apt-get install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _pg_tool_version(tool: str) -> tuple[int, str]:
    completed = subprocess.run(  # nosec B603  # noqa: S603 - absolute path from shutil.which, no shell
        [tool, "--version"], capture_output=True, text=True, check=False
    )
    found = re.search(r"\)\s*(\d+)(?:\.(\d+))?", completed.stdout)
    if completed.returncode != 0 or not found:
        raise BackupError(
            _("%(tool)s does not run: %(error)s") % {"tool": tool, "error": completed.stderr.strip()}
        )
    major, minor = found.groups()
    return int(major), f"{major}.{minor}" if minor else major


def _pg_environment(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the connection settings, the password among them,
    travel as PG* variables and never on a command line that `ps` could show."""
    environment = dict(os.environ)
    for param, value in postgresql_params(settings_dict).items():
        environment[_LIBPQ_ENV[param]] = value
    environment["PGAPPNAME"] = "kelisim-backup"
    return environment


def _run_pg_tool(command: list[str], settings_dict: Mapping[str, Any], *, failure: str) -> None:
    completed = subprocess.run(  # nosec B603  # noqa: S603 - absolute path from shutil.which, no shell
        command, env=_pg_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(failure % {"error": _tool_error(completed.stderr)})


# libpq and pg_dump/pg_restore lines that can quote a row's values or a statement: left out.
_QUOTING_LINE = re.compile(
    r"^(?:[\w.-]+:\s*)?(?:DETAIL|CONTEXT|HINT|LINE \d+|STATEMENT|QUERY|Command was|Query was)\b",
    re.IGNORECASE,
)


def _tool_error(stderr: str) -> str:
    """The tool's own error, up to the first line that can quote data or a statement (_QUOTING_LINE)."""
    lines = []
    for line in stderr.splitlines():
        if _QUOTING_LINE.match(line.strip()):
            break
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines[:4])[:800] or _("no message")
