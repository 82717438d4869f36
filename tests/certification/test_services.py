"""The business verbs: one class per service, over the states it accepts and
refuses. A refused step raises and changes nothing.
"""

import datetime
import hashlib
import uuid

import pytest
from django.core.exceptions import ValidationError

from certification import deadlines, events, selectors, services
from certification.models import (
    Appeal,
    Application,
    Audit,
    Certificate,
    Club,
    Decision,
    StandardCard,
    Transition,
)
from certification.services import ActionRefused, StaleEdit
from certification.states import (
    BEFORE_DECISION,
    AppealOutcome,
    DecisionKind,
    Level,
    Result,
    Role,
)
from certification.states import ApplicationState as S
from tests.factories import (
    FACTORY_OF_STATE,
    AppealedApplicationFactory,
    AppealOfficerFactory,
    AppealReviewApplicationFactory,
    ApplicantFactory,
    AuditApplicationFactory,
    AuditInProgressApplicationFactory,
    AuditorFactory,
    ClubFactory,
    CorrectionApplicationFactory,
    DecisionApplicationFactory,
    DraftApplicationFactory,
    MeritReviewApplicationFactory,
    OfficerFactory,
    RefusedApplicationFactory,
    SubmittedApplicationFactory,
    VoivodeshipFactory,
    appeal_officer,
    applicant_of,
    application_in,
    audit_team,
    auditor_of,
    complete_audit_card,
    complete_standard_card,
    officer_of,
    person_of,
)

pytestmark = pytest.mark.django_db

ALL_STATES = list(FACTORY_OF_STATE)


def states_except(*accepted: str) -> list[str]:
    return [state for state in ALL_STATES if state not in accepted]


