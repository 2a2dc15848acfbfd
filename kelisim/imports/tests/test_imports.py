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


def _accept_all(officer, batch) -> list[DraftEvent]:  # type: ignore[no-untyped-def]
    drafts = list(batch.drafts.all())
    for draft in drafts:
        services.draft_decide(
            actor=officer, draft=draft, status="accepted" if draft.data.get("date_start") else "rejected"
        )
    return drafts


def test_accepted_drafts_keep_audiences_topics_officials_and_organizations(seed_visit, make_user, seed_text):
    officer = make_user("press_officer", "310000000")
    batch = services.import_text(actor=officer, text=seed_text, pub_date=date(2023, 5, 15))
    drafts = _accept_all(officer, batch)
    proposed = {
        d.position: (
            set(d.data["audience_codes"]),
            set(d.data["topic_codes"]),
            d.data.get("organizations") or [],
        )
        for d in drafts
        if d.status == "accepted"
    }
    assert any(audiences for audiences, _t, _o in proposed.values())
    assert any(topics for _a, topics, _o in proposed.values())

    services.batch_commit(actor=officer, batch=batch)

    for draft in DraftEvent.objects.filter(batch=batch, status="accepted").select_related("event"):
        event = draft.event
        audiences, topics, organizations = proposed[draft.position]
        assert {a.category.code for a in event.audiences.all()} == audiences
        assert {t.code for t in event.topics.all()} == topics
        names = {o.organization.name_kk for o in event.organizers.select_related("organization")}
        assert names == {n.strip() for n in organizations}
        assert {o.person.full_name for o in event.officials.select_related("person")} == {
            o["name"] for o in draft.data.get("officials") or []
        }
    carnival = Event.objects.get(
        pk=next(
            d.event_id
            for d in DraftEvent.objects.filter(batch=batch)
            if d.data.get("format") == "cultural_event"
        )
    )
    assert carnival.audiences.exists() or carnival.topics.exists()


def test_the_reviewer_changes_the_lists_and_the_record_keeps_the_choice(seed_visit, make_user, seed_text):
    officer = make_user("press_officer", "310000000")
    client = Client()
    client.force_login(officer)
    batch = services.import_text(actor=officer, text=seed_text, pub_date=date(2023, 5, 15))
    draft = next(d for d in batch.drafts.all() if d.data.get("date_start"))
    official_names = [o["name"] for o in draft.data.get("officials") or []]

    client.post(
        f"/imports/drafts/{draft.pk}/",
        {
            "status": "accepted",
            "lists": "1",
            "audience_codes": ["elders", "youth"],
            "topic_codes": ["family_values"],
            "organizations": "«Болашақ» қоғамдық бірлестігі\n",
            "official": [],
        },
    )
    services.batch_commit(actor=officer, batch=batch)

    event = DraftEvent.objects.get(pk=draft.pk).event
    assert {a.category.code for a in event.audiences.all()} == {"elders", "youth"}
    assert [t.code for t in event.topics.all()] == ["family_values"]
    assert [o.organization.name_kk for o in event.organizers.all()] == ["«Болашақ» қоғамдық бірлестігі"]
    assert not event.officials.exists() or official_names == []


def test_a_list_code_that_does_not_exist_is_refused(seed_visit, make_user, seed_text):
    officer = make_user("press_officer", "310000000")
    batch = services.import_text(actor=officer, text=seed_text, pub_date=date(2023, 5, 15))
    draft = batch.drafts.first()
    with pytest.raises(ValidationError) as caught:
        services.draft_decide(
            actor=officer, draft=draft, status="accepted", changes={"topic_codes": ["nonsense"]}
        )
    assert "topic_codes" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.status == "pending"


KAZAKH_NO_YEAR = (
    "Шу ауданында «Бейбітшілік пен келісім» жобасы аясында іс-шаралар өтті\n\n"
    "15 мамыр күні Шу ауданының мәдениет үйінде ақсақалдармен кездесу өтті. Кездесуде ұлтаралық "
    "келісімді нығайту мәселелері талқыланды. Кездесуге аудан тұрғындары мен жастар қатысты."
)


def test_a_date_without_a_year_takes_the_publication_year_and_is_marked(seed_visit, make_user):
    officer = make_user("press_officer", "310000000")
    batch = services.import_text(actor=officer, text=KAZAKH_NO_YEAR, pub_date=date(2024, 5, 20))
    draft = batch.drafts.get()

    assert draft.data["date_start"] == "2024-05-15"
    assert draft.data["inferred"]["date_start"] == services.INFERRED_YEAR
    client = Client()
    client.force_login(officer)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert page.count('class="tag tag-inferred"') == 2  # the first and the last day
    services.draft_decide(actor=officer, draft=draft, status="accepted", changes={"date_start": "2024-05-16"})
    draft.refresh_from_db()
    assert "date_start" not in draft.data["inferred"] and "date_end" in draft.data["inferred"]
    assert client.get(f"/imports/{batch.pk}/").content.decode().count('class="tag tag-inferred"') == 1


def test_a_december_event_told_in_january_belongs_to_the_year_before(seed_visit, make_user):
    officer = make_user("press_officer", "310000000")
    text = KAZAKH_NO_YEAR.replace("15 мамыр", "28 желтоқсан")
    batch = services.import_text(actor=officer, text=text, pub_date=date(2025, 1, 9))
    assert batch.drafts.get().data["date_start"] == "2024-12-28"


def _docx(text: str) -> bytes:
    import html
    import io
    import zipfile

    body = "".join(f"<w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p>" for line in text.splitlines())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def test_a_docx_release_is_read_by_the_worker_and_becomes_drafts(
    seed_visit, make_user, seed_text, django_capture_on_commit_callbacks
):
    import io

    from kelisim.core.models import Job

    client = Client()
    client.force_login(make_user("press_officer", "310000000"))
    upload = io.BytesIO(_docx(seed_text))
    upload.name = "release.docx"
    with django_capture_on_commit_callbacks(execute=True):  # read by a background job
        response = client.post("/imports/", {"file": upload, "pub_date": "2023-05-15"})
    job = Job.objects.get(kind=Job.Kind.PRESS_RELEASE_IMPORT)
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.messages
    assert job.params == {"file": job.params["file"], "pub_date": "20230515", "language": None}
    batch = ImportBatch.objects.get()
    assert job.next_url == f"/imports/{batch.pk}/" and batch.drafts.count() >= 5
    assert batch.pub_date == date(2023, 5, 15)
    assert client.get(job.next_url).status_code == 200
