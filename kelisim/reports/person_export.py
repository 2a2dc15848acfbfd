"""The right of access: everything Kelisim holds about one person, as one JSON document."""

from typing import Any

from django.db.models import Q

from kelisim.appeals.models import Appeal, Visitor
from kelisim.events.models import EventOfficial
from kelisim.programs.models import Member
from kelisim.registry.models import Person


def person_record(person: Person) -> dict[str, Any]:
    name = person.full_name
    appeals = Appeal.objects.filter(
        Q(applicant_name__iexact=name) | (Q(applicant_contact=person.phone) & ~Q(applicant_contact=""))
    )
    visitors = Visitor.objects.filter(Q(name__iexact=name) | (Q(contact=person.phone) & ~Q(contact="")))
    return {
        "person": {
            "id": person.pk,
            "full_name": name,
            "kind": person.kind,
            "territory": person.territory.code,
            "phone": person.phone,
        },
        "positions": [
            {
                "title_kk": p.title_kk,
                "title_ru": p.title_ru,
                "from": str(p.start or ""),
                "to": str(p.end or ""),
            }
            for p in person.positions.all()
        ],
        "working_groups": [
            {"visit": m.visit_id, "department": m.department.name_kk, "position": m.position_kk}
            for m in Member.objects.filter(person=person).select_related("department")
        ],
        "events": [
            {
                "event": o.event_id,
                "title": o.event.title_kk,
                "date": o.event.start.date().isoformat(),
                "role": o.role,
            }
            for o in EventOfficial.objects.filter(person=person).select_related("event")
        ],
        "appeals": [
            {
                "number": a.number,
                "received_on": a.received_on.isoformat(),
                "status": a.status,
                "text": a.text,
                "answer": a.answer,
            }
            for a in appeals
        ],
        "reception_visits": [
            {
                "date": v.arrived_at.date().isoformat(),
                "question": v.question,
                "outcome": v.outcome,
                "consent": v.consent.code if v.consent is not None else None,
            }
            for v in visitors.select_related("consent")
        ],
    }