def reloaded(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def snapshot(application: Application) -> dict:
    """What a refused step must leave as it was."""
    fresh = reloaded(application)
    return {
        "state": fresh.state,
        "transitions": Transition.objects.filter(application=fresh).count(),
        "number": fresh.number,
        "correction_deadline": fresh.correction_deadline,
        "appeal_deadline": fresh.appeal_deadline,
        "audit_unit": fresh.audit_unit_id,
        "decisions": Decision.objects.filter(application=fresh).count(),
        "appeals": list(
            Appeal.objects.filter(application=fresh).values_list(
                "outcome", "forwarded_at"
            )
        ),
        "certificates": Certificate.objects.filter(application=fresh).count(),
        "audits": list(
            Audit.objects.filter(application=fresh).values_list(
                "revision", "planned_on", "conclusion", "report_drawn_up_on"
            )
        ),
        "cards": list(
            StandardCard.objects.filter(application=fresh).values_list(
                "revision", "completed_on", "final_opinion"
            )
        ),
    }


def assert_refused(application: Application, step, exception=ActionRefused):
    """Run `step`, expect `exception`, and check the case did not change."""
    before = snapshot(application)
    with pytest.raises(exception) as raised:
        step()
    assert snapshot(application) == before
    return raised.value


def assert_recorded(application, *, event, from_state, to_state, by, note=None):
    """The last step of the case is recorded with who, from, to and why."""
    transition = Transition.objects.filter(application=application).last()
    assert transition.event == event
    assert transition.from_state == from_state
    assert transition.to_state == to_state
    assert transition.actor == by
    assert transition.actor_unit_name == by.unit.full_name
    assert transition.at is not None
    if note is not None:
        assert transition.note == note
    return transition


class TestApplicationCreate:
    def test_opens_a_draft_with_one_declaration_per_criterion(self, criteria):
        club = ClubFactory()
        applicant = ApplicantFactory(unit=club.founding_unit)

        application = services.application_create(by=applicant, club=club)

        assert application.state == S.DRAFT
        assert application.certifying_unit == selectors.certifying_unit_of(
            club.voivodeship_id
        )
        assert application.declarations.count() == criteria.criteria.count() == 21

    def test_the_same_token_twice_opens_one_application(self, criteria):
        club = ClubFactory()
        applicant = ApplicantFactory(unit=club.founding_unit)
        token = uuid.uuid4()

        first = services.application_create(by=applicant, club=club, token=token)
        second = services.application_create(by=applicant, club=club, token=token)

        assert first.pk == second.pk
        assert Application.objects.filter(club=club).count() == 1

    def test_second_open_application_of_a_club_is_refused(self):
        application = SubmittedApplicationFactory()

        with pytest.raises(ActionRefused):
            services.application_create(
                by=applicant_of(application), club=application.club
            )
        assert Application.objects.filter(club=application.club).count() == 1

    def test_another_institution_cannot_apply_for_the_club(self, criteria):
        club = ClubFactory()
        stranger = ApplicantFactory(unit__voivodeship=club.voivodeship)

        with pytest.raises(ActionRefused):
            services.application_create(by=stranger, club=club)
        assert not Application.objects.filter(club=club).exists()


class TestSubmitApplication:
    def test_applicant_submits_a_draft(self):
        application = DraftApplicationFactory(
            club__founding_unit__voivodeship__slug="mazowieckie"
        )
        applicant = applicant_of(application)

        application = services.submit_application(application=application, by=applicant)

        application = reloaded(application)
        assert application.state == S.SUBMITTED
        assert application.number.startswith(f"WPS-KIS-14/{deadlines.today().year}/")
        assert application.submitted_at is not None
        assert_recorded(
            application,
            event=events.SUBMITTED,
            from_state=S.DRAFT,
            to_state=S.SUBMITTED,
            by=applicant,
        )

    def test_sends_an_email_to_the_applicant(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = DraftApplicationFactory()
        applicant = applicant_of(application)
        officer = OfficerFactory(unit=application.certifying_unit)

        with django_capture_on_commit_callbacks(execute=True):
            services.submit_application(application=application, by=applicant)

        recipients = {address for message in mailoutbox for address in message.to}
        assert applicant.email in recipients
        assert officer.email in recipients
        assert application.club.name in mailoutbox[0].subject

    def test_sends_nothing_before_the_commit(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = DraftApplicationFactory()

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.submit_application(
                application=application, by=applicant_of(application)
            )

        assert len(callbacks) == 1
        assert mailoutbox == []

    def test_case_numbers_of_a_unit_follow_each_other(self):
        voivodeship = VoivodeshipFactory(slug="lubuskie")
        first = SubmittedApplicationFactory(
            club__founding_unit__voivodeship=voivodeship
        )
        second = SubmittedApplicationFactory(
            club__founding_unit__voivodeship=voivodeship
        )

        year = deadlines.today().year
        assert first.number == f"WPS-KIS-08/{year}/0001"
        assert second.number == f"WPS-KIS-08/{year}/0002"

    def test_two_units_with_the_same_prefix_give_distinct_numbers(self):
        first = SubmittedApplicationFactory(
            club__founding_unit__voivodeship__slug="lubuskie"
        )
        other_unit = selectors.certifying_unit_of(
            VoivodeshipFactory(slug="opolskie").pk
        )
        other_unit.case_prefix = first.certifying_unit.case_prefix
        other_unit.save()

        second = SubmittedApplicationFactory(
            club__founding_unit__voivodeship__slug="opolskie"
        )

        assert second.number != first.number

    def test_incomplete_draft_is_refused_and_names_the_gaps(self):
        application = DraftApplicationFactory()
        declaration = application.declarations.first()
        declaration.level = None
        declaration.save()

        refusal = assert_refused(
            application,
            lambda: services.submit_application(
                application=application, by=applicant_of(application)
            ),
        )
        assert declaration.criterion.name in refusal.reason

    @pytest.mark.parametrize("state", states_except(S.DRAFT))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.submit_application(
                application=application, by=applicant_of(application)
            ),
        )


class TestRequestCorrection:
    def test_officer_returns_a_submitted_application_with_faults(self):
        application = SubmittedApplicationFactory()
        officer = officer_of(application)

        services.request_correction(
            application=application, by=officer, faults="  Brak podpisu.  "
        )

        application = reloaded(application)
        assert application.state == S.CORRECTION
        assert application.correction_faults == "Brak podpisu."
        assert_recorded(
            application,
            event=events.CORRECTION_REQUESTED,
            from_state=S.SUBMITTED,
            to_state=S.CORRECTION,
            by=officer,
            note="Brak podpisu.",
        )

    def test_deadline_is_7_days_by_the_kpa_calendar(self, monkeypatch):
        application = SubmittedApplicationFactory()
        # 4 November 2026 + 7 days is 11 November, a holiday.
        monkeypatch.setattr(deadlines, "today", lambda: datetime.date(2026, 11, 4))

        services.request_correction(
            application=application, by=officer_of(application), faults="Braki."
        )

        assert reloaded(application).correction_deadline == datetime.date(2026, 11, 12)

    def test_without_faults_is_refused_and_changes_nothing(self):
        application = SubmittedApplicationFactory()

        assert_refused(
            application,
            lambda: services.request_correction(
                application=application, by=officer_of(application), faults="  "
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.SUBMITTED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.request_correction(
                application=application, by=officer_of(application), faults="Braki."
            ),
        )


class TestResubmitApplication:
    def test_applicant_files_the_corrected_application(self):
        application = CorrectionApplicationFactory()
        applicant = applicant_of(application)

        services.resubmit_application(application=application, by=applicant)

        application = reloaded(application)
        assert application.state == S.SUBMITTED
        assert application.correction_deadline is None
        assert_recorded(
            application,
            event=events.RESUBMITTED,
            from_state=S.CORRECTION,
            to_state=S.SUBMITTED,
            by=applicant,
        )

    def test_keeps_the_case_number(self):
        application = CorrectionApplicationFactory()
        number = application.number

        services.resubmit_application(
            application=application, by=applicant_of(application)
        )

        assert reloaded(application).number == number

    def test_still_incomplete_is_refused(self):
        application = CorrectionApplicationFactory()
        application.declarations.update(level=None)

        assert_refused(
            application,
            lambda: services.resubmit_application(
                application=application, by=applicant_of(application)
            ),
        )

    @pytest.mark.parametrize("state", states_except(S.CORRECTION))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.resubmit_application(
                application=application, by=applicant_of(application)
            ),
        )


class TestLeaveUnprocessed:
    def test_officer_closes_an_application_not_corrected_by_the_deadline(self):
        application = CorrectionApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            correction_deadline=deadlines.today() - datetime.timedelta(days=1)
        )
        officer = officer_of(application)

        services.leave_unprocessed(application=application, by=officer)

        application = reloaded(application)
        assert application.state == S.CLOSED
        assert_recorded(
            application,
            event=events.LEFT_UNPROCESSED,
            from_state=S.CORRECTION,
            to_state=S.CLOSED,
            by=officer,
        )

    def test_refused_before_the_deadline(self):
        application = CorrectionApplicationFactory()
        assert reloaded(application).correction_deadline > deadlines.today()

        refusal = assert_refused(
            application,
            lambda: services.leave_unprocessed(
                application=application, by=officer_of(application)
            ),
        )
        assert refusal.reason

    def test_refused_on_the_last_day_of_the_deadline(self):
        application = CorrectionApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            correction_deadline=deadlines.today()
        )

        assert_refused(
            application,
            lambda: services.leave_unprocessed(
                application=application, by=officer_of(application)
            ),
        )

    @pytest.mark.parametrize("state", states_except(S.CORRECTION))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.leave_unprocessed(
                application=application, by=officer_of(application)
            ),
        )


