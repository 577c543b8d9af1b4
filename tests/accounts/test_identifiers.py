import re

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cas_educonnect.accounts.identifiers import allocate_identifier, allocate_identifiers, base_identifier, fold
from cas_educonnect.models import UsedIdentifier

SHAPE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)?[0-9]*")
names = st.text(st.characters(codec="utf-8"), max_size=300)


@given(names, names)
def test_base_is_lowercase_ascii_and_capped(first, last):
    base = base_identifier(first, last)
    assert SHAPE.fullmatch(base)
    assert set(base) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-")
    assert 1 <= len(base) <= 64 - 5
    assert not base.startswith((".", "-")) and not base.endswith((".", "-"))


@given(names)
def test_fold_is_idempotent(name):
    assert fold(fold(name)) == fold(name)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Hélène", "D'Artagnan-Dupont", "helene.dartagnan-dupont"),
        ("Jean Pierre", "Le Bihan", "jeanpierre.lebihan"),
        ("Zoë", "Œuvray", "zoe.oeuvray"),
        ("", "Martin", "martin"),
        ("Léa", "", "lea"),
        ("山田", "太郎", "compte"),
        ("--", "'' ", "compte"),
        ("Anne-Marie", "Ødegård", "anne-marie.odegard"),
    ],
)
def test_examples(first, last, expected):
    assert base_identifier(first, last) == expected


def test_very_long_names_keep_both_parts():
    base = base_identifier("Marie-" + "x" * 100, "Dupont-" + "y" * 100)
    assert len(base) <= 59
    first, last = base.split(".")
    assert first.startswith("marie-") and last.startswith("dupont-")


@pytest.mark.django_db
def test_bulk_numbers_homonyms_in_order_and_continues_after_single():
    assert allocate_identifier("Léa", "Martin") == "lea.martin"
    got = allocate_identifiers([("Léa", "Martin"), ("Paul", "Roux"), ("Lea", "MARTIN"), ("", "")])
    assert got == ["lea.martin1", "paul.roux", "lea.martin2", "compte"]
    assert allocate_identifier("léa", "martin") == "lea.martin3"


@pytest.mark.django_db
def test_digit_ending_names_never_collide_with_numbered_ones():
    got = allocate_identifiers([("Louis", "XIV"), ("Louis", "XIV"), ("Louis", "XIV1"), ("Louis", "XIV")])
    assert len(set(got)) == 4
    assert got[:2] == ["louis.xiv", "louis.xiv1"]


@pytest.mark.django_db
def test_never_reused_after_account_deletion():
    from cas_educonnect.models import Account, AccountKind

    identifier = allocate_identifier("Hugo", "Petit")
    Account.objects.create(identifier=identifier, kind=AccountKind.PUPIL).delete()
    assert allocate_identifier("Hugo", "Petit") == "hugo.petit1"


@pytest.mark.django_db
def test_bulk_query_count_does_not_grow_with_homonyms(django_assert_max_num_queries):
    pairs = [("Marie", "Martin")] * 400 + [("Jean", "Bernard")] * 99
    with django_assert_max_num_queries(5):
        got = allocate_identifiers(pairs)
    assert got[0] == "marie.martin" and got[399] == "marie.martin399"
    assert len(set(got)) == len(got) == UsedIdentifier.objects.count()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, names), max_size=30))
def test_bulk_allocation_is_unique_and_never_reuses(pairs):
    before = set(UsedIdentifier.objects.values_list("identifier", flat=True))
    got = allocate_identifiers(pairs)
    assert len(got) == len(pairs)
    assert len(set(got)) == len(got)
    assert not before & set(got)
    assert all(len(i) <= 64 and SHAPE.fullmatch(i) for i in got)


@pytest.mark.django_db
def test_identifiers_of_accounts_made_without_the_allocator_are_skipped():
    from cas_educonnect.models import Account, AccountKind

    Account.objects.create(identifier="lea.martin", kind=AccountKind.PUPIL)
    assert allocate_identifiers([("Léa", "Martin")]) == ["lea.martin1"]
    Account.objects.create(identifier="tom.roux", kind=AccountKind.PUPIL)
    assert allocate_identifier("Tom", "Roux") == "tom.roux1"


def test_a_new_maximum_length_is_seen_at_once():
    """``base_identifier`` is cached; a changed setting must not serve bases cut for the old one."""
    name = ("Maximilienne", "Delacroix-Beaumarchais")
    assert base_identifier(*name) == "maximilienne.delacroix-beaumarchais"
    with override_settings(CAS_EDUCONNECT_IDENTIFIER_MAX_LENGTH=20):
        short = base_identifier(*name)
        assert len(short) <= 20 - 5
        assert short.startswith("maxim") and "." in short
    assert base_identifier(*name) == "maximilienne.delacroix-beaumarchais"
