"""The public PDFs: the register (Formularz 7) and the blank forms page.

No account is needed. The views read through registry.documents and respond.
"""

import logging

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from certification.documents import DocumentResourceMissing
from registry import documents, selectors

logger = logging.getLogger(__name__)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _cached_register(voivodeship=None) -> bytes:
    """The register's PDF, rendered once per day and state of the register.

    Rendering a large register takes seconds and anyone may ask for it; the
    key changes whenever a certificate is issued or the day (validity) turns.
    """
    scope = voivodeship.slug if voivodeship else "all"
    key = f"register-pdf:{scope}:{selectors.register_fingerprint()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = documents.register_pdf(voivodeship=voivodeship)
        cache.set(key, pdf, timeout=60 * 60 * 24)
    return pdf


@require_safe
def register_pdf(request: HttpRequest) -> HttpResponse:
    """The national register as Formularz 7."""
    return _pdf_response(_cached_register(), "rejestr.pdf")


@require_safe
def voivodeship_register_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """One voivodeship's register as Formularz 7, headed by its certifying unit."""
    voivodeship = selectors.voivodeship_or_404(slug)
    pdf = _cached_register(voivodeship)
    return _pdf_response(pdf, f"rejestr-{voivodeship.slug}.pdf")


@require_safe
def forms_index(request: HttpRequest) -> HttpResponse:
    """The blank forms and guidance, each with its size, to download."""
    forms = []
    for form in documents.BLANK_FORMS:
        try:
            size = len(documents.blank_form_pdf(form.slug))
        except documents.FormUnavailable:
            size = None
        except DocumentResourceMissing:
            # The page still lists the other forms; the download itself
            # shows the error.
            logger.exception("Blank form %s cannot be rendered", form.slug)
            size = None
        forms.append({"form": form, "size": size})
    return render(request, "registry/forms.html", {"forms": forms})


@require_safe
def form_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """One blank form, rendered once per process."""
    if slug not in documents.BLANK_FORMS_BY_SLUG:
        raise Http404
    try:
        pdf = documents.blank_form_pdf(slug)
    except documents.FormUnavailable:
        raise Http404 from None
    return _pdf_response(pdf, f"{slug}.pdf")
