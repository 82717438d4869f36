"""The standard card (Formularz 3) and the audit with its card (Formularz 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.states import Level, Result

from .applications import Application
from .criteria import CriteriaVersion, Criterion
from .units import Unit


class StandardCard(models.Model):
    """The officer's merit review: the declared level of each criterion set
    beside the required one, with the computed result and the final opinion.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="standard_cards",
    )
    criteria_version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("criteria version"), on_delete=models.PROTECT
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinating officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    final_opinion = models.TextField(_("final opinion"), blank=True)
    completed_on = models.DateField(_("result drawn up on"), null=True, blank=True)
    # Optimistic locking: each save increments it; a save based on an older
    # number is refused instead of overwriting someone else's work.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("standard card")
        verbose_name_plural = _("standard cards")

    def __str__(self) -> str:
        return _("Standard card of %(application)s") % {"application": self.application}

    @property
    def is_complete(self) -> bool:
        return bool(self.completed_on)

    @property
    def all_fulfilled(self) -> bool:
        return all(row.result == Result.FULFILLED for row in self.rows.all())


class StandardCardRow(models.Model):
    """One criterion on the standard card."""

    card = models.ForeignKey(
        StandardCard, on_delete=models.CASCADE, related_name="rows"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    required_level = models.PositiveSmallIntegerField(
        _("required level"), choices=Level.choices
    )
    declared_level = models.PositiveSmallIntegerField(
        _("declared level"), choices=Level.choices, null=True, blank=True
    )
    declared_not_applicable = models.BooleanField(default=False)
    computed_result = models.CharField(
        _("computed result"), max_length=10, choices=Result.choices
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    override_reason = models.TextField(_("reason for changing the result"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "criterion"], name="one_row_per_criterion_on_card"
            )
        ]

    def __str__(self) -> str:
        return str(self.criterion)

    @property
    def is_overridden(self) -> bool:
        return self.result != self.computed_result


class Audit(models.Model):
    """The on-site audit of a club by the ROPS of its voivodeship."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="audits",
    )
    audit_unit = models.ForeignKey(
        Unit,
        verbose_name=_("audit unit"),
        on_delete=models.PROTECT,
        related_name="audits",
    )
    criteria_version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("criteria version"), on_delete=models.PROTECT
    )
    commissioned_at = models.DateTimeField(_("commissioned"))
    planned_on = models.DateField(_("date of the audit visit"), null=True, blank=True)
    register_entry_confirmation = models.TextField(
        _("confirmation of the entry in the voivode's register"), blank=True
    )
    conclusion = models.TextField(_("final conclusion of the audit"), blank=True)
    conclusion_positive = models.BooleanField(
        _("the club meets the standard"), null=True, blank=True
    )
    # The audit card as delivered with the report: stored once, never re-rendered.
    report_pdf = models.FileField(
        _("delivered audit card"), upload_to="audits/", blank=True
    )
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_drawn_up_on = models.DateField(
        _("report drawn up on"), null=True, blank=True
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-commissioned_at"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")

    def __str__(self) -> str:
        return _("Audit of %(application)s") % {"application": self.application}


class AuditExpert(models.Model):
    """One of the three experts of the audit team."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="experts")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("first name and surname"), max_length=200)
    contact = models.CharField(_("phone or e-mail"), max_length=200)
    no_conflict_declared = models.BooleanField(
        _("declares no conflict of interest"), default=False
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"], name="one_expert_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditFinding(models.Model):
    """The auditors' annotation on one criterion, as found on site."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    confirmed = models.BooleanField(_("confirmed on site"), null=True)
    annotation = models.TextField(_("auditor's annotation"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "criterion"], name="one_finding_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return str(self.criterion)