class TestAcceptFormally:
    def test_officer_admits_the_application_to_merit_review(self):
        application = SubmittedApplicationFactory()
        officer = officer_of(application)

        services.accept_formally(application=application, by=officer)

        application = reloaded(application)
        assert application.state == S.MERIT_REVIEW
        assert_recorded(
            application,
            event=events.ACCEPTED_FORMALLY,
            from_state=S.SUBMITTED,
            to_state=S.MERIT_REVIEW,
            by=officer,
        )

    def test_opens_the_standard_card_from_the_declarations(self):
        application = SubmittedApplicationFactory()

        services.accept_formally(application=application, by=officer_of(application))

        card = selectors.current_standard_card(application)
        assert card.criteria_version == application.criteria_version
        assert card.rows.count() == 21
        assert {row.result for row in card.rows.all()} == {Result.FULFILLED}
        assert not card.is_complete

    def test_computes_a_deviation_below_the_required_level(self):
        application = SubmittedApplicationFactory(level=Level.PARTIAL)

        services.accept_formally(application=application, by=officer_of(application))

        card = selectors.current_standard_card(application)
        results = {row.criterion.code: row.computed_result for row in card.rows.all()}
        # Partial suffices only where the standard asks no more than that.
        assert results["premises-accessibility"] == Result.FULFILLED
        assert results["staff-administration"] == Result.FULFILLED
        assert results["staff-leader"] == Result.DEVIATION
        assert results["cooperation-pup"] == Result.DEVIATION

    @pytest.mark.parametrize("state", states_except(S.SUBMITTED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.accept_formally(
                application=application, by=officer_of(application)
            ),
        )


def _card_save(application, *, by=None, revision=None, results=None, **kwargs):
    card = selectors.current_standard_card(application)
    return services.standard_card_save(
        card=card,
        by=by or officer_of(application),
        revision=card.revision if revision is None else revision,
        results=results or {},
        final_opinion=kwargs.get("final_opinion", "Spełnia."),
        complete=kwargs.get("complete", True),
    )


class TestStandardCardSave:
    def test_officer_completes_the_card(self):
        application = MeritReviewApplicationFactory()
        officer = officer_of(application)

        card = _card_save(application, by=officer, final_opinion=" Spełnia. ")

        assert card.is_complete
        assert card.final_opinion == "Spełnia."
        assert card.coordinator == officer
        assert card.revision == 1

    def test_overriding_a_result_needs_a_reason(self):
        application = MeritReviewApplicationFactory()
        card = selectors.current_standard_card(application)
        row = card.rows.first()

        with pytest.raises(ValidationError):
            _card_save(application, results={row.pk: {"result": Result.DEVIATION}})

        row.refresh_from_db()
        card.refresh_from_db()
        assert row.result == Result.FULFILLED
        assert card.revision == 0
        assert not card.is_complete

    def test_override_with_a_reason_is_kept_beside_the_computed_result(self):
        application = MeritReviewApplicationFactory()
        row = selectors.current_standard_card(application).rows.first()

        _card_save(
            application,
            results={
                row.pk: {"result": Result.DEVIATION, "override_reason": "Za mała sala."}
            },
        )

        row.refresh_from_db()
        assert row.result == Result.DEVIATION
        assert row.computed_result == Result.FULFILLED
        assert row.is_overridden

    def test_completing_needs_a_final_opinion(self):
        application = MeritReviewApplicationFactory()

        with pytest.raises(ValidationError):
            _card_save(application, final_opinion="  ")

        assert not selectors.current_standard_card(application).is_complete

    def test_saving_without_completing_leaves_the_card_open(self):
        application = MeritReviewApplicationFactory()

        card = _card_save(application, final_opinion="", complete=False)

        assert not card.is_complete
        assert card.revision == 1

    def test_stale_revision_raises_stale_edit_and_changes_nothing(self):
        application = MeritReviewApplicationFactory()
        card = selectors.current_standard_card(application)
        opened_with = card.revision
        _card_save(application, final_opinion="Pierwszy zapis.", complete=False)
        row = card.rows.first()

        assert_refused(
            application,
            lambda: _card_save(
                application,
                revision=opened_with,
                results={
                    row.pk: {"result": Result.DEVIATION, "override_reason": "Inaczej."}
                },
                final_opinion="Drugi zapis.",
            ),
            exception=StaleEdit,
        )
        row.refresh_from_db()
        assert row.result == Result.FULFILLED
        assert selectors.current_standard_card(application).final_opinion == (
            "Pierwszy zapis."
        )

    @pytest.mark.parametrize(
        "state",
        [
            S.AUDIT,
            S.AUDIT_IN_PROGRESS,
            S.DECISION,
            S.CERTIFIED,
            S.REFUSED,
            S.APPEALED,
            S.APPEAL_REVIEW,
            S.CLOSED,
        ],
    )
    def test_refused_outside_the_merit_review(self, state):
        application = application_in(state)

        assert_refused(application, lambda: _card_save(application))


class TestCommissionAudit:
    def test_officer_commissions_the_rops_of_the_same_voivodeship(self):
        application = MeritReviewApplicationFactory(
            club__founding_unit__voivodeship__slug="lodzkie"
        )
        officer = officer_of(application)
        complete_standard_card(application)

        services.commission_audit(application=application, by=officer)

        application = reloaded(application)
        assert application.state == S.AUDIT
        assert application.audit_unit.name == (
            "Regionalne Centrum Polityki Społecznej w Łodzi"
        )
        audit = selectors.current_audit(application)
        assert audit.audit_unit == application.audit_unit
        assert audit.findings.count() == 21
        assert_recorded(
            application,
            event=events.AUDIT_COMMISSIONED,
            from_state=S.MERIT_REVIEW,
            to_state=S.AUDIT,
            by=officer,
            note=application.audit_unit.name,
        )

    def test_refused_until_the_standard_card_is_complete(self):
        application = MeritReviewApplicationFactory()

        assert_refused(
            application,
            lambda: services.commission_audit(
                application=application, by=officer_of(application)
            ),
        )

    @pytest.mark.parametrize("state", states_except(S.MERIT_REVIEW))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.commission_audit(
                application=application, by=officer_of(application)
            ),
        )


