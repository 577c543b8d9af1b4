"""The refusal slip (coupon-réponse) at the bottom of a representative's letter (000 §5, 002 §1.2).

The representative who does not want the online services, for himself or for his child,
returns it to the school, which records the refusal on the account page (``staff.refusals``).
The school may rewrite its text (``SchoolSettings.letter_slip``, with the letters' ``[Field]``
placeholders): the first line is its title, and a line starting with ``[ ]`` is printed
with a box to tick.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

BOX = "[ ]"
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 9, 11.5
INDENT = 6 * mm


def default_text() -> str:
    return _(
        "Reply slip – return it to the school only if you refuse the online services\n"
        "Representative: [Responsable] – Pupil: [Élève] ([Division]) – Identifier: [Identifiant]\n"
        "[ ] I do not wish to use the online services for myself: the school will make my account unusable.\n"
        "[ ] I refuse the online services for my child [Élève]: the national follow-up services (grades, "
        "absences, competences) will be closed to him or her; the pedagogical applications, the academic "
        "services and the ENT stay open during school time.\n"
        "Date and signature:"
    )


def _lines(text: str, width: float) -> list[tuple[str, str, bool, bool]]:
    """(line, font, indented, box) for every printed line of the slip."""
    result = []
    for index, paragraph in enumerate(text.strip("\n").split("\n")):
        box = paragraph.startswith(BOX)
        font = BOLD if index == 0 else FONT
        content = paragraph[len(BOX) :].strip() if box else paragraph
        for number, line in enumerate(simpleSplit(content, font, SIZE, width - (INDENT if box else 0)) or [""]):
            result.append((line, font, box, box and number == 0))
    return result


def height(text: str, width: float) -> float:
    """The room the slip takes, cut line included."""
    return (len(_lines(text, width)) + 1.5) * LEADING + 6 * mm


def draw(canvas: Canvas, text: str, left: float, right: float, bottom: float) -> None:
    """Draw the slip so that its last line sits just above ``bottom``."""
    lines = _lines(text, right - left)
    y = bottom + height(text, right - left)
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.6)
    canvas.line(left, y, right, y)
    canvas.restoreState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(right, y + 2, _("cut along the line"))
    y -= LEADING + 2 * mm
    for line, font, indented, box in lines:
        if box:
            canvas.rect(left, y - 1, 3 * mm, 3 * mm)
        canvas.setFont(font, SIZE)
        canvas.drawString(left + (INDENT if indented else 0), y, line)
        y -= LEADING
