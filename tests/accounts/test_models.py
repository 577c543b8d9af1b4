import re

import pytest

from cas_educonnect.models import Account, AccountKind, AccountState


@pytest.mark.django_db
def test_every_account_gets_its_own_stable_opaque_id():
    first = Account.objects.create(identifier="lea.martin", kind=AccountKind.PUPIL)
    second = Account.objects.create(identifier="lea.martin1", kind=AccountKind.PUPIL)
    assert re.fullmatch(r"[0-9a-f]{96}", first.opaque_id)
    assert first.opaque_id != second.opaque_id
    before = first.opaque_id
    first.state = AccountState.NOTIFIED
    first.save()
    first.refresh_from_db()
    assert first.opaque_id == before


@pytest.mark.django_db
def test_bulk_created_accounts_get_distinct_opaque_ids():
    Account.objects.bulk_create([Account(identifier=f"a.b{n}", kind=AccountKind.PUPIL) for n in range(50)])
    assert Account.objects.values("opaque_id").distinct().count() == 50