class TestStartAudit:
    def test_auditor_opens_the_audit_with_a_team_of_three(self):
        application = AuditApplicationFactory()
        auditor = auditor_of(application)
        visit = deadlines.today() + datetime.timedelta(days=10)

        services.start_audit(
            application=application, by=auditor, experts=audit_team(), planned_on=visit
        )

        application = reloaded(application)
        assert application.state == S.AUDIT_IN_PROGRESS
        audit = selectors.current_audit(application)
        assert audit.planned_on == visit
        assert [expert.no_conflict_declared for expert in audit.experts.all()] == [
            True
        ] * 3
        assert_recorded(
            application,
            event=events.AUDIT_STARTED,
            from_state=S.AUDIT,
            to_state=S.AUDIT_IN_PROGRESS,
            by=auditor,
        )

    @pytest.mark.parametrize(
        "experts",
        [
            pytest.param(audit_team()[:2], id="two-experts"),
            pytest.param(
                [*audit_team()[:2], {**audit_team()[2], "no_conflict_declared": False}],
                id="conflict-not-declared",
            ),
            pytest.param(
                [*audit_team()[:2], {**audit_team()[2], "name": " "}], id="no-name"
            ),
        ],
    )
    def test_incomplete_team_is_refused_and_changes_nothing(self, experts):
        application = AuditApplicationFactory()

        assert_refused(
            application,
            lambda: services.start_audit(
                application=application,
                by=auditor_of(application),
                experts=experts,
                planned_on=deadlines.today(),
            ),
            exception=ValidationError,
        )
        assert not selectors.current_audit(application).experts.exists()

    @pytest.mark.parametrize("state", states_except(S.AUDIT))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.start_audit(
                application=application,
                by=auditor_of(application),
                experts=audit_team(),
                planned_on=deadlines.today(),
            ),
        )


class TestAuditCardSave:
    def test_auditor_records_the_findings_and_conclusion(self):
        application = AuditInProgressApplicationFactory()

        audit = complete_audit_card(application, positive=False)

        assert audit.revision == 1
        assert audit.conclusion_positive is False
        assert not audit.findings.filter(confirmed=True).exists()

    def test_stale_revision_raises_stale_edit_and_changes_nothing(self):
        application = AuditInProgressApplicationFactory()
        audit = selectors.current_audit(application)
        complete_audit_card(application)

        assert_refused(
            application,
            lambda: services.audit_card_save(
                audit=audit,
                by=auditor_of(application),
                revision=0,
                findings={},
                register_entry_confirmation="",
                conclusion="Inny wniosek.",
                conclusion_positive=False,
            ),
            exception=StaleEdit,
        )

    @pytest.mark.parametrize(
        "state",
        [
            S.AUDIT,
            S.DECISION,
            S.CERTIFIED,
            S.REFUSED,
            S.APPEALED,
            S.APPEAL_REVIEW,
            S.CLOSED,
        ],
    )
    def test_refused_outside_the_audit_in_progress(self, state):
        application = application_in(state)

        assert_refused(
            application, lambda: complete_audit_card(application, positive=False)
        )


class TestDeliverReport:
    def test_auditor_delivers_the_report_for_a_decision(self):
        application = AuditInProgressApplicationFactory()
        auditor = auditor_of(application)
        complete_audit_card(application)

        services.deliver_report(application=application, by=auditor)

        application = reloaded(application)
        assert application.state == S.DECISION
        assert selectors.current_audit(application).report_drawn_up_on == (
            deadlines.today()
        )
        assert_recorded(
            application,
            event=events.REPORT_DELIVERED,
            from_state=S.AUDIT_IN_PROGRESS,
            to_state=S.DECISION,
            by=auditor,
            note="Klub spełnia standard.",
        )

    def test_refused_until_the_conclusion_is_written(self):
        application = AuditInProgressApplicationFactory()

        assert_refused(
            application,
            lambda: services.deliver_report(
                application=application, by=auditor_of(application)
            ),
        )

    @pytest.mark.parametrize("state", states_except(S.AUDIT_IN_PROGRESS))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.deliver_report(
                application=application, by=auditor_of(application)
            ),
        )


class TestGrantCertificate:
    def test_officer_grants_a_certificate_for_three_years(self):
        application = DecisionApplicationFactory(
            club__founding_unit__voivodeship__slug="slaskie"
        )
        officer = officer_of(application)

        certificate = services.grant_certificate(
            application=application, by=officer, reasons="Spełnia standard."
        )

        application = reloaded(application)
        assert application.state == S.CERTIFIED
        today = deadlines.today()
        assert certificate.number == f"KIS-24-{today.year}-0001"
        assert certificate.issued_on == certificate.valid_from == today
        assert certificate.valid_until == deadlines.certificate_valid_until(today)
        assert certificate.club == application.club
        assert certificate.voivodeship_name == "śląskie"
        assert certificate.certifying_unit_name == (
            "Wydział Rodziny i Polityki Społecznej, "
            "Śląski Urząd Wojewódzki w Katowicach"
        )
        assert certificate.decision.kind == DecisionKind.GRANT
        assert certificate.decision.issued_by == officer
        assert_recorded(
            application,
            event=events.GRANTED,
            from_state=S.DECISION,
            to_state=S.CERTIFIED,
            by=officer,
            note=certificate.number,
        )

    def test_stores_the_issued_pdf_with_its_checksum(self):
        application = DecisionApplicationFactory()

        certificate = services.grant_certificate(
            application=application, by=officer_of(application)
        )

        with certificate.pdf.open("rb") as file:
            content = file.read()
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == certificate.sha256

    def test_certificate_keeps_the_unit_name_of_the_day_of_issue(self):
        application = DecisionApplicationFactory()
        certificate = services.grant_certificate(
            application=application, by=officer_of(application)
        )
        name_at_issue = certificate.certifying_unit_name
        unit = application.certifying_unit
        unit.name = "Wydział Rodziny i Polityki Społecznej"
        unit.save()

        certificate.refresh_from_db()
        assert certificate.certifying_unit_name == name_at_issue
        assert certificate.decision.certifying_unit_name == name_at_issue

    @pytest.mark.parametrize("state", states_except(S.DECISION))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.grant_certificate(
                application=application, by=officer_of(application)
            ),
        )


