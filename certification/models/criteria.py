"""The minimum standard of a club as data: versioned criteria."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.states import CriterionGroup, Level


class CriteriaVersion(models.Model):
    """A published edition of the criteria dictionary.

    Every card keeps the version it was filled against, so editing the
    dictionary later (as a new version) never changes an old card.
    """

    number = models.PositiveIntegerField(_("version"), unique=True)
    published_on = models.DateField(_("published on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")

    def __str__(self) -> str:
        return f"{self.number} ({self.published_on:%d.%m.%Y})"

    @classmethod
    def current(cls) -> "CriteriaVersion":
        return cls.objects.order_by("-number").first()


class Criterion(models.Model):
    """One criterion of the minimum standard (Formularz 3)."""

    version = models.ForeignKey(
        CriteriaVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="criteria",
    )
    code = models.SlugField(_("code"), max_length=50)
    group = models.CharField(_("group"), max_length=20, choices=CriterionGroup.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    guidance = models.TextField(_("guidance for the applicant"), blank=True)
    required_level = models.PositiveSmallIntegerField(
        _("required level"), choices=Level.choices, default=Level.FULL
    )
    applies_only_where_needed = models.BooleanField(
        _("applies only where needed"),
        default=False,
        help_text=_("The applicant may declare that the criterion does not apply."),
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="criterion_code_unique_in_version"
            )
        ]

    def __str__(self) -> str:
        return self.name
