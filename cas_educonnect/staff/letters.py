"""Notification letters (PDF, reportlab): one page per account, in the school's model (004 §2.8.1).

The identifier is always printed; the provisional password only for accounts not yet
activated. An activated account (continuity of access) gets the reminder model, without
any password. Texts use ``[Field]`` placeholders, replaced from :data:`FIELDS` and from
``Letter.extra`` (fields a feature adds, e.g. activation codes); the head's signature goes
where ``[Signature]`` is, else after the body. A representative's letter ends with the
refusal slip (``staff.slip``). The legal CNIL mention is appended by the renderer, so no
custom text can remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from cas_educonnect.conf import settings
from cas_educonnect.models import Establishment
from cas_educonnect.staff import slip
from cas_educonnect.staff.models import LetterType, Role, SchoolSettings, StaffRole

FIELDS = [
    "Académie",
    "Établissement",
    "Adresse établissement",
    "Contact établissement",
    "Destinataire",
    "Responsable",
    "Élève",
    "Division",
    "Adresse",
    "Identifiant",
    "Mot de passe",
    "Chef d'établissement",
    "Signature",
    "Code d'activation",
]
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10.5, 13
LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 190 * mm, 280 * mm, 18 * mm
SLIP_BOTTOM = BOTTOM + 4.5 * LEADING  # room under « Date et signature », above the CNIL mention


@dataclass
class Letter:
    """One printed letter; ``password`` is None for activated accounts (reminder only).

    ``holder`` names the representative (the slip's « Nom du responsable »); ``extra`` maps
    more ``[Field]`` names to their values for this letter, so a feature adds a field to the
    letters without changing this class.
    """

    kind: str  # "representative" or "pupil"
    recipient: list[str]
    pupil: str
    division: str
    identifier: str
    password: str | None
    holder: str = ""
    extra: dict[str, str] = field(default_factory=dict)
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
            "on the login page or contact the school ([Contact établissement]).\n\n"
            "Yours faithfully,\n\n[Signature]"
        )
    if kind == "pupil":
        return _(
            "[Établissement] offers pupils a set of online services.\n\n"
            "To reach them, go to the following address: [Adresse]\n\n"
            "Log in with the “Éducation nationale” account given to you:\n"
            "Identifier: [Identifiant]\nProvisional password: [Mot de passe]\n\n"
            "At your first login you will choose a new password (keep it for the next logins).\n\n"
            "The rules for using these services are set out in the school's charter.\n\n"
            "With my encouragement.\n\n[Signature]"
        )
    return _(
        "[Établissement] offers you a set of services to keep you informed, to follow the schooling of "
        "[Élève], pupil of [Division], and to carry out some formalities.\n\n"
        "To reach them, go to the following address: [Adresse]\n\n"
        "Log in with the “Éducation nationale” account given to you:\n"
        "Identifier: [Identifiant]\nPassword: [Mot de passe]\n\n"
        "At your first login you will:\n1. choose a new password (keep it for the next logins);\n"
        "2. give an email address;\n3. activate your account from the email sent to that address.\n\n"
        "If you have any problem, contact the school ([Contact établissement]).\n\n"
        "For your information, pupils also have their own account to reach the services meant for them.\n\n"
        "Yours faithfully,\n\n[Signature]\n\n"
        "PS: you have 3 months to activate your account. After that, you can ask the school for a new one."
    )


def head_name(establishment: Establishment, school_settings: SchoolSettings) -> str:
    """The name signed under « Le chef d'établissement »: the settings' one, else the head's account's."""
    if school_settings.signatory:
        return school_settings.signatory
    role = (
        StaffRole.objects.filter(establishment=establishment, role=Role.HEAD)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return role.user.get_full_name().strip() if role is not None else ""


class LetterModel:
    """The texts and address a school prints, resolved once per PDF."""

    def __init__(self, establishment: Establishment, portal_url: str) -> None:
        self.establishment = establishment
        self.settings = SchoolSettings.objects.filter(establishment=establishment).first() or SchoolSettings(
            establishment=establishment
        )
        ent = self.settings.ent_url or establishment.ent_url
        # « Téléservices » and « Mixte » give the portal (« Mixte » links the ENT there); « ENT seul » the ENT.
        self.address = ent if self.settings.letter_type == LetterType.ENT_ONLY and ent else portal_url
        email = (self.settings.contact_active and self.settings.contact_email) or establishment.email
        school_lines = [establishment.address, f"{establishment.postal_code} {establishment.city}".strip()]
        if establishment.phone:
            school_lines.append(_("Phone: %(phone)s") % {"phone": establishment.phone})
        if email:
            school_lines.append(_("Email: %(email)s") % {"email": email})
        self.school_address = "\n".join(line for line in school_lines if line)
        self.contact = " – ".join(x for x in (establishment.phone, email) if x)
        academy = settings.CAS_EDUCONNECT_ACADEMY_NAME
        self.academy = _("Academy of %(academy)s") % {"academy": academy} if academy else ""
        self.head = head_name(establishment, self.settings)
        self.header = self.settings.letter_header or default_header()
        today = date_format(timezone.localdate(), "d/m/Y")
        if establishment.city:
            self.date_line = _("%(city)s, on %(date)s") % {"city": establishment.city, "date": today}
        else:
            self.date_line = today
        self.bodies = {
            ("representative", False): self.settings.letter_body_representative
            or default_body("representative", False),
            ("pupil", False): self.settings.letter_body_pupil or default_body("pupil", False),
            ("representative", True): self.settings.letter_body_continuity or default_body("representative", True),
            ("pupil", True): self.settings.letter_body_continuity or default_body("pupil", True),
        }
        self.subject = _("Subject: access to the school's online services")
        self.signature = "\n".join(x for x in (_("The head of school"), self.head) if x)
        self.slip = self.settings.letter_slip or slip.default_text()
        self.cnil = cnil_mention()

    def values(self, letter: Letter) -> dict[str, str]:
        """Every ``[Field]`` of ``letter``: the school's, the letter's, then ``letter.extra``."""
        return {
            "Académie": self.academy,
            "Établissement": self.establishment.name,
            "Adresse établissement": self.school_address,
            "Contact établissement": self.contact,
            "Destinataire": "\n".join(letter.recipient),
            "Responsable": letter.holder,
            "Élève": letter.pupil,
            "Division": letter.division,
            "Adresse": self.address,
            "Identifiant": letter.identifier,
            "Mot de passe": letter.password or "",
            "Chef d'établissement": self.head,
            "Signature": self.signature,
            "Code d'activation": letter.activation_code or "",
            **letter.extra,
        }

    def fill(self, text: str, letter: Letter) -> str:
        for name, value in self.values(letter).items():
            text = text.replace(f"[{name}]", value)
        return text

    def body(self, letter: Letter) -> str:
        """The filled body, signed where ``[Signature]`` is (after it if the school removed it)."""
        text = self.bodies[(letter.kind, letter.password is None)]
        if "[Signature]" not in text:
            text = f"{text}\n\n[Signature]"
        return self.fill(text, letter)


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
    top = TOP
    if model.academy:
        canvas.setFont(BOLD, SIZE)
        canvas.drawString(LEFT, top, model.academy)
        top -= 1.5 * LEADING
    canvas.setFont(FONT, SIZE)
    canvas.drawRightString(RIGHT, TOP, model.date_line)
    y = _draw_block(canvas, model.fill(model.header, letter), top, BOLD)
    y = min(y, TOP - 30 * mm)
    recipient_y = y
    for line in letter.recipient:
        canvas.drawString(110 * mm, recipient_y, line)
        recipient_y -= LEADING
    y = min(y, recipient_y) - 2 * LEADING
    y = _draw_block(canvas, model.subject, y, BOLD) - LEADING
    if letter.activation_code:
        y = _draw_block(canvas, activation_code_text(letter), y, BOLD) - LEADING
    y = _draw_block(canvas, model.body(letter), y)
    if letter.kind == "representative":
        text = model.fill(model.slip, letter)
        if y - LEADING < SLIP_BOTTOM + slip.height(text, RIGHT - LEFT):
            # A long custom body: the slip goes on a page of its own, with the CNIL mention.
            _draw_block(canvas, model.cnil, BOTTOM + 2 * LEADING, FONT, 8)
            canvas.showPage()
        slip.draw(canvas, text, LEFT, RIGHT, SLIP_BOTTOM)
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
