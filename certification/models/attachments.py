"""Files an applicant attaches to an application: agreements, rules, forms."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


class AttachmentKind(models.TextChoices):
    PUP_AGREEMENT = "pup_agreement", _("Agreement with the district labour office")
    OPS_AGREEMENT = "ops_agreement", _("Agreement with the social welfare centre")
    RULES = "rules", _("Rules of participation")
    DIAGNOSIS = "diagnosis", _("Diagnosis forms")
    OTHER = "other", _("Other")


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A private path per case with a random name: the name a person gave the
    file is never used on disk, so it can neither collide nor traverse.
    """
    return f"attachments/{attachment.application_id}/{uuid.uuid4().hex}"


class AttachmentQuerySet(models.QuerySet):
    def present(self) -> "AttachmentQuerySet":
        """The attachments not deleted, oldest first."""
        return self.filter(deleted_at__isnull=True).order_by("uploaded_at", "pk")


class Attachment(models.Model):
    """One file attached to an application.

    A row is never removed and its file never replaced: a deletion is marked
    with who made it and when, so the history of the case stays complete.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(
        _("kind of document"), max_length=20, choices=AttachmentKind.choices
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
