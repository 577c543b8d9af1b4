"""The demo head of school logs in with a TOTP code computed from the printed secret,
notifies a division and downloads its letters (test client; the browser test does the same)."""

from __future__ import annotations

import json
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from cas_educonnect.models import Account, AccountState, Division
from cas_educonnect.staff import schoolyear
from cas_educonnect.staff.models import NotificationJob

from .helpers import pdf_pages


def demo_head() -> dict:
    out = StringIO()
    call_command("educonnect_demo", "--json", stdout=out)
    return next(a for a in json.loads(out.getvalue())["accounts"] if a["identifier"] == "principal")


def code_from_secret(secret: str) -> str:
    return f"{TOTP(b32decode(secret)).token():06d}"


@pytest.mark.django_db
def test_demo_head_notifies_a_division_and_downloads_the_letters(client):
    head = demo_head()
    assert head["otpauth_uri"].startswith("otpauth://totp/") and head["totp_secret"] in head["otpauth_uri"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": head["identifier"],
            "password": head["password"],
            "otp_token": code_from_secret(head["totp_secret"]),
        },
    )
    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    # A class of the head's school (the demo academy has several schools).
    division = Division.objects.filter(establishment__staff_roles__user__username="principal", pupils__isnull=False)
    division = division.order_by("code").first()
    school = division.establishment
    page = client.get(
        "/admin/educonnect/notify/",
        {"school": school.pk, "audience": "pupils", "divisions": division.pk, "states": ["not_notified", "notified"]},
    )
    pairs = [row["value"] for row in page.context["rows"]]
    assert pairs
    client.post("/admin/educonnect/notify/", {"school": school.pk, "audience": "pupils", "pair": pairs})
    job = NotificationJob.objects.get()
    letters = client.get(f"/admin/educonnect/notify/jobs/{job.pk}/letters/{division.pk}/")
    text = "\n".join(pdf_pages(letters))
    for account in Account.objects.filter(pupils__division=division):
        assert account.state == AccountState.NOTIFIED and account.identifier in text
    # Idempotent: a second run keeps the same device and secret.
    assert demo_head()["totp_secret"] == head["totp_secret"]


@pytest.mark.django_db
def test_demo_operator_logs_in_with_the_printed_secret_not_with_his_password_alone(client):
    out = StringIO()
    call_command("educonnect_demo", "--json", stdout=out)
    operator = next(a for a in json.loads(out.getvalue())["accounts"] if a["identifier"] == "operateur")
    login = {"username": "operateur", "password": operator["password"]}
    assert client.post("/admin/login/?next=/admin/", login).status_code == 200
    assert client.get("/admin/").status_code == 302
    response = client.post(
        "/admin/login/?next=/admin/", {**login, "otp_token": code_from_secret(operator["totp_secret"])}
    )
    assert response.status_code == 302 and client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_shows_a_refused_child_and_a_letter_with_its_slip(client):
    """`make demo`'s summary says where the refused child and a letter with its slip are."""
    out = StringIO()
    call_command("educonnect_demo", "--base-url", "http://testserver", stdout=out)
    lines = out.getvalue().splitlines()
    page_url = next(line.split()[0] for line in lines if "Accès aux téléservices : refusé" in line)
    letter_url = next(line.split()[-1] for line in lines if "refusal slip" in line)
    head = demo_head()
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "principal", "password": head["password"], "otp_token": code_from_secret(head["totp_secret"])},
    )
    page = client.get(page_url.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Accès aux téléservices" in page.content.decode() and "refusé" in page.content.decode()
    text = "\n".join(pdf_pages(client.get(letter_url.removeprefix("http://testserver"))))
    assert "Coupon-réponse" in text and "M. E. Le Goff" in text


@pytest.mark.django_db
def test_demo_shows_a_carried_over_account_in_red_and_says_where(client):
    out = StringIO()
    call_command("educonnect_demo", stdout=out)
    summary = out.getvalue()
    line = next(line for line in summary.splitlines() if line.startswith("Carried-over account"))
    identifier = line.split(": ", 1)[1].split(" / ", 1)[0]
    account = Account.objects.get(identifier=identifier)
    assert schoolyear.is_carried_over(account)
    url = next(part for part in summary.split() if "/admin/educonnect/lists/" in part)
    head = demo_head()  # a second run keeps the same account carried over
    assert schoolyear.is_carried_over(Account.objects.get(identifier=identifier))
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "principal", "password": head["password"], "otp_token": code_from_secret(head["totp_secret"])},
    )
    rows = client.get(url[url.index("/admin/") :]).context["rows"]
    assert [r["carried_over"] for r in rows if r["account"] and r["account"].identifier == identifier] == [True]
