"""educonnect_migration_progress: per-school counts, unlinked row, constant query count."""

from __future__ import annotations

import datetime
import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cas_educonnect.models import AccountKind, AccountState
from cas_educonnect.routes.legacy.models import LegacyProfile
from cas_educonnect.routes.legacy.progress import migration_progress
from cas_educonnect.routes.legacy.switch import switch_account


def test_progress_per_school(
    legacy_factory,
    establishment_factory,
    pupil_factory,
    representative_factory,
    account_factory,
    django_assert_num_queries,
):
    school_a = establishment_factory(uai="0000001A", name="Collège A")
    school_b = establishment_factory(uai="0000002B", name="Collège B")
    lea = pupil_factory(establishment=school_a, jointure="ELV-A", birth_date=datetime.date(2012, 3, 14))
    tom = pupil_factory(establishment=school_b, jointure="ELV-B")
    representative_factory(children=[lea, tom], jointure="RES-1")
    used = legacy_factory(identifier="lea", category="pupil", jointure="ELV-A")
    LegacyProfile.objects.filter(account=used).update(last_login_at=timezone.now() - datetime.timedelta(days=3))
    switched = legacy_factory(identifier="papa", category="representative", jointure="RES-1")
    switch_account(switched, "nouveau-mdp-2026")  # an active EduConnect account covering the parent
    legacy_factory(identifier="nobody", category="pupil", jointure="UNKNOWN")
    legacy_factory(identifier="prof", category="teacher")
    account_factory(kind=AccountKind.PUPIL, state=AccountState.NOTIFIED, pupils=[tom])

    with django_assert_num_queries(5):
        rows = migration_progress()
    by_uai = {r.uai or r.name: r.as_dict() for r in rows}
    assert by_uai["0000001A"] == {
        "uai": "0000001A", "name": "Collège A", "legacy_open": 1, "legacy_used": 1, "switched": 1,
        "aten_active": 1, "aten_total": 1,
    }  # fmt: skip
    assert by_uai["0000002B"] == {
        "uai": "0000002B", "name": "Collège B", "legacy_open": 0, "legacy_used": 0, "switched": 1,
        "aten_active": 1, "aten_total": 2,
    }  # fmt: skip
    assert by_uai["unlinked"]["legacy_open"] == 1 and [r.name for r in rows][-1] == "unlinked"

    out = StringIO()
    call_command("educonnect_migration_progress", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == [r.as_dict() for r in rows]
    text = StringIO()
    call_command("educonnect_migration_progress", "--used-since-days", "1", stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[0].split("\t") == [
        "uai",
        "name",
        "legacy_open",
        "legacy_used",
        "switched",
        "aten_active",
        "aten_total",
    ]
    assert lines[1].split("\t") == ["0000001A", "Collège A", "1", "0", "1", "1", "1"]
