"""The public form that checks a copy of a certificate against the issued one.

The copy is read into memory, compared and forgotten: nothing is stored, not
even a temporary file.
"""

import io

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

# An issued certificate is a one-page PDF of some tens of kilobytes; a copy
# larger than this is not one, and reading it would only cost memory. The
# messages of the form below say "5 MB".
COPY_MAX_BYTES = 5 * 1024 * 1024

# Room for the CSRF token and the multipart headers around the file.
REQUEST_MAX_BYTES = COPY_MAX_BYTES + 64 * 1024

PDF_MAGIC = b"%PDF-"


class CopyUploadHandler(FileUploadHandler):
    """Keeps an uploaded copy in memory and stops reading it past the limit.

    Replaces Django's handlers, which write a file over 2.5 MB to a temporary
    file on disk.
    """

    too_big = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > COPY_MAX_BYTES:
            self.too_big = True
            self.buffer = io.BytesIO()
            # The rest of the request is read and dropped, so that the client
            # gets the page with the message rather than a reset connection.
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class CopyCheckForm(forms.Form):
    """One PDF file: the copy of the certificate to compare."""

    copy = forms.FileField(
        label=_("PDF copy of the certificate"),
        help_text=_("A PDF file of at most 5 MB. It is compared, not kept."),
        error_messages={
            "required": _("Choose the PDF file of the certificate to check."),
            "empty": _("The chosen file is empty."),
        },
    )

    def __init__(self, *args, too_big: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    @classmethod
    def refused_unread(cls) -> "CopyCheckForm":
        """The form of a request too large to read, with the size error."""
        form = cls(data={}, files={}, too_big=True)
        form.is_valid()
        return form

    def clean_copy(self) -> bytes:
        content = self.cleaned_data["copy"].read()
        if not content.startswith(PDF_MAGIC):
            raise forms.ValidationError(
                _("This file is not a PDF. Choose the PDF file of the certificate."),
                code="not_pdf",
            )
        return content

    def full_clean(self) -> None:
        super().full_clean()
        if self.too_big and self.is_bound:
            # The handler stopped reading the file, so the field seems empty:
            # say why instead.
            self.cleaned_data.pop("copy", None)
            self.errors["copy"] = self.error_class(
                [_("The file is larger than 5 MB: it is not a certificate copy.")]
            )
