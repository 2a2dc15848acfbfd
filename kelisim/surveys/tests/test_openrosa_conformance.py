"""The OpenRosa conformance client of the project (shared/tools/openrosa_client.py, which behaves as
ODK Collect does) against a live server: a form without files and one with media, CSV lists,
groups, repeats and choice filters. Bounded: two runs of a few dozen requests, each within 3 minutes."""

import subprocess
import sys
from pathlib import Path

import pytest

from kelisim.surveys import services

from .xlsforms import ALL_TYPES_FILES, all_types

CLIENT = Path(__file__).resolve().parents[3].parent / "shared" / "tools" / "openrosa_client.py"


@pytest.mark.skipif(not CLIENT.exists(), reason=f"the conformance client is not at {CLIENT}")
@pytest.mark.parametrize("form_id", ["tolerance_index", "all_types"])
def test_the_openrosa_client_passes_every_check(live_server, make_user, form_id: str) -> None:
    services.instruments_install_ready()
    services.instrument_upload(
        actor=None, content=all_types(), filename="all_types.xlsx", files=ALL_TYPES_FILES
    )
    from kelisim.accounts.services import collection_credential_create

    collector = make_user("specialist", "314800000")
    _credential, secret = collection_credential_create(user=collector, name="phone")
    run = subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base",
            f"{live_server.url}/openrosa",
            "--user",
            collector.username,
            "--password",
            secret,
            "--form-id",
            form_id,
            "--timeout",
            "60",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert run.returncode == 0 and not failed, run.stdout + run.stderr
    assert lines[-1].endswith(" 0 failed") and "PASS submission.invalid_rejected" in lines
    if form_id == "all_types":
        assert "PASS form.manifest" in lines
