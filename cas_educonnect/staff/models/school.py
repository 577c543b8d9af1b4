"""Per-school settings: online services opened, portal texts, notification letters."""

from __future__ import annotations

from cas_server.models import ServicePattern
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cas_educonnect.models import NOT_SCHOOL_MANAGED, Establishment

WELCOME_MAX_LENGTH = 2000


class LetterType(models.TextChoices):
    TELESERVICES = "teleservices", _("Online services")
    MIXED = "mixed", _("Mixed ENT / online services")
    ENT_ONLY = "ent_only", _("ENT only")


class SchoolSettings(models.Model):
    """What a school shows on its portal and prints on its letters.

    Attributes:
        welcome_message: portal welcome text (<= 2000 characters).
        contact_active / contact_email: whether the portal offers a contact link, and where to.
        letter_type: which address letters give (online services portal or the ENT).
        ent_url: the ENT address printed for "ENT only" letters and linked on the portal.
        letter_header / letter_body_* / letter_slip: custom texts with ``[Field]`` placeholders;
            empty = default. The legal CNIL mention is always appended by the renderer and cannot
            be removed.
        siecle_modules: the SIECLE applications the school uses (services needing another are greyed).
        services_activated_at / services_activated_by: the head's global activation of the online
            services at his first visit [004 §2.1]; before it, services cannot be opened or closed.
        signatory: the head's name signed on the letters; empty = his staff account's name.
    """

    establishment = models.OneToOneField(
        Establishment,
        on_delete=models.CASCADE,
        related_name="school_settings",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    welcome_message = models.TextField(
        _("welcome message"),
        blank=True,
        validators=[MaxLengthValidator(WELCOME_MAX_LENGTH)],
        help_text=_("Shown on the portal, at most 2000 characters."),
    )
    contact_active = models.BooleanField(_("contact link active"), default=False, help_text=_("Offer a contact link."))
    contact_email = models.EmailField(_("contact email"), blank=True, help_text=_("Address of the contact link."))
    letter_type = models.CharField(
        _("letter type"),
        max_length=16,
        choices=LetterType.choices,
        default=LetterType.TELESERVICES,
        help_text=_("Decides the address printed on the letters."),
    )
    ent_url = models.URLField(_("ENT link"), blank=True, help_text=_("Address of the school's ENT."))
    letter_header = models.TextField(_("letter header"), blank=True, help_text=_("Empty: default header."))
    letter_body_representative = models.TextField(
        _("representative letter body"), blank=True, help_text=_("Empty: default body.")
    )
    letter_body_pupil = models.TextField(_("pupil letter body"), blank=True, help_text=_("Empty: default body."))
    letter_body_continuity = models.TextField(
        _("continuity letter body"), blank=True, help_text=_("Empty: default body (reminder without password).")
    )
    letter_slip = models.TextField(
        _("refusal slip"),
        blank=True,
        help_text=_(
            "Reply slip at the bottom of the representatives' letters; the first line is its title, "
            "a line starting with [ ] gets a box to tick. Empty: default slip."
        ),
    )
    signatory = models.CharField(
        _("head of school's name"),
        max_length=150,
        blank=True,
        help_text=_("Printed under « The head of school » (e.g. M. E. Dupont). Empty: the name of the head's account."),
    )
    siecle_modules = models.JSONField(
        _("SIECLE modules used"), default=list, blank=True, help_text=_("Codes of the SIECLE modules the school uses.")
    )
    services_activated_at = models.DateTimeField(
        _("online services activated at"), null=True, blank=True, help_text=_("Global activation by the head.")
    )
    services_activated_by = models.CharField(
        _("online services activated by"), max_length=150, blank=True, help_text=_("Username of the head.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("school settings")
        verbose_name_plural = _("school settings")

    def __str__(self) -> str:
        return str(self.establishment)

    def clean(self) -> None:
        if self.letter_type == LetterType.ENT_ONLY and not (self.ent_url or self.establishment.ent_url):
            raise ValidationError({"ent_url": _("An ENT link is required for “ENT only” letters.")})
        if self.contact_active and not (self.contact_email or self.establishment.email):
            raise ValidationError({"contact_email": _("An address is required to activate the contact link.")})


class UsefulLink(models.Model):
    """A link listed on the portal's "useful links" page, in ``position`` order."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="useful_links",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("Text of the link."))
    url = models.URLField(_("URL"), help_text=_("Address of the link."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Display order."))

    class Meta:
        verbose_name = _("useful link")
        verbose_name_plural = _("useful links")
        ordering = ["establishment", "position", "id"]

    def __str__(self) -> str:
        return self.label


class SchoolServiceSetting(models.Model):
    """Whether one online service (a CAS ServicePattern) is open in one school.

    A service without a row is closed, unless its ServiceProfile makes it mandatory:
    mandatory services are open everywhere and cannot be closed.
    """

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="service_settings",
        verbose_name=_("school"),
        help_text=_("School."),
    )
    service_pattern = models.ForeignKey(
        ServicePattern,
        on_delete=models.CASCADE,
        related_name="educonnect_school_settings",
        verbose_name=_("online service"),
        help_text=_("Service."),
    )
    is_open = models.BooleanField(_("open"), default=True, help_text=_("Offered to the school's users."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("Last change."))

    class Meta:
        verbose_name = _("online service of a school")
        verbose_name_plural = _("online services of schools")
        constraints = [
            models.UniqueConstraint(fields=["establishment", "service_pattern"], name="educonnect_schoolservice_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.establishment.uai} – {self.service_pattern.name}"

    @property
    def mandatory(self) -> bool:
        profile = getattr(self.service_pattern, "educonnect", None)
        return bool(profile and profile.mandatory)

    def clean(self) -> None:
        profile = getattr(self.service_pattern, "educonnect", None) if self.service_pattern_id else None
        if profile is not None and profile.category in NOT_SCHOOL_MANAGED and not profile.experimental:
            raise ValidationError({"is_open": _("This service is not opened or closed by schools.")})
        if profile is not None and profile.experimental and self.establishment_id:
            if not profile.experimental_schools.filter(pk=self.establishment_id).exists():
                raise ValidationError({"is_open": _("This experimental service is not offered in this school.")})
        if self.is_open and profile is not None and profile.siecle_module and self.establishment_id:
            used = SchoolSettings.objects.filter(establishment_id=self.establishment_id).first()
            if profile.siecle_module not in ((used.siecle_modules if used else None) or ()):
                message = _("This service needs the SIECLE module %(module)s, which the school does not use.")
                raise ValidationError({"is_open": message % {"module": profile.get_siecle_module_display()}})
        if not self.is_open and self.service_pattern_id and self.mandatory:
            raise ValidationError({"is_open": _("This service is mandatory and cannot be closed.")})
