"""`make prod-check`: Kelisim as deployed, smoke-tested on this machine's loopback.

`kelisim check --deploy` under kelisim.settings.production, then a fresh PostgreSQL database
prepared as `make setup` does, collectstatic into a scratch STATIC_ROOT, gunicorn with
deploy/gunicorn.conf.py, and requests as nginx would forward them (X-Forwarded-Proto: https):
health and readiness, the Kazakh home page and its security headers, the static CSS through
WhiteNoise, a demo account's sign-in, the API with a personal token, and the access log's privacy.

    python tools/prod_check.py [--cached-static]

Exits 0 when every check passes; otherwise prints each failure and exits 1.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bouncer
import prodserver

USER = "coordinator.korday"  # a demo account without two factors (no restricted records)


class CheckFailed(AssertionError):
    pass


def expect(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_deploy() -> str:
    """`kelisim check --deploy --fail-level WARNING` with production's settings and environment."""
    env = prodserver.production_env(
        prodserver.database_url("kelisim_deploy_check"),  # not connected to
        Path("/nonexistent-kelisim-var"),
        ssl_redirect=True,
    )
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("SECURE_SSL_REDIRECT")  # the production default, as a real server runs
    output = prodserver._run(
        [prodserver.KELISIM, "check", "--deploy", "--fail-level", "WARNING"],
        env,
        "kelisim check --deploy (production settings)",
    )
    expect("no issues" in output, f"check --deploy reported something:\n{output}")
    return output.strip().splitlines()[-1]


def job_round_trip(env: dict[str, str]) -> str:
    """The production settings queue jobs in the database; the worker (kelisim-worker.service)
    runs them. An import of one row goes through both, as the import page would send it."""
    queue = (
        "import uuid\n"
        "from kelisim.accounts import policies\n"
        "from kelisim.accounts.models import Department, User\n"
        "from kelisim.appeals import importer\n"
        "from kelisim.appeals.tasks import import_appeals_file\n"
        "from kelisim.core import jobs\n"
        f"user = User.objects.get(username={USER!r})\n"
        "department = Department.objects.filter(policies.scope_q(user, 'view_department')).first()\n"
        "territory = next(p for c, p in policies.grants(user) if c == 'import_appeals').split('/')[-2]\n"
        "stored = uuid.uuid4().hex + '.csv'\n"
        "(importer.upload_dir() / stored).write_text('type,channel,applicant_name,territory,department,"
        "text,received_on\\nstatement,written,Prod Check,' + territory + ',' + department.code + "
        "',prod-check,2026-01-05\\n', encoding='utf-8')\n"
        "job = jobs.job_create(actor=user, kind='appeal_import', params={'file': stored}, "
        "task=import_appeals_file)\n"
        "print('JOB=' + str(job.pk))\n"
    )
    output = prodserver.kelisim_shell(env, queue, "queueing an import job")
    found = re.search(r"^JOB=(\S+)$", output, re.M)
    expect(found, f"no job was queued:\n{output[-800:]}")
    job_id = found.group(1) if found else ""
    look = (
        "from kelisim.core.models import Job\n"
        f"job = Job.objects.get(pk={job_id!r})\n"
        "print('STATUS=' + job.status + ' ' + repr(job.messages))\n"
    )
    before = prodserver.kelisim_shell(env, look, "reading the job")
    expect("STATUS=queued" in before, f"the job did not wait for the worker: {before[-300:]}")
    prodserver.run_kelisim(env, ["db_worker", "--batch", "--no-startup-delay", "--no-reload"], "the worker")
    after = prodserver.kelisim_shell(env, look, "reading the job")
    expect("STATUS=done" in after, f"the worker did not finish the job: {after[-300:]}")
    return f"queued, then done by `kelisim db_worker`: {after.strip().splitlines()[-1]}"


def signed_in(port: int, password: str) -> prodserver.Client:
    """A browser signed in as USER on the server at `port`."""
    browser = prodserver.Client(port=port)
    page = browser.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    expect(token, f"the sign-in page answered {page.status} without a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": USER, "password": password}
    r = browser.post("/accounts/login/", form=form, headers={"Referer": f"{browser.origin}/accounts/login/"})
    expect(r.status == 302, f"signing in answered {r.status}, not 302")
    return browser


