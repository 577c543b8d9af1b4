"""The academy directory as the nightly AAF export describes it.

Rows are keyed on the AAF *jointure* (``identifier/id`` of each record), the only id that
stays stable across exports; everything else is refreshed by the importer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Degree(models.TextChoices):
    FIRST = "1D", _("Premier degré")
    SECOND = "2D", _("Second degré")


class Establishment(models.Model):
    """A school, known by its UAI and by its AAF structure jointure."""

    uai = models.CharField(_("UAI"), max_length=8, unique=True, help_text=_("7 chiffres et une lettre."))
    jointure = models.CharField(
        _("jointure AAF"), max_length=64, unique=True, help_text=_("Identifiant de la structure dans l'AAF.")
    )
    name = models.CharField(_("nom"), max_length=255, help_text=_("Nom de l'établissement."))
    address = models.CharField(_("adresse"), max_length=255, blank=True, help_text=_("Adresse postale."))
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True, help_text=_("Code postal."))
    city = models.CharField(_("ville"), max_length=128, blank=True, help_text=_("Commune."))
    phone = models.CharField(_("téléphone"), max_length=32, blank=True, help_text=_("Téléphone du secrétariat."))
    email = models.EmailField(_("courriel"), blank=True, help_text=_("Adresse de contact."))
    academy_code = models.CharField(
        _("code académie"), max_length=16, blank=True, help_text=_("Académie de rattachement.")
    )
    degree = models.CharField(
        _("degré"), max_length=2, choices=Degree.choices, default=Degree.SECOND, help_text=_("1D ou 2D.")
    )
    ent_url = models.URLField(_("adresse de l'ENT"), blank=True, help_text=_("Lien vers l'ENT de l'établissement."))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, help_text=_("Dernière modification."))

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["uai"]

    def __str__(self) -> str:
        return f"{self.uai} {self.name}"


class Mef(models.Model):
    """A level of study (module élémentaire de formation), e.g. ``3EME``."""

    code = models.CharField(_("code MEF"), max_length=32, unique=True, help_text=_("Code du MEF."))
    label = models.CharField(_("libellé"), max_length=255, blank=True, help_text=_("Libellé affiché."))

    class Meta:
        verbose_name = _("MEF")
        verbose_name_plural = _("MEF")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label or self.code


class Division(models.Model):
    """A class of a school; shown by its label when it has one."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="divisions", help_text=_("Établissement.")
    )
    code = models.CharField(_("code"), max_length=64, help_text=_("Code de la division."))
    label = models.CharField(_("libellé"), max_length=255, blank=True, help_text=_("Libellé de la division."))

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["establishment", "code"]
        constraints = [models.UniqueConstraint(fields=["establishment", "code"], name="educonnect_division_uniq")]

    def __str__(self) -> str:
        return self.label or self.code


