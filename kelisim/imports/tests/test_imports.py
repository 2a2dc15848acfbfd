"""Press release → reviewed drafts → records, and the refusals of bad input."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kelisim.events.models import Event
from kelisim.imports import services
from kelisim.imports.models import DraftEvent, ImportBatch

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "press-release-kk.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed release is not at {SEED}")
    return SEED.read_text(encoding="utf-8")


def test_the_seed_becomes_drafts_with_spans_then_records(seed_visit, make_user, seed_text):
    officer = make_user("press_officer", "310000000")
    batch = services.import_text(actor=officer, text=seed_text, pub_date=date(2023, 5, 15))
    drafts = list(batch.drafts.all())
    assert len(drafts) >= 5 and batch.territory.code == "314800000"
    carnival = next(d for d in drafts if d.data.get("format") == "cultural_event")
    assert carnival.data["date_start"] == "2023-05-10"
    _before, found, _after = services.span(seed_text, carnival.data["venue"])
    assert found.casefold() == carnival.data["venue"].casefold()
    for draft in drafts:
        services.draft_decide(
            actor=officer, draft=draft, status="accepted" if draft.data.get("date_start") else "rejected"
        )
    events = services.batch_commit(actor=officer, batch=batch)
    assert len(events) == DraftEvent.objects.filter(batch=batch, status="accepted").count()
    batch.refresh_from_db()
    assert batch.visit is not None and batch.visit.territory.code == "314800000"
    assert any("карнавал" in e.summary_kk for e in events)


def test_the_same_text_twice_is_detected(seed_visit, make_user, seed_text):
    officer = make_user("press_officer", "310000000")
    services.import_text(actor=officer, text=seed_text, pub_date=date(2023, 5, 15))
    with pytest.raises(ValidationError, match="already"):
        services.import_text(
            actor=officer, text="  " + seed_text.replace("\n", "\n\n"), pub_date=date(2023, 5, 15)
        )
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   \n  ", "empty"),
        ("The working group met residents in the district on Friday.", "neither"),
        ("\x00\x01\x02binary", "not text"),
    ],
    ids=["empty", "blank", "english", "binary"],
)
def test_bad_input_gets_a_clear_message_and_no_draft(seed_visit, make_user, text, words):
    officer = make_user("press_officer", "310000000")
    with pytest.raises(ValidationError) as caught:
        services.import_text(actor=officer, text=text, pub_date=date(2023, 5, 15))
    assert words in " ".join(caught.value.messages)
    assert not ImportBatch.objects.exists() and not DraftEvent.objects.exists()


def test_a_binary_upload_is_refused_on_the_page(seed_visit, make_user):
    import io

    client = Client()
    client.force_login(make_user("press_officer", "310000000"))
    upload = io.BytesIO(bytes(range(256)) * 20)
    upload.name = "photo.docx"
    response = client.post("/imports/", {"file": upload, "pub_date": "2023-05-15"})
    assert response.status_code == 400 and response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_only_importers_may_import(seed_visit, make_user, seed_text):
    with pytest.raises(ValidationError):
        services.import_text(
            actor=make_user("specialist", "314800000"), text=seed_text, pub_date=date(2023, 5, 15)
        )
    client = Client()
    client.force_login(make_user("specialist", "314800000"))
    assert client.get("/imports/").status_code == 404
    assert Event.objects.filter(title_kk__startswith="Мәдени").count() == 0
