"""Voivodeships, institutions (units) and their people."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.states import ROLE_OF_UNIT_KIND, Role, UnitKind
from certification.validators import postal_code_validator


class Voivodeship(models.Model):
    """One of the 16 voivodeships; each has one certifying and one audit unit."""

    teryt = models.CharField(_("TERYT code"), max_length=2, unique=True)
    slug = models.SlugField(_("address slug"), unique=True)
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        # TERYT codes follow the Polish alphabetical order of the names.
        ordering = ["teryt"]
        verbose_name = _("voivodeship")
        verbose_name_plural = _("voivodeships")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An institution taking part in SC KIS, of one of four kinds.

    Names and addresses are data: they differ between voivodeships and change
    over time. Documents copy the names valid on the day they are issued.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=255)
    parent_name = models.CharField(
        _("parent institution"),
        max_length=255,
        blank=True,
        help_text=_("For example the voivode's office hosting the department."),
    )
    voivodeship = models.ForeignKey(
        Voivodeship,
        verbose_name=_("voivodeship"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    nip = models.CharField("NIP", max_length=10, blank=True)
    regon = models.CharField("REGON", max_length=14, blank=True)
    krs = models.CharField("KRS", max_length=10, blank=True)
    case_prefix = models.CharField(_("case sign prefix"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "voivodeship"],
                condition=models.Q(kind__in=["certifying", "audit"]),
                name="one_certifying_and_one_audit_unit_per_voivodeship",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """The name as a document prints it, with the hosting institution."""
        if self.parent_name:
            return f"{self.name}, {self.parent_name}"
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(
            part
            for part in (self.street, f"{self.postal_code} {self.city}".strip())
            if part
        )


class User(AbstractUser):
    """A person acting for exactly one unit; the unit's kind gives the role."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role(self) -> Role | None:
        if self.unit_id is None:
            return None
        return ROLE_OF_UNIT_KIND[UnitKind(self.unit.kind)]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
