"""Every e-mail of SC KIS: one `Notification` row per address, sent after commit.

A message belongs either to a recorded step (a `Transition`) or to an
occasion not caused by a step (a reminder, an overdue notice). The unique
constraints on `Notification` hold one row per step and person and one per
occasion and person, so a repeated event, or a person on the lists of two
units, never gets the same message twice.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certification import events
from certification.models import Application, Notification, Transition, Unit

logger = logging.getLogger(__name__)


def label(event: str) -> str:
    """The name of an event or occasion, for subjects and the case page."""
    return events.label(event)


def _addresses(unit: Unit | None) -> list[str]:
    if unit is None:
        return []
    people = unit.members.filter(is_active=True).exclude(email="")
    addresses = {person.email.strip().lower() for person in people}
    if unit.email:
        addresses.add(unit.email.strip().lower())
    return sorted(addresses)


def notify(
    application: Application,
    event: str,
    units: list[Unit | None],
    note: str = "",
    transition: Transition | None = None,
    occasion: str = "",
) -> list[Notification]:
    """Record one message per address of the units about `event` and send
    them once the step is committed; return the messages new this time.

    With a `transition` or an `occasion`, an address already told about it is
    skipped: calling this twice for the same step sends nothing the second
    time.
    """
    recipients = sorted({a for unit in units for a in _addresses(unit)})
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _message(application, event, note)

    created = []
    for address in recipients:
        notification = _record(
            application, event, address, subject[:255], transition, occasion
        )
        if notification is not None:
            created.append(notification)
    if not created:
        return []

    transaction.on_commit(lambda: _send(created, subject, body))
    return created


def _record(
    application: Application,
    event: str,
    address: str,
    subject: str,
    transition: Transition | None,
    occasion: str,
) -> Notification | None:
    """The new row for one address, or None where it was told already."""
    values = {"event": event, "subject": subject}
    if transition is not None:
        lookup = {"transition": transition, "recipient": address}
        values |= {"application": application, "occasion": occasion}
    elif occasion:
        lookup = {"application": application, "occasion": occasion}
        lookup["recipient"] = address
    else:
        return Notification.objects.create(
            application=application, recipient=address, **values
        )
    # get_or_create re-reads the row when a concurrent insert wins the race.
    notification, new = Notification.objects.get_or_create(**lookup, defaults=values)
    return notification if new else None


def _send(notifications: list[Notification], subject: str, body: str) -> None:
    sent = 0
    for notification in notifications:
        try:
            send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient]
            )
        except Exception:
            # One unreachable server must not stop the others; the row stays
            # unsent, which the case page shows.
            logger.exception("Could not send notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        sent += 1
    logger.info(
        "Sent %s of %s messages about %s for application %s",
        sent,
        len(notifications),
        notifications[0].event,
        notifications[0].application_id,
    )


def _message(application: Application, event: str, note: str) -> tuple[str, str]:
    subject = _("SC KIS: %(event)s, %(club)s") % {
        "event": label(event),
        "club": application.club.name,
    }
    body = _(
        "%(event)s.\n\nClub: %(club)s\nCase: %(number)s\nState: %(state)s\n\n"
        "Details: %(path)s\n"
    ) % {
        "event": label(event),
        "club": application.club.name,
        "number": application.number or "-",
        "state": application.get_state_display(),
        "path": settings.SCKIS_SITE_URL
        + reverse("certification:application_detail", args=[application.pk]),
    }
    if note:
        body = f"{body}\n{note}\n"

    return subject, body
