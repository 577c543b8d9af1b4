"""Hypothesis properties of the input parsers and of the identity vector.

Identifier normalisation: ``tests/accounts/test_identifiers.py``. Here: whatever the names in
the directory, a ``FrEduVecteur`` value has exactly 5 fields, a profile in 1..4 and no line
break or control character (consumers split on ``|`` without escaping); AAF dates parse to
an ISO date or fail with ValueError; AAF phone numbers and addresses come out usable or empty.
"""

from __future__ import annotations

import datetime
import re

from hypothesis import given
from hypothesis import strategies as st

from cas_educonnect.attributes.subject import PUPIL, REPRESENTATIVE, Child, Person
from cas_educonnect.attributes.vector import clean, vector
from cas_educonnect.directory.mapping import _email, _mobile, parse_date

ANY_TEXT = st.text(max_size=40)
IDS = st.text(alphabet=st.characters(blacklist_characters="|"), min_size=0, max_size=12)


@st.composite
def people(draw):
    child = Child(
        pk=1,
        jointure="E1",
        struct_id=draw(IDS),
        last_name=draw(ANY_TEXT),
        first_name=draw(ANY_TEXT),
        birth_date=None,
        uai=draw(IDS),
        school_name=draw(ANY_TEXT),
        degree=draw(st.sampled_from(["1D", "2D", ""])),
        services_refused=False,
    )
    person = Person(
        key="k",
        role=draw(st.sampled_from([PUPIL, REPRESENTATIVE])),
        last_name=draw(ANY_TEXT),
        first_name=draw(ANY_TEXT),
        jointures=("J",),
        children=(child,),
    )
    return person, child


@given(people())
def test_vector_always_has_five_clean_fields(pair):
    person, child = pair
    value = vector(person, child)
    if value is None:
        assert not clean(child.struct_id) or not clean(child.uai)
        return
    fields = value.split("|")
    assert len(fields) == 5
    assert fields[0] in {"1", "2", "3", "4"}
    assert fields[3] and fields[4]
    assert not re.search(r"[\r\n\x00-\x1f\x7f\u0085\u2028\u2029]", value)
    assert all(f == f.strip() and "  " not in f for f in fields)
    assert (fields[0] in {"3", "4"}) is (person.role == PUPIL)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_aaf_dates_round_trip(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day.isoformat()
    assert parse_date(f" {day.isoformat()} ") == day.isoformat()


@given(ANY_TEXT)
def test_aaf_dates_parse_or_fail_with_value_error(text):
    try:
        result = parse_date(text)
    except ValueError:
        return
    assert result is None or datetime.date.fromisoformat(result)


@given(ANY_TEXT)
def test_aaf_mobiles_are_e164_or_empty(text):
    result = _mobile(text)
    assert result == "" or re.fullmatch(r"\+\d{6,15}", result)


@given(st.from_regex(r"0[67]\d{8}", fullmatch=True), st.sampled_from([" ", ".", "-", ""]))
def test_french_mobiles_in_any_spelling(number, separator):
    spelled = separator.join(number[i : i + 2] for i in range(0, 10, 2))
    assert _mobile(spelled) == "+33" + number[1:]


@given(st.one_of(ANY_TEXT, st.emails()))
def test_aaf_addresses_are_valid_or_empty(text):
    result = _email(text)
    assert result == "" or ("@" in result and len(result) <= 254 and result == result.strip())