class TestRefuseCertificate:
    @pytest.mark.parametrize("state", [S.MERIT_REVIEW, S.DECISION])
    def test_officer_refuses_with_reasons(self, state):
        application = application_in(state)
        if state == S.MERIT_REVIEW:
            complete_standard_card(application)
        officer = officer_of(application)

        decision = services.refuse_certificate(
            application=application, by=officer, reasons=" Brak porozumienia z PUP. "
        )

        application = reloaded(application)
        assert application.state == S.REFUSED
        assert decision.kind == DecisionKind.REFUSAL
        assert decision.reasons == "Brak porozumienia z PUP."
        assert decision.certifying_unit_name == application.certifying_unit.full_name
        assert_recorded(
            application,
            event=events.REFUSED,
            from_state=state,
            to_state=S.REFUSED,
            by=officer,
            note="Brak porozumienia z PUP.",
        )

    def test_refusal_in_merit_review_waits_for_a_completed_standard_card(self):
        application = application_in(S.MERIT_REVIEW)
        steps = application.transitions.count()

        with pytest.raises(services.ActionRefused):
            services.refuse_certificate(
                application=application, by=officer_of(application), reasons="Nie."
            )

        application = reloaded(application)
        assert application.state == S.MERIT_REVIEW
        assert application.transitions.count() == steps
        assert not application.decisions.exists()

    def test_sets_the_appeal_deadline_by_the_kpa_calendar(self):
        application = DecisionApplicationFactory()

        decision = services.refuse_certificate(
            application=application, by=officer_of(application), reasons="Nie."
        )

        deadline = reloaded(application).appeal_deadline
        assert deadline == deadlines.appeal_deadline(deadlines.today())
        assert deadline.strftime("%d.%m.%Y") in decision.appeal_instructions

    def test_without_reasons_is_refused_and_changes_nothing(self):
        application = DecisionApplicationFactory()

        assert_refused(
            application,
            lambda: services.refuse_certificate(
                application=application, by=officer_of(application), reasons=" "
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.MERIT_REVIEW, S.DECISION))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.refuse_certificate(
                application=application, by=officer_of(application), reasons="Nie."
            ),
        )


class TestLodgeAppeal:
    def test_applicant_appeals_the_refusal(self):
        application = RefusedApplicationFactory()
        applicant = applicant_of(application)

        appeal = services.lodge_appeal(
            application=application, by=applicant, grounds="Spełniamy standard."
        )

        application = reloaded(application)
        assert application.state == S.APPEALED
        assert appeal.decision == application.decisions.get(kind=DecisionKind.REFUSAL)
        assert appeal.forward_deadline == deadlines.appeal_forward_deadline()
        assert appeal.forwarded_at is None
        assert_recorded(
            application,
            event=events.APPEALED,
            from_state=S.REFUSED,
            to_state=S.APPEALED,
            by=applicant,
            note="Spełniamy standard.",
        )

    def test_allowed_on_the_last_day_of_the_deadline(self):
        application = RefusedApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            appeal_deadline=deadlines.today()
        )

        services.lodge_appeal(
            application=application, by=applicant_of(application), grounds="Racje."
        )

        assert reloaded(application).state == S.APPEALED

    def test_refused_after_the_deadline(self):
        application = RefusedApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            appeal_deadline=deadlines.today() - datetime.timedelta(days=1)
        )

        assert_refused(
            application,
            lambda: services.lodge_appeal(
                application=application, by=applicant_of(application), grounds="Racje."
            ),
        )

    def test_without_grounds_is_refused_and_changes_nothing(self):
        application = RefusedApplicationFactory()

        assert_refused(
            application,
            lambda: services.lodge_appeal(
                application=application, by=applicant_of(application), grounds=""
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.REFUSED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.lodge_appeal(
                application=application, by=applicant_of(application), grounds="Racje."
            ),
        )


class TestFinaliseRefusal:
    def test_officer_closes_a_refusal_not_appealed_in_time(self):
        application = RefusedApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            appeal_deadline=deadlines.today() - datetime.timedelta(days=1)
        )
        officer = officer_of(application)

        services.finalise_refusal(application=application, by=officer)

        application = reloaded(application)
        assert application.state == S.CLOSED
        assert_recorded(
            application,
            event=events.REFUSAL_FINAL,
            from_state=S.REFUSED,
            to_state=S.CLOSED,
            by=officer,
        )

    def test_refused_while_the_applicant_may_still_appeal(self):
        application = RefusedApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            appeal_deadline=deadlines.today()
        )

        assert_refused(
            application,
            lambda: services.finalise_refusal(
                application=application, by=officer_of(application)
            ),
        )

    @pytest.mark.parametrize("state", states_except(S.REFUSED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.finalise_refusal(
                application=application, by=officer_of(application)
            ),
        )


class TestReconsiderAppeal:
    def test_officer_grants_the_certificate_on_its_own_review(self):
        application = AppealedApplicationFactory()
        officer = officer_of(application)

        certificate = services.reconsider_appeal(
            application=application, by=officer, reasons="Uzupełniono braki."
        )

        application = reloaded(application)
        assert application.state == S.CERTIFIED
        assert certificate.application == application
        appeal = application.appeals.get()
        assert appeal.outcome == AppealOutcome.RECONSIDERED
        assert appeal.decided_by == officer
        assert_recorded(
            application,
            event=events.RECONSIDERED,
            from_state=S.APPEALED,
            to_state=S.CERTIFIED,
            by=officer,
            note="Uzupełniono braki.",
        )

    def test_without_reasons_is_refused_and_changes_nothing(self):
        application = AppealedApplicationFactory()

        assert_refused(
            application,
            lambda: services.reconsider_appeal(
                application=application, by=officer_of(application), reasons=""
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.APPEALED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.reconsider_appeal(
                application=application, by=officer_of(application), reasons="Tak."
            ),
        )


class TestForwardAppeal:
    def test_officer_forwards_the_appeal_to_the_appeal_unit(self):
        application = AppealedApplicationFactory()
        officer = officer_of(application)

        appeal = services.forward_appeal(application=application, by=officer)

        application = reloaded(application)
        assert application.state == S.APPEAL_REVIEW
        assert appeal.forwarded_at is not None
        assert_recorded(
            application,
            event=events.FORWARDED,
            from_state=S.APPEALED,
            to_state=S.APPEAL_REVIEW,
            by=officer,
        )

    @pytest.mark.parametrize("state", states_except(S.APPEALED))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.forward_appeal(
                application=application, by=officer_of(application)
            ),
        )


class TestDismissAppeal:
    def test_appeal_officer_dismisses_and_the_case_closes(self):
        application = AppealReviewApplicationFactory()
        officer = appeal_officer()

        appeal = services.dismiss_appeal(
            application=application, by=officer, reasons="Zarzuty chybione."
        )

        application = reloaded(application)
        assert application.state == S.CLOSED
        assert appeal.outcome == AppealOutcome.DISMISSED
        assert appeal.decided_by == officer
        assert_recorded(
            application,
            event=events.DISMISSED,
            from_state=S.APPEAL_REVIEW,
            to_state=S.CLOSED,
            by=officer,
            note="Zarzuty chybione.",
        )

    def test_without_reasons_is_refused_and_changes_nothing(self):
        application = AppealReviewApplicationFactory()

        assert_refused(
            application,
            lambda: services.dismiss_appeal(
                application=application, by=appeal_officer(), reasons=""
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.APPEAL_REVIEW))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.dismiss_appeal(
                application=application, by=appeal_officer(), reasons="Nie."
            ),
        )


