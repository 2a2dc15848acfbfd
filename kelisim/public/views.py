"""The public pages: no sign-in, no internal navigation. A visit's programme (open events and
reception hours), its calendar file and poster, a sign-up for a reception, and the status lookup
of an appeal by its number and receipt code."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kelisim.accounts.throttle import client_ip
from kelisim.appeals import services as appeal_services
from kelisim.appeals.selectors import active_consent, appeal_public_status
from kelisim.events import ical
from kelisim.events.selectors import public_events
from kelisim.programs.selectors import visit_public_get

from . import qr, selectors, services
from .forms import PreRegistrationForm, StatusForm


def _page_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("public-visit", args=[slug]))


@require_GET
def visit_page(request: HttpRequest, slug: str) -> HttpResponse:
    visit = visit_public_get(slug=slug)
    entries = selectors.programme(visit=visit)
    return render(
        request,
        "public/visit.html",
        {"visit": visit, "slug": slug, "days": selectors.by_day(entries), "empty": not entries},
    )


@require_GET
def visit_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    visit = visit_public_get(slug=slug)
    entries = selectors.programme(visit=visit)
    body = ical.calendar_bytes(
        public_events(visit=visit),
        name=_("Peace and accord: %(district)s") % {"district": visit.territory.name},
        items=selectors.calendar_items(entries),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="programme.ics"'
    return response


@require_GET
def visit_poster(request: HttpRequest, slug: str) -> HttpResponse:
    visit = visit_public_get(slug=slug)
    url = _page_url(request, slug)
    return render(
        request,
        "public/poster.html",
        {
            "visit": visit,
            "slug": slug,
            "url": url,
            # Printed without the scheme: what a person types from a poster.
            "url_shown": url.split("://", 1)[-1],
            "qr": qr.svg(url, title=_("QR code of the visit's page")),
        },
    )


def preregister(request: HttpRequest, slug: str, reception: int) -> HttpResponse:
    """Sign up for a reception: name, phone, topic and consent; a few per address per hour."""
    visit = visit_public_get(slug=slug)
    session = selectors.reception_for_signup(visit=visit, pk=reception)
    if session is None:
        return render(request, "public/signup_closed.html", {"visit": visit, "slug": slug}, status=404)
    consent = active_consent()
    form = PreRegistrationForm(request.POST or None, consent_text=consent)
    status = 200
    if request.method == "POST":
        address = services.client_bucket(client_ip(request) or "")
        if services.attempt_take(services.PREREGISTRATION, address):
            form.add_error(None, _("Too many sign-ups from this device. Try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                appeal_services.preregistration_create(
                    session=session,
                    name=data["name"],
                    phone=data["phone"],
                    topic=data["topic"],
                    consent=consent,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "You are signed up for the reception. Come at the time shown and give your name at the desk."
                    ),
                )
                return redirect("public-visit", slug=slug)
    context: dict[str, Any] = {"visit": visit, "slug": slug, "session": session, "form": form}
    return render(request, "public/signup.html", context, status=status)


def status_lookup(request: HttpRequest) -> HttpResponse:
    """The status and dates of an appeal, for whoever holds its receipt. A wrong code and an unknown
    number get the same answer; wrong tries are counted per address and per number."""
    form = StatusForm(request.POST or None)
    found = None
    message = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        address = services.client_bucket(client_ip(request) or "")
        if services.throttled(services.STATUS, address, number):
            message = _(
                "Too many wrong tries. Check the number and the code on your receipt and try again later."
            )
            status = 429
        else:
            found = appeal_public_status(number=number, code=form.cleaned_data["code"])
            if found is None:
                services.attempt_count(services.STATUS, address, number)
                message = _("No appeal matches this number and code. Check both on your receipt.")
    return render(
        request, "public/status.html", {"form": form, "found": found, "message": message}, status=status
    )
