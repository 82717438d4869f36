"""Read-side queries of the public side: the registers and verification.

Public pages read only the texts copied onto a certificate at issue and
publish no personal data (no leader's name).
"""

import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate, Unit, Voivodeship
from certification.states import ApplicationState, UnitKind

# A search longer than this is no club name or town.
SEARCH_MAX_LENGTH = 100


class CertificateStatus(models.TextChoices):
    """Where a certificate stands on a given day, as the verification page says."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")


def register_entries(
    *,
    voivodeship: Voivodeship | None = None,
    search: str = "",
    day: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """The certificates in force on the day (today by default) of certified
    clubs, by voivodeship and club name; optionally of one voivodeship and
    matching a club name or town."""
    day = day or timezone.localdate()
    entries = Certificate.objects.filter(
        application__state=ApplicationState.CERTIFIED,
        valid_from__lte=day,
        valid_until__gte=day,
    )

    if voivodeship is not None:
        entries = entries.filter(club__voivodeship=voivodeship)
    search = search.strip()[:SEARCH_MAX_LENGTH]
    if search:
        entries = entries.filter(
            Q(club_name__icontains=search) | Q(club__city__icontains=search)
        )

    # TERYT codes follow the Polish alphabet (łódzkie after lubuskie), which
    # the database's collation of the names may not.
    return entries.select_related("club__voivodeship").order_by(
        "club__voivodeship__teryt", "club_name", "number"
    )


def voivodeships() -> QuerySet[Voivodeship]:
    """All voivodeships in the Polish alphabetical order, for the filter."""
    return Voivodeship.objects.order_by("teryt")


def voivodeship_by_slug(slug: str) -> Voivodeship | None:
    """The voivodeship of an address slug, or None for an unknown one."""
    if not slug:
        return None
    return Voivodeship.objects.filter(slug=slug).first()


def voivodeship_or_404(slug: str) -> Voivodeship:
    """The voivodeship of an address slug; 404 for an unknown one."""
    return get_object_or_404(Voivodeship, slug=slug)


def certifying_unit_name(voivodeship: Voivodeship) -> str:
    """The name of the unit that keeps the voivodeship's register, or the
    voivodeship's own name while no unit is set up."""
    unit = Unit.objects.filter(
        kind=UnitKind.CERTIFYING, voivodeship=voivodeship
    ).first()
    if unit is None:
        return _("Voivodeship %(name)s") % {"name": voivodeship.name}
    return unit.full_name


def certificate_by_number(number: str) -> Certificate | None:
    """An issued certificate by its number, or None if there is no such one."""
    return Certificate.objects.filter(number=number).first()


def certificate_status(
    certificate: Certificate, day: datetime.date | None = None
) -> CertificateStatus:
    """Whether the certificate is valid, expired or not yet valid on the day."""
    day = day or timezone.localdate()
    if day > certificate.valid_until:
        return CertificateStatus.EXPIRED
    if day < certificate.valid_from:
        return CertificateStatus.NOT_YET_VALID
    return CertificateStatus.VALID
