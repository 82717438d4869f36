"""One notification service: a step never mails the same person twice, and
the case page lists what was sent to whom and when.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from certification import events, notifications, services
from certification.models import Notification
from tests import factories


def _recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


@pytest.mark.django_db
class TestNotify:
    def test_person_on_two_units_lists_gets_one_message(
        self, club, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = factories.DraftApplicationFactory(club=club)
        applicant = factories.applicant_of(application)
        # The applicant's address is also the certifying unit's own address.
        application.certifying_unit.email = applicant.email.upper()
        application.certifying_unit.save()

        with django_capture_on_commit_callbacks(execute=True):
            services.submit_application(application=application, by=applicant)

        recipients = _recipients(mailoutbox)
        assert recipients.count(applicant.email) == 1
        assert len(recipients) == len(set(recipients))
        step = application.transitions.get(event=events.SUBMITTED)
        assert step.notifications.filter(recipient=applicant.email).count() == 1
        assert all(n.sent_at is not None for n in step.notifications.all())

    def test_notify_twice_for_one_step_sends_nothing_the_second_time(
        self, club, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = factories.SubmittedApplicationFactory(club=club)
        step = application.transitions.get(event=events.SUBMITTED)
        units = [application.applicant_unit, application.certifying_unit]

        with django_capture_on_commit_callbacks(execute=True):
            first = notifications.notify(
                application, events.SUBMITTED, units, transition=step
            )
        sent = len(mailoutbox)
        rows = Notification.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            second = notifications.notify(
                application, events.SUBMITTED, units, transition=step
            )

        # The factory's own submission recorded the rows already (its e-mail
        # was never sent: the test's transaction does not commit).
        assert first == [] and second == []
        assert len(mailoutbox) == sent
        assert Notification.objects.count() == rows

    def test_same_occasion_sends_nothing_the_second_time(
        self, club, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = factories.SubmittedApplicationFactory(club=club)
        factories.officer_of(application)

        with django_capture_on_commit_callbacks(execute=True):
            first = notifications.notify(
                application,
                events.CASE_OVERDUE,
                [application.certifying_unit],
                occasion="overdue:2026-03-02",
            )
            second = notifications.notify(
                application,
                events.CASE_OVERDUE,
                [application.certifying_unit],
                occasion="overdue:2026-03-02",
            )

        assert first and second == []
        assert len(mailoutbox) == len(first)

    def test_messages_are_in_polish_with_an_absolute_link(
        self, club, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.SCKIS_SITE_URL = "https://kis.example.gov.pl"
        application = factories.SubmittedApplicationFactory(club=club)

        with django_capture_on_commit_callbacks(execute=True):
            services.accept_formally(
                application=application, by=factories.officer_of(application)
            )

        applicant = factories.applicant_of(application)
        [message] = [m for m in mailoutbox if m.to == [applicant.email]]
        with translation.override("pl"):
            label = str(events.LABELS[events.ACCEPTED_FORMALLY])
        assert label in message.subject
        assert "https://kis.example.gov.pl" + application.get_absolute_url() in (
            message.body
        )


@pytest.mark.django_db
class TestAuditStartMail:
    def test_states_the_audit_visit_date(
        self, club, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = factories.AuditApplicationFactory(club=club)
        visit = application.submitted_at.date().replace(year=2099)

        with django_capture_on_commit_callbacks(execute=True):
            services.start_audit(
                application=application,
                by=factories.auditor_of(application),
                experts=factories.audit_team(),
                planned_on=visit,
            )

        applicant = factories.applicant_of(application)
        [message] = [m for m in mailoutbox if m.to == [applicant.email]]
        assert visit.strftime("%d.%m.%Y") in message.body


@pytest.mark.django_db
class TestCasePageListsMessages:
    @pytest.fixture
    def application(self, club, django_capture_on_commit_callbacks):
        application = factories.DraftApplicationFactory(club=club)
        officer = factories.officer_of(application)
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_application(
                application=application, by=factories.applicant_of(application)
            )
            services.accept_formally(application=application, by=officer)
        return application

    def _page(self, client, user, application) -> str:
        client.force_login(user)
        url = reverse("certification:application_detail", args=[application.pk])
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_officer_sees_addresses_and_time(self, client, application):
        page = self._page(client, factories.officer_of(application), application)

        notification = application.notifications.filter(
            event=events.ACCEPTED_FORMALLY
        ).first()
        assert 'id="notifications"' in page
        assert notification.recipient in page
        assert notification.sent_at is not None

    def test_applicant_sees_the_count_not_the_addresses_of_officers(
        self, client, application
    ):
        officer = factories.officer_of(application)
        submitted = application.notifications.filter(event=events.SUBMITTED)
        assert submitted.filter(recipient=officer.email).exists()

        page = self._page(client, factories.applicant_of(application), application)

        assert 'id="notifications"' in page
        assert officer.email not in page

    def test_auditor_does_not_see_the_list(self, client, club):
        application = factories.AuditApplicationFactory(club=club)

        page = self._page(client, factories.auditor_of(application), application)

        assert 'id="notifications"' not in page
