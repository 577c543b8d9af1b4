"""release(): fresh lists, XML-safe names, constant queries, memoised once per request."""

from __future__ import annotations

import threading

import pytest

from cas_educonnect.attributes import base, cache, release
from cas_educonnect.auth.cas import EduconnectAuthUser
from cas_educonnect.models import AccountKind


class BadNames(base.AttributeProvider):
    def attributes(self, subject, service=None):
        return {"display name": ["x"], "1st": ["y"], "ok_name": ["a\x00b", 3]}


def test_fresh_lists_every_call(personas):
    first = release("paul.martin")
    first["FrEduVecteur"][0] = "tampered"
    first["FrEduVecteur"].append("more")
    with cache.request_cache():
        again = release("paul.martin")
        again["FrEduVecteur"][0] = "tampered"
        assert release("paul.martin")["FrEduVecteur"][0] == "1|Martin|Paul|1003|0790001A"
    assert release("paul.martin")["FrEduVecteur"] == [
        "1|Martin|Paul|1003|0790001A",
        "2|Martin|Paul|7001|0790031E",
        "2|Martin|Paul|7002|0790031E",
    ]


def test_names_must_be_xml_names_and_values_xml_characters(personas, settings):
    settings.CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS = ["tests.attributes.test_release.BadNames"]
    assert release("paul.martin") == {"ok_name": ["ab", "3"]}


def family(pupil_factory, representative_factory, account_factory, establishment_factory, children):
    schools = [establishment_factory(degree="2D"), establishment_factory(degree="1D")]
    kids = [pupil_factory(establishment=schools[i % 2]) for i in range(children)]
    rep = representative_factory(children=kids)
    return account_factory(kind=AccountKind.REPRESENTATIVE, representatives=[rep], state="active")


@pytest.mark.parametrize("children", [1, 8])
def test_constant_queries_whatever_the_number_of_children(
    children,
    pupil_factory,
    representative_factory,
    account_factory,
    establishment_factory,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    account = family(pupil_factory, representative_factory, account_factory, establishment_factory, children)
    with django_assert_num_queries(1):
        attributes = release(account.identifier)
    assert len(attributes["FrEduVecteur"]) == children
    # The host builds the auth class 3 times per ticket: 1 query in all within a request.
    with cache.request_cache(), django_assert_max_num_queries(1):
        for _ in range(3):
            assert EduconnectAuthUser(account.identifier).attributs() == attributes


def test_pupil_account_costs_one_query(personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        release("ines.durand")


def test_memo_is_wired_to_the_request_signals():
    from django.core.signals import request_finished, request_started

    def uids(signal):
        return {key[0] for key, *_ in signal.receivers}

    assert "cas_educonnect.attributes.cache.open" in uids(request_started)
    assert "cas_educonnect.attributes.cache.close" in uids(request_finished)


def test_memo_follows_the_request_cycle_and_data_changes(personas, django_assert_num_queries):
    cache._open()  # what request_started runs (sending the signal would close the test DB)
    try:
        with django_assert_num_queries(1):
            release("paul.martin")
            release("paul.martin")
        personas.parent_of_three.email = "new@example.org"
        personas.parent_of_three.save()  # a change inside the request drops the memo
        assert release("paul.martin")["mail"] == ["new@example.org"]
    finally:
        cache._close()
    with django_assert_num_queries(2):  # no memo outside a request
        release("paul.martin")
        release("paul.martin")


def test_memo_is_private_to_each_thread(personas):
    """Two concurrent requests never see each other's entries."""
    seen = {}
    barrier = threading.Barrier(2)

    def request(name):
        cache._open()  # what request_started runs (sending the signal would close the test DB)
        cache.cached("probe", lambda: name)
        barrier.wait()
        seen[name] = cache.cached("probe", lambda: "recomputed")
        cache._close()

    threads = [threading.Thread(target=request, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": "a", "b": "b"}


def test_auth_class_is_strict_for_joint_accounts(personas):
    from cas_educonnect.attributes.scope import person_scope

    attributes = EduconnectAuthUser("marie.bernard").attributs()
    assert "FrEduVecteur" not in attributes and "sn" not in attributes
    assert attributes["uid"] == ["marie.bernard"]
    luc = f"r{personas.joint.representatives.get(first_name='Luc').pk}"
    with person_scope("marie.bernard", luc):
        assert EduconnectAuthUser("marie.bernard").attributs()["FrEduVecteur"] == ["2|Bernard|Luc|7100|0790031E"]
    with person_scope("someone.else", luc):
        assert "FrEduVecteur" not in EduconnectAuthUser("marie.bernard").attributs()


def test_release_all_setting(personas, settings):
    settings.CAS_EDUCONNECT_RELEASE_ALL_PERSONS = True
    assert EduconnectAuthUser("marie.bernard").attributs()["FrEduVecteur"] == [
        "2|Bernard|Marie|7100|0790031E",
        "2|Bernard|Luc|7100|0790031E",
    ]
