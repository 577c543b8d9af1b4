"""Consumer-side check: parse every released FrEduVecteur the way ENTs do (DOMAIN.md §5).

entcore (SSOAten), LaclasseService and SACoche split each value on ``|`` without escaping,
require exactly 5 fields, a profile in 1..4, non-empty fields 4 and 5, and refuse a
multi-valued vector that is not all-parent.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from cas_educonnect.attributes import release
from cas_educonnect.attributes.subject import load_subject
from cas_educonnect.models import Account, AccountState


def parse_vector(values: list[str]) -> list[tuple[int, str, str, str, str]]:
    """What an ENT does with FrEduVecteur; raises ValueError as the ENT would reject it."""
    parsed = []
    for value in values:
        fields = value.split("|")
        if len(fields) != 5:
            raise ValueError(f"{value!r}: {len(fields)} fields")
        profile, last, first, pupil_id, uai = (f.strip() for f in fields)
        if profile not in {"1", "2", "3", "4"}:
            raise ValueError(f"{value!r}: profile {profile!r}")
        if not pupil_id or not uai:
            raise ValueError(f"{value!r}: pupil id or UAI empty")
        if "\n" in value or "\r" in value:
            raise ValueError(f"{value!r}: line break")
        parsed.append((int(profile), last, first, pupil_id, uai))
    if len(parsed) > 1 and any(p[0] not in (1, 2) for p in parsed):
        raise ValueError("multi-valued vector that is not all-parent")
    return parsed


def test_parser_rejects_what_ents_reject():
    for bad in (["5|a|b|1|U"], ["2|a|b||U"], ["2|a|b|1|"], ["2|a|b|1"], ["2|a|b|c|1|U"], ["4|||1|U", "2|a|b|1|U"]):
        try:
            parse_vector(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_every_account_of_the_academy_parses(personas, pupil_factory, representative_factory, account_factory):
    """Our personas plus whatever the demo academy holds (the demo command is run first)."""
    call_command("educonnect_demo", stdout=StringIO())
    # Hostile names too: a separator, line breaks, a tab.
    child = pupil_factory(struct_id="9|9", establishment=personas.college, last_name="A|B")
    rep = representative_factory(children=[child], last_name="Le\nGall", first_name="Ma|\tël")
    account_factory(kind="representative", identifier="mael.legall", representatives=[rep])
    checked = 0
    missing = []
    for account in Account.objects.exclude(state=AccountState.CLOSED):
        subject = load_subject(account.identifier)
        persons = [p.key for p in subject.usable_persons] if subject.needs_choice else [None]
        for person in persons:  # each profile of a joint account, as the host releases it
            values = release(account.identifier, person=person).get("FrEduVecteur", [])
            parsed = parse_vector(values)
            checked += bool(parsed)
            if not parsed and account.kind in ("pupil", "representative"):
                missing.append(account.identifier)
            for profile, last, _first, _id, _uai in parsed:
                if profile in (1, 2):
                    assert last, account.identifier  # a parent's vector carries his names
    assert checked >= 8
    # Every pupil and representative account of the demo reaches services with a vector.
    assert missing == []