class TestUpholdAppeal:
    def test_returns_the_case_for_a_new_decision(self):
        application = AppealReviewApplicationFactory()
        officer = appeal_officer()

        appeal = services.uphold_appeal(
            application=application,
            by=officer,
            reasons="Audyt pominął dokumenty.",
            return_to=S.DECISION,
        )

        application = reloaded(application)
        assert application.state == S.DECISION
        assert application.appeal_deadline is None
        assert appeal.outcome == AppealOutcome.UPHELD
        assert_recorded(
            application,
            event=events.UPHELD,
            from_state=S.APPEAL_REVIEW,
            to_state=S.DECISION,
            by=officer,
            note="Audyt pominął dokumenty.",
        )

    def test_returns_the_case_for_a_new_merit_review_with_the_card_reopened(self):
        application = AppealReviewApplicationFactory()
        card = selectors.current_standard_card(application)
        assert card.is_complete

        services.uphold_appeal(
            application=application,
            by=appeal_officer(),
            reasons="Ocena merytoryczna do powtórzenia.",
            return_to=S.MERIT_REVIEW,
        )

        assert reloaded(application).state == S.MERIT_REVIEW
        reopened = selectors.current_standard_card(application)
        assert reopened.pk == card.pk
        assert not reopened.is_complete
        assert reopened.revision == card.revision + 1

    def test_the_returned_case_can_be_decided_again(self):
        application = AppealReviewApplicationFactory()
        services.uphold_appeal(
            application=application,
            by=appeal_officer(),
            reasons="Do ponownej decyzji.",
            return_to=S.DECISION,
        )

        certificate = services.grant_certificate(
            application=application, by=officer_of(application)
        )

        assert reloaded(application).state == S.CERTIFIED
        assert certificate.decision.kind == DecisionKind.GRANT

    @pytest.mark.parametrize("return_to", [S.CLOSED, S.CERTIFIED, "anywhere"])
    def test_other_destinations_are_refused_and_change_nothing(self, return_to):
        application = AppealReviewApplicationFactory()

        assert_refused(
            application,
            lambda: services.uphold_appeal(
                application=application,
                by=appeal_officer(),
                reasons="Tak.",
                return_to=return_to,
            ),
            exception=ValidationError,
        )

    @pytest.mark.parametrize("state", states_except(S.APPEAL_REVIEW))
    def test_refused_in_any_other_state(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.uphold_appeal(
                application=application,
                by=appeal_officer(),
                reasons="Tak.",
                return_to=S.DECISION,
            ),
        )


