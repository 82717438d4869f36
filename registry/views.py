"""The public pages: registers of certified clubs and certificate verification.

No account is needed. The views read through registry.selectors and render.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from registry import selectors

# Query parameters of the national register: part of its public address.
VOIVODESHIP_PARAMETER = "wojewodztwo"
SEARCH_PARAMETER = "szukaj"


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """The national register, filtered by voivodeship and club name or town."""
    voivodeship = selectors.voivodeship_by_slug(
        request.GET.get(VOIVODESHIP_PARAMETER, "")
    )
    search = request.GET.get(SEARCH_PARAMETER, "").strip()
    search = search[: selectors.SEARCH_MAX_LENGTH]
    entries = selectors.register_entries(voivodeship=voivodeship, search=search)
    return render(
        request,
        "registry/register.html",
        {
            "entries": entries,
            "voivodeships": selectors.voivodeships(),
            "selected_voivodeship": voivodeship,
            "search": search,
            "filtered": voivodeship is not None or bool(search),
            "search_max_length": selectors.SEARCH_MAX_LENGTH,
        },
    )


@require_safe
def voivodeship_register(request: HttpRequest, slug: str) -> HttpResponse:
    """One voivodeship's register, headed by the unit that keeps it."""
    voivodeship = selectors.voivodeship_or_404(slug)
    return render(
        request,
        "registry/voivodeship_register.html",
        {
            "voivodeship": voivodeship,
            "certifying_unit_name": selectors.certifying_unit_name(voivodeship),
            "entries": selectors.register_entries(voivodeship=voivodeship),
        },
    )


@require_safe
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The public verification page of one certificate."""
    found = selectors.certificate_by_number(number)
    if found is None and number != number.strip().upper():
        # A number typed from a printout in lower case still finds its page.
        canonical = selectors.certificate_by_number(number.strip().upper())
        if canonical is not None:
            return redirect(canonical)
    if found is None:
        return render(
            request,
            "registry/certificate_not_found.html",
            {"number": number},
            status=404,
        )
    return render(
        request,
        "registry/certificate.html",
        {
            "certificate": found,
            "status": selectors.certificate_status(found),
            "statuses": selectors.CertificateStatus,
        },
    )


@require_safe
def certificate_pdf(request: HttpRequest, number: str) -> FileResponse:
    """The certificate's PDF exactly as it was issued and stored."""
    found = selectors.certificate_by_number(number)
    if found is None or not found.pdf:
        raise Http404
    try:
        stored = found.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored, content_type="application/pdf", filename=f"{found.number}.pdf"
    )
