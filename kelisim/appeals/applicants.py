"""Finding a citizen's appeals again: the applicant's name and phone in one spelling-neutral form.

An appeal keeps `applicant_name_key` and `applicant_phone_key` beside what was typed (services set
them on every registration, migration 0007 for the appeals before it), so that a repeat appeal is
found on an index, whatever the spelling:

- the name key is the name's words folded (kelisim.text.folding: case, Kazakh letters as their
  Russian look-alikes, so Сабырұлы ~ Сабырулы) and sorted (the word order of a form or a list
  differs: "Ерлан Сабырұлы" ~ "Сабырұлы Ерлан");
- the phone key is the ten digits of a Kazakhstan number without +7 or 8 (+7 702 000-12-34,
  8 (702) 0001234 and 7020001234 are one number); a contact that is not a phone has none.

The reads below show a citizen's appeals only to holders of `lookup_applicant` (and `view_appeal`)
over the appeals' territory, and write an audit row that names the appeals shown and which fields
were searched, never the name or the phone."""

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from kelisim.accounts import policies
from kelisim.core.audit import audit_read_records
from kelisim.text.folding import fold
from kelisim.text.kk_stem import tokens

from .models import Appeal, Visitor

CAPABILITY = "lookup_applicant"
LIMIT = 50
EARLIER_LIMIT = 20
# A name of one word (a first name alone) is too common to call two appeals the same citizen's.
MIN_NAME_WORDS = 2

_DIGITS = re.compile(r"\D")
PHONE_DIGITS = 10


def name_words(name: str) -> list[str]:
    """The folded words of `name`, each once, sorted."""
    return sorted({folded for folded in map(fold, tokens(name or "")) if folded})


def name_key(name: str) -> str:
    return " ".join(name_words(name))[:255]


def phone_key(contact: str) -> str:
    """The number's last ten digits, when `contact` holds one phone number of ten or eleven digits
    (the eleventh a 7 or an 8 in front); "" for an e-mail or anything else."""
    digits = _DIGITS.sub("", contact or "")
    if len(digits) == PHONE_DIGITS + 1 and digits[0] in "78":
        digits = digits[1:]
    return digits if len(digits) == PHONE_DIGITS else ""


def keys(name: str, contact: str, *, anonymous: bool = False) -> dict[str, str]:
    """The keys to store on an appeal with this applicant."""
    if anonymous:
        return {"applicant_name_key": "", "applicant_phone_key": ""}
    return {"applicant_name_key": name_key(name), "applicant_phone_key": phone_key(contact)}


def may_look_up(user: Any, territory: Any = None) -> bool:
    return policies.can(user, CAPABILITY, territory) and policies.can(user, "view_appeal", territory)


def _scoped(user: Any) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(policies.scope_q(user, CAPABILITY))
        .filter(policies.scope_q(user, "view_appeal"))
        .filter(anonymized=False)
        .select_related("territory", "category")
        .order_by("-received_on", "-id")
    )


def _name_q(words: list[str]) -> Q:
    """Every word of the query begins a word of the stored name (keys are words joined by spaces)."""
    condition = Q()
    for word in words:
        condition &= Q(applicant_name_key__startswith=word) | Q(applicant_name_key__contains=f" {word}")
    return condition


def applicant_lookup(*, user: Any, name: str = "", phone: str = "") -> list[Appeal]:
    """The appeals in the user's scope whose applicant has this name (every word, in any order and
    spelling) or this phone (in any format). One audit row, whatever was found."""
    words = name_words(name)
    number = phone_key(phone)
    condition = Q(pk__in=[])
    if words:
        condition |= _name_q(words)
    if number:
        condition |= Q(applicant_phone_key=number)
    found = list(_scoped(user).filter(condition)[:LIMIT]) if (words or number) else []
    audit_read_records(
        actor=user,
        object_type=Appeal._meta.label_lower,
        ids=[a.pk for a in found],
        territory_paths=[a.territory.path for a in found] or sorted(policies.scope_paths(user, CAPABILITY)),
        via="applicant_lookup",
        rows=len(found),
        filters={"name": bool(words), "phone": bool(number)},
        always=True,
    )
    return found


def _same_applicant_q(name_keys: Iterable[str], phone_keys: Iterable[str]) -> Q:
    names = {k for k in name_keys if len(k.split()) >= MIN_NAME_WORDS}
    phones = {k for k in phone_keys if k}
    condition = Q(pk__in=[])
    if names:
        condition |= Q(applicant_name_key__in=names)
    if phones:
        condition |= Q(applicant_phone_key__in=phones)
    return condition


def earlier_appeals(*, user: Any, appeal: Appeal) -> list[Appeal]:
    """The other appeals of this appeal's applicant (same phone, or same full name) that the user
    may look up; [] for those who may not. The read is audited when it shows any."""
    if appeal.anonymized or not may_look_up(user, appeal.territory):
        return []
    condition = _same_applicant_q([appeal.applicant_name_key], [appeal.applicant_phone_key])
    found = list(_scoped(user).filter(condition).exclude(pk=appeal.pk)[:EARLIER_LIMIT])
    _audit_shown(user, found, via="appeal_earlier_appeals")
    return found


def earlier_appeals_of_visitors(
    *, user: Any, visitors: list[Visitor], territory: Any
) -> dict[int, list[Appeal]]:
    """For each visitor of a reception, the appeals of the same citizen in the user's scope (the
    visitor's own appeal left out), in one query; {} for those who may not look applicants up."""
    named = [v for v in visitors if not v.anonymized and not v.declined_name]
    if not named or not may_look_up(user, territory):
        return {}
    wanted = {v.pk: (name_key(v.name), phone_key(v.contact)) for v in named}
    condition = _same_applicant_q([n for n, _p in wanted.values()], [p for _n, p in wanted.values()])
    candidates = list(_scoped(user).filter(condition)[: EARLIER_LIMIT * len(named)])
    result: dict[int, list[Appeal]] = {}
    for visitor in named:
        name, phone = wanted[visitor.pk]
        same = [
            a
            for a in candidates
            if a.visitor_id != visitor.pk
            and (
                (phone and a.applicant_phone_key == phone)
                or (len(name.split()) >= MIN_NAME_WORDS and a.applicant_name_key == name)
            )
        ]
        if same:
            result[visitor.pk] = same[:EARLIER_LIMIT]
    _audit_shown(user, [a for appeals in result.values() for a in appeals], via="reception_earlier_appeals")
    return result


def _audit_shown(user: Any, appeals: list[Appeal], *, via: str) -> None:
    audit_read_records(
        actor=user,
        object_type=Appeal._meta.label_lower,
        ids=[a.pk for a in appeals],
        territory_paths=[a.territory.path for a in appeals],
        via=via,
        rows=len(appeals),
    )
