"""The daily run of deadlines: run it once a day (cron or a systemd timer).

Safe to run twice: a refusal already final is no longer refused, and every
message has an occasion key that the database holds once per person.
"""

import datetime
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from certification import deadlines, events, notifications, selectors, services
from certification.models import Application, Certificate
from certification.states import ApplicationState as S

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Finalise refusals not appealed in time, remind holders of certificates "
        "about to expire, and tell officers of overdue cases."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            help="Act as if today were this date (YYYY-MM-DD); for testing.",
        )

    def handle(self, *args, today: str | None = None, **options) -> None:
        day = self._day(today)

        # Notes go into e-mails and the history: in Polish, as the site is.
        with translation.override(settings.LANGUAGE_CODE):
            finalised = finalise_stale_refusals(day)
            reminders = send_renewal_reminders(day)
            overdue = send_overdue_notices(day)
        expired = Certificate.objects.filter(
            valid_until=day - datetime.timedelta(days=1)
        ).count()

        self.stdout.write(
            f"run_deadlines {day.isoformat()}: refusals made final: {finalised}; "
            f"renewal reminders sent: {reminders}; overdue notices sent: {overdue}; "
            f"certificates expired today: {expired}"
        )

    def _day(self, text: str | None) -> datetime.date:
        if not text:
            return deadlines.today()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError("--today takes a date as YYYY-MM-DD") from None


def finalise_stale_refusals(day: datetime.date) -> int:
    """Make final the refusals whose appeal deadline passed without an appeal."""
    stale = Application.objects.filter(state=S.REFUSED, appeal_deadline__lt=day)
    count = 0
    for application in stale:
        try:
            services.finalise_refusal(application=application, by=None, today=day)
        except services.ActionRefused:
            continue  # moved meanwhile, e.g. an appeal lodged at the last minute
        count += 1
    return count


def send_renewal_reminders(day: datetime.date) -> int:
    """Remind the holder of each certificate in force that ends within a
    reminder window, once per window: only the narrowest window that applies.
    """
    windows = deadlines.renewal_reminder_days()
    if not windows:
        return 0
    certificates = Certificate.objects.filter(
        application__state=S.CERTIFIED,
        valid_from__lte=day,
        valid_until__gte=day,
        valid_until__lte=day + datetime.timedelta(days=windows[0]),
    ).select_related("application__club", "application__applicant_unit")
    count = 0
    for certificate in certificates:
        if _renewal_under_way(certificate):
            continue
        days_left = (certificate.valid_until - day).days
        window = min(days for days in windows if days_left <= days)
        application = certificate.application
        note = _(
            "Certificate %(number)s of the club is valid until %(date)s. "
            "To keep the club in the register, file an application for its "
            "renewal in good time."
        ) % {
            "number": certificate.number,
            "date": certificate.valid_until.strftime("%d.%m.%Y"),
        }
        with transaction.atomic():
            count += len(
                notifications.notify(
                    application,
                    events.RENEWAL_REMINDER,
                    [application.applicant_unit],
                    note=note,
                    occasion=f"renewal-reminder:{window}:{certificate.number}",
                )
            )
    return count


def _renewal_under_way(certificate: Certificate) -> bool:
    return certificate.renewals.exclude(
        state__in=[S.DRAFT, S.WITHDRAWN, S.CLOSED]
    ).exists()


def send_overdue_notices(day: datetime.date) -> int:
    """Tell the certifying unit, once per case and day, of cases whose
    decision or appeal-forwarding deadline has passed.
    """
    late_decisions = Application.objects.filter(
        state__in=selectors.AWAITING_DECISION, decision_deadline__lt=day
    )
    late_appeals = Application.objects.filter(
        state=S.APPEALED,
        appeals__outcome="",
        appeals__forwarded_at__isnull=True,
        appeals__forward_deadline__lt=day,
    )
    count = 0
    for application in (late_decisions | late_appeals).distinct().order_by("pk"):
        overdue = [
            deadline
            for deadline in selectors.case_deadlines(application, today=day)
            if deadline.status == selectors.OVERDUE
            and deadline.turn == selectors.CERTIFYING_UNIT
        ]
        note = "\n".join(
            _("%(deadline)s: was due on %(date)s.")
            % {"deadline": d.label, "date": d.date.strftime("%d.%m.%Y")}
            for d in overdue
        )
        with transaction.atomic():
            count += len(
                notifications.notify(
                    application,
                    events.CASE_OVERDUE,
                    [application.certifying_unit],
                    note=note,
                    occasion=f"overdue:{day.isoformat()}",
                )
            )
    return count
