"""The filled forms of a case as PDF: the application, the standard card, the
audit card, the process card and the receipt of submission.

Whoever may see the case may read its documents; anyone else gets 404, as
if the case did not exist. A document the case has not reached yet (no card,
no audit, not submitted) is 404 too. The blank forms are public and served
elsewhere (/formularze/).
"""

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views import View

from certification import document_forms, selectors
from certification.models import Application

from .common import UnitMemberMixin


def pdf_filename(stem: str, application: Application) -> str:
    """A Polish file name such as karta-audytu-WPS-KIS-14-2026-0001.pdf."""
    # Case numbers hold slashes; a draft has no number yet.
    reference = application.number or f"projekt-{application.pk}"
    return f"{stem}-{re.sub(r'[^A-Za-z0-9]+', '-', reference).strip('-')}.pdf"


class DocumentView(UnitMemberMixin, View):
    """One filled document of a case, shown inline in the browser."""

    # The document_forms function, wrapped in staticmethod by subclasses.
    render: Callable[[Application], bytes]
    filename_stem: str

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        try:
            pdf = self.render(application)
        except document_forms.DocumentUnavailable:
            raise Http404 from None

        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=pdf_filename(self.filename_stem, application)
        )
        # Personal data of a case: no shared or browser cache keeps a copy.
        add_never_cache_headers(response)
        return response


class ApplicationDocumentView(DocumentView):
    render = staticmethod(document_forms.application_pdf)
    filename_stem = "wniosek"


class StandardCardDocumentView(DocumentView):
    render = staticmethod(document_forms.standard_card_pdf)
    filename_stem = "karta-standardu"


def _stored_or_live(stored_field, render: Callable[[], bytes]) -> bytes:
    """An issued document as it was stored; a draft rendered now."""
    if stored_field:
        with stored_field.open("rb") as stored:
            return stored.read()
    return render()


def _audit_card(application: Application) -> bytes:
    # Once the report is delivered, the card is served as it was delivered.
    audit = selectors.current_audit(application)
    return _stored_or_live(
        audit.report_pdf if audit is not None else None,
        lambda: document_forms.audit_card_pdf(application),
    )


class AuditCardDocumentView(DocumentView):
    render = staticmethod(_audit_card)
    filename_stem = "karta-audytu"


class DecisionDocumentView(UnitMemberMixin, View):
    """A decision of the case, as it was issued and stored."""

    def get(self, request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        decision = application.decisions.filter(pk=decision_pk).first()
        if decision is None:
            raise Http404
        pdf = _stored_or_live(
            decision.pdf, lambda: document_forms.decision_pdf(decision)
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False,
            filename=pdf_filename(f"decyzja-{decision.pk}", application),
        )
        add_never_cache_headers(response)
        return response


class ProcessCardDocumentView(DocumentView):
    render = staticmethod(document_forms.process_card_pdf)
    filename_stem = "karta-procesu"


class ReceiptDocumentView(DocumentView):
    render = staticmethod(document_forms.receipt_pdf)
    filename_stem = "potwierdzenie-zlozenia"
