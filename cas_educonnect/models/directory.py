"""The academy directory as the nightly AAF export describes it.

Rows are keyed on the AAF *jointure* (``identifier/id`` of each record), the only id that
stays stable across exports; everything else is refreshed by the importer.
``source_hash`` is a digest of the AAF record a row was last built from: the importer
compares digests instead of fields, which keeps an unchanged re-import cheap.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Degree(models.TextChoices):
    FIRST = "1D", _("Primary school (1st degree)")
    SECOND = "2D", _("Secondary school (2nd degree)")


def _source_hash():
    return models.CharField(
        _("source digest"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Digest of the AAF attributes this row was last imported from."),
    )


class Establishment(models.Model):
    """A school, known by its UAI and by its AAF structure jointure."""

    uai = models.CharField(_("UAI"), max_length=8, unique=True, help_text=_("7 digits and a letter."))
    jointure = models.CharField(
        _("AAF jointure"), max_length=64, unique=True, help_text=_("Identifier of the structure in the AAF.")
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("Name of the school."))
    address = models.CharField(_("address"), max_length=255, blank=True, help_text=_("Postal address."))
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, help_text=_("Postal code."))
    city = models.CharField(_("city"), max_length=128, blank=True, help_text=_("City."))
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("Phone number of the office."))
    email = models.EmailField(_("email"), blank=True, help_text=_("Contact address."))
    academy_code = models.CharField(_("academy code"), max_length=16, blank=True, help_text=_("Academy of the school."))
    degree = models.CharField(
        _("degree"), max_length=2, choices=Degree.choices, default=Degree.SECOND, help_text=_("1D or 2D.")
    )
    ent_url = models.URLField(_("ENT address"), blank=True, help_text=_("Link to the school's ENT."))
    source_hash = _source_hash()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["uai"]

    def __str__(self) -> str:
        return f"{self.uai} {self.name}"


class Mef(models.Model):
    """A level of study (module élémentaire de formation), e.g. ``3EME``."""

    code = models.CharField(_("MEF code"), max_length=32, unique=True, help_text=_("Code of the MEF."))
    label = models.CharField(_("label"), max_length=255, blank=True, help_text=_("Label shown to users."))
    mefstat = models.CharField(
        _("MEFSTAT"), max_length=11, blank=True, help_text=_("Statistical code of the MEF (ENTMEFSTAT11).")
    )
    source_hash = _source_hash()

    class Meta:
        verbose_name = _("MEF")
        verbose_name_plural = _("MEFs")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label or self.code


class Division(models.Model):
    """A class of a school; shown by its label when it has one."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="divisions", help_text=_("School.")
    )
    code = models.CharField(_("code"), max_length=64, help_text=_("Code of the class."))
    label = models.CharField(_("label"), max_length=255, blank=True, help_text=_("Label of the class."))

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["establishment", "code"]
        constraints = [models.UniqueConstraint(fields=["establishment", "code"], name="educonnect_division_uniq")]

    def __str__(self) -> str:
        return self.label or self.code


