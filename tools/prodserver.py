"""Kelisim as it runs in production, on this machine's loopback: a fresh PostgreSQL database, the
setup commands under kelisim.settings.production, static files from collectstatic served by
WhiteNoise, and gunicorn with deploy/gunicorn.conf.py on 127.0.0.1:<free port>.

Used by tools/prod_check.py, tools/soak.py and the Makefile; by hand:

    python tools/prodserver.py up                 # create, prepare, serve until Ctrl-C, drop
    python tools/prodserver.py up --keep --port 8100
    python tools/prodserver.py create kelisim_try [--replace]
    python tools/prodserver.py prepare kelisim_try
    python tools/prodserver.py serve kelisim_try [--port 8100]
    python tools/prodserver.py drop kelisim_try

From Python:

    with prodserver.production("kelisim_check") as instance:
        instance.client.get("/readyz").json()

Everything stays on loopback: the server binds 127.0.0.1 only, and the PostgreSQL administration
URL (KELISIM_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres) must point at
this machine, so that a mistyped URL can never create or drop a database elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import importlib.metadata
import json as jsonlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BIN = VENV_BIN if (VENV_BIN / "python").exists() else Path(sys.executable).parent
PYTHON = str(BIN / "python")
KELISIM = str(BIN / "kelisim")
GUNICORN = str(BIN / "gunicorn")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
CACHE = ROOT / "var" / "prodserver"
SETTINGS = "kelisim.settings.production"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
PROTECTED = {"postgres", "template0", "template1"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# The setup of `make setup`, in the Makefile's order, in one process (five start-ups saved).
SETUP_COMMANDS: list[tuple[str, list[str]]] = [
    ("migrate", ["--no-input"]),
    ("sync_roles", []),
    ("load_territories", []),
    ("load_instruments", []),
    ("load_demo", []),
]


class ProdServerError(RuntimeError):
    """Something in the production set-up failed; the message says what and shows the output."""


def admin_url() -> str:
    return os.environ.get("KELISIM_TEST_POSTGRES_URL") or DEFAULT_ADMIN_URL


def _require_loopback(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ProdServerError(f"not a PostgreSQL URL: {parts.scheme}://…")
    host = parts.hostname or ""
    query_host = urllib.parse.parse_qs(parts.query).get("host", [""])[0]
    if host and host not in LOOPBACK_HOSTS:
        raise ProdServerError(f"PostgreSQL must be on loopback, not {host!r}")
    if not host and query_host and not query_host.startswith("/"):
        raise ProdServerError(f"PostgreSQL must be on loopback, not {query_host!r}")


def _check_name(name: str) -> str:
    if not NAME_RE.match(name) or name in PROTECTED:
        raise ProdServerError(f"refusing the database name {name!r}: lower-case letters, digits and _")
    return name


def database_url(name: str, admin: str | None = None) -> str:
    admin = admin or admin_url()
    _require_loopback(admin)
    parts = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parts._replace(path="/" + _check_name(name)))


def _admin_execute(statement: str, admin: str | None = None) -> list[tuple[Any, ...]]:
    import psycopg

    admin = admin or admin_url()
    _require_loopback(admin)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []
    except psycopg.Error as error:
        raise ProdServerError(f"PostgreSQL ({statement.split()[0]} …): {error}") from error


def database_exists(name: str, admin: str | None = None) -> bool:
    rows = _admin_execute(
        f"SELECT 1 FROM pg_database WHERE datname = '{_check_name(name)}'",  # noqa: S608 - name checked
        admin,
    )
    return bool(rows)


def create_database(name: str, admin: str | None = None, *, replace: bool = False) -> str:
    """A new, empty database; its URL. An existing one is an error unless `replace`."""
    _check_name(name)
    if database_exists(name, admin):
        if not replace:
            raise ProdServerError(f"the database {name} exists already (use replace=True / --replace)")
        drop_database(name, admin)
    _admin_execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", admin)
    return database_url(name, admin)


def drop_database(name: str, admin: str | None = None) -> None:
    _admin_execute(f'DROP DATABASE IF EXISTS "{_check_name(name)}" WITH (FORCE)', admin)


def production_env(
    database: str, var_dir: Path, *, ssl_redirect: bool = True, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment a systemd unit gives Kelisim (deploy/env.example), for this machine."""
    _require_loopback(database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database,
        "SECURE_SSL_REDIRECT": "true" if ssl_redirect else "false",
        "KELISIM_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DEBUG", None)
    env.update(extra or {})
    return env


def _run(command: list[str], env: dict[str, str], what: str, timeout: float = 600) -> str:
    try:
        completed = subprocess.run(  # noqa: S603 - our own executables, no shell
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ProdServerError(f"{what}: no answer in {timeout:.0f} s") from error
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-30:])
        raise ProdServerError(f"{what} failed (exit {completed.returncode}):\n{tail}")
    return completed.stdout


_PREPARE = """
import django
django.setup()
from django.core.management import call_command
for name, args in {commands!r}:
    print("=== " + name, flush=True)
    call_command(name, *args, verbosity=0 if name == "migrate" else 1)
"""
_LOGIN_RE = re.compile(r"^\s{2}([a-z][\w.@+-]*)\s+(\S+)\s+\S")


