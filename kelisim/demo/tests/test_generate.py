import hashlib
import itertools
import re
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Max

from kelisim.accounts.models import Department
from kelisim.appeals import deadlines
from kelisim.appeals.models import Appeal, AppealEvent, AppealSequence
from kelisim.appeals.services import TRANSITIONS
from kelisim.demo import generate as synthetic
from kelisim.events.models import Event
from kelisim.surveys import rollups, scoring
from kelisim.surveys.models import Instrument, Response, ResponseRollup
from kelisim.surveys.services import _district_code
from kelisim.surveys.validation import check
from kelisim.territories.models import Territory

TODAY = date(2025, 6, 30)


class _Rollback(Exception):
    pass


def _fingerprint() -> str:
    """A checksum of the generated rows by their natural keys (ids may differ between runs)."""
    digest = hashlib.sha256()
    for row in Appeal.objects.order_by("number").values_list(
        "number", "status", "received_on", "due_date", "territory__code", "department__code", "text"
    ):
        digest.update(repr(row).encode())
    for row in AppealEvent.objects.order_by("appeal__number", "at", "id").values_list(
        "appeal__number", "action", "to_status", "at"
    ):
        digest.update(repr(row).encode())
    for row in Response.objects.order_by("instance_id").values_list(
        "instance_id", "district_code", "collected_on", "total", "band", "age_band"
    ):
        digest.update(repr(row).encode())
    for row in Event.objects.order_by("start", "title_kk").values_list(
        "title_kk", "start", "territory__code"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_scales_are_proportional():
    national, region, small = (synthetic.SCALES[n] for n in ("national", "region", "small"))
    assert (national.events, national.appeals, national.responses) == (50_000, 1_000_000, 1_000_000)
    for scaled, factor in ((region, 10), (small, 1000)):
        assert scaled.events * factor == national.events
        assert scaled.appeals * factor == national.appeals
        assert scaled.responses * factor == national.responses


def test_small_scale_writes_the_promised_rows_over_every_unit(zhambyl):
    result = synthetic.generate(scale="small", seed=3, today=TODAY)
    small = synthetic.SCALES["small"]
    assert Event.objects.count() == result.rows(Event) == small.events
    assert Appeal.objects.count() == result.rows(Appeal) == small.appeals
    assert Response.objects.count() == result.rows(Response) == small.responses
    histories = AppealEvent.objects.count()
    assert result.rows(AppealEvent) == histories
    assert 2 * small.appeals < histories < 7 * small.appeals
    # Every district of the loaded classifier has its divisions, the region its departments.
    districts = Territory.objects.filter(level=2).count()
    assert (
        Department.objects.filter(code__startswith="syn-").count()
        == len(synthetic.REGION_SECTORS) + len(synthetic.DISTRICT_SECTORS) * districts
    )
    assert all(t.rows >= 0 and t.seconds >= 0 for t in result.tables.values())
    # Realistic spread: five years, every status family, some (not most) open appeals overdue.
    years = set(Appeal.objects.values_list("year", flat=True))
    assert len(years) >= 5
    statuses = Counter(Appeal.objects.values_list("status", flat=True))
    assert statuses["closed"] > small.appeals / 2 and statuses["redirected"] > 0
    open_ = Appeal.objects.exclude(status__in=["answered", "closed", "redirected"])
    assert 0 < open_.filter(due_date__lt=TODAY).count() < open_.count()
    assert len(set(Response.objects.values_list("district_code", flat=True))) > districts / 2


def test_same_seed_gives_the_same_data(zhambyl):
    prints = []
    for seed in (5, 5, 6):
        try:
            with transaction.atomic():
                synthetic.generate(scale="small", seed=seed, today=TODAY)
                prints.append(_fingerprint())
                raise _Rollback
        except _Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_refuses_a_second_run_unless_appending(zhambyl):
    call_command("generate", "--scale", "small", "--today", TODAY.isoformat(), stdout=StringIO())
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--scale", "small", stdout=StringIO())
    assert Appeal.objects.count() == 1000
    out = StringIO()
    call_command("generate", "--scale", "small", "--append", "--today", TODAY.isoformat(), stdout=out)
    assert Appeal.objects.count() == 2000
    assert "appeals_appeal" in out.getvalue() and "rows/s" in out.getvalue()
    assert Response.objects.values("instance_id").distinct().count() == 2000
    _numbers_are_consistent()
    # bulk_create skips response_submit's upsert: each batch rebuilt the rollups at its end.
    assert rollups.differences() == [] and ResponseRollup.objects.exists()


def test_synthetic_markers(zhambyl):
    synthetic.generate(scale="small", seed=1, today=TODAY)
    assert set(Response.objects.values_list("source", flat=True)) == {Response.Source.SYNTHETIC}
    assert not Appeal.objects.exclude(text__startswith="Синтетикалық өтініш").exists()
    assert (
        not Appeal.objects.exclude(applicant_name="")
        .exclude(applicant_name__startswith="Синтетикалық")
        .exists()
    )
    assert not Event.objects.exclude(title_kk__contains="(synthetic)").exists()
    assert not Department.objects.exclude(code__startswith="syn-").exclude(code="korday_culture").exists()


def test_rows_are_what_the_services_would_write(zhambyl):
    synthetic.generate(scale="small", seed=2, today=TODAY)
    _numbers_are_consistent()
    calendar = deadlines.work_calendar()
    for appeal in Appeal.objects.select_related("territory"):
        history = list(appeal.history.order_by("at", "id"))
        assert history[0].action == "register" and history[-1].to_status == appeal.status
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
            assert after.at > before.at
        if not {"extend", "reopen"} & {h.action for h in history}:
            assert appeal.due_date == calendar.due_date(appeal.received_on)
        assert appeal.region_code == appeal.territory.path.split("/")[0]
        if appeal.applicant_kind == Appeal.Applicant.ANONYMOUS:
            assert appeal.urgent and not appeal.applicant_name
        if appeal.channel == Appeal.Channel.EOTINISH:
            assert appeal.external_number
    version = Instrument.objects.get(code="tolerance_index").current
    for response in Response.objects.select_related("territory")[:200]:
        checked = check(version, dict(response.answers))
        assert not checked.errors and checked.answers == response.answers
        score = scoring.score(version.scoring, response.answers)
        assert (response.total, response.band, response.subscales) == (
            score.total,
            score.band,
            score.subscales,
        )
        assert response.district_code == _district_code(response.territory)
        assert response.age_band == response.answers["age_band"]


def _numbers_are_consistent():
    assert not Appeal.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).exists()
    for appeal in Appeal.objects.only("number", "region_code", "year", "sequence"):
        assert appeal.number == f"{appeal.region_code[:2]}-{appeal.year}-{appeal.sequence:05d}"
        assert re.fullmatch(r"\d{2}-\d{4}-\d{5,}", appeal.number)
    used = {
        (r["region_code"], r["year"]): (r["n"], r["top"])
        for r in Appeal.objects.values("region_code", "year").annotate(n=Count("id"), top=Max("sequence"))
    }
    sequences = {(s.region_code, s.year): s.last for s in AppealSequence.objects.all()}
    assert set(used) == set(sequences)
    for key, (n, top) in used.items():
        assert n == top == sequences[key]  # gap-free, and the next registration continues after it


@pytest.mark.django_db
def test_command_loads_the_classifier_when_it_is_missing():
    out = StringIO()
    call_command("generate", "--scale", "small", "--today", TODAY.isoformat(), stdout=out)
    assert "load_territories" in out.getvalue()
    assert Territory.objects.filter(level=1).count() == 20
    assert set(Appeal.objects.values_list("region_code", flat=True).distinct()) <= set(
        Territory.objects.filter(level=1).values_list("code", flat=True)
    )
    assert Appeal.objects.count() == 1000
