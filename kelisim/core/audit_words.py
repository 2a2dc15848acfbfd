"""The audit log in words: what was done ("Өтініш · тағайындау"), to what, by whom, where.

Entries keep stable codes (`appeal.assign`, `appeals.appeal`) so that filters and exports survive
a change of wording; the page turns them into the reader's language here.
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Job

VERBS = {
    "activate": _("activation"),
    "add": _("addition"),
    "admit": _("admission to the queue"),
    "answer": _("answer"),
    "assign": _("assignment of executors"),
    "body_answer": _("answer of the other body"),
    "close": _("closing"),
    "commit": _("saving"),
    "confirm": _("confirmation"),
    "consent": _("the applicant's choice of notices"),
    "copy": _("copying"),
    "create": _("creation"),
    "create_admin": _("creation of the administrator"),
    "delete": _("removal"),
    "end": _("ending"),
    "expire": _("expiry"),
    "extend": _("extension of the deadline"),
    "generate": _("generation"),
    "grant": _("granting"),
    "invite": _("invitation"),
    "merge": _("merging"),
    "notice": _("notice to the applicant"),
    "open": _("opening"),
    "outcome": _("outcome"),
    "password_reset": _("password reset"),
    "public": _("opening or closing of the public page"),
    "publish": _("publication"),
    "purge": _("removal after the retention period"),
    "queue": _("sending queued"),
    "record": _("recording"),
    "redirect": _("redirection"),
    "register": _("registration"),
    "remove": _("removal"),
    "renew": _("renewal"),
    "reopen": _("reopening"),
    "replace": _("replacement"),
    "reroute": _("re-routing"),
    "revoke": _("revocation"),
    "save": _("saving"),
    "set": _("setting"),
    "set_language": _("change of language"),
    "start": _("start of work"),
    "status": _("change of status"),
    "update": _("change"),
    "upload": _("upload"),
}


def object_type_words(label: str) -> str:
    """`appeals.appeal` → "Өтініш"; a type no longer in the code keeps its label."""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


def action_words(action: str) -> str:
    """`appeal.assign` → "assignment of executors"; an export or a job is named by its kind."""
    head, _dot, verb = action.partition(".")
    if head == "export":
        return str(AuditEntry.Kind.EXPORT.label)
    if head == "job":
        return str(dict(Job.Kind.choices).get(verb, verb))
    if "read" in (head, verb):
        return str(AuditEntry.Kind.READ.label)
    if action == "territory_name_kk_update":
        return str(_("change of the Kazakh name"))
    return str(VERBS.get(verb or head, action))
