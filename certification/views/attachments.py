"""The attachments of a case: the list with the upload form, the download,
and the deletion with its confirmation.

Whoever may see the case may list and download its attachments; anyone else
gets 404, as does an attachment of another case reached through this one.
Only the applicant, while it may edit the application, adds or deletes them.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import application_sections, permissions, selectors
from certification.attachments import attachment_add, attachment_delete
from certification.models import Application, Attachment, AttachmentKind
from certification.services import ActionRefused

from .common import UnitMemberMixin


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[("", "---------"), *AttachmentKind.choices],
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG."),
        allow_empty_file=True,  # refused by the service, with its own message
    )


def _list_url(application: Application) -> str:
    return reverse("certification:attachments", args=[application.pk])


def _attachment_of(application: Application, attachment_pk: int) -> Attachment:
    """An attachment of this very case, not deleted; 404 otherwise."""
    try:
        return application.attachments.present().get(pk=attachment_pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


class AttachmentListView(UnitMemberMixin, View):
    """The attachments of a case and, for the applicant, the upload form."""

    def render_list(self, request, application, form, status=200):
        verdict = permissions.can_edit(request.user, application)
        context = {
            "application": application,
            "attachments": application.attachments.present().select_related(
                "uploaded_by"
            ),
            "form": form if verdict else None,
            "can_edit": verdict,
            "max_size": settings.SCKIS_ATTACHMENT_MAX_BYTES,
        }
        if verdict:
            # The last section of the application the applicant fills in.
            section = application_sections.BY_KIND[
                application_sections.SectionKind.ATTACHMENTS
            ]
            material = application_sections.Material.of(application)
            context.update(
                {
                    "section": section,
                    "position": application_sections.SECTIONS.index(section) + 1,
                    "section_count": len(application_sections.SECTIONS),
                    "recommended": [
                        kind.label for kind in application_sections.EXPECTED_ATTACHMENTS
                    ],
                    "missing": application_sections.gaps(material, section),
                }
            )
        return render(
            request, "certification/attachments/list.html", context, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        return self.render_list(request, application, AttachmentForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        verdict = permissions.can_edit(request.user, application)
        if not verdict:
            messages.error(request, verdict.reason)
            return redirect(_list_url(application))
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_list(request, application, form, status=400)
        try:
            attachment_add(
                application=application,
                by=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.reason)
            return redirect(_list_url(application))
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.render_list(request, application, form, status=400)
        messages.success(request, _("The attachment has been added."))
        return redirect(_list_url(application))


class AttachmentDownloadView(UnitMemberMixin, View):
    """The file of one attachment, always downloaded, never shown inline."""

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        attachment = _attachment_of(application, attachment_pk)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # Personal data of a case: no shared or browser cache keeps a copy.
        add_never_cache_headers(response)
        return response


class AttachmentDeleteView(UnitMemberMixin, View):
    """A confirmation on GET; the deletion on POST."""

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        attachment = _attachment_of(application, attachment_pk)
        context = {
            "application": application,
            "attachment": attachment,
            "verdict": permissions.can_edit(request.user, application),
        }
        return render(request, "certification/attachments/confirm_delete.html", context)

    def post(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        attachment = _attachment_of(application, attachment_pk)
        try:
            attachment_delete(attachment=attachment, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, refusal.reason)
        else:
            messages.success(request, _("The attachment has been deleted."))
        return redirect(_list_url(application))
