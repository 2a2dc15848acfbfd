"""The Open311 conformance client of the project (shared/tools/open311_check.py, which behaves as a
third-party GeoReport v2 client does) against a live server, in JSON and with the XML checks, with
the privacy scan on: nothing it posts (names, e-mail, phone, text) may come back in a GET."""

import subprocess
import sys
from pathlib import Path

import pytest

from kelisim.appeals import services

CLIENT = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "open311_check.py"


@pytest.mark.skipif(not CLIENT.exists(), reason=f"the conformance client is not at {CLIENT}")
@pytest.mark.parametrize("extra", [[], ["--xml"], ["--address-string", "Қордай, Жібек жолы 12"]])
def test_the_open311_client_passes_every_check(live_server, make_user, korday_department, tmp_path, extra):
    coordinator = make_user("regional_coordinator", "310000000")
    _key, raw = services.open311_key_create(
        actor=coordinator, name="conformance", department=korday_department
    )
    forbidden = tmp_path / "forbidden.txt"
    forbidden.write_text("# the values the client posts are forbidden by default\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base",
            f"{live_server.url}/open311/v2",
            f"--api-key={raw}",  # one word, whatever the key's first character
            "--forbidden-file",
            str(forbidden),
            "--timeout",
            "60",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert run.returncode == 0 and not failed, run.stdout + run.stderr
    assert lines[-1].endswith(" 0 failed")
    for check in (
        "requests.post",
        "requests.post_no_location",
        "requests.post_unknown_service",
        "privacy.forbidden_strings",
    ):
        assert f"PASS {check}" in lines, run.stdout
    if "--xml" in extra:
        assert "PASS discovery.xml" in lines and "PASS services.xml" in lines
