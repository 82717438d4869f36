"""Correcting an obvious error in an issued decision (KPA art. 113): the
correction is a new decision pointing at the corrected one, which stays as
issued, byte for byte.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from certification import events, services
from certification.documents import formal_date
from certification.models import Decision, Transition
from certification.services import ActionRefused
from tests import factories

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _stored(decision: Decision) -> bytes:
    with decision.pdf.open("rb") as stored:
        return stored.read()


@pytest.fixture(autouse=True)
def english(client):
    # Assertions read the English message ids, whatever the catalogue says.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def refused(units, club):
    # The club is in Mazowieckie; the stranger officers are of Lubuskie.
    application = factories.RefusedApplicationFactory(club=club)
    return application, application.decisions.get()


def _url(decision: Decision) -> str:
    return reverse(
        "certification:decision_correct", args=[decision.application_id, decision.pk]
    )


class TestCorrectDecision:
    def test_correction_is_a_new_decision_and_the_old_one_stays(self, refused):
        application, decision = refused
        officer = factories.officer_of(application)
        old_bytes = _stored(decision)
        old_row = Decision.objects.values().get(pk=decision.pk)

        corrected = services.correct_decision(
            decision=decision,
            by=officer,
            correction="Nazwa klubu brzmi: KIS Zielona Łąka.",
        )

        assert corrected.pk != decision.pk
        assert corrected.corrects_id == decision.pk
        assert corrected.kind == decision.kind
        assert corrected.reasons.startswith(decision.reasons)
        assert "KIS Zielona Łąka" in corrected.reasons
        assert corrected.certifying_unit_name == application.certifying_unit.full_name
        assert Decision.objects.values().get(pk=decision.pk) == old_row
        assert _stored(Decision.objects.get(pk=decision.pk)) == old_bytes

    def test_correction_pdf_names_the_decision_it_corrects(self, refused):
        application, decision = refused

        corrected = services.correct_decision(
            decision=decision,
            by=factories.officer_of(application),
            correction="Nazwa klubu brzmi: KIS Zielona Łąka.",
        )

        text = _text(_stored(corrected))
        with translation.override("pl"):
            original_day = formal_date(timezone.localdate(decision.issued_at))
        assert original_day in text
        assert "113" in text
        assert "KIS Zielona Łąka" in text
        assert application.number in text

    def test_history_step_recorded_without_a_change_of_state(self, refused):
        application, decision = refused
        state = application.state

        services.correct_decision(
            decision=decision,
            by=factories.officer_of(application),
            correction="Poprawiona data wpisu do rejestru.",
        )

        step = Transition.objects.get(
            application=application, event=events.DECISION_CORRECTED
        )
        assert step.from_state == step.to_state == state
        assert step.note == "Poprawiona data wpisu do rejestru."
        application.refresh_from_db()
        assert application.state == state

    def test_officer_of_another_voivodeship_is_refused(self, refused, lubuskie):
        application, decision = refused
        stranger = factories.OfficerFactory(unit__voivodeship=lubuskie)

        with pytest.raises(ActionRefused):
            services.correct_decision(
                decision=decision, by=stranger, correction="Cokolwiek."
            )

        assert not decision.corrections.exists()

    def test_auditor_is_refused(self, refused):
        application, decision = refused

        with pytest.raises(ActionRefused):
            services.correct_decision(
                decision=decision,
                by=factories.auditor_of(application),
                correction="Cokolwiek.",
            )

        assert not decision.corrections.exists()

    def test_a_resent_form_changes_nothing(self, refused):
        application, decision = refused
        officer = factories.officer_of(application)
        services.correct_decision(
            decision=decision, by=officer, correction="Raz.", expected_corrections=0
        )

        with pytest.raises(ActionRefused):
            services.correct_decision(
                decision=decision, by=officer, correction="Raz.", expected_corrections=0
            )

        assert decision.corrections.count() == 1

    def test_grant_correction_keeps_the_certificate_of_the_decision(self, units):
        application = factories.CertifiedApplicationFactory()
        decision = application.decisions.get()

        corrected = services.correct_decision(
            decision=decision,
            by=factories.officer_of(application),
            correction="Adres klubu: ul. Klubowa 2.",
        )

        assert application.certificate.decision_id == decision.pk
        assert application.certificate.number in _text(_stored(corrected))


class TestDecisionCorrectView:
    def test_officer_corrects_through_the_form(self, client, refused):
        application, decision = refused
        client.force_login(factories.officer_of(application))

        page = client.get(application.get_absolute_url())
        assert _url(decision) in page.content.decode()
        form = client.get(_url(decision))
        assert form.status_code == 200
        assert "correction" in form.content.decode()

        response = client.post(
            _url(decision),
            {
                "correction": "Nazwa klubu brzmi: KIS Zielona Łąka.",
                "expected_corrections": 0,
            },
        )

        assert response.status_code == 302
        corrected = decision.corrections.get()
        page = client.get(application.get_absolute_url()).content.decode()
        assert (
            reverse(
                "certification:document_decision", args=[application.pk, corrected.pk]
            )
            in page
        )
        # Listed under the decision it corrects, not as a decision of its own.
        assert page.count('<h2 id="decision-') == 1

    def test_empty_correction_gets_400_with_the_message(self, client, refused):
        application, decision = refused
        client.force_login(factories.officer_of(application))

        response = client.post(_url(decision), {"correction": "  "})

        assert response.status_code == 400
        assert "Say what is corrected and how." in response.content.decode()
        assert not decision.corrections.exists()

    def test_officer_of_another_voivodeship_gets_404(self, client, refused, lubuskie):
        application, decision = refused
        client.force_login(factories.OfficerFactory(unit__voivodeship=lubuskie))

        assert client.get(_url(decision)).status_code == 404
        assert client.post(_url(decision), {"correction": "X"}).status_code == 404
        assert not decision.corrections.exists()

    def test_auditor_reads_the_reason_and_changes_nothing(self, client, refused):
        application, decision = refused
        client.force_login(factories.auditor_of(application))

        page = client.get(application.get_absolute_url()).content.decode()
        assert _url(decision) not in page
        response = client.post(_url(decision), {"correction": "Cokolwiek."})

        assert response.status_code == 403
        assert "Only the certifying unit that issued the decision" in (
            response.content.decode()
        )
        assert not decision.corrections.exists()

    def test_applicant_cannot_correct(self, client, refused):
        application, decision = refused
        client.force_login(factories.applicant_of(application))

        response = client.post(_url(decision), {"correction": "Cokolwiek."})

        assert response.status_code == 403
        assert not decision.corrections.exists()
