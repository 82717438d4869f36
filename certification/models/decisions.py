"""Decisions, appeals and certificates: the records of the outcome."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.states import AppealOutcome, DecisionKind

from .applications import Application
from .clubs import Club
from .units import Unit


class Decision(models.Model):
    """A grant or refusal issued by the certifying unit. Never edited."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certifying_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+"
    )
    # The unit's name as it was on the day of issue.
    certifying_unit_name = models.CharField(_("certifying unit"), max_length=500)
    reasons = models.TextField(_("reasons"), blank=True)
    appeal_instructions = models.TextField(_("appeal instructions"), blank=True)
    # A correction of an obvious error (KPA art. 113, sprostowanie) is a new
    # decision pointing at the one it corrects; the corrected one stays.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    # The decision as issued: stored once, served byte for byte.
    pdf = models.FileField(_("issued PDF"), upload_to="decisions/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the issued PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_at:%d.%m.%Y}"


class Appeal(models.Model):
    """An appeal against a refusal, lodged through the certifying unit."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("appealed decision"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    grounds = models.TextField(_("grounds of the appeal"))
    lodged_at = models.DateTimeField(_("lodged"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forward_deadline = models.DateField(_("forward by"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppealOutcome.choices, blank=True
    )
    outcome_reasons = models.TextField(_("reasons of the outcome"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-lodged_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return _("Appeal of %(application)s") % {"application": self.application}


class Certificate(models.Model):
    """A KIS certificate (Formularz 6), valid for three years.

    The texts printed on it are copied at issue, and the issued PDF is kept
    as it was: a record never changes.
    """

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    club = models.ForeignKey(
        Club,
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="certificate"
    )
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    club_name = models.CharField(_("club"), max_length=255)
    club_address = models.CharField(_("club address"), max_length=400)
    founding_unit_name = models.CharField(_("founding institution"), max_length=500)
    certifying_unit_name = models.CharField(_("certifying unit"), max_length=500)
    voivodeship_name = models.CharField(_("voivodeship"), max_length=40)
    pdf = models.FileField(_("issued PDF"), upload_to="certificates/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the issued PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("registry:certificate", args=[self.number])

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day <= self.valid_until
