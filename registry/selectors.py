"""Read-side queries of the public side: the registers and verification.

Public pages read only the texts copied onto a certificate at issue and
publish no personal data (no leader's name).
"""

import dataclasses
import datetime
import hashlib

from django.db import models
from django.db.models import Count, Max, Q, QuerySet
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
    REPLACED = "replaced", _("Replaced by a renewal")


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


def certificate_renewal(certificate: Certificate) -> Certificate | None:
    """The certificate issued on a renewal of this one, the latest if more."""
    return (
        Certificate.objects.filter(application__renewal_of=certificate)
        .order_by("-valid_from", "-pk")
        .first()
    )


def certificate_status(
    certificate: Certificate, day: datetime.date | None = None
) -> CertificateStatus:
    """Whether the certificate is valid, expired, not yet valid, or replaced by
    its renewal on the day."""
    day = day or timezone.localdate()
    # A renewal takes over on the day it starts, which is the day after this
    # one ends, or the day it was issued when the club renewed late. Until
    # then this certificate stands on its own dates.
    renewal = certificate_renewal(certificate)
    if renewal is not None and day >= renewal.valid_from:
        return CertificateStatus.REPLACED
    if day > certificate.valid_until:
        return CertificateStatus.EXPIRED
    if day < certificate.valid_from:
        return CertificateStatus.NOT_YET_VALID
    return CertificateStatus.VALID


@dataclasses.dataclass(frozen=True)
class CopyCheck:
    """What a copy of a certificate's PDF shows against the issued one."""

    matches: bool
    signature: str


def certificate_copy_check(certificate: Certificate, content: bytes) -> CopyCheck:
    """Whether a copy is byte for byte the issued PDF (its SHA-256 equals the
    stored one), and what its embedded signature says of its integrity."""
    # pyHanko takes a third of a second to import: only this page needs it.
    from certification import signing

    digest = hashlib.sha256(content).hexdigest()
    return CopyCheck(
        matches=bool(certificate.sha256) and digest == certificate.sha256,
        signature=signing.signature_status(content),
    )


def register_fingerprint() -> str:
    """Changes whenever the register's content may change: a certificate
    issued, a unit or club renamed, or a new day (validity).
    """
    from certification.models import Club

    certificates = Certificate.objects.aggregate(count=Count("pk"), last=Max("pk"))
    units = Unit.objects.aggregate(changed=Max("updated_at"))
    clubs = Club.objects.aggregate(changed=Max("updated_at"))
    return "-".join(
        str(part)
        for part in (
            timezone.localdate().isoformat(),
            certificates["count"],
            certificates["last"],
            units["changed"].timestamp() if units["changed"] else 0,
            clubs["changed"].timestamp() if clubs["changed"] else 0,
        )
    )
