"""The scoping matrix: a head of school A walks EVERY admin URL of the package against
objects of school B, by GET and by POST; nothing of B is shown and nothing changes.
"""

from __future__ import annotations

import io

import pytest
from cas_server.models import ServicePattern
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import URLPattern, URLResolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from pypdf import PdfReader

from cas_educonnect.models import Account, AccountReport, AccountState, Establishment, Pupil, Representative
from cas_educonnect.routes.franceconnect.models import FranceConnectLink
from cas_educonnect.routes.sms.models import SentSms
from cas_educonnect.staff.admin import site
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.models import (
    AuditAction,
    AuditLog,
    AuthenticatorDevice,
    Delegation,
    JobStatus,
    NotificationJob,
    Role,
    SchoolServiceSetting,
    SchoolSettings,
    StaffRole,
    UsefulLink,
)

from .conftest import make_staff, verified_client

WATCHED = [
    Account,
    AccountReport,
    AuditLog,
    Delegation,
    Establishment,
    NotificationJob,
    Pupil,
    Representative,
    SchoolServiceSetting,
    SchoolSettings,
    StaffRole,
    TOTPDevice,
    UsefulLink,
    ServicePattern,
    FranceConnectLink,
    SentSms,
]


def text_of(content_type: str, content: bytes) -> str:
    """What a person reads in a response: page, CSV, or the text of a PDF or workbook."""
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content_type.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content))
        return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    return content.decode()


def snapshot(school_a) -> dict:
    """Every row of the watched tables; A's own audit entries (stats of A...) are allowed."""
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}
    rows["AuditLog"] = [r for r in rows["AuditLog"] if r["establishment_id"] != school_a.establishment.pk]
    return rows


def url_names(patterns, prefix="") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= url_names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(p.name)
    return names


@pytest.fixture
def b_world(school_b):
    """One object of school B for every model of the package's admin."""
    b = school_b.establishment
    head_b = make_staff("head.b", b)
    agent_b = make_staff("agent.b", b, role=Role.AGENT)
    service = ServicePattern.objects.create(name="Notes", pattern="^https://notes\\.example/", pos=5)
    FranceConnectLink.objects.create(account=school_b.rep_accounts[3], sub="sub-b", family_name="BRAVOMARK")
    objects = {
        Account: school_b.rep_accounts[3],
        AccountReport: AccountReport.objects.get(account=school_b.rep_accounts[3]),
        StaffRole: StaffRole.objects.get(user=head_b),
        Delegation: Delegation.objects.create(granted_by=head_b, agent=agent_b, establishment=b),
        AuditLog: record(head_b, AuditAction.NOTIFY, b, [school_b.rep_accounts[0]]),
        SchoolSettings: SchoolSettings.objects.create(establishment=b, welcome_message="Bienvenue Bravomark"),
        UsefulLink: UsefulLink.objects.create(establishment=b, label="Bravomark link", url="https://bravo.example/"),
        NotificationJob: NotificationJob.objects.create(
            establishment=b,
            audience="representatives",
            mode="paper",
            status=JobStatus.DONE,
            account_ids=[[school_b.rep_accounts[1].pk, school_b.pupils[1].pk]],
            paper={str(school_b.divisions[0].pk): [[school_b.rep_accounts[1].pk, school_b.pupils[1].pk]]},
        ),
        SchoolServiceSetting: SchoolServiceSetting.objects.create(establishment=b, service_pattern=service),
        # Academy-wide, operators only: a head or agent gets no access at all (see test below).
        AuthenticatorDevice: AuthenticatorDevice.objects.get(user=head_b),
        SentSms: SentSms.objects.create(
            purpose="registration",
            number_hash="h",
            number_masked="06 •• •• •• 78",
            backend="bravomark.backend",
            status=SentSms.Status.SENT,
        ),
    }
    return school_b, objects, service


