"""Social integration clubs (KIS)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.validators import postal_code_validator

from .units import Unit, Voivodeship

# Clubs exist since the Act of 13 June 2003 on social employment (in force
# in 2004): no club can have been entered in a voivode's register earlier.
FIRST_ENTRY_DATE = datetime.date(2004, 1, 1)


class Club(models.Model):
    """A social integration club, founded and run by an applicant institution."""

    founding_unit = models.ForeignKey(
        Unit,
        verbose_name=_("founding institution"),
        on_delete=models.PROTECT,
        related_name="clubs",
    )
    voivodeship = models.ForeignKey(
        Voivodeship, verbose_name=_("voivodeship"), on_delete=models.PROTECT
    )
    name = models.CharField(_("club name"), max_length=255)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    city = models.CharField(_("town"), max_length=100)
    gmina = models.CharField(_("municipality (gmina)"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    leader_name = models.CharField(_("club leader"), max_length=200)
    leader_contact = models.CharField(
        _("leader's phone or e-mail"), max_length=200, blank=True
    )
    register_entry_date = models.DateField(
        _("date of entry in the voivode's register"), null=True, blank=True
    )
    register_entry_number = models.CharField(
        _("number in the voivode's register"), max_length=50, blank=True
    )
    # A one-time token of the form that created the club: a double click or a
    # resent form finds the club already made instead of creating another.
    creation_token = models.UUIDField(
        null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("club")
        verbose_name_plural = _("clubs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("certification:club_detail", args=[self.pk])

    def clean(self) -> None:
        from certification import deadlines

        if self.register_entry_date and self.register_entry_date > deadlines.today():
            raise ValidationError(
                {
                    "register_entry_date": _(
                        "The date of the entry cannot be in the future."
                    )
                }
            )
        if self.register_entry_date and self.register_entry_date < FIRST_ENTRY_DATE:
            raise ValidationError(
                {
                    "register_entry_date": _(
                        "Social integration clubs exist since the Act of 13 June "
                        "2003 on social employment came into force. Enter a date "
                        "from 01.01.2004 on."
                    )
                }
            )

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"