def prepare(env: dict[str, str]) -> dict[str, str]:
    """migrate, sync_roles, load_territories, load_instruments, load_demo (as `make setup` does);
    returns the demo accounts' passwords that load_demo printed in this run."""
    output = _run(
        [PYTHON, "-c", _PREPARE.format(commands=SETUP_COMMANDS)], env, "preparing the database", 900
    )
    demo = output.split("=== load_demo", 1)[-1]
    logins = {m.group(1): m.group(2) for line in demo.splitlines() if (m := _LOGIN_RE.match(line))}
    if not logins:
        raise ProdServerError(f"load_demo printed no demo accounts:\n{demo[-2000:]}")
    return logins


def _static_key() -> str:
    """What collectstatic's output depends on: our static files, the installed packages (theirs),
    and the storage settings."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "kelisim" / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for dist in sorted(  # a set: the checkout's own egg-info may be on sys.path twice
        {f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions() if d.metadata}
    ):
        digest.update(dist.encode())
    for name in ("base.py", "production.py"):
        digest.update((ROOT / "kelisim" / "settings" / name).read_bytes())
    return digest.hexdigest()[:16]


_PLAIN_SETTINGS = """
from kelisim.settings.production import *  # noqa: F403
from kelisim.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
"""


def collectstatic(env: dict[str, str], *, fresh: bool = False, compress: bool = True) -> Path:
    """Run collectstatic into KELISIM_VAR_DIR/static (STATIC_ROOT).

    Unless `fresh`, the result is kept in var/prodserver/ and linked, since compressing every file
    takes the best part of a minute and changes only with the static files or the installed
    packages. `compress=False` (for runs that never fetch a static file) accepts a build without
    the brotli and gzip copies, made in seconds: the same hashed names and manifest, by Django's
    ManifestStaticFilesStorage, which WhiteNoise's storage extends."""
    static_root = Path(env["KELISIM_VAR_DIR"]) / "static"
    if fresh:
        _run([KELISIM, "collectstatic", "--no-input", "-v0"], env, "collectstatic", 900)
        if not (static_root / "staticfiles.json").exists():
            raise ProdServerError(f"collectstatic wrote no manifest in {static_root}")
        return static_root
    key = _static_key()
    cached = CACHE / f"static-{key}"
    if not compress and not (cached / "staticfiles.json").exists():
        cached = CACHE / f"static-{key}-plain"
    if not (cached / "staticfiles.json").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE, prefix="build-") as build:
            build_env = {**env, "KELISIM_VAR_DIR": build}
            if cached.name.endswith("-plain"):
                Path(build, "prodserver_plain_static.py").write_text(_PLAIN_SETTINGS)
                build_env["DJANGO_SETTINGS_MODULE"] = "prodserver_plain_static"
                build_env["PYTHONPATH"] = os.pathsep.join(p for p in (build, env.get("PYTHONPATH", "")) if p)
            _run([KELISIM, "collectstatic", "--no-input", "-v0"], build_env, "collectstatic", 900)
            with contextlib.suppress(OSError):  # another run may have finished first
                Path(build, "static").rename(cached)
        for old in CACHE.glob("static-*"):
            if not old.name.startswith(f"static-{key}") and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    static_root.parent.mkdir(parents=True, exist_ok=True)
    if static_root.is_symlink() or static_root.exists():
        static_root.unlink() if static_root.is_symlink() else shutil.rmtree(static_root)
    static_root.symlink_to(cached, target_is_directory=True)
    return static_root


def kelisim_shell(env: dict[str, str], code: str, what: str = "kelisim shell") -> str:
    return _run([KELISIM, "shell", "-c", code], env, what, 300)


def run_kelisim(env: dict[str, str], args: list[str], what: str) -> str:
    return _run([KELISIM, *args], env, what, 300)