def requests_for(name: str, school_a, school_b, objects, service) -> list[tuple[str, str, dict]]:
    """(method, url, data) tuples aiming at school B through the URL ``name``."""
    a, b = school_a.establishment, school_b.establishment
    account = objects[Account]
    job = objects[NotificationJob]
    division_b = school_b.divisions[0]
    pair_b = f"{school_b.rep_accounts[1].pk}:{school_b.pupils[1].pk}"
    if name.startswith("educonnect_account_"):
        kwargs = {"object_id": account.pk}
        if name == "educonnect_account_report":
            kwargs["report_id"] = objects[AccountReport].pk
        url = reverse(f"admin:{name}", kwargs=kwargs)
        return [("get", url, {}), ("post", url, {"mode": "paper", "email": "evil@example.org"})]
    if name.startswith("educonnect_job"):
        kwargs = {"job_id": job.pk}
        if name == "educonnect_job_letters":
            kwargs["division"] = str(division_b.pk)
        url = reverse(f"admin:{name}", kwargs=kwargs)
        return [("get", url, {}), ("post", url, {})]
    if name == "educonnect_notify":
        url = reverse("admin:educonnect_notify")
        filters = {"audience": "representatives", "divisions": division_b.pk, "states": ["not_notified", "notified"]}
        return [
            ("get", url, {"school": b.pk, **filters}),
            ("get", url, {"school": a.pk, **filters}),
            ("post", url, {"school": b.pk, "audience": "representatives", "mode": "paper", "pair": pair_b}),
            ("post", url, {"school": a.pk, "audience": "representatives", "mode": "paper", "pair": pair_b}),
        ]
    if name == "educonnect_write":
        url = reverse("admin:educonnect_write")
        message = {"subject": "x", "message": "x"}
        return [
            ("get", url, {"school": b.pk}),
            ("post", url, {"school": b.pk, "pair": pair_b, **message}),
            ("post", url, {"school": a.pk, "pair": pair_b}),
            ("post", url, {"school": a.pk, "pair": pair_b, **message}),
        ]
    if name in ("educonnect_lists", "educonnect_stats", "educonnect_services"):
        url = reverse(f"admin:{name}")
        out = []
        for school in (b, a):
            for fmt in ("", "pdf", "csv", "xlsx"):
                out.append(("get", url, {"school": school.pk, "division": division_b.pk, "format": fmt}))
        out.append(("post", url, {"school": b.pk, "service": service.pk, "open": "0"}))
        return out
    if name == "educonnect_letter_preview":
        url = reverse("admin:educonnect_letter_preview")
        return [("get", url, {"school": b.pk, "kind": kind}) for kind in ("representative", "pupil", "continuity")]
    if name == "educonnect_enrol":
        url = reverse("admin:educonnect_enrol")
        return [("get", url, {}), ("post", url, {"token": "123456"})]
    if name == "educonnect_enrol_link":
        url = reverse("admin:educonnect_enrol_link", args=["MQ", "bad-token"])
        return [("get", url, {})]
    if name.startswith("educonnect_legacy_"):
        # The legacy route's admin is academy-wide (superusers only): every page must refuse.
        view = name.rsplit("_", 1)[1]
        url = reverse(f"admin:{name}") if view in ("changelist", "add") else reverse(f"admin:{name}", args=[1])
        return [("get", url, {}), ("post", url, {"category": "pupil", "closes_on": "2020-01-01"})]
    # ModelAdmin URLs: <app>_<model>_<view>
    for model, obj in objects.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if not name.startswith(prefix):
            continue
        view = name[len(prefix) :]
        if view in ("changelist", "add"):
            url = reverse(f"admin:{name}")
            post = {
                "action": "revoke" if model is Delegation else "reset_otp_devices",
                "_selected_action": [obj.pk],
                "establishment": b.pk,
                "agent": objects[Delegation].agent_id,
                "starts_on": "2026-01-01",
                "label": "x",
                "url": "https://x.example/",
                "user": obj.pk,
                "role": "head",
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": obj.pk,
                "form-0-position": "99",
                "_save": "1",
            }
            return [("get", url, {}), ("get", url, {"q": "parent"}), ("post", url, post)]
        url = reverse(f"admin:{name}", args=[obj.pk])
        post = {"welcome_message": "hacked", "label": "hacked", "ends_on": "2020-01-01", "post": "yes"}
        return [("get", url, {}), ("post", url, post)]
    raise AssertionError(f"no request built for admin URL {name}")


