"""PDF documents of the public side: the voivodeship register (Formularz 7)
and the blank forms offered for download.

Rendering goes through certification.documents, the only WeasyPrint user.
"""

import datetime
import functools
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certification.documents import formal_date, render_pdf
from certification.models import Certificate, CriteriaVersion, Voivodeship
from registry import selectors

logger = logging.getLogger(__name__)

# Rows of the blank register: enough to fill a landscape page.
BLANK_ROWS = 9


@dataclass(frozen=True)
class RegisterRow:
    """One line of Formularz 7: a founding institution and its certified club."""

    founding_name: str
    founding_address: str
    club_name: str
    club_address: str
    certificate_number: str
    issued_on: str
    valid_until: str
    entry_date: str
    entry_number: str
    voivodeship_name: str


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def register_row(certificate: Certificate) -> RegisterRow:
    """The register's line of a certificate: the club's texts as issued, the
    founding institution's address and the voivode's register entry as they
    are now."""
    club = certificate.club
    founding_unit = club.founding_unit
    return RegisterRow(
        founding_name=certificate.founding_unit_name,
        founding_address=founding_unit.address,
        club_name=certificate.club_name,
        club_address=certificate.club_address,
        certificate_number=certificate.number,
        issued_on=_day(certificate.issued_on),
        valid_until=_day(certificate.valid_until),
        entry_date=_day(club.register_entry_date),
        entry_number=club.register_entry_number,
        voivodeship_name=certificate.voivodeship_name,
    )


def _groups(rows: list[RegisterRow]) -> list[dict[str, Any]]:
    """Rows of the national register under one heading per voivodeship, in
    the order given (the selector orders them by TERYT code)."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["voivodeship"] != row.voivodeship_name:
            groups.append({"voivodeship": row.voivodeship_name, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def register_pdf(
    voivodeship: Voivodeship | None = None,
    entries: Iterable[Certificate] | None = None,
    *,
    blank: bool = False,
) -> bytes:
    """Formularz 7, the register of institutions that founded certified
    clubs, as PDF bytes in Polish: of one voivodeship headed by its
    certifying unit, or national; `blank` gives the empty form.

    Reads the certificates in force today unless `entries` are given.
    """
    with translation.override(settings.LANGUAGE_CODE):
        if blank:
            return render_pdf(
                "documents/register.html",
                {"blank": True, "blank_rows": range(1, BLANK_ROWS + 1)},
            )

        if entries is None:
            entries = selectors.register_entries(voivodeship=voivodeship)
        if isinstance(entries, QuerySet):
            entries = entries.select_related("club__founding_unit")
        rows = [register_row(entry) for entry in entries]

        context = {
            "blank": False,
            "voivodeship": voivodeship,
            "certifying_unit_name": (
                selectors.certifying_unit_name(voivodeship) if voivodeship else ""
            ),
            # A voivodeship's register needs no heading rows.
            "groups": (
                _groups(rows)
                if voivodeship is None
                else [{"voivodeship": "", "rows": rows}]
                if rows
                else []
            ),
            "count": len(rows),
            "as_of": formal_date(timezone.localdate()),
        }
        return render_pdf("documents/register.html", context)


# Blank forms, offered on the public page /formularze/.


class FormUnavailable(Exception):
    """The renderer of a blank form cannot be imported (not deployed yet)."""


@dataclass(frozen=True)
class BlankForm:
    """A blank form to download: where its renderer lives and how it is called."""

    slug: str
    title: Promise
    description: Promise
    module: str
    function: str
    arguments: tuple = ()
    keywords: tuple[tuple[str, Any], ...] = ()

    def renderer(self) -> Callable[..., bytes]:
        """The rendering function, imported on first use so that the page
        works while a renderer's module is not there yet."""
        try:
            module = importlib.import_module(self.module)
            return getattr(module, self.function)
        except (ImportError, AttributeError) as error:
            logger.warning("Blank form %s is not available: %s", self.slug, error)
            raise FormUnavailable(self.slug) from error

    def render(self) -> bytes:
        return self.renderer()(*self.arguments, **dict(self.keywords))


# The seven forms of recommendation Nr 8 and the process card of Nr 10, in
# the recommendation's order. Slugs are part of public addresses.
BLANK_FORMS = [
    BlankForm(
        "wniosek",
        _("Form 1. Application for the KIS certificate"),
        _("Filed by the institution that founded the club."),
        "certification.document_forms",
        "application_pdf",
        (None,),
    ),
    BlankForm(
        "objasnienia",
        _("Form 2. Explanations for filling in the application"),
        _("What to write in each part of the application."),
        "certification.document_forms",
        "explanations_pdf",
    ),
    BlankForm(
        "karta-standardu",
        _("Form 3. SC KIS standard card"),
        _(
            "The minimum standard of a club: the required level of each "
            "criterion, compared with the declared one."
        ),
        "certification.document_forms",
        "standard_card_pdf",
        (None,),
    ),
    BlankForm(
        "wytyczne",
        _("Form 4. Procedural guidelines"),
        _(
            "The steps, terms and states of the process for the certifying, "
            "audit and appeal units, with a diagram."
        ),
        "certification.document_guidelines",
        "guidelines_pdf",
    ),
    BlankForm(
        "karta-audytu",
        _("Form 5. Certification audit card"),
        _("Filled by the audit team on site."),
        "certification.document_forms",
        "audit_card_pdf",
        (None,),
    ),
    BlankForm(
        "certyfikat",
        _("Form 6. KIS certificate (specimen)"),
        _("The texts an issued certificate carries."),
        "certification.documents",
        "certificate_specimen_pdf",
    ),
    BlankForm(
        "rejestr",
        _("Form 7. Voivodeship register table"),
        _("The register of institutions that founded certified clubs."),
        "registry.documents",
        "register_pdf",
        keywords=(("blank", True),),
    ),
    BlankForm(
        "karta-procesu",
        _("KIS certification process card"),
        _("The record of every stage of granting or renewing a certificate."),
        "certification.document_forms",
        "process_card_pdf",
        (None,),
    ),
]

BLANK_FORMS_BY_SLUG = {form.slug: form for form in BLANK_FORMS}


def _criteria_version() -> int | None:
    current = CriteriaVersion.current()
    return current.number if current else None


def _terms() -> tuple:
    return (
        tuple(sorted(settings.SCKIS_DEADLINES.items())),
        settings.SCKIS_CERTIFICATE_YEARS,
    )


def blank_form_pdf(slug: str) -> bytes:
    """The blank form's PDF bytes, rendered once per process for the language,
    criteria version and terms in force. KeyError for an unknown slug."""
    form = BLANK_FORMS_BY_SLUG[slug]
    return _rendered(form.slug, settings.LANGUAGE_CODE, _criteria_version(), _terms())


@functools.lru_cache(maxsize=32)
def _rendered(
    slug: str, language: str, criteria_version: int | None, terms: tuple
) -> bytes:
    # The arguments besides the slug are the cache key: what a blank form
    # depends on. The renderers read them from settings and the database.
    with translation.override(language):
        return BLANK_FORMS_BY_SLUG[slug].render()


def clear_blank_forms() -> None:
    """Forget the rendered blank forms (tests, or after changing the criteria)."""
    _rendered.cache_clear()