class Group(models.Model):
    """A teaching group of a school (pupils of several divisions)."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="groups", help_text=_("School.")
    )
    code = models.CharField(_("code"), max_length=64, help_text=_("Code of the group."))
    label = models.CharField(_("label"), max_length=255, blank=True, help_text=_("Label of the group."))
    pupils = models.ManyToManyField("Pupil", related_name="groups", blank=True, help_text=_("Pupils of the group."))

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["establishment", "code"]
        constraints = [models.UniqueConstraint(fields=["establishment", "code"], name="educonnect_group_uniq")]

    def __str__(self) -> str:
        return self.label or self.code


class Regime(models.TextChoices):
    EXTERNE = "externe", _("Day pupil")
    DEMI_PENSIONNAIRE = "demi-pensionnaire", _("Half-boarder")
    INTERNE = "interne", _("Boarder")
    OTHER = "autre", _("Other")


class Pupil(models.Model):
    """A pupil (élève) of the academy."""

    jointure = models.CharField(_("AAF jointure"), max_length=64, unique=True, help_text=_("ENTPersonJointure."))
    struct_id = models.CharField(
        _("school database id"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("ENTEleveStructRattachId: the id the identity vector carries."),
    )
    ine = models.CharField(_("INE"), max_length=11, blank=True, db_index=True, help_text=_("National pupil id."))
    last_name = models.CharField(_("last name"), max_length=255, help_text=_("Family name."))
    first_name = models.CharField(_("first name"), max_length=255, blank=True, help_text=_("Usual first name."))
    birth_date = models.DateField(_("birth date"), null=True, blank=True, help_text=_("Date of birth."))
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="pupils", help_text=_("School the pupil attends.")
    )
    division = models.ForeignKey(
        Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", help_text=_("Class.")
    )
    mef = models.ForeignKey(
        Mef, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", help_text=_("Level.")
    )
    regime = models.CharField(
        _("regime"), max_length=32, choices=Regime.choices, blank=True, help_text=_("Boarding regime of the pupil.")
    )
    services_refused = models.BooleanField(
        _("online services refused"),
        default=False,
        help_text=_("A representative refused the schooling follow-up services for this pupil."),
    )
    left_at = models.DateTimeField(
        _("left at"), null=True, blank=True, help_text=_("When the pupil left the academy (absent from the export).")
    )
    source_hash = _source_hash()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Representative(models.Model):
    """A legal representative or person in charge (PersRelEleve record)."""

    jointure = models.CharField(_("AAF jointure"), max_length=64, unique=True, help_text=_("ENTPersonJointure."))
    title = models.CharField(_("title"), max_length=16, blank=True, help_text=_("M., Mme..."))
    last_name = models.CharField(_("last name"), max_length=255, help_text=_("Family name."))
    first_name = models.CharField(_("first name"), max_length=255, blank=True, help_text=_("First name."))
    email = models.EmailField(_("email"), blank=True, help_text=_("Address given to the school."))
    mobile = PhoneNumberField(
        _("mobile phone"), blank=True, db_index=True, help_text=_("Mobile number given to the school (E.164).")
    )
    address = models.CharField(_("address"), max_length=255, blank=True, help_text=_("Postal address."))
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, help_text=_("Postal code."))
    city = models.CharField(_("city"), max_length=128, blank=True, help_text=_("City."))
    country = models.CharField(_("country"), max_length=64, blank=True, help_text=_("Country."))
    services_refused = models.BooleanField(
        _("service refused"), default=False, help_text=_("The representative refused the service for himself.")
    )
    pupils = models.ManyToManyField(
        Pupil, through="RepresentativeLink", related_name="representatives", help_text=_("Linked pupils.")
    )
    left_at = models.DateTimeField(
        _("left at"), null=True, blank=True, help_text=_("When the record disappeared from the export.")
    )
    source_hash = _source_hash()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="educonnect_rep_names_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.first_name} {self.last_name}".strip()


class LegalStatus(models.IntegerChoices):
    NONE = 0, _("None")
    LEGAL = 1, _("Legal representative")
    IN_CHARGE = 2, _("Person in charge")


class RepresentativeLink(models.Model):
    """One ``ENTElevePersRelEleve`` value: who a representative is for a pupil."""

    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="links", help_text=_("Representative.")
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="links", help_text=_("Pupil."))
    link_code = models.CharField(
        _("relationship"), max_length=8, blank=True, help_text=_("10 mother, 20 father, 50 tutor, 70 the pupil...")
    )
    legal = models.PositiveSmallIntegerField(
        _("responsibility"), choices=LegalStatus.choices, default=LegalStatus.LEGAL, help_text=_("0, 1 or 2.")
    )
    financial = models.BooleanField(_("financially responsible"), default=False, help_text=_("Pays the fees."))
    contact = models.BooleanField(_("contact"), default=False, help_text=_("To be contacted."))
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text=_("Link closed (pupil left, link removed).")
    )

    class Meta:
        verbose_name = _("representative-pupil link")
        verbose_name_plural = _("representative-pupil links")
        constraints = [models.UniqueConstraint(fields=["representative", "pupil"], name="educonnect_replink_uniq")]

    def __str__(self) -> str:
        return f"{self.representative} → {self.pupil}"
