"""E-mail to the people of the units a step concerns, sent after commit."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from certification import events
from certification.models import Application, Unit

logger = logging.getLogger(__name__)


def _addresses(unit: Unit | None) -> list[str]:
    if unit is None:
        return []
    people = unit.members.filter(is_active=True).exclude(email="")
    addresses = {person.email for person in people}
    if unit.email:
        addresses.add(unit.email)
    return sorted(addresses)


def notify(
    application: Application,
    event: str,
    units: list[Unit | None],
    note: str = "",
) -> None:
    """Schedule one e-mail per address about `event`, once the step is committed."""
    recipients = sorted({a for unit in units for a in _addresses(unit)})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _message(application, event, note)

    def send() -> None:
        for address in recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        logger.info(
            "Sent %s for application %s to %s addresses",
            event,
            application.pk,
            len(recipients),
        )

    transaction.on_commit(send)


def _message(application: Application, event: str, note: str) -> tuple[str, str]:
    subject = _("SC KIS: %(event)s, %(club)s") % {
        "event": events.label(event),
        "club": application.club.name,
    }
    body = _(
        "%(event)s.\n\nClub: %(club)s\nCase: %(number)s\nState: %(state)s\n\n"
        "Details: %(path)s\n"
    ) % {
        "event": events.label(event),
        "club": application.club.name,
        "number": application.number or "-",
        "state": application.get_state_display(),
        "path": settings.SCKIS_SITE_URL
        + reverse("certification:application_detail", args=[application.pk]),
    }
    if note:
        body = f"{body}\n{note}\n"

    return subject, body
