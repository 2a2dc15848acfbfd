"""A reception opened without naming its visit still reaches the visit's report."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from kelisim.appeals import services
from kelisim.appeals.models import Visitor
from kelisim.reports.visit_report import collect

KORDAY, ZHAMBYL = "314800000", "310000000"


def test_a_reception_found_for_a_visit_counts_in_the_visit_report(make_user, territory, korday_department):
    from kelisim.programs.models import Edition, Program, Visit

    program = Program.objects.create(
        name_kk="Бағдарлама", name_ru="Программа", started=2024, territory=territory(ZHAMBYL)
    )
    visit = Visit.objects.create(
        edition=Edition.objects.create(program=program, year=2024),
        territory=territory(KORDAY),
        date_start=date(2024, 6, 3),
        date_end=date(2024, 6, 4),
    )
    actor = make_user("district_coordinator", KORDAY)
    start = datetime(2024, 6, 3, 10, tzinfo=ZoneInfo("Asia/Almaty"))
    session = services.reception_open(
        actor=actor,
        department=korday_department,
        territory=territory(KORDAY),
        place="Әкімдік",
        start=start,
        end=start,
    )
    visitor = services.visitor_register(
        actor=actor, session=session, name="Келуші", question="Сұрақ", department=korday_department
    )
    services.visitor_outcome(actor=actor, visitor=visitor, outcome=Visitor.Outcome.APPEAL)
    data = collect(user=actor, visit=visit, language="kk")
    assert sum(row["n"] for row in data.receptions) == 1
    assert sum(n for _d, _s, n in data.appeals_by_department) == 1
