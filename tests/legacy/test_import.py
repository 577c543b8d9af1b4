"""educonnect_import_legacy: formats, errors with file:line, all-or-nothing, idempotence, links."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from cas_educonnect.models import Account, AccountKind, AccountState, UsedIdentifier
from cas_educonnect.routes.legacy.models import LegacyProfile

pytestmark = pytest.mark.django_db

HEADER = "identifier,password,category,last_name,first_name,email,jointure,birth_date\n"
ROWS = [
    "JDupont,{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==,teacher,Dupont,Jean,jean.dupont@example.org,,\n",
    "lmartin,{CRYPT}$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW,eleve,Martin,Léa,,ELV-42,2012-03-14\n",
    "pbernard,{MD5}X03MO1qnZdYdgyfeuILPmQ==,representative,Bernard,Paul,paul@example.org,,\n",
]


def write(tmp_path, rows, header=HEADER, name="legacy.csv"):
    path = tmp_path / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("educonnect_import_legacy", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_legacy_accounts_that_log_in(tmp_path, pupil_factory):
    pupil = pupil_factory(jointure="ELV-42", first_name="Léa", last_name="Martin")
    out, _err = run(write(tmp_path, ROWS), "--format", "json")
    summary = json.loads(out)
    assert (summary["created"], summary["updated"], summary["linked"], summary["errors"]) == (3, 0, 1, [])
    teacher = Account.objects.get(identifier="jdupont")
    assert (teacher.kind, teacher.state, teacher.legacy_identifier) == (
        AccountKind.LEGACY,
        AccountState.ACTIVE,
        "JDupont",
    )
    assert teacher.legacy_profile.category == "teacher" and teacher.email == "jean.dupont@example.org"
    assert UsedIdentifier.objects.filter(identifier="jdupont").exists()
    assert list(Account.objects.get(identifier="lmartin").pupils.all()) == [pupil]
    assert authenticate(None, username="JDupont", password="secret") is not None
    assert authenticate(None, username="lmartin", password="U*U") is not None
    assert authenticate(None, username="pbernard", password="password") is not None


def test_second_run_changes_nothing_and_never_undoes_an_upgrade(tmp_path):
    path = write(tmp_path, ROWS)
    run(path)
    assert authenticate(None, username="jdupont", password="secret") is not None  # upgraded to Argon2
    upgraded = Account.objects.get(identifier="jdupont").password
    out, _err = run(path, "--format", "json")
    assert (json.loads(out)["created"], json.loads(out)["updated"], json.loads(out)["unchanged"]) == (0, 0, 3)
    assert Account.objects.get(identifier="jdupont").password == upgraded
    # The legacy directory changed the password: the new hash is taken.
    changed = ROWS[0].replace("{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")
    out, _err = run(write(tmp_path, [changed]), "--format", "json")
    assert json.loads(out)["updated"] == 1
    assert authenticate(None, username="jdupont", password="password") is not None


def test_dry_run_counts_and_writes_nothing(tmp_path):
    out, _err = run(write(tmp_path, ROWS), "--dry-run")
    assert out.startswith("[dry run]") and "3 created" in out
    assert not Account.objects.exists() and not LegacyProfile.objects.exists()


def test_any_bad_line_aborts_the_whole_import_with_file_line_messages(tmp_path):
    rows = ROWS + [
        "xdurand,{SHA256}abc,teacher,,,,,\n",
        "ymoreau,{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=,janitor,,,,,\n",
        "jdupont,{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=,other,,,,,\n",
        "zpetit,{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=,other,,,not-an-email,,\n",
    ]
    path = write(tmp_path, rows)
    with pytest.raises(CommandError, match="4 error"):
        run(path)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("educonnect_import_legacy", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}:5: unsupported password hash scheme {{SHA256}}",
        f"{path}:6: unknown category 'janitor' (pupil, representative, teacher, other)",
        f"{path}:7: identifier 'jdupont' already on line 2",
        f"{path}:8: invalid email 'not-an-email'",
    ]
    assert not Account.objects.exists()


def test_identifier_of_an_educonnect_account_is_refused(tmp_path, account_factory):
    account_factory(identifier="jdupont")
    path = write(tmp_path, ROWS[:1])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("educonnect_import_legacy", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == f"{path}:2: identifier 'JDupont' belongs to a pupil account, not a legacy one"
    assert not LegacyProfile.objects.exists()


def test_missing_columns_and_semicolons(tmp_path):
    path = write(tmp_path, ["a,b\n"], header="identifier,category\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("educonnect_import_legacy", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == f"{path}:1: missing column(s): password"
    semicolons = write(tmp_path, [r.replace(",", ";") for r in ROWS], header=HEADER.replace(",", ";"), name="b.csv")
    out, _err = run(semicolons)
    assert "3 created" in out