@pytest.mark.django_db
def test_staff_of_a_cannot_read_nor_write_anything_of_b(client, school_a, head_a, b_world):
    school_b, objects, service = b_world
    verified_client(client, head_a)
    names = sorted(n for n in url_names(site.get_urls()) if "educonnect" in n)
    assert len(names) > 30
    before = snapshot(school_a)
    visited = 0
    for name in names:
        for method, url, data in requests_for(name, school_a, school_b, objects, service):
            response = getattr(client, method)(url, data)
            visited += 1
            content = b"".join(response) if response.streaming else response.content
            where = f"{method.upper()} {url} {data}"
            if response.status_code == 200:
                assert "bravo" not in text_of(response["Content-Type"], content).lower(), where
    assert snapshot(school_a) == before
    assert not mail.outbox  # « Écrire à plusieurs responsables » wrote to nobody of B
    assert visited > 60


@pytest.mark.django_db
def test_the_head_of_b_does_see_b(client, b_world):
    """The matrix above would pass if nothing worked: the same pages work for B's head."""
    school_b, objects, _service = b_world
    head_b = get_user_model().objects.get(username="head.b")
    verified_client(client, head_b)
    account = objects[Account]
    assert b"bravomark" in client.get(reverse("admin:cas_educonnect_account_changelist")).content.lower()
    assert client.get(reverse("admin:cas_educonnect_account_change", args=[account.pk])).status_code == 200
    assert account.state == AccountState.ACTIVE
    assert client.get(reverse("admin:educonnect_account_simulate", args=[account.pk])).status_code == 200
    job = objects[NotificationJob]
    letters = client.get(reverse("admin:educonnect_job_letters", args=[job.pk, str(school_b.divisions[0].pk)]))
    assert letters.status_code == 200 and letters["Content-Type"] == "application/pdf"
    settings_url = reverse("admin:educonnect_staff_schoolsettings_change", args=[objects[SchoolSettings].pk])
    assert b"Bienvenue Bravomark" in client.get(settings_url).content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HEAD, Role.AGENT])
