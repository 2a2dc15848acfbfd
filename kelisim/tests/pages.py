"""The pages behind the menu that the page-wide tests open, taken from the demo's records."""


def deep_pages(seed_visit) -> list[str]:  # type: ignore[no-untyped-def]
    """Pages behind the menu, from the demo's records, and the 404 page."""
    from kelisim.accounts.models import Department
    from kelisim.appeals.models import Appeal, ReceptionSession
    from kelisim.registry.models import Organization, Person
    from kelisim.surveys.models import Instrument

    appeal = Appeal.objects.order_by("pk").first()
    event = seed_visit.events.order_by("pk").first()
    pages = [
        f"/visits/{seed_visit.pk}/",
        f"/visits/{seed_visit.pk}/press-release/",
        "/programs/",
        "/appeals/",
        f"/appeals/{appeal.pk}/",
        f"/appeals/{appeal.pk}/receipt/",
        f"/receptions/{ReceptionSession.objects.order_by('pk').first().pk}/",
        f"/events/{event.pk}/",
        "/calendar/?view=list&day=2023-05-01",
        "/calendar/?view=week&day=2023-05-10",
        f"/t/{seed_visit.territory.code}/",
        f"/departments/{Department.objects.order_by('pk').first().pk}/",
        f"/registry/organizations/{Organization.objects.order_by('pk').first().pk}/",
        f"/registry/people/{Person.objects.order_by('pk').first().pk}/",
        "/appeals/new/",
        f"/events/new/?visit={seed_visit.pk}",
        "/accounts/tokens/",
        "/search/?q=Қордай",
        "/search/?q=Қаншымбеков",
        "/appeals/applicants/?name=Ерлан&phone=8+702+000+1234",
        "/no-such-page/",
    ]
    for instrument in Instrument.objects.order_by("pk"):
        pages += [f"/surveys/{instrument.pk}/", f"/surveys/{instrument.pk}/analytics/"]
    return pages