def bouncer_checks(
    instance: prodserver.Instance, env: dict[str, str], first: prodserver.Server, second: prodserver.Server
) -> list[tuple[str, Callable[[], str]]]:
    """Two application servers and the worker against one database through PgBouncer."""

    def sessions() -> str:
        browser = signed_in(first.port, instance.logins[USER])
        other = prodserver.Client(port=second.port, cookies=dict(browser.cookies))
        home = other.get("/")
        expect(
            home.status == 200 and 'action="/accounts/logout/"' in home.text,
            f"the session made on one server is not valid on the other ({home.status})",
        )
        return f"signed in on :{first.port}, the same session valid on :{second.port}"

    def row_locks() -> str:
        key = prodserver.api_token(env, USER, "prod-check-bouncer")
        a, b = (prodserver.Client(port=s.port, token=key) for s in (first, second))
        me = a.get("/api/v1/me/").json()
        rows = a.get("/api/v1/appeals/?page_size=200").json().get("results", [])
        open_rows = [r for r in rows if r["status"] in ("registered", "assigned", "in_progress", "reopened")]
        expect(open_rows, "no open demo appeal to assign")
        appeal = open_rows[0]
        body = {"action": "assign", "version": appeal["version"], "lead_executor": me["id"]}
        path = f"/api/v1/appeals/{appeal['id']}/transition/"
        answers: list[int] = []
        threads = [
            threading.Thread(target=lambda c=c: answers.append(c.post(path, json=body).status))
            for c in (a, b)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        expect(
            sorted(answers) == [200, 409],
            f"two assignments of one version through two servers answered {sorted(answers)}, not [200, 409]",
        )
        return f"appeal {appeal['id']}: one of two concurrent changes of version {appeal['version']} refused (409)"

    def advisory_lock() -> str:
        code = (
            "import os, subprocess, sys\n"
            "from django.utils.translation import gettext as _\n"
            "from kelisim.core.locks import alone\n"
            "skip = _('Another server is sending the digests now; nothing sent here.')\n"
            "with alone('remind') as mine:\n"
            f"    out = subprocess.run([{prodserver.KELISIM!r}, 'remind'], capture_output=True, text=True).stdout\n"
            "print('HELD=' + str(mine) + ' REFUSED=' + str(skip in out))\n"
            'done = _("Today\'s digests have been sent already; nothing sent here.")\n'
            f"after = subprocess.run([{prodserver.KELISIM!r}, 'remind'], capture_output=True, text=True)\n"
            "print('AFTER=' + str(after.returncode == 0 and skip not in after.stdout and done not in after.stdout))\n"
        )
        output = prodserver.kelisim_shell(env, code, "holding the digests' lock")
        expect(
            "HELD=True REFUSED=True" in output, f"the lock did not hold through PgBouncer: {output[-300:]}"
        )
        expect(
            "AFTER=True" in output, f"the digests were not sent once the lock was released: {output[-300:]}"
        )
        return "`kelisim remind` refused while another connection held its lock, ran after"

    return [
        ("PgBouncer: sessions across two servers", sessions),
        ("PgBouncer: row locks across two servers", row_locks),
        ("PgBouncer: advisory lock of the scheduled commands", advisory_lock),
        ("PgBouncer: background job through the worker", lambda: job_round_trip(env)),
    ]


def run_checks(instance: prodserver.Instance) -> list[tuple[str, Callable[[], str]]]:
    client = instance.client
    port = instance.port
    origin = f"https://127.0.0.1:{port}"
    state: dict[str, str] = {}

    def healthz() -> str:
        r = client.get("/healthz")
        expect(r.status == 200, f"/healthz answered {r.status}")
        expect(r.header("Content-Type").startswith("application/json"), "/healthz is not JSON")
        expect(r.json() == {"status": "ok"}, f"/healthz said {r.text[:200]}")
        return r.text

    def readyz() -> str:
        r = client.get("/readyz")
        expect(r.status == 200, f"/readyz answered {r.status}: {r.text[:200]}")
        expect(r.json() == {"status": "ok", "database": "ok"}, f"/readyz said {r.text[:200]}")
        cache = r.header("Cache-Control")
        expect(
            any(w in cache for w in ("no-store", "no-cache", "max-age=0")),
            f"/readyz may be cached: {cache!r}",
        )
        return r.text

    def plain_http_redirects() -> str:
        r = prodserver.Client(port=port, https=False).get("/")
        expect(r.status == 301, f"plain HTTP answered {r.status}, not 301 (SECURE_SSL_REDIRECT)")
        expect(r.header("Location").startswith("https://"), f"redirected to {r.header('Location')!r}")
        return f"301 → {r.header('Location')}"

    def home() -> str:
        r = client.get("/")
        expect(r.status == 200, f"home page answered {r.status}")
        html = r.text
        expect(re.search(r'<html lang="kk"', html), 'the home page is not <html lang="kk">')
        csp = r.header("Content-Security-Policy")
        expect(csp, "no Content-Security-Policy header")
        expect("default-src 'self'" in csp, f"CSP without default-src 'self': {csp}")
        expect("unsafe-inline" not in csp and "unsafe-eval" not in csp, f"CSP allows inline code: {csp}")
        expect("frame-ancestors 'none'" in csp, f"CSP without frame-ancestors 'none': {csp}")
        hsts = r.header("Strict-Transport-Security")
        expect(hsts.startswith("max-age=31536000"), f"HSTS header is {hsts!r}")
        expect("includeSubDomains" in hsts and "preload" in hsts, f"HSTS header is {hsts!r}")
        expect(r.header("X-Frame-Options") == "DENY", f"X-Frame-Options: {r.header('X-Frame-Options')!r}")
        expect(r.header("X-Content-Type-Options") == "nosniff", "no X-Content-Type-Options: nosniff")
        expect(
            r.header("Referrer-Policy") == "same-origin", f"Referrer-Policy: {r.header('Referrer-Policy')}"
        )
        css = re.search(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', html)
        expect(css, "no stylesheet link on the home page")
        state["css"] = css.group(1) if css else ""
        return f"lang=kk, CSP, HSTS {hsts}"

    def static_css() -> str:
        path = state.get("css", "")
        expect(re.search(r"\.[0-9a-f]{12}\.css$", path), f"the stylesheet {path} has no content hash")
        r = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        expect(r.status == 200, f"{path} answered {r.status}")
        expect(r.header("Content-Type").startswith("text/css"), f"{path} is {r.header('Content-Type')}")
        expect("immutable" in r.header("Cache-Control"), f"{path} cached as {r.header('Cache-Control')!r}")
        expect(r.header("Content-Encoding") in ("br", "gzip"), "the stylesheet is not served compressed")
        plain = client.get(path)
        expect(plain.status == 200 and b"{" in plain.body, "the uncompressed stylesheet is not CSS")
        return f"{path}: {r.header('Content-Encoding')}, {r.header('Cache-Control')}"

    def login() -> str:
        password = instance.logins.get(USER)
        expect(password, f"load_demo printed no password for {USER}")
        browser = prodserver.Client(port=port)
        page = browser.get("/accounts/login/")
        expect(page.status == 200, f"the sign-in page answered {page.status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        expect(token and "csrftoken" in browser.cookies, "the sign-in form has no CSRF token")
        set_cookie = " ".join(page.headers.get_all("Set-Cookie") or [])
        expect("Secure" in set_cookie, "the CSRF cookie is not Secure")
        form = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": USER}
        referer = {"Referer": f"{origin}/accounts/login/"}
        wrong = browser.post(
            "/accounts/login/", form={**form, "password": "not-the-password"}, headers=referer
        )
        expect(wrong.status == 200 and "sessionid" not in browser.cookies, "a wrong password signed in")
        r = browser.post("/accounts/login/", form={**form, "password": str(password)}, headers=referer)
        expect(r.status == 302, f"signing in answered {r.status}, not 302: {r.text[:300]}")
        expect(r.header("Location") in ("/", f"{origin}/"), f"signed in, sent to {r.header('Location')}")
        session = " ".join(c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid"))
        expect("Secure" in session and "HttpOnly" in session, f"the session cookie is {session!r}")
        home = browser.get("/")
        expect(home.status == 200 and 'action="/accounts/logout/"' in home.text, "not signed in after login")
        return f"{USER}: 302 → /, Secure HttpOnly session"

    def api() -> str:
        key = prodserver.api_token(instance.env, USER, "prod-check")
        anonymous = client.get("/api/v1/me/")
        expect(anonymous.status == 401, f"/api/v1/me/ without a token answered {anonymous.status}")
        api_client = prodserver.Client(port=port, token=key)
        me = api_client.get("/api/v1/me/")
        expect(me.status == 200, f"/api/v1/me/ answered {me.status}: {me.text[:300]}")
        expect(me.json().get("username") == USER, f"/api/v1/me/ is {me.json().get('username')!r}")
        events = api_client.get("/api/v1/events/")
        expect(events.status == 200, f"/api/v1/events/ answered {events.status}: {events.text[:300]}")
        body = events.json()
        expect(isinstance(body.get("results"), list), "/api/v1/events/ has no results list")
        expect(body.get("count", 0) > 0, "/api/v1/events/ lists no demo event")
        bad = prodserver.Client(port=port, token=key[:-2] + "xx").get("/api/v1/me/")
        expect(bad.status == 401, f"a wrong token answered {bad.status}")
        return f"/api/v1/me/ {USER}; /api/v1/events/ count={body['count']}"

    def background_job() -> str:
        return job_round_trip(instance.env)

    def access_log() -> str:
        marker = "Zhanbolat" + secrets.token_hex(4)
        client.get(f"/api/v1/people/?q={marker}")
        client.get(f"/calendar/feed/{marker}.ics")
        time.sleep(0.5)
        # Gunicorn's access lines: '[date] "METHOD /path HTTP/1.1" status …'; Django's own warnings
        # (Not Found: …) are application logs, configured in the settings' LOGGING.
        log = "\n".join(
            line
            for line in instance.server.log.read_text(errors="replace").splitlines()
            if re.match(r'^\[[^]]+\] "[A-Z]+ ', line)
        )
        expect(marker not in log, "the access log holds a query string or a feed token")
        expect("127.0.0.1" not in log, "the access log holds client addresses")
        expect("/calendar/feed/*.ics" in log, "the feed token was not masked in the access log")
        expect('"GET /readyz HTTP/1.1" 200' in log, "no access log lines")
        return "no query strings, no client addresses, tokens masked"

    return [
        ("/healthz", healthz),
        ("/readyz", readyz),
        ("plain HTTP → HTTPS", plain_http_redirects),
        ("home page (kk, CSP, HSTS)", home),
        ("static CSS through WhiteNoise", static_css),
        ("sign-in with a demo account", login),
        ("API with a token", api),
        ("background job through the worker", background_job),
        ("access log privacy", access_log),
    ]


def report_bouncer(instance: prodserver.Instance, report: Callable[[str, Callable[[], str]], None]) -> None:
    """The same database through PgBouncer in transaction pooling, two gunicorns and the worker."""
    try:
        with bouncer.running(prodserver.admin_url()) as port:
            env = {**instance.env, "DATABASE_URL": bouncer.url_through(instance.database, port)}
            servers = [
                prodserver.Server(env, instance.var_dir / f"gunicorn-{n}.log", workers=2) for n in "ab"
            ]
            try:
                for server in servers:
                    server.start()
                for name, check in bouncer_checks(instance, env, *servers):
                    report(name, check)
            finally:
                for server in servers:
                    server.stop()
    except bouncer.BouncerError as error:
        message = str(error)

        def refused() -> str:
            raise CheckFailed(message)

        report("PgBouncer", refused)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cached-static", action="store_true", help="reuse var/prodserver's collectstatic output"
    )
    args = parser.parse_args(argv)
    failures: list[str] = []

    def report(name: str, check: Callable[[], str]) -> None:
        try:
            detail = check()
        except (CheckFailed, prodserver.ProdServerError) as error:
            failures.append(f"{name}: {error}")
            print(f"FAIL {name}: {error}", flush=True)
        except Exception as error:  # a crash in a check is a failure, reported like the others
            failures.append(f"{name}: {type(error).__name__}: {error}")
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
        else:
            print(f"ok   {name}: {detail}", flush=True)

    started = time.monotonic()
    report("kelisim check --deploy", check_deploy)
    try:
        with prodserver.production(
            f"kelisim_prodcheck_{secrets.token_hex(3)}", fresh_static=not args.cached_static
        ) as instance:
            for name, check in run_checks(instance):
                report(name, check)
            report_bouncer(instance, report)
            if failures:
                print("\ngunicorn's log, last lines:\n" + instance.server.log_tail(30), file=sys.stderr)
    except prodserver.ProdServerError as error:
        failures.append(f"production server: {error}")
        print(f"FAIL production server: {error}", flush=True)
    took = time.monotonic() - started
    if failures:
        print(f"\nprod-check FAILED ({len(failures)} of the checks, {took:.0f} s):", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure.splitlines()[0]}", file=sys.stderr)
        return 1
    print(f"\nprod-check passed in {took:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