def test_sent_sms_are_for_operators_only_and_read_only(client, school_a, b_world, role):
    """Heads and agents get 403 on every SentSms URL; operators read, nobody writes."""
    from cas_educonnect.staff.models import Delegation

    sms = b_world[1][SentSms]
    names = sorted(n for n in url_names(site.get_urls()) if n.startswith("educonnect_sms_sentsms_"))
    assert {"educonnect_sms_sentsms_changelist", "educonnect_sms_sentsms_change"} <= set(names)

    def urls():
        for name in names:
            args = [] if name.endswith(("_changelist", "_add")) else [sms.pk]
            yield name, reverse(f"admin:{name}", args=args)

    member = make_staff(f"{role}.sms", school_a.establishment if role == Role.HEAD else None)
    if role == Role.AGENT:
        head = make_staff("head.sms", school_a.establishment)
        Delegation.objects.create(granted_by=head, agent=member, establishment=school_a.establishment)
    verified_client(client, member)
    assert "sentsms" not in client.get(reverse("admin:index")).content.decode()
    for name, url in urls():
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"post": "yes", "purpose": "x"}).status_code == 403, name

    operator = make_staff("operator.sms", superuser=True)
    verified_client(client, operator)
    assert "sentsms" in client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:educonnect_sms_sentsms_changelist"))
    assert listing.status_code == 200 and "06 •• •• •• 78" in listing.content.decode()
    page = client.get(reverse("admin:educonnect_sms_sentsms_change", args=[sms.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:educonnect_sms_sentsms_add")).status_code == 403
    for name in ("change", "delete"):
        url = reverse(f"admin:educonnect_sms_sentsms_{name}", args=[sms.pk])
        assert client.post(url, {"post": "yes", "purpose": "x"}).status_code == 403
    assert SentSms.objects.get(pk=sms.pk).purpose == "registration"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "granted", [(), ("settings",), ("services",), ("letters",), ("settings", "services", "letters")]
)
def test_a_delegated_agent_has_the_rights_his_delegation_grants_and_no_other(client, school_a, granted):
    """Seed 004 §1.3 point 5: the head chooses, per delegation, what beyond accounts the agent may do."""
    from django.utils import timezone

    from cas_educonnect.staff.models import DELEGATION_RIGHTS
    from cas_educonnect.staff.scoping import schools_with_right
    from cas_educonnect.staff.services import open_services

    a = school_a.establishment
    head = make_staff("head.rights", a)
    agent = make_staff("agent.rights", a, role=Role.AGENT)
    rights = {f"may_change_{right}": right in granted for right in DELEGATION_RIGHTS}
    Delegation.objects.create(granted_by=head, agent=agent, establishment=a, **rights)
    row = SchoolSettings.objects.create(establishment=a, services_activated_at=timezone.now())
    service = ServicePattern.objects.create(name="Notes", pattern="^https://notes\\.example/", pos=5)
    for right in DELEGATION_RIGHTS:
        assert schools_with_right(agent, right).filter(pk=a.pk).exists() == (right in granted), right
        assert schools_with_right(head, right).filter(pk=a.pk).exists()
    verified_client(client, agent)

    assert client.get(reverse("admin:cas_educonnect_account_changelist")).status_code == 200  # always
    change = reverse("admin:educonnect_staff_schoolsettings_change", args=[row.pk])
    client.post(
        change,
        {"welcome_message": "Par l'agent", "letter_type": "teleservices", "letter_header": "En-tête de l'agent"},
    )
    row.refresh_from_db()
    assert (row.welcome_message == "Par l'agent") == ("settings" in granted)
    assert (row.letter_header == "En-tête de l'agent") == ("letters" in granted)
    client.post(
        reverse("admin:educonnect_staff_usefullink_add"),
        {"establishment": a.pk, "label": "Lien", "url": "https://lien.example/", "position": 1},
    )
    assert UsefulLink.objects.filter(label="Lien").exists() == ("settings" in granted)
    client.post(reverse("admin:educonnect_services"), {"school": a.pk, "service": service.pk, "open": "1"})
    assert (service in open_services(a)) == ("services" in granted)
    preview = client.get(reverse("admin:educonnect_letter_preview"), {"school": a.pk, "kind": "pupil"})
    assert (preview.status_code == 200) == ("letters" in granted)
    # Never the agent's, whatever the delegation: delegations and the audit log.
    assert client.get(reverse("admin:educonnect_staff_delegation_changelist")).status_code == 403
    assert client.get(reverse("admin:educonnect_staff_auditlog_changelist")).status_code == 403


@pytest.mark.django_db
def test_an_agent_of_a_with_every_right_cannot_read_nor_write_anything_of_b(client, school_a, head_a, b_world):
    """The matrix walked by an agent whose delegation on A grants settings, services and letters."""
    school_b, objects, service = b_world
    agent = make_staff("agent.a", school_a.establishment, role=Role.AGENT)
    Delegation.objects.create(granted_by=head_a, agent=agent, establishment=school_a.establishment)
    verified_client(client, agent)
    before = snapshot(school_a)
    for name in sorted(n for n in url_names(site.get_urls()) if "educonnect" in n):
        for method, url, data in requests_for(name, school_a, school_b, objects, service):
            response = getattr(client, method)(url, data)
            content = b"".join(response) if response.streaming else response.content
            if response.status_code == 200:
                text = text_of(response["Content-Type"], content).lower()
                assert "bravo" not in text, f"{method.upper()} {url} {data}"
    assert snapshot(school_a) == before
