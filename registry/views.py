"""The public pages: registers of certified clubs and certificate verification.

No account is needed. The views read through registry.selectors and render.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from certification.models import Certificate
from registry import selectors
from registry.forms import REQUEST_MAX_BYTES, CopyCheckForm, CopyUploadHandler

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


# Exempt so that a copy's upload handler is in place before anything reads
# the request body: _check_copy checks the CSRF token itself.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The public verification page of one certificate, where a copy of its PDF
    can be checked against the issued one."""
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
    if request.method != "POST":
        return _certificate_page(request, found, CopyCheckForm())

    if _content_length(request) > REQUEST_MAX_BYTES:
        # Refused unread, so nothing is done on the request's behalf and its
        # CSRF token does not matter.
        return _certificate_page(request, found, CopyCheckForm.refused_unread())
    handler = CopyUploadHandler(request)
    request.upload_handlers = [handler]
    return _check_copy(request, found, handler)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_protect
def _check_copy(
    request: HttpRequest, found: Certificate, handler: CopyUploadHandler
) -> HttpResponse:
    form = CopyCheckForm(request.POST, request.FILES, too_big=handler.too_big)
    check = None
    if form.is_valid():
        if found.sha256:
            check = selectors.certificate_copy_check(found, form.cleaned_data["copy"])
        else:
            form.add_error(
                None, _("There is no issued PDF of this certificate to compare with.")
            )
    return _certificate_page(request, found, form, check)


def _certificate_page(
    request: HttpRequest,
    found: Certificate,
    form: CopyCheckForm,
    check: selectors.CopyCheck | None = None,
) -> HttpResponse:
    return render(
        request,
        "registry/certificate.html",
        {
            "certificate": found,
            "status": selectors.certificate_status(found),
            "statuses": selectors.CertificateStatus,
            "renewal": selectors.certificate_renewal(found),
            "form": form,
            "check": check,
        },
        status=400 if form.errors else 200,
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
