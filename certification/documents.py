"""Documents: a Django template and its context turned into PDF bytes.

The only module that uses WeasyPrint. Document templates live under
templates/documents/ and use their own small stylesheet and the DejaVu Sans
files shipped in static/fonts/, so that a PDF looks the same on every machine
and keeps its Polish letters.
"""

import datetime
import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS_ALT
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from weasyprint.urls import URLFetcherResponse

from certification.models import Certificate

logger = logging.getLogger(__name__)

# Relative addresses in a document ({% static %} gives /static/...) resolve
# against this origin. The .invalid top-level domain never resolves (RFC 2606)
# and the fetcher below answers it from our own files, never from a network.
DOCUMENT_ORIGIN = "https://documents.sckis.invalid"


class DocumentResourceMissing(Exception):
    """A static file that a document template asks for is not there."""


class StaticFilesOnlyFetcher(weasyprint.URLFetcher):
    """Gives WeasyPrint our own static files and data: addresses, nothing else.

    WeasyPrint's default fetcher follows file:// and http(s):// addresses;
    text that reaches a document must never make the server read its own
    disk or call another host.
    """

    def __init__(self) -> None:
        super().__init__(allow_redirects=False)
        self.missing: list[str] = []

    def fetch(
        self, url: str, headers: dict[str, str] | None = None
    ) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)

        name = static_name(url)
        if name is None:
            logger.warning(
                "Refused a document's request for a %s: address", urlsplit(url).scheme
            )
            raise ValueError("Documents may only use our own static files.")

        path = static_file(name)
        if path is None:
            self.missing.append(name)
            raise FileNotFoundError(name)

        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_name(url: str) -> str | None:
    """The static file name an address of a document points at, or None if it
    points anywhere else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != DOCUMENT_ORIGIN:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path.removeprefix(prefix))
    if not name or "\\" in name or "\x00" in name or posixpath.normpath(name) != name:
        return None
    if name.startswith(("/", "../")) or name == "..":
        return None
    return name


def static_file(name: str) -> Path | None:
    """The file of a static name: from the source folders (finders), or from
    STATIC_ROOT where collectstatic put hashed names in production."""
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a document template to PDF bytes (PDF/A-3u, for keeping)."""
    html = render_to_string(template_name, context)
    fetcher = StaticFilesOnlyFetcher()

    pdf = weasyprint.HTML(
        string=html, base_url=f"{DOCUMENT_ORIGIN}/", url_fetcher=fetcher
    ).write_pdf(pdf_variant="pdf/a-3u")

    # A missing font or stylesheet would silently give a PDF in another face;
    # an issued record must not be made that way.
    if fetcher.missing:
        missing = ", ".join(fetcher.missing)
        raise DocumentResourceMissing(f"{template_name} needs missing {missing}")
    return pdf


def formal_date(day: datetime.date) -> str:
    """A date as a formal document writes it: "3 lutego 2026 r." in Polish."""
    # Django's "alt. month" names are the genitive forms in Polish.
    return pgettext("formal date", "%(day)s %(month)s %(year)s") % {
        "day": day.day,
        "month": MONTHS_ALT[day.month],
        "year": day.year,
    }


def verification_url(number: str) -> str:
    """The absolute address of a certificate's public verification page."""
    path = reverse("registry:certificate", args=[number])
    return settings.SCKIS_SITE_URL.rstrip("/") + path


def qr_code_svg(payload: str) -> SafeString:
    """A QR code of the payload as inline SVG, sized by the stylesheet."""
    qr = segno.make(payload, error="m", micro=False)
    # segno writes only path data and our own attributes; the payload itself
    # is not in the markup.
    return mark_safe(qr.svg_inline(scale=1, border=4, omitsize=True))


def certificate_pdf(certificate: Certificate) -> bytes:
    """The KIS certificate (Formularz 6) as PDF bytes.

    Reads only the texts copied onto the certificate at issue, so it works
    before the certificate row is saved.
    """
    url = verification_url(certificate.number)
    # An issued document is Polish whatever language its issuer browses in.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate,
            "issued_on": formal_date(certificate.issued_on),
            "valid_from": formal_date(certificate.valid_from),
            "valid_until": formal_date(certificate.valid_until),
            "verification_url": url,
            "qr_code": qr_code_svg(url),
        }
        return render_pdf("documents/certificate.html", context)


# A frame where an issued certificate has its QR code.
SPECIMEN_QR_CODE = mark_safe(
    '<svg viewBox="0 0 29 29" xmlns="http://www.w3.org/2000/svg">'
    '<rect x="0.5" y="0.5" width="28" height="28" fill="none" stroke="#888"'
    ' stroke-width="0.4" stroke-dasharray="1.5 1"/>'
    '<text x="14.5" y="16.5" font-family="SC KIS Sans" font-size="6"'
    ' text-anchor="middle" fill="#888">QR</text></svg>'
)


def certificate_specimen_pdf() -> bytes:
    """The specimen of the KIS certificate (Formularz 6, "WZÓR"): the texts an
    issued certificate carries, with placeholders for its data."""
    with translation.override(settings.LANGUAGE_CODE):
        number = _("[number]")
        certificate = Certificate(
            number=number,
            club_name=_("[name of the social integration club]"),
            club_address=_("[address of the club]"),
            founding_unit_name=_("[name of the founding institution]"),
            certifying_unit_name=_("[name of the certifying unit]"),
            voivodeship_name=_("[voivodeship]"),
        )
        date = _("[date]")
        context = {
            "certificate": certificate,
            "issued_on": date,
            "valid_from": date,
            "valid_until": date,
            # The address pattern, with the placeholder readable in it.
            "verification_url": unquote(verification_url(number)),
            "qr_code": SPECIMEN_QR_CODE,
        }
        return render_pdf("documents/certificate_specimen.html", context)
