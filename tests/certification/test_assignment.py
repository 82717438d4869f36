"""Putting a person in charge of a case: who may, whom, and what it records."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certification import events, permissions, services
from certification.models import Application
from certification.states import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def submitted(mazowieckie) -> Application:
    return factories.SubmittedApplicationFactory(
        club__founding_unit__voivodeship=mazowieckie
    )


@pytest.fixture
def audit(mazowieckie) -> Application:
    return factories.AuditApplicationFactory(
        club__founding_unit__voivodeship=mazowieckie
    )


def _snapshot(application: Application) -> tuple:
    application = Application.objects.get(pk=application.pk)
    return (
        application.state,
        application.assigned_officer_id,
        application.assigned_auditor_id,
        application.transitions.count(),
    )


class TestAssignCase:
    def test_officer_assigns_a_colleague_and_the_history_records_it(self, submitted):
        officer = factories.officer_of(submitted)
        colleague = factories.OfficerFactory(unit=submitted.certifying_unit)

        services.assign_case(application=submitted, by=officer, officer=colleague)

        submitted.refresh_from_db()
        assert submitted.assigned_officer == colleague
        assert submitted.state == S.SUBMITTED
        step = submitted.transitions.last()
        assert step.event == events.ASSIGNED
        assert step.from_state == step.to_state == S.SUBMITTED
        assert step.actor == officer
        assert colleague.display_name in step.note

    def test_auditor_assigns_an_auditor_of_the_audit_unit(self, audit):
        auditor = factories.auditor_of(audit)

        services.assign_case(application=audit, by=auditor, auditor=auditor)

        audit.refresh_from_db()
        assert audit.assigned_auditor == auditor
        assert audit.assigned_officer is None

    def test_repeated_assignment_records_one_step(self, submitted):
        officer = factories.officer_of(submitted)

        services.assign_case(application=submitted, by=officer, officer=officer)
        services.assign_case(application=submitted, by=officer, officer=officer)

        assert submitted.transitions.filter(event=events.ASSIGNED).count() == 1

    def test_assignee_of_another_unit_is_refused_and_nothing_changes(
        self, submitted, lubuskie
    ):
        officer = factories.officer_of(submitted)
        stranger = factories.OfficerFactory(unit__voivodeship=lubuskie)
        before = _snapshot(submitted)

        with pytest.raises(ValidationError) as error:
            services.assign_case(application=submitted, by=officer, officer=stranger)

        assert "officer" in error.value.message_dict
        assert _snapshot(submitted) == before

    def test_inactive_colleague_is_refused(self, submitted):
        officer = factories.officer_of(submitted)
        gone = factories.OfficerFactory(unit=submitted.certifying_unit, is_active=False)
        before = _snapshot(submitted)

        with pytest.raises(ValidationError):
            services.assign_case(application=submitted, by=officer, officer=gone)

        assert _snapshot(submitted) == before

    def test_officer_cannot_assign_an_auditor(self, audit):
        officer = factories.officer_of(audit)
        before = _snapshot(audit)

        with pytest.raises(ValidationError):
            services.assign_case(
                application=audit, by=officer, auditor=factories.auditor_of(audit)
            )

        assert _snapshot(audit) == before

    @pytest.mark.parametrize(
        "who", ["applicant", "officer_elsewhere", "appeal_officer", "auditor"]
    )
    def test_others_are_refused_and_nothing_changes(self, submitted, lubuskie, who):
        person = {
            "applicant": lambda: factories.applicant_of(submitted),
            "officer_elsewhere": lambda: factories.OfficerFactory(
                unit__voivodeship=lubuskie
            ),
            "appeal_officer": factories.appeal_officer,
            # The case is not at the audit unit yet.
            "auditor": lambda: factories.auditor_of(submitted),
        }[who]()
        before = _snapshot(submitted)

        assert not permissions.can_assign(person, submitted)
        with pytest.raises(services.ActionRefused):
            services.assign_case(
                application=submitted,
                by=person,
                officer=factories.officer_of(submitted),
            )

        assert _snapshot(submitted) == before

    def test_finished_case_is_not_assigned(self, mazowieckie):
        withdrawn = factories.WithdrawnApplicationFactory(
            club__founding_unit__voivodeship=mazowieckie
        )

        assert not permissions.can_assign(factories.officer_of(withdrawn), withdrawn)


class TestAssignView:
    def test_case_page_offers_the_units_people(self, client, submitted):
        officer = factories.officer_of(submitted)
        colleague = factories.OfficerFactory(unit=submitted.certifying_unit)
        client.force_login(officer)

        page = client.get(submitted.get_absolute_url()).content.decode()

        assert reverse("certification:assign", args=[submitted.pk]) in page
        assert colleague.display_name in page

    def test_applicant_gets_no_form(self, client, submitted):
        client.force_login(factories.applicant_of(submitted))

        page = client.get(submitted.get_absolute_url()).content.decode()

        assert reverse("certification:assign", args=[submitted.pk]) not in page

    def test_officer_assigns_through_the_form(self, client, submitted):
        officer = factories.officer_of(submitted)
        client.force_login(officer)

        response = client.post(
            reverse("certification:assign", args=[submitted.pk]),
            {"person": officer.pk},
            follow=True,
        )

        submitted.refresh_from_db()
        assert submitted.assigned_officer == officer
        assert "is now in charge of the case" in response.content.decode()

    def test_post_for_a_person_of_another_unit_changes_nothing(
        self, client, submitted, lubuskie
    ):
        officer = factories.officer_of(submitted)
        stranger = factories.OfficerFactory(unit__voivodeship=lubuskie)
        client.force_login(officer)
        before = _snapshot(submitted)

        client.post(
            reverse("certification:assign", args=[submitted.pk]),
            {"person": stranger.pk},
        )

        assert _snapshot(submitted) == before

    def test_officer_of_another_voivodeship_gets_404(self, client, submitted, lubuskie):
        client.force_login(factories.OfficerFactory(unit__voivodeship=lubuskie))

        response = client.post(
            reverse("certification:assign", args=[submitted.pk]), {"person": 1}
        )

        assert response.status_code == 404
