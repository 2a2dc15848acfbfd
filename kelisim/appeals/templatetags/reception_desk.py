"""The desk's list of online sign-ups, fetched by its own include (appeals/_preregistrations.html)
so that the desk page takes it with one line."""

from typing import Any

from django import template

from kelisim.appeals.selectors import preregistrations_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def preregistrations(context: Any, session: Any) -> list[Any]:
    """The session's sign-ups still waiting, read (and audited) for the page's user."""
    return preregistrations_shown(user=context["request"].user, session=session)
