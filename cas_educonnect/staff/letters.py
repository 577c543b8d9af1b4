"""Notification letters (PDF, reportlab): one page per account, in the school's model.

The identifier is always printed; the provisional password only for accounts not yet
activated. An activated account (continuity of access) gets the reminder model, without
any password. Texts use ``[Field]`` placeholders, replaced from :data:`FIELDS`; the
legal CNIL mention is appended by the renderer, so no custom text can remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from cas_educonnect.models import Establishment
from cas_educonnect.staff.models import LetterType, SchoolSettings

FIELDS = [
    "Établissement",
    "Adresse établissement",
    "Destinataire",
    "Élève",
    "Division",
    "Adresse",
    "Identifiant",
    "Mot de passe",
    "Code d'activation",
]
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10.5, 14
LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 190 * mm, 280 * mm, 18 * mm


@dataclass
class Letter:
    """One printed letter; ``password`` is None for activated accounts (reminder only)."""

    kind: str  # "representative" or "pupil"
    recipient: list[str]
    pupil: str
    division: str
    identifier: str
    password: str | None
    activation_code: str | None = None  # ATEN CAR / CAE, when the school distributes them


def cnil_mention() -> str:
    return _(
        "The online services have been declared to the Commission nationale de l'informatique et des libertés "
        "pursuant to law no. 78-17 of 6 January 1978 on data processing, files and freedoms."
    )


def activation_code_text(letter: Letter) -> str:
    return _(
        "Or create your account with this activation code and the date of birth of %(pupil)s "
        "(« I received an activation code », valid 3 months): %(code)s"
    ) % {"pupil": letter.pupil, "code": letter.activation_code}


def default_header() -> str:
    return "[Établissement]\n[Adresse établissement]"


def default_body(kind: str, continuity: bool) -> str:
    if continuity:
        return _(
            "[Établissement] reminds you that online services are available to you.\n\n"
            "Go to: [Adresse]\n\nYour identifier: [Identifiant]\n\n"
            "Log in with the password you chose. If you forgot it, use the link “Forgotten password” "
            "on the login page or contact the school."
        )
    if kind == "pupil":
        return _(
            "[Établissement] offers pupils a set of online services.\n\nGo to: [Adresse]\n\n"
            "Log in with the “Éducation nationale” account given to you:\n"
            "Identifier: [Identifiant]\nProvisional password: [Mot de passe]\n\n"
            "At your first login you will choose a new password (keep it for the next logins).\n\n"
            "The rules for using these services are set out in the school's charter."
        )
    return _(
        "[Établissement] offers you a set of services to follow the schooling of [Élève], pupil of [Division], "
        "and to carry out some formalities.\n\nGo to: [Adresse]\n\n"
        "Log in with the “Éducation nationale” account given to you:\n"
        "Identifier: [Identifiant]\nPassword: [Mot de passe]\n\n"
        "At your first login you will:\n1. choose a new password (keep it for the next logins);\n"
        "2. give an email address;\n3. activate your account from the email sent to that address.\n\n"
        "If you have any problem, contact the school.\n\n"
        "PS: you have 3 months to activate your account. After that, ask the school for a new one."
    )


class LetterModel:
    """The texts and address a school prints, resolved once per PDF."""

    def __init__(self, establishment: Establishment, portal_url: str) -> None:
        self.establishment = establishment
        self.settings = SchoolSettings.objects.filter(establishment=establishment).first() or SchoolSettings(
            establishment=establishment
        )
        ent = self.settings.ent_url or establishment.ent_url
        self.address = ent if self.settings.letter_type == LetterType.ENT_ONLY and ent else portal_url
        school_lines = [establishment.address, f"{establishment.postal_code} {establishment.city}".strip()]
        if establishment.phone:
            school_lines.append(_("Phone: %(phone)s") % {"phone": establishment.phone})
        if establishment.email:
            school_lines.append(_("Email: %(email)s") % {"email": establishment.email})
        self.school_address = "\n".join(line for line in school_lines if line)
        self.header = self.settings.letter_header or default_header()
        self.date_line = f"{establishment.city or ''}, {date_format(timezone.localdate(), 'd/m/Y')}"
        self.bodies = {
            ("representative", False): self.settings.letter_body_representative
            or default_body("representative", False),
            ("pupil", False): self.settings.letter_body_pupil or default_body("pupil", False),
            ("representative", True): self.settings.letter_body_continuity or default_body("representative", True),
            ("pupil", True): self.settings.letter_body_continuity or default_body("pupil", True),
        }
        self.subject = _("Subject: access to the school's online services")
        self.signature = _("The head of school")
        self.cnil = cnil_mention()

    def fill(self, text: str, letter: Letter) -> str:
        values = {
            "Établissement": self.establishment.name,
            "Adresse établissement": self.school_address,
            "Destinataire": "\n".join(letter.recipient),
            "Élève": letter.pupil,
            "Division": letter.division,
            "Adresse": self.address,
            "Identifiant": letter.identifier,
            "Mot de passe": letter.password or "",
            "Code d'activation": letter.activation_code or "",
        }
        for name, value in values.items():
            text = text.replace(f"[{name}]", value)
        return text


def _draw_block(canvas: Canvas, text: str, y: float, font: str = FONT, size: float = SIZE) -> float:
    width = RIGHT - LEFT
    for paragraph in text.split("\n"):
        lines = simpleSplit(paragraph, font, size, width) or [""]
        for line in lines:
            canvas.setFont(font, size)
            canvas.drawString(LEFT, y, line)
            y -= LEADING
    return y


def draw_letter(canvas: Canvas, model: LetterModel, letter: Letter) -> None:
    y = _draw_block(canvas, model.fill(model.header, letter), TOP, BOLD)
    canvas.setFont(FONT, SIZE)
    canvas.drawRightString(RIGHT, TOP, model.date_line)
    y = min(y, TOP - 30 * mm)
    recipient_y = y
    for line in letter.recipient:
        canvas.drawString(110 * mm, recipient_y, line)
        recipient_y -= LEADING
    y = min(y, recipient_y) - 2 * LEADING
    y = _draw_block(canvas, model.subject, y, BOLD) - LEADING
    body = model.bodies[(letter.kind, letter.password is None)]
    y = _draw_block(canvas, model.fill(body, letter), y) - LEADING
    if letter.activation_code:
        y = _draw_block(canvas, activation_code_text(letter), y, BOLD) - LEADING
    _draw_block(canvas, model.signature, y)
    _draw_block(canvas, model.cnil, BOTTOM + 2 * LEADING, FONT, 8)
    canvas.showPage()


def render_letters(
    establishment: Establishment, letters: Iterable[Letter], out: BinaryIO, portal_url: str, title: str = ""
) -> int:
    """Write one PDF page per letter to ``out`` (a memory buffer); return the page count."""
    model = LetterModel(establishment, portal_url)
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title or establishment.name)
    count = 0
    for letter in letters:
        draw_letter(canvas, model, letter)
        count += 1
    if not count:
        _draw_block(canvas, _("No letter to print."), TOP)
        canvas.showPage()
    canvas.save()
    return count
