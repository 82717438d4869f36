"""Adding and deleting the files attached to an application.

A file is accepted by what it contains, not by its name: only PDF, JPEG and
PNG documents, recognised by their first bytes, whose extension agrees with
the content. Nothing is stored for a refused file. A deletion is marked on
the row and recorded in the history; rows and files are never removed.
"""

import hashlib
import logging
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import events, permissions
from certification.models import Application, Attachment, AttachmentKind, User
from certification.services import ActionRefused, _lock, _record_work, _require

logger = logging.getLogger(__name__)

# The first bytes of each accepted format, its content type and the
# extensions a file of that format may be named with.
FORMATS = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
]
HEADER_LENGTH = max(len(magic) for magic, _type, _extensions in FORMATS)


def check_file(uploaded_file: UploadedFile) -> str:
    """The content type of an acceptable file; ValidationError on "file" when
    it is empty, too large, of another format, or named as another format.
    """
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    limit = settings.SCKIS_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(size)s MB are accepted.")
                % {"size": f"{limit / (1024 * 1024):g}"}
            }
        )

    uploaded_file.seek(0)
    header = uploaded_file.read(HEADER_LENGTH)
    uploaded_file.seek(0)
    extension = os.path.splitext(uploaded_file.name or "")[1].lower()
    for magic, content_type, extensions in FORMATS:
        if header.startswith(magic):
            if extension not in extensions:
                raise ValidationError(
                    {
                        "file": _(
                            "The file name does not match its content: name the "
                            "file with the extension of its format (%(extensions)s)."
                        )
                        % {"extensions": ", ".join(sorted(extensions))}
                    }
                )
            return content_type
    raise ValidationError({"file": _("Only PDF, JPEG and PNG files can be attached.")})


def _sha256(uploaded_file: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _original_name(uploaded_file: UploadedFile) -> str:
    # Browsers send a bare name, but a client may send a path: keep only the
    # last part, and no control characters.
    name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable())
    return name[-255:] or "plik"


def attachment_add(
    *, application: Application, by: User, kind: str, uploaded_file: UploadedFile
) -> Attachment:
    """The applicant attaches a document to the application it may still edit."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_edit(by, application), application, "attachment_add")

        if kind not in AttachmentKind.values:
            raise ValidationError({"kind": _("Choose the kind of document.")})
        try:
            content_type = check_file(uploaded_file)
        except ValidationError:
            logger.warning("Refused a file for application %s", application.pk)
            raise

        attachment = Attachment(
            application=application,
            kind=kind,
            original_name=_original_name(uploaded_file),
            size=uploaded_file.size,
            content_type=content_type,
            sha256=_sha256(uploaded_file),
            uploaded_at=timezone.now(),
            uploaded_by=by,
        )
        attachment.file.save(attachment.original_name, uploaded_file, save=False)
        stored_name = attachment.file.name
        # A file whose row could not be written would be stored for nobody.
        try:
            attachment.save()
            _record_work(
                application,
                by=by,
                event=events.ATTACHMENT_ADDED,
                note=f"{attachment.get_kind_display()}: {attachment.original_name}",
            )
        except Exception:
            attachment.file.storage.delete(stored_name)
            raise

    logger.info("Application %s: attachment %s added", application.pk, attachment.pk)
    return attachment


def attachment_delete(*, attachment: Attachment, by: User) -> Attachment:
    """The applicant removes an attachment from the application it may still
    edit; the row and the file stay, marked as deleted.
    """
    with transaction.atomic():
        application = _lock(attachment.application)
        _require(
            permissions.can_edit(by, application), application, "attachment_delete"
        )
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if attachment.application_id != application.pk:
            raise ActionRefused(_("This attachment belongs to another case."))
        if attachment.deleted_at is not None:
            raise ActionRefused(_("This attachment has already been deleted."))

        attachment.deleted_at = timezone.now()
        attachment.deleted_by = by
        attachment.save(update_fields=["deleted_at", "deleted_by"])
        _record_work(
            application,
            by=by,
            event=events.ATTACHMENT_DELETED,
            note=f"{attachment.get_kind_display()}: {attachment.original_name}",
        )

    logger.info("Application %s: attachment %s deleted", application.pk, attachment.pk)
    return attachment
