"""``FrEduVecteur``: the ATEN identity vector, ``profil|nom|prenom|idEleve|UAI``.

Consumers split on ``|`` without any escaping and require exactly 5 fields, a profile in
1..4 and non-empty fields 4 and 5 (DOMAIN.md §5), so names lose every ``|`` and line
break, and a child without a school id or UAI yields no value rather than a broken one.
"""

from __future__ import annotations

import logging
import re

from cas_educonnect.attributes.base import AttributeProvider
from cas_educonnect.attributes.subject import PUPIL, Child, Person, Subject
from cas_educonnect.conf import settings

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[|\r\n\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")


def clean(value: str) -> str:
    """A vector field: no separator, no line break or control character, single spaces."""
    return _SPACES.sub(" ", _UNSAFE.sub(" ", value or "")).strip()


def profile(person: Person, child: Child) -> int:
    """1/2: representative of a 1st/2nd-degree pupil; 3/4: 1st/2nd-degree pupil."""
    first_degree = child.degree == "1D"
    if person.role == PUPIL:
        return 3 if first_degree else 4
    return 1 if first_degree else 2


def vector(person: Person, child: Child) -> str | None:
    """One vector value, or None when the child lacks the ids consumers need."""
    struct_id, uai = clean(child.struct_id), clean(child.uai)
    if not struct_id or not uai:
        logger.warning("No FrEduVecteur value for pupil %s: school id or UAI missing", child.jointure)
        return None
    if person.role == PUPIL and not settings.CAS_EDUCONNECT_VECTOR_PUPIL_NAMES:
        last, first = "", ""
    else:
        last, first = clean(person.last_name), clean(person.first_name)
    return f"{profile(person, child)}|{last}|{first}|{struct_id}|{uai}"


class VectorProvider(AttributeProvider):
    """One ``FrEduVecteur`` value per (person, child, school); a pupil gets exactly one."""

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        values: list[str] = []
        for person in subject.persons:
            for child in person.children:
                value = vector(person, child)
                if value is not None and value not in values:
                    values.append(value)
        return {"FrEduVecteur": values}
