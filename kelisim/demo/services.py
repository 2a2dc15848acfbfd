"""Loading the demo: idempotent, so `make run` can call it every time and keep the data."""

import secrets
from dataclasses import dataclass

from django.db import transaction

from kelisim.accounts.models import Department, Role, User
from kelisim.accounts.services import collection_credential_create, membership_grant, roles_sync
from kelisim.territories.models import Territory

from . import data
from .seed_receptions import load_seed_receptions
from .seed_surveys import load_seed_surveys
from .seed_today import load_current_work
from .seed_visit import load_seed_visit


@dataclass
class DemoResult:
    new_logins: list[tuple[str, str, str]]  # (username, password, role)
    # (username, secret, device): made with the collector's account, so shown once too
    new_collection_credentials: list[tuple[str, str, str]]


@transaction.atomic
def demo_load() -> DemoResult:
    roles_sync()
    territories = {
        t.code: t for t in Territory.objects.filter(code__in=[data.ZHAMBYL, data.KORDAY, data.SHU])
    }
    if len(territories) < 3:
        raise RuntimeError("Load the classifier first: kelisim load_territories")
    departments = {}
    for code, kind, sector, name_kk, name_ru, name_en, territory in data.DEPARTMENTS:
        departments[code], _created = Department.objects.update_or_create(
            territory=territories[territory],
            code=code,
            defaults={
                "kind": kind,
                "sector": sector,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
            },
        )
    roles = {r.code: r for r in Role.objects.all()}
    new_logins = []
    for username, first, last, role, scope, department, position in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(
                username=username,
                password=password,
                first_name=first,
                last_name=last,
                department=departments.get(department or ""),
                position=position,
                is_staff=role == "system_admin",
                is_superuser=role == "system_admin",
            )
            new_logins.append((username, password, str(roles[role])))
        membership_grant(
            actor=None, user=user, role=roles[role], territory=territories[scope] if scope else None
        )
    new_credentials = []
    if data.COLLECTOR in {username for username, _password, _role in new_logins}:
        collector = User.objects.get(username=data.COLLECTOR)
        _credential, secret = collection_credential_create(user=collector, name=data.COLLECTOR_DEVICE)
        new_credentials.append((collector.username, secret, data.COLLECTOR_DEVICE))
    admin = User.objects.get(username="admin")
    visit = load_seed_visit(actor=admin)
    load_seed_receptions(actor=admin, visit=visit)
    load_seed_surveys(actor=admin, visit=visit)
    load_current_work(actor=admin)
    return DemoResult(new_logins=new_logins, new_collection_credentials=new_credentials)
