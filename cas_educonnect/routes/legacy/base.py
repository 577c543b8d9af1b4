"""Contract of the legacy route: the populations of legacy accounts and which of them may switch."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegacyCategory(models.TextChoices):
    """Who a legacy CAS account belonged to, as the legacy directory says."""

    PUPIL = "pupil", _("Pupil")
    REPRESENTATIVE = "representative", _("Parent / legal representative")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other user")


# Populations whose legacy route can be closed (sunset) and who can switch to EduConnect.
SWITCHABLE = (LegacyCategory.PUPIL, LegacyCategory.REPRESENTATIVE)

# Accepted spellings in import files (the legacy directories use French or English words).
CATEGORY_ALIASES = {
    "pupil": LegacyCategory.PUPIL,
    "student": LegacyCategory.PUPIL,
    "eleve": LegacyCategory.PUPIL,
    "élève": LegacyCategory.PUPIL,
    "representative": LegacyCategory.REPRESENTATIVE,
    "parent": LegacyCategory.REPRESENTATIVE,
    "responsable": LegacyCategory.REPRESENTATIVE,
    "teacher": LegacyCategory.TEACHER,
    "enseignant": LegacyCategory.TEACHER,
    "other": LegacyCategory.OTHER,
    "autre": LegacyCategory.OTHER,
}