class TestWithdrawApplication:
    @pytest.mark.parametrize("state", BEFORE_DECISION)
    def test_applicant_withdraws_at_any_step_before_a_decision(self, state):
        application = application_in(state)
        applicant = applicant_of(application)

        services.withdraw_application(
            application=application, by=applicant, note="Rezygnujemy."
        )

        application = reloaded(application)
        assert application.state == S.WITHDRAWN
        assert_recorded(
            application,
            event=events.WITHDRAWN,
            from_state=state,
            to_state=S.WITHDRAWN,
            by=applicant,
            note="Rezygnujemy.",
        )

    def test_withdrawing_a_draft_tells_nobody(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = DraftApplicationFactory()
        OfficerFactory(unit=application.certifying_unit)

        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw_application(
                application=application, by=applicant_of(application)
            )

        assert mailoutbox == []

    def test_withdrawing_during_the_audit_tells_both_units(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        application = AuditApplicationFactory()
        officer = officer_of(application)
        auditor = auditor_of(application)

        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw_application(
                application=application, by=applicant_of(application)
            )

        recipients = {address for message in mailoutbox for address in message.to}
        assert {officer.email, auditor.email} <= recipients

    @pytest.mark.parametrize(
        "state", [state for state in ALL_STATES if state not in BEFORE_DECISION]
    )
    def test_refused_once_decided_or_closed(self, state):
        application = application_in(state)

        assert_refused(
            application,
            lambda: services.withdraw_application(
                application=application, by=applicant_of(application)
            ),
        )


class TestTwoPeopleAtOnce:
    """Two people act on the same case, the second from a page opened before
    the first one's step: the second is refused, and one step is recorded.
    """

    def test_second_officer_acting_on_a_stale_case_is_refused(self):
        application = SubmittedApplicationFactory()
        first = OfficerFactory(unit=application.certifying_unit)
        second = OfficerFactory(unit=application.certifying_unit)
        stale = reloaded(application)
        before = Transition.objects.filter(application=application).count()

        services.accept_formally(application=application, by=first)
        with pytest.raises(ActionRefused):
            services.request_correction(application=stale, by=second, faults="Braki.")

        application = reloaded(application)
        assert application.state == S.MERIT_REVIEW
        assert Transition.objects.filter(application=application).count() == before + 1
        assert not application.correction_faults

    def test_the_same_step_twice_is_recorded_once(self):
        application = SubmittedApplicationFactory()
        first = OfficerFactory(unit=application.certifying_unit)
        second = OfficerFactory(unit=application.certifying_unit)
        stale = reloaded(application)

        services.accept_formally(application=application, by=first)
        with pytest.raises(ActionRefused):
            services.accept_formally(application=stale, by=second)

        events_recorded = Transition.objects.filter(
            application=application, event=events.ACCEPTED_FORMALLY
        )
        assert events_recorded.count() == 1
        assert events_recorded.get().actor == first
        assert StandardCard.objects.filter(application=application).count() == 1

    def test_grant_and_refusal_at_once_leave_one_decision(self):
        application = DecisionApplicationFactory()
        first = OfficerFactory(unit=application.certifying_unit)
        second = OfficerFactory(unit=application.certifying_unit)
        stale = reloaded(application)

        services.grant_certificate(application=application, by=first)
        with pytest.raises(ActionRefused):
            services.refuse_certificate(application=stale, by=second, reasons="Nie.")

        assert Decision.objects.filter(application=application).count() == 1
        assert reloaded(application).state == S.CERTIFIED

    def test_second_save_of_the_same_card_is_refused(self):
        application = MeritReviewApplicationFactory()
        first = OfficerFactory(unit=application.certifying_unit)
        second = OfficerFactory(unit=application.certifying_unit)
        card = selectors.current_standard_card(application)
        opened_with = card.revision

        _card_save(application, by=first, revision=opened_with, final_opinion="A.")
        with pytest.raises(StaleEdit):
            _card_save(application, by=second, revision=opened_with, final_opinion="B.")

        card.refresh_from_db()
        assert card.final_opinion == "A."
        assert card.coordinator == first


def _past(field):
    def prepare(application):
        Application.objects.filter(pk=application.pk).update(
            **{field: deadlines.today() - datetime.timedelta(days=1)}
        )

    return prepare


def _card(application, by):
    card = selectors.current_standard_card(application)
    return services.standard_card_save(
        card=card,
        by=by,
        revision=card.revision,
        results={},
        final_opinion="Spełnia.",
        complete=True,
    )


def _audit_card(application, by):
    audit = selectors.current_audit(application)
    return services.audit_card_save(
        audit=audit,
        by=by,
        revision=audit.revision,
        findings={},
        register_entry_confirmation="Potwierdza się wpis.",
        conclusion="Spełnia.",
        conclusion_positive=True,
    )


def _update(application, by):
    return services.application_update(
        application=application,
        by=by,
        authorised_person="Jan Nowak",
        authorised_person_contact="jn@example.org",
        declarations={},
    )


# Every step of the process: the state it starts from (with what must be
# done first), the one role that takes it, and the call of its service.
SERVICE_STEPS = [
    (
        "application_update",
        S.DRAFT,
        None,
        Role.APPLICANT,
        _update,
    ),
    (
        "submit_application",
        S.DRAFT,
        None,
        Role.APPLICANT,
        lambda a, by: services.submit_application(application=a, by=by),
    ),
    (
        "resubmit_application",
        S.CORRECTION,
        None,
        Role.APPLICANT,
        lambda a, by: services.resubmit_application(application=a, by=by),
    ),
    (
        "withdraw_application",
        S.SUBMITTED,
        None,
        Role.APPLICANT,
        lambda a, by: services.withdraw_application(application=a, by=by),
    ),
    (
        "lodge_appeal",
        S.REFUSED,
        None,
        Role.APPLICANT,
        lambda a, by: services.lodge_appeal(application=a, by=by, grounds="Racje."),
    ),
    (
        "request_correction",
        S.SUBMITTED,
        None,
        Role.OFFICER,
        lambda a, by: services.request_correction(application=a, by=by, faults="B."),
    ),
    (
        "leave_unprocessed",
        S.CORRECTION,
        _past("correction_deadline"),
        Role.OFFICER,
        lambda a, by: services.leave_unprocessed(application=a, by=by),
    ),
    (
        "accept_formally",
        S.SUBMITTED,
        None,
        Role.OFFICER,
        lambda a, by: services.accept_formally(application=a, by=by),
    ),
    ("standard_card_save", S.MERIT_REVIEW, None, Role.OFFICER, _card),
    (
        "commission_audit",
        S.MERIT_REVIEW,
        complete_standard_card,
        Role.OFFICER,
        lambda a, by: services.commission_audit(application=a, by=by),
    ),
    (
        "refuse_certificate",
        S.DECISION,
        None,
        Role.OFFICER,
        lambda a, by: services.refuse_certificate(application=a, by=by, reasons="N."),
    ),
    (
        "grant_certificate",
        S.DECISION,
        None,
        Role.OFFICER,
        lambda a, by: services.grant_certificate(application=a, by=by),
    ),
    (
        "finalise_refusal",
        S.REFUSED,
        _past("appeal_deadline"),
        Role.OFFICER,
        lambda a, by: services.finalise_refusal(application=a, by=by),
    ),
    (
        "reconsider_appeal",
        S.APPEALED,
        None,
        Role.OFFICER,
        lambda a, by: services.reconsider_appeal(application=a, by=by, reasons="T."),
    ),
    (
        "forward_appeal",
        S.APPEALED,
        None,
        Role.OFFICER,
        lambda a, by: services.forward_appeal(application=a, by=by),
    ),
    (
        "start_audit",
        S.AUDIT,
        None,
        Role.AUDITOR,
        lambda a, by: services.start_audit(
            application=a, by=by, experts=audit_team(), planned_on=deadlines.today()
        ),
    ),
    ("audit_card_save", S.AUDIT_IN_PROGRESS, None, Role.AUDITOR, _audit_card),
    (
        "deliver_report",
        S.AUDIT_IN_PROGRESS,
        complete_audit_card,
        Role.AUDITOR,
        lambda a, by: services.deliver_report(application=a, by=by),
    ),
    (
        "dismiss_appeal",
        S.APPEAL_REVIEW,
        None,
        Role.APPEAL_OFFICER,
        lambda a, by: services.dismiss_appeal(application=a, by=by, reasons="N."),
    ),
    (
        "uphold_appeal",
        S.APPEAL_REVIEW,
        None,
        Role.APPEAL_OFFICER,
        lambda a, by: services.uphold_appeal(
            application=a, by=by, reasons="T.", return_to=S.DECISION
        ),
    ),
]


class TestEachStepByEachRole:
    """Every step is refused to the three other roles, changing nothing, and
    then taken by its own role.
    """

    @pytest.mark.parametrize("step", SERVICE_STEPS, ids=lambda step: step[0])
    def test_only_the_role_of_the_step_takes_it(self, step):
        _name, state, prepare, allowed_role, call = step
        application = application_in(state)
        if prepare is not None:
            prepare(application)

        for role in Role:
            if role != allowed_role:
                person = person_of(application, role)
                assert_refused(
                    application, lambda person=person: call(application, person)
                )

        call(application, person_of(application, allowed_role))


class TestStepsOfOtherRoles:
    """A person of another role or unit is refused and changes nothing."""

    def test_auditor_cannot_commission_an_audit(self):
        application = MeritReviewApplicationFactory()
        complete_standard_card(application)

        assert_refused(
            application,
            lambda: services.commission_audit(
                application=application,
                by=AuditorFactory(unit__voivodeship=application.club.voivodeship),
            ),
        )

    def test_officer_of_another_voivodeship_cannot_accept(self):
        application = SubmittedApplicationFactory(
            club__founding_unit__voivodeship__slug="mazowieckie"
        )

        assert_refused(
            application,
            lambda: services.accept_formally(
                application=application,
                by=OfficerFactory(unit__voivodeship__slug="lubuskie"),
            ),
        )

    def test_applicant_of_another_institution_cannot_submit(self):
        application = DraftApplicationFactory()
        stranger = ApplicantFactory(unit__voivodeship=application.club.voivodeship)

        assert_refused(
            application,
            lambda: services.submit_application(application=application, by=stranger),
        )

    def test_auditor_of_another_rops_cannot_start_the_audit(self):
        application = AuditApplicationFactory(
            club__founding_unit__voivodeship__slug="mazowieckie"
        )

        assert_refused(
            application,
            lambda: services.start_audit(
                application=application,
                by=AuditorFactory(unit__voivodeship__slug="pomorskie"),
                experts=audit_team(),
                planned_on=deadlines.today(),
            ),
        )

    def test_officer_cannot_decide_an_appeal_for_the_ministry(self):
        application = AppealReviewApplicationFactory()

        assert_refused(
            application,
            lambda: services.dismiss_appeal(
                application=application, by=officer_of(application), reasons="Nie."
            ),
        )

    def test_appeal_officer_cannot_grant(self):
        application = DecisionApplicationFactory()

        assert_refused(
            application,
            lambda: services.grant_certificate(
                application=application, by=AppealOfficerFactory()
            ),
        )

    def test_applicant_cannot_withdraw_another_institutions_case(self):
        application = SubmittedApplicationFactory()
        stranger = ApplicantFactory(unit__voivodeship=application.club.voivodeship)

        assert_refused(
            application,
            lambda: services.withdraw_application(application=application, by=stranger),
        )

    def test_only_an_applicant_registers_a_club(self, officer):
        with pytest.raises(ActionRefused):
            services.club_create(
                by=officer,
                data={
                    "voivodeship": officer.unit.voivodeship,
                    "name": "KIS Nowy",
                    "street": "ul. Nowa 1",
                    "postal_code": "00-001",
                    "city": "Warszawa",
                    "leader_name": "Jan Nowak",
                },
            )
        assert not Club.objects.filter(name="KIS Nowy").exists()
