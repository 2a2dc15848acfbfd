"""`{% main_menu as menu %}`: the signed-in user's menu (kelisim.accounts.navigation)."""

from typing import Any

from django import template

from kelisim.accounts.navigation import Link, menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> list[Link]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    path: Any = getattr(request, "path", "")
    return menu_for(user, path)
