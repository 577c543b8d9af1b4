"""Every admin page a head or a delegated agent reaches speaks French.

The crawler follows the admin's own links from the index (GET only, HTML only) and collects
the visible text: element text, button values, placeholders and titles. A word fails when
it appears in the msgids of the French catalogues (ours, Django's, django-otp's) and in none
of their translations: an English word that escaped translation.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.admin.utils import model_ngettext
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import translation as catalogue
from lxml import html

from cas_educonnect.routes.sms.models import SentSms
from cas_educonnect.staff.audit import record
from cas_educonnect.staff.letters import FIELDS
from cas_educonnect.staff.models import AuditAction, AuditLog, Delegation, Role

from .conftest import make_staff, verified_client

WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
SKIPPED = ("/logout/", "/password_change/", "/letter/", "/letters/", "/jsi18n/", "/r/")
MAX_PAGES = 60


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def french_words() -> set[str]:
    """Words of the French translations (ours, Django's, django-otp's), placeholders left out."""
    words = set()
    for _msgid, msgstr in catalogue("fr")._catalog.items():
        words.update(w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", msgstr)))
    return words


def visible_text(content: bytes) -> str:
    tree = html.fromstring(content.decode())
    for node in tree.xpath("//script|//style|//noscript|//template"):
        node.drop_tree()
    parts = list(tree.itertext())
    parts += tree.xpath("//input[@type='submit' or @type='button']/@value")
    parts += tree.xpath("//@placeholder|//@title|//@aria-label")
    return " ".join(parts)


def crawl(client) -> dict[str, str]:
    """Visible text of every admin page reached from the index by its links."""
    pages, queue = {}, ["/admin/"]
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            pages[url] = ""
            continue
        pages[url] = visible_text(response.content)
        for href in html.fromstring(response.content.decode()).xpath("//a/@href"):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/admin/") or any(s in parts.path for s in SKIPPED):
                continue
            # Sorted and filtered lists show the same words as the list itself.
            link = parts.path
            if link not in pages and link not in queue:
                queue.append(link)
    return pages


def foreign_words(pages: dict[str, str], data: set[str]) -> dict[str, set[str]]:
    """Per page, the words that are neither French interface words nor the fixtures' data."""
    known = french_words() | data
    found = {}
    for url, text in pages.items():
        hits = {w for w in WORD.findall(text) if w.lower() not in known}
        if hits:
            found[url] = hits
    return found


@pytest.fixture
def staffed_school(school_a):
    """School A with its head, an agent delegated by him, and some audit entries."""
    head = make_staff("chef.alpha", school_a.establishment)
    agent = make_staff("agent.alpha", school_a.establishment, role=Role.AGENT)
    Delegation.objects.create(
        granted_by=head, agent=agent, establishment=school_a.establishment, starts_on=datetime.date(2020, 1, 1)
    )
    # Audit entries written by the head's own actions (renotify, letter, settings).
    client = verified_client(Client(), head)
    account = school_a.rep_accounts[1]
    client.post(reverse("admin:educonnect_account_renotify", args=[account.pk]), {"mode": "email"})
    client.get(reverse("admin:educonnect_account_letter", args=[account.pk]))
    record(head, AuditAction.DELEGATION_GRANTED, school_a.establishment, detail=agent.get_username())
    return school_a, head, agent


def data_words(school, *users) -> set[str]:
    """Words of the fixtures' data (names, identifiers, codes, addresses), not of the interface."""
    values = [str(school.establishment), school.establishment.city, school.establishment.address]
    values += [d.code for d in school.divisions] + ["3EME"]
    values += [f"{p.first_name} {p.last_name}" for p in school.pupils]
    values += [f"{r.first_name} {r.last_name} {r.email} {r.address}" for r in school.reps]
    values += [a.identifier for a in school.pupil_accounts + school.rep_accounts]
    values += [u.get_username() for u in users] + FIELDS  # the letters' [Field] placeholders
    return {w.lower() for value in values for w in WORD.findall(value)}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "agent"])
def test_every_admin_page_is_in_french(client, staffed_school, who):
    school, head, agent = staffed_school
    verified_client(client, head if who == "head" else agent)
    with translation.override("fr"):
        pages = crawl(client)
    assert len(pages) > 10, sorted(pages)
    found = foreign_words(pages, data_words(school, head, agent))
    if who == "head":  # counts: the number, then the plural noun
        assert re.search(r"\b3 actions journalisées\b", pages["/admin/educonnect_staff/auditlog/"])
    assert not found, "\n".join(f"{url}: {sorted(words)}" for url, words in found.items())


@pytest.mark.django_db
def test_a_head_with_model_permissions_still_sees_no_device_nor_user_model(client, staffed_school):
    """The host's, auth's and django-otp's admins are the academy operators' only."""
    school, head, agent = staffed_school
    head.user_permissions.set(Permission.objects.all())
    verified_client(client, head)
    index = client.get("/admin/").content.decode()
    for app in ("otp_totp", "otp_static", "auth", "cas_server", "educonnect_sms"):
        assert f"app-{app} " not in index and f"/admin/{app}/" not in index, app
    assert client.get("/admin/educonnect_staff/authenticatordevice/").status_code in (302, 403)
    assert "authenticatordevice" not in index
    assert client.get("/admin/auth/user/").status_code in (302, 403)


@pytest.mark.django_db
def test_counts_agree_with_their_noun():
    with translation.override("fr"):
        assert f"2 {model_ngettext(SentSms, 2)}" == "2 SMS envoyés"
        assert f"12 {model_ngettext(AuditLog, 12)}" == "12 actions journalisées"
