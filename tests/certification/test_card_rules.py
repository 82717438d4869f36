"""Rules of the two cards that the process relies on: results are one of the
two words, an overridden result is recorded with its reason, and the audit
report cannot go out with criteria left unanswered.
"""

import pytest
from django.core.exceptions import ValidationError

from certification import selectors, services
from certification.models import Transition
from certification.states import ApplicationState, Level, Result
from tests import factories

pytestmark = pytest.mark.django_db


class TestStandardCardSave:
    def test_unknown_result_is_refused_and_nothing_is_saved(self, units):
        application = factories.MeritReviewApplicationFactory()
        card = selectors.current_standard_card(application)
        row = card.rows.first()

        with pytest.raises(ValidationError) as raised:
            services.standard_card_save(
                card=card,
                by=factories.officer_of(application),
                revision=card.revision,
                results={row.pk: {"result": "maybe"}},
                final_opinion="",
                complete=False,
            )

        assert f"result_{row.pk}" in raised.value.message_dict
        row.refresh_from_db()
        card.refresh_from_db()
        assert row.result == row.computed_result
        assert card.revision == 0

    def test_overridden_result_is_recorded_in_the_history_with_its_reason(self, units):
        application = factories.MeritReviewApplicationFactory()
        card = selectors.current_standard_card(application)
        row = card.rows.first()
        officer = factories.officer_of(application)

        services.standard_card_save(
            card=card,
            by=officer,
            revision=card.revision,
            results={
                row.pk: {"result": Result.DEVIATION, "override_reason": "Brak sali."}
            },
            final_opinion="Odchylenie w bazie lokalowej.",
            complete=True,
        )

        step = Transition.objects.get(
            application=application, event="standard_card.completed"
        )
        assert step.actor == officer
        assert step.from_state == step.to_state == ApplicationState.MERIT_REVIEW
        assert row.criterion.name in step.note
        assert "Brak sali." in step.note


class TestDeliverReport:
    def test_report_with_an_unanswered_criterion_is_refused(self, units):
        application = factories.AuditInProgressApplicationFactory()
        factories.complete_audit_card(application)
        audit = selectors.current_audit(application)
        audit.findings.filter(pk=audit.findings.first().pk).update(confirmed=None)
        steps = application.transitions.count()

        with pytest.raises(services.ActionRefused):
            services.deliver_report(
                application=application, by=factories.auditor_of(application)
            )

        application.refresh_from_db()
        assert application.state == ApplicationState.AUDIT_IN_PROGRESS
        assert application.transitions.count() == steps

    def test_report_of_a_complete_card_goes_to_the_certifying_unit(self, units):
        application = factories.AuditInProgressApplicationFactory()
        factories.complete_audit_card(application)

        services.deliver_report(
            application=application, by=factories.auditor_of(application)
        )

        application.refresh_from_db()
        assert application.state == ApplicationState.DECISION


@pytest.mark.parametrize(
    ("required", "declared", "not_applicable", "expected"),
    [
        # Below the requirement: a deviation.
        (Level.FULL, Level.PARTIAL, False, Result.DEVIATION),
        (Level.FULL, Level.NONE, False, Result.DEVIATION),
        (Level.PARTIAL, Level.NONE, False, Result.DEVIATION),
        (Level.FULL, None, False, Result.DEVIATION),
        # At the requirement: fulfilled.
        (Level.FULL, Level.FULL, False, Result.FULFILLED),
        (Level.PARTIAL, Level.PARTIAL, False, Result.FULFILLED),
        # Above the requirement: fulfilled.
        (Level.PARTIAL, Level.FULL, False, Result.FULFILLED),
        (Level.NONE, Level.PARTIAL, False, Result.FULFILLED),
        # "Does not apply" where the criterion allows it.
        (Level.PARTIAL, None, True, Result.FULFILLED),
    ],
)
def test_standard_card_result_compares_declared_with_required(
    required, declared, not_applicable, expected
):
    assert services.computed_result(required, declared, not_applicable) == expected
