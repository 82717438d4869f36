"""Who may see a case and take each step: the role and the unit both count."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from certification import deadlines, permissions, selectors, services
from certification.models import Application
from certification.states import ApplicationState as S
from certification.states import Role
from tests.factories import (
    FACTORY_OF_STATE,
    AppealOfficerFactory,
    ApplicantFactory,
    AuditorFactory,
    OfficerFactory,
    UserFactory,
    applicant_of,
    application_in,
    auditor_of,
    complete_audit_card,
    complete_standard_card,
    officer_of,
    person_of,
)

pytestmark = pytest.mark.django_db

ALL_STATES = list(FACTORY_OF_STATE)
YESTERDAY = datetime.timedelta(days=-1)


def _deadline_passed(field):
    def prepare(application):
        Application.objects.filter(pk=application.pk).update(
            **{field: deadlines.today() + YESTERDAY}
        )

    return prepare


# Each step: its permission, a state in which it is possible (with what must
# be done first), and the one role that takes it.
STEPS = [
    ("can_edit", S.DRAFT, None, Role.APPLICANT),
    ("can_submit", S.DRAFT, None, Role.APPLICANT),
    ("can_resubmit", S.CORRECTION, None, Role.APPLICANT),
    ("can_withdraw", S.SUBMITTED, None, Role.APPLICANT),
    ("can_appeal", S.REFUSED, None, Role.APPLICANT),
    ("can_request_correction", S.SUBMITTED, None, Role.OFFICER),
    (
        "can_leave_unprocessed",
        S.CORRECTION,
        _deadline_passed("correction_deadline"),
        Role.OFFICER,
    ),
    ("can_accept_formally", S.SUBMITTED, None, Role.OFFICER),
    ("can_edit_standard_card", S.MERIT_REVIEW, None, Role.OFFICER),
    ("can_commission_audit", S.MERIT_REVIEW, complete_standard_card, Role.OFFICER),
    ("can_refuse", S.MERIT_REVIEW, complete_standard_card, Role.OFFICER),
    ("can_refuse", S.DECISION, None, Role.OFFICER),
    ("can_grant", S.DECISION, None, Role.OFFICER),
    ("can_finalise", S.REFUSED, _deadline_passed("appeal_deadline"), Role.OFFICER),
    ("can_reconsider", S.APPEALED, None, Role.OFFICER),
    ("can_forward", S.APPEALED, None, Role.OFFICER),
    ("can_start_audit", S.AUDIT, None, Role.AUDITOR),
    ("can_edit_audit_card", S.AUDIT_IN_PROGRESS, None, Role.AUDITOR),
    (
        "can_deliver_report",
        S.AUDIT_IN_PROGRESS,
        complete_audit_card,
        Role.AUDITOR,
    ),
    ("can_dismiss", S.APPEAL_REVIEW, None, Role.APPEAL_OFFICER),
    ("can_uphold", S.APPEAL_REVIEW, None, Role.APPEAL_OFFICER),
]


def _step_id(step) -> str:
    return f"{step[0]}-{step[1]}"


def _prepared(state, prepare) -> Application:
    application = application_in(state)
    if prepare is not None:
        prepare(application)
    return Application.objects.get(pk=application.pk)


def person_of_another_unit(application: Application, role: Role):
    """A person of `role` from a unit that has nothing to do with this case."""
    elsewhere = (
        "lubuskie" if application.club.voivodeship.slug != "lubuskie" else "opolskie"
    )
    if role == Role.APPLICANT:
        return ApplicantFactory(unit__voivodeship=application.club.voivodeship)
    if role == Role.OFFICER:
        return OfficerFactory(unit__voivodeship__slug=elsewhere)
    if role == Role.AUDITOR:
        return AuditorFactory(unit__voivodeship__slug=elsewhere)
    raise ValueError(role)


class TestEachStepBelongsToOneRole:
    @pytest.mark.parametrize("step", STEPS, ids=_step_id)
    def test_only_the_role_of_the_step_is_allowed(self, step):
        name, state, prepare, allowed_role = step
        application = _prepared(state, prepare)
        check = getattr(permissions, name)

        for role in Role:
            verdict = check(person_of(application, role), application)
            assert bool(verdict) == (role == allowed_role), (name, role)
            if not verdict:
                assert verdict.reason

    @pytest.mark.parametrize(
        "step",
        [step for step in STEPS if step[3] != Role.APPEAL_OFFICER],
        ids=_step_id,
    )
    def test_the_same_role_of_another_unit_is_refused(self, step):
        name, state, prepare, role = step
        application = _prepared(state, prepare)

        verdict = getattr(permissions, name)(
            person_of_another_unit(application, role), application
        )

        assert not verdict
        assert verdict.reason

    @pytest.mark.parametrize("step", STEPS, ids=_step_id)
    def test_a_person_without_a_unit_is_refused(self, step):
        name, state, prepare, _role = step
        application = _prepared(state, prepare)

        assert not getattr(permissions, name)(UserFactory(unit=None), application)


class TestWithdrawalIsVoluntaryUntilADecision:
    @pytest.mark.parametrize("state", ALL_STATES)
    def test_allowed_exactly_before_a_decision(self, state):
        application = application_in(state)

        verdict = permissions.can_withdraw(applicant_of(application), application)

        before_decision = state in {
            S.DRAFT,
            S.SUBMITTED,
            S.CORRECTION,
            S.MERIT_REVIEW,
            S.AUDIT,
            S.AUDIT_IN_PROGRESS,
            S.DECISION,
        }
        assert bool(verdict) == before_decision


class TestDeadlinesInPermissions:
    def test_leave_unprocessed_is_refused_until_the_deadline_passes(self):
        application = application_in(S.CORRECTION)
        officer = officer_of(application)

        verdict = permissions.can_leave_unprocessed(officer, application)

        assert not verdict
        assert application.correction_deadline.strftime("%d.%m.%Y") in verdict.reason

    def test_appeal_is_refused_after_the_deadline(self):
        application = application_in(S.REFUSED)
        _deadline_passed("appeal_deadline")(application)
        application = Application.objects.get(pk=application.pk)

        verdict = permissions.can_appeal(applicant_of(application), application)

        assert not verdict
        assert application.appeal_deadline.strftime("%d.%m.%Y") in verdict.reason

    def test_finalise_is_refused_while_an_appeal_is_possible(self):
        application = application_in(S.REFUSED)

        assert not permissions.can_finalise(officer_of(application), application)


class TestWhoSeesACase:
    @pytest.mark.parametrize("state", ALL_STATES)
    def test_applicant_sees_its_own_case_in_every_state(self, state):
        application = application_in(state)

        applicant = applicant_of(application)

        assert selectors.application_for(applicant, application.pk) == application
        assert permissions.can_view(applicant, application)

    @pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.REFUSED, S.CERTIFIED])
    def test_applicant_of_another_institution_gets_404(self, state):
        application = application_in(state)
        stranger = ApplicantFactory(unit__voivodeship=application.club.voivodeship)

        with pytest.raises(Http404):
            selectors.application_for(stranger, application.pk)
        assert not permissions.can_view(stranger, application)

    @pytest.mark.parametrize("state", [S.SUBMITTED, S.AUDIT, S.APPEALED, S.CERTIFIED])
    def test_officer_of_the_voivodeship_sees_a_filed_case(self, state):
        application = application_in(state)
        officer = officer_of(application)

        assert selectors.application_for(officer, application.pk) == application
        assert permissions.can_view(officer, application)

    def test_officer_gets_404_for_a_draft(self):
        application = application_in(S.DRAFT)
        officer = OfficerFactory(unit=application.certifying_unit)

        with pytest.raises(Http404):
            selectors.application_for(officer, application.pk)
        assert not permissions.can_view(officer, application)

    def test_officer_gets_404_for_a_draft_withdrawn_before_submission(self):
        application = application_in(S.DRAFT)
        services.withdraw_application(
            application=application, by=applicant_of(application)
        )
        application = Application.objects.get(pk=application.pk)
        officer = OfficerFactory(unit=application.certifying_unit)

        with pytest.raises(Http404):
            selectors.application_for(officer, application.pk)
        assert not permissions.can_view(officer, application)

    @pytest.mark.parametrize("state", [S.SUBMITTED, S.DECISION, S.CERTIFIED])
    def test_officer_of_another_voivodeship_gets_404(self, state):
        application = application_in(
            state, club__founding_unit__voivodeship__slug="mazowieckie"
        )
        stranger = OfficerFactory(unit__voivodeship__slug="slaskie")

        with pytest.raises(Http404):
            selectors.application_for(stranger, application.pk)
        assert not permissions.can_view(stranger, application)
        assert not permissions.can_grant(stranger, application)

    @pytest.mark.parametrize("state", [S.SUBMITTED, S.MERIT_REVIEW])
    def test_auditor_gets_404_before_the_audit_is_commissioned(self, state):
        application = application_in(state)
        auditor = auditor_of(application)

        with pytest.raises(Http404):
            selectors.application_for(auditor, application.pk)
        assert not permissions.can_view(auditor, application)

    @pytest.mark.parametrize("state", [S.AUDIT, S.AUDIT_IN_PROGRESS, S.DECISION])
    def test_auditor_of_the_commissioned_rops_sees_the_case(self, state):
        application = application_in(state)
        auditor = auditor_of(application)

        assert selectors.application_for(auditor, application.pk) == application

    def test_auditor_of_another_rops_gets_404(self):
        application = application_in(
            S.AUDIT, club__founding_unit__voivodeship__slug="mazowieckie"
        )
        stranger = AuditorFactory(unit__voivodeship__slug="podlaskie")

        with pytest.raises(Http404):
            selectors.application_for(stranger, application.pk)
        assert not permissions.can_start_audit(stranger, application)

    @pytest.mark.parametrize("state", [S.SUBMITTED, S.REFUSED, S.APPEALED])
    def test_appeal_officer_gets_404_before_the_appeal_is_forwarded(self, state):
        application = application_in(state)
        officer = AppealOfficerFactory()

        with pytest.raises(Http404):
            selectors.application_for(officer, application.pk)
        assert not permissions.can_view(officer, application)

    @pytest.mark.parametrize("state", [S.APPEAL_REVIEW, S.CLOSED])
    def test_appeal_officer_sees_a_forwarded_appeal(self, state):
        application = application_in(state)
        officer = AppealOfficerFactory()

        assert selectors.application_for(officer, application.pk) == application
        assert permissions.can_view(officer, application)

    def test_a_person_without_a_unit_gets_404(self):
        application = application_in(S.SUBMITTED)
        person = UserFactory(unit=None)

        with pytest.raises(Http404):
            selectors.application_for(person, application.pk)
        assert not permissions.can_view(person, application)

    def test_an_anonymous_visitor_gets_404(self):
        application = application_in(S.CERTIFIED)

        with pytest.raises(Http404):
            selectors.application_for(AnonymousUser(), application.pk)
        assert not permissions.can_view(AnonymousUser(), application)


class TestListsAndQueues:
    def test_each_unit_lists_only_its_own_cases(self):
        mazowieckie = application_in(
            S.AUDIT, club__founding_unit__voivodeship__slug="mazowieckie"
        )
        lubuskie = application_in(
            S.SUBMITTED, club__founding_unit__voivodeship__slug="lubuskie"
        )

        assert list(selectors.applications_visible_to(officer_of(mazowieckie))) == [
            mazowieckie
        ]
        assert list(selectors.applications_visible_to(officer_of(lubuskie))) == [
            lubuskie
        ]
        assert list(selectors.applications_visible_to(auditor_of(mazowieckie))) == [
            mazowieckie
        ]
        assert not selectors.applications_visible_to(auditor_of(lubuskie)).exists()
        assert list(selectors.applications_visible_to(applicant_of(lubuskie))) == [
            lubuskie
        ]

    def test_officers_queue_holds_what_waits_for_them(self):
        waiting = application_in(
            S.SUBMITTED, club__founding_unit__voivodeship__slug="pomorskie"
        )
        done = application_in(
            S.CERTIFIED, club__founding_unit__voivodeship__slug="pomorskie"
        )
        officer = officer_of(waiting)

        queue = list(selectors.work_queue(officer))

        assert waiting in queue
        assert done not in queue

    def test_appeal_officers_queue_holds_forwarded_appeals(self):
        forwarded = application_in(S.APPEAL_REVIEW)
        application_in(S.APPEALED)

        assert list(selectors.work_queue(AppealOfficerFactory())) == [forwarded]