def api_token(env: dict[str, str], username: str, name: str = "prodserver") -> str:
    """A new API token for the user, made by kelisim.accounts.services.api_token_create."""
    code = (
        "from kelisim.accounts.models import User\n"
        "from kelisim.accounts.services import api_token_create\n"
        f"_token, key = api_token_create(user=User.objects.get(username={username!r}), name={name!r})\n"
        "print('TOKEN=' + key)\n"
    )
    output = kelisim_shell(env, code, f"creating an API token for {username}")
    match = re.search(r"^TOKEN=(\S+)$", output, re.M)
    if not match:
        raise ProdServerError(f"no token printed:\n{output[-1000:]}")
    return match.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# HTTP -----------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    def json(self) -> Any:
        return jsonlib.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    """A small HTTP client for the loopback server. By default each request says it came through
    nginx over TLS (X-Forwarded-Proto: https), as behind the proxy of deploy/nginx-kelisim.conf."""

    port: int
    host: str = "127.0.0.1"
    https: bool = True
    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    @property
    def origin(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Response:
        sent = {"Host": f"{self.host}:{self.port}", "Accept-Language": "kk"}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | None = None
        if json is not None:
            body = jsonlib.dumps(json).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for raw in answer.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(raw)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return Response(answer.status, answer.headers, data, elapsed)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.request("POST", path, **kwargs)


# The server -----------------------------------------------------------------------------------------


class Server:
    """gunicorn with deploy/gunicorn.conf.py, bound to 127.0.0.1:<port>, in its own process group."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None, workers: int | None = None):
        self.env = env
        self.log = log
        self.port = port or free_port()
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout: float = 60) -> Server:
        command = [GUNICORN, "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{self.port}"]
        if self.workers:
            command += ["--workers", str(self.workers)]
        command.append("kelisim.wsgi:application")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, no shell
                command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_ready(ready_timeout)
        return self

    def client(self, **kwargs: Any) -> Client:
        return Client(port=self.port, **kwargs)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 60) -> float:
        """Seconds until /readyz answers 200."""
        started = time.monotonic()
        client = self.client(timeout=5)
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise ProdServerError(
                    f"gunicorn exited with {self.process.returncode} while starting:\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                if client.get("/readyz").status == 200:
                    return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise ProdServerError(
                    f"/readyz did not answer 200 within {timeout:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to gunicorn (a graceful stop), then SIGKILL to its process group if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@dataclass
class Instance:
    name: str
    database: str
    env: dict[str, str]
    var_dir: Path
    logins: dict[str, str]
    server: Server

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def client(self) -> Client:
        return self.server.client()


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"[prodserver] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def production(
    name: str | None = None,
    *,
    port: int | None = None,
    workers: int | None = None,
    ssl_redirect: bool = True,
    fresh_static: bool = False,
    compress_static: bool = True,
    keep: bool = False,
    quiet: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Instance]:
    """Create and prepare a database, collect the static files, start gunicorn and wait for
    /readyz; on the way out stop gunicorn, drop the database and remove the scratch folder."""
    name = name or f"kelisim_prod_{os.getpid()}_{secrets.token_hex(3)}"
    var_dir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    created = False
    server: Server | None = None
    instance: Instance | None = None
    try:
        started = time.monotonic()
        database = create_database(name)
        created = True
        env = production_env(database, var_dir, ssl_redirect=ssl_redirect, extra=extra_env)
        _say(quiet, f"database {name} created; preparing it (migrate, roles, KATO, instruments, demo)")
        logins = prepare(env)
        _say(quiet, f"prepared in {time.monotonic() - started:.1f} s; collectstatic")
        collectstatic(env, fresh=fresh_static, compress=compress_static)
        server = Server(env, var_dir / "gunicorn.log", port=port, workers=workers)
        server.start()
        _say(
            quiet,
            f"gunicorn ready on http://127.0.0.1:{server.port} after {time.monotonic() - started:.1f} s",
        )
        instance = Instance(name, database, env, var_dir, logins, server)
        yield instance
    finally:
        if instance is not None:  # the caller may have replaced the server (another configuration)
            instance.server.stop()
        if server is not None:
            server.stop()
        if created and not keep:
            drop_database(name)
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            _say(quiet, f"kept: database {name}, folder {var_dir}")


# Command line ---------------------------------------------------------------------------------------


def _var_dir_for(name: str) -> Path:
    return ROOT / "var" / "prodserver" / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="create, prepare and serve a database until Ctrl-C, then drop it")
    up.add_argument("--name", default=None)
    up.add_argument("--port", type=int, default=None)
    up.add_argument("--workers", type=int, default=None)
    up.add_argument("--keep", action="store_true", help="keep the database and the folder")
    create = commands.add_parser("create", help="create an empty database")
    create.add_argument("name")
    create.add_argument("--replace", action="store_true", help="drop it first if it exists")
    prep = commands.add_parser("prepare", help="migrate and load the setup data into the database")
    prep.add_argument("name")
    serve = commands.add_parser("serve", help="serve a prepared database until Ctrl-C")
    serve.add_argument("name")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=None)
    drop = commands.add_parser("drop", help="drop the database")
    drop.add_argument("name")
    args = parser.parse_args(argv)

    def wait_for_interrupt(port: int) -> None:
        print(f"Serving http://127.0.0.1:{port} (send X-Forwarded-Proto: https); Ctrl-C stops.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)

    try:
        if args.command == "up":
            with production(args.name, port=args.port, workers=args.workers, keep=args.keep) as instance:
                for username, password in instance.logins.items():
                    print(f"  {username:22} {password}")
                wait_for_interrupt(instance.port)
        elif args.command == "create":
            print(create_database(args.name, replace=args.replace))
        elif args.command == "prepare":
            env = production_env(database_url(args.name), _var_dir_for(args.name))
            for username, password in prepare(env).items():
                print(f"  {username:22} {password}")
        elif args.command == "serve":
            env = production_env(database_url(args.name), _var_dir_for(args.name))
            collectstatic(env)
            server = Server(
                env, _var_dir_for(args.name) / "gunicorn.log", port=args.port, workers=args.workers
            )
            try:
                server.start()
                wait_for_interrupt(server.port)
            finally:
                server.stop()
        elif args.command == "drop":
            drop_database(args.name)
    except ProdServerError as error:
        print(f"prodserver: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
