"""The daily run of deadlines: idempotent, each message sent once."""

import datetime
import io

import pytest
from django.core.management import call_command

from certification import deadlines, events, services
from certification.models import Application, Certificate, Notification, Transition
from certification.states import ApplicationState as S
from registry import selectors as registry_selectors
from tests import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command as if on `day`; return what it printed."""

    def run(day: datetime.date) -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_deadlines", today=day.isoformat(), stdout=out)
        return out.getvalue()

    return run


def _counts() -> tuple:
    return (
        Transition.objects.count(),
        Notification.objects.count(),
        Notification.objects.filter(sent_at__isnull=True).count(),
        sorted(Application.objects.values_list("pk", "state")),
    )


@pytest.mark.django_db
class TestFinaliseRefusals:
    def test_refusal_after_its_appeal_deadline_becomes_final(self, club, run):
        application = factories.RefusedApplicationFactory(club=club)

        output = run(application.appeal_deadline + DAY)

        application.refresh_from_db()
        assert application.state == S.CLOSED
        step = application.transitions.get(event=events.REFUSAL_FINAL)
        assert step.actor is None
        assert step.note == "run_deadlines"
        assert "refusals made final: 1" in output

    def test_refusal_on_its_last_day_stays_open(self, club, run):
        application = factories.RefusedApplicationFactory(club=club)

        output = run(application.appeal_deadline)

        application.refresh_from_db()
        assert application.state == S.REFUSED
        assert "refusals made final: 0" in output


@pytest.mark.django_db
class TestRenewalReminders:
    def test_reminder_sent_once_per_window(self, club, run, mailoutbox):
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = application.certificate
        applicant = factories.applicant_of(application)

        run(certificate.valid_until - 80 * DAY)
        run(certificate.valid_until - 79 * DAY)
        assert [m.to for m in mailoutbox].count([applicant.email]) == 1
        assert certificate.valid_until.strftime("%d.%m.%Y") in mailoutbox[0].body

        run(certificate.valid_until - 20 * DAY)
        run(certificate.valid_until - 19 * DAY)
        assert [m.to for m in mailoutbox].count([applicant.email]) == 2
        occasions = set(
            application.notifications.filter(event=events.RENEWAL_REMINDER).values_list(
                "occasion", flat=True
            )
        )
        assert occasions == {
            f"renewal-reminder:90:{certificate.number}",
            f"renewal-reminder:30:{certificate.number}",
        }

    def test_no_reminder_far_from_the_end(self, club, run, mailoutbox):
        application = factories.CertifiedApplicationFactory(club=club)

        output = run(application.certificate.valid_until - 91 * DAY)

        assert mailoutbox == []
        assert "renewal reminders sent: 0" in output


@pytest.mark.django_db
class TestOverdueNotices:
    def test_officers_told_once_per_case_and_day(self, club, run, mailoutbox):
        application = factories.DraftApplicationFactory(club=club)
        officer = factories.officer_of(application)
        application = services.submit_application(
            application=application, by=factories.applicant_of(application)
        )
        day = application.decision_deadline + DAY

        run(day)
        run(day)
        told = [m for m in mailoutbox if m.to == [officer.email]]
        assert len(told) == 1
        assert application.decision_deadline.strftime("%d.%m.%Y") in told[0].body

        run(day + DAY)
        assert len([m for m in mailoutbox if m.to == [officer.email]]) == 2

    def test_appeal_not_forwarded_in_time_is_overdue(self, club, run, mailoutbox):
        application = factories.AppealedApplicationFactory(club=club)
        officer = factories.officer_of(application)
        appeal = application.appeals.get()

        run(appeal.forward_deadline)
        assert mailoutbox == []

        run(appeal.forward_deadline + DAY)
        assert [officer.email] in [m.to for m in mailoutbox]


@pytest.mark.django_db
class TestWholeRun:
    def test_second_run_changes_nothing_and_sends_nothing(self, club, run, mailoutbox):
        today = deadlines.today()
        refused = factories.RefusedApplicationFactory(club=club)
        Application.objects.filter(pk=refused.pk).update(appeal_deadline=today - DAY)
        certified = factories.CertifiedApplicationFactory(
            club=factories.ClubFactory(founding_unit=club.founding_unit)
        )
        Certificate.objects.filter(application=certified).update(
            valid_until=today + 10 * DAY
        )
        late = factories.SubmittedApplicationFactory(
            club=factories.ClubFactory(founding_unit=club.founding_unit)
        )
        factories.officer_of(late)
        Application.objects.filter(pk=late.pk).update(decision_deadline=today - DAY)

        first = run(today)
        counts, sent = _counts(), len(mailoutbox)
        second = run(today)

        assert "refusals made final: 1" in first
        assert "renewal reminders sent: 0" not in first
        assert "overdue notices sent: 0" not in first
        assert _counts() == counts
        assert len(mailoutbox) == sent
        assert "refusals made final: 0" in second
        assert "renewal reminders sent: 0" in second
        assert "overdue notices sent: 0" in second

    def test_expired_certificate_leaves_the_register(self, club, run):
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = application.certificate
        last_day = certificate.valid_until

        assert certificate in registry_selectors.register_entries(day=last_day)
        output = run(last_day + DAY)

        assert "certificates expired today: 1" in output
        assert certificate not in registry_selectors.register_entries(
            day=last_day + DAY
        )