class Group(models.Model):
    """A teaching group of a school (pupils of several divisions)."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="groups", help_text=_("Établissement.")
    )
    code = models.CharField(_("code"), max_length=64, help_text=_("Code du groupe."))
    label = models.CharField(_("libellé"), max_length=255, blank=True, help_text=_("Libellé du groupe."))
    pupils = models.ManyToManyField("Pupil", related_name="groups", blank=True, help_text=_("Élèves du groupe."))

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["establishment", "code"]
        constraints = [models.UniqueConstraint(fields=["establishment", "code"], name="educonnect_group_uniq")]

    def __str__(self) -> str:
        return self.label or self.code


class Regime(models.TextChoices):
    EXTERNE = "externe", _("Externe")
    DEMI_PENSIONNAIRE = "demi-pensionnaire", _("Demi-pensionnaire")
    INTERNE = "interne", _("Interne")
    OTHER = "autre", _("Autre")


class Pupil(models.Model):
    """A pupil (élève) of the academy."""

    jointure = models.CharField(_("jointure AAF"), max_length=64, unique=True, help_text=_("ENTPersonJointure."))
    struct_id = models.CharField(
        _("identifiant établissement"),
        max_length=64,
        blank=True,
        help_text=_("ENTEleveStructRattachId: l'identifiant porté par le vecteur d'identité."),
    )
    ine = models.CharField(_("INE"), max_length=11, blank=True, db_index=True, help_text=_("Identifiant national."))
    last_name = models.CharField(_("nom"), max_length=255, help_text=_("Nom de famille."))
    first_name = models.CharField(_("prénom"), max_length=255, blank=True, help_text=_("Prénom usuel."))
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True, help_text=_("Date de naissance."))
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="pupils", help_text=_("Établissement de rattachement.")
    )
    division = models.ForeignKey(
        Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", help_text=_("Classe.")
    )
    mef = models.ForeignKey(
        Mef, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", help_text=_("Niveau.")
    )
    regime = models.CharField(
        _("régime"), max_length=32, choices=Regime.choices, blank=True, help_text=_("Régime de l'élève.")
    )
    services_refused = models.BooleanField(
        _("téléservices refusés"),
        default=False,
        help_text=_("Un représentant a refusé les services de suivi de la scolarité pour cet élève."),
    )
    left_at = models.DateTimeField(
        _("sorti le"), null=True, blank=True, help_text=_("Date de sortie de l'académie (absent de l'export).")
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, help_text=_("Dernière modification."))

    class Meta:
        verbose_name = _("élève")
        verbose_name_plural = _("élèves")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Representative(models.Model):
    """A legal representative or person in charge (PersRelEleve record)."""

    jointure = models.CharField(_("jointure AAF"), max_length=64, unique=True, help_text=_("ENTPersonJointure."))
    title = models.CharField(_("civilité"), max_length=16, blank=True, help_text=_("M., Mme..."))
    last_name = models.CharField(_("nom"), max_length=255, help_text=_("Nom de famille."))
    first_name = models.CharField(_("prénom"), max_length=255, blank=True, help_text=_("Prénom."))
    email = models.EmailField(_("courriel"), blank=True, help_text=_("Adresse donnée à l'établissement."))
    mobile = PhoneNumberField(
        _("téléphone mobile"), blank=True, db_index=True, help_text=_("Mobile donné à l'établissement (E.164).")
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, help_text=_("Adresse postale."))
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True, help_text=_("Code postal."))
    city = models.CharField(_("ville"), max_length=128, blank=True, help_text=_("Commune."))
    country = models.CharField(_("pays"), max_length=64, blank=True, help_text=_("Pays."))
    services_refused = models.BooleanField(
        _("service refusé"), default=False, help_text=_("Le représentant a refusé le service pour lui-même.")
    )
    pupils = models.ManyToManyField(
        Pupil, through="RepresentativeLink", related_name="representatives", help_text=_("Élèves liés.")
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, help_text=_("Dernière modification."))

    class Meta:
        verbose_name = _("représentant")
        verbose_name_plural = _("représentants")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.title} {self.first_name} {self.last_name}".strip()


class LegalStatus(models.IntegerChoices):
    NONE = 0, _("Aucun")
    LEGAL = 1, _("Représentant légal")
    IN_CHARGE = 2, _("Personne en charge")


class RepresentativeLink(models.Model):
    """One ``ENTElevePersRelEleve`` value: who a representative is for a pupil."""

    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="links", help_text=_("Représentant.")
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="links", help_text=_("Élève."))
    link_code = models.CharField(
        _("lien"), max_length=8, blank=True, help_text=_("10 mère, 20 père, 50 tuteur, 70 l'élève lui-même...")
    )
    legal = models.PositiveSmallIntegerField(
        _("responsabilité"), choices=LegalStatus.choices, default=LegalStatus.LEGAL, help_text=_("0, 1 ou 2.")
    )
    financial = models.BooleanField(_("responsable financier"), default=False, help_text=_("Payeur."))
    contact = models.BooleanField(_("contact"), default=False, help_text=_("À contacter."))
    closed_at = models.DateTimeField(
        _("fermé le"), null=True, blank=True, help_text=_("Lien fermé (élève parti, lien retiré).")
    )

    class Meta:
        verbose_name = _("lien représentant-élève")
        verbose_name_plural = _("liens représentant-élève")
        constraints = [models.UniqueConstraint(fields=["representative", "pupil"], name="educonnect_replink_uniq")]

    def __str__(self) -> str:
        return f"{self.representative} → {self.pupil}"
