"""The card screens: the officer's standard card and the auditors' audit card,
through Django's test client. Cases reach their state through the services.
"""

import re

import pytest
from django.urls import reverse

from certification import permissions
from certification.models import Application
from certification.states import ApplicationState, Result
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    # Assertions read the English message ids, whatever the catalogue says.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def merit_review(mazowieckie) -> Application:
    """A case in merit review whose declarations all reach the full level."""
    return factories.MeritReviewApplicationFactory(
        club__founding_unit__voivodeship=mazowieckie,
        club__name="KIS Przystań",
        club__leader_name="Anna Nowak",
        club__leader_contact="600 100 200",
    )


@pytest.fixture
def audit_in_progress(mazowieckie) -> Application:
    return factories.AuditInProgressApplicationFactory(
        club__founding_unit__voivodeship=mazowieckie,
        club__name="KIS Przystań",
        club__leader_name="Anna Nowak",
    )


@pytest.fixture
def other_officer(lubuskie):
    return factories.OfficerFactory(unit__voivodeship=lubuskie)


@pytest.fixture
def other_auditor(lubuskie):
    return factories.AuditorFactory(unit__voivodeship=lubuskie)


def _card(application: Application):
    return application.standard_cards.get()


def _card_data(card, **overrides) -> dict:
    """A complete POST of the standard card, confirming every computed result."""
    data = {"revision": str(card.revision), "final_opinion": ""}
    for row in card.rows.all():
        data[f"result_{row.pk}"] = row.computed_result
        data[f"reason_{row.pk}"] = ""
    data.update(overrides)
    return data


def _audit(application: Application):
    return application.audits.get()


def _audit_data(audit, **overrides) -> dict:
    data = {
        "revision": str(audit.revision),
        "register_entry_confirmation": "Potwierdza się wpis do rejestru wojewody.",
        "conclusion": "Klub spełnia minimalny standard.",
        "conclusion_positive": "yes",
    }
    for finding in audit.findings.all():
        data[f"confirmed_{finding.pk}"] = "yes"
        data[f"annotation_{finding.pk}"] = "Sprawdzono na miejscu."
    data.update(overrides)
    return data


def _standard_url(application: Application) -> str:
    return reverse("certification:standard_card", args=[application.pk])


def _audit_url(application: Application) -> str:
    return reverse("certification:audit_card", args=[application.pk])


def _labels_of_inputs(html: str) -> tuple[set[str], set[str]]:
    """The ids of the card's inputs, and the ids that a label names."""
    inputs = set(
        re.findall(r'<(?:select|textarea)[^>]*\bid="(id_[a-z_]+_\d+)"', html)
    ) | set(re.findall(r'<input type="radio"[^>]*\bid="(id_[a-z_]+_\d+_\d)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    return inputs, labelled


class TestStandardCard:
    def test_officer_sees_the_card_grouped_as_in_formularz_3(
        self, client, officer, merit_review
    ):
        client.force_login(officer)

        response = client.get(_standard_url(merit_review))

        assert response.status_code == 200
        html = response.content.decode()
        for heading in ("Institutional scope", "Service scope"):
            assert heading in html
        for caption in ("Premises", "Staff", "Individual services", "Group services"):
            assert f">{caption}</caption>" in html
        assert "Save and complete the card" in html
        assert 'name="revision"' in html
        assert "Criteria fulfilled: " in html
        assert "commission the audit" in html

    def test_every_input_of_the_card_has_a_label(self, client, officer, merit_review):
        client.force_login(officer)

        html = client.get(_standard_url(merit_review)).content.decode()

        inputs, labelled = _labels_of_inputs(html)
        rows = _card(merit_review).rows.count()
        # Two radio buttons and a reason per criterion.
        assert len(inputs) == 3 * rows
        assert inputs <= labelled
        assert html.count("<legend") == rows
        row = _card(merit_review).rows.first()
        assert f"Result: {row.criterion.name}" in html

    def test_officer_saves_the_card_and_stays_on_it(
        self, client, officer, merit_review
    ):
        client.force_login(officer)
        card = _card(merit_review)

        response = client.post(
            _standard_url(merit_review), _card_data(card, final_opinion="Wstępnie.")
        )

        assert response.status_code == 302
        assert response.url == _standard_url(merit_review)
        card.refresh_from_db()
        assert card.revision == 1
        assert card.final_opinion == "Wstępnie."
        assert card.completed_on is None

    def test_officer_completes_the_card_and_can_commission_the_audit(
        self, client, officer, merit_review
    ):
        client.force_login(officer)
        card = _card(merit_review)
        row = card.rows.first()
        data = _card_data(
            card,
            final_opinion="Klub spełnia standard.",
            complete="1",
            **{
                f"result_{row.pk}": Result.DEVIATION,
                f"reason_{row.pk}": "Sala za mała na warsztaty grupowe.",
            },
        )

        response = client.post(_standard_url(merit_review), data)

        assert response.status_code == 302
        assert response.url == merit_review.get_absolute_url()
        card.refresh_from_db()
        row.refresh_from_db()
        assert card.is_complete
        assert card.final_opinion == "Klub spełnia standard."
        assert row.result == Result.DEVIATION
        assert row.override_reason == "Sala za mała na warsztaty grupowe."
        assert permissions.can_commission_audit(officer, merit_review)
        case_page = client.get(response.url).content.decode()
        assert (
            reverse("certification:action", args=[merit_review.pk, "commission-audit"])
            in case_page
        )

    def test_override_without_reason_is_refused_next_to_the_field(
        self, client, officer, merit_review
    ):
        client.force_login(officer)
        card = _card(merit_review)
        row = card.rows.first()
        data = _card_data(
            card,
            final_opinion="Moja opinia, którą wpisałam.",
            **{f"result_{row.pk}": Result.DEVIATION},
        )

        response = client.post(_standard_url(merit_review), data)

        assert response.status_code == 400
        html = response.content.decode()
        error = re.search(rf'id="id_reason_{row.pk}_error">([^<]*)<', html)
        assert error
        assert "Give the reason for changing the computed result." in error.group(1)
        assert 'role="alert"' in html
        assert f'href="#id_reason_{row.pk}"' in html
        assert "Moja opinia, którą wpisałam." in html
        assert re.search(
            rf'<input type="radio" name="result_{row.pk}" value="deviation"[^>]*checked',
            html,
        )
        card.refresh_from_db()
        row.refresh_from_db()
        assert card.revision == 0
        assert card.final_opinion == ""
        assert row.result == Result.FULFILLED

    def test_completing_without_final_opinion_is_refused(
        self, client, officer, merit_review
    ):
        client.force_login(officer)
        card = _card(merit_review)

        response = client.post(
            _standard_url(merit_review), _card_data(card, complete="1")
        )

        assert response.status_code == 400
        assert 'id="id_final_opinion_error"' in response.content.decode()
        card.refresh_from_db()
        assert not card.is_complete
        assert card.revision == 0

    def test_stale_revision_is_refused_and_keeps_what_was_typed(
        self, client, officer, merit_review
    ):
        client.force_login(officer)
        card = _card(merit_review)
        opened_at = card.revision
        # Someone else saves first.
        factories.complete_standard_card(merit_review, by=officer)
        card.refresh_from_db()
        saved_revision = card.revision

        response = client.post(
            _standard_url(merit_review),
            _card_data(
                card, revision=str(opened_at), final_opinion="Moje zmiany po cichu."
            ),
        )

        assert response.status_code == 409
        html = response.content.decode()
        assert re.search(r'role="alert"[^>]*>\s*<p[^>]*><strong>', html)
        assert "Someone else saved this card" in html
        assert "Moje zmiany po cichu." in html
        card.refresh_from_db()
        assert card.revision == saved_revision
        assert card.final_opinion == "Klub spełnia minimalny standard KIS."

    def test_officer_of_another_voivodeship_gets_404(
        self, client, other_officer, merit_review
    ):
        client.force_login(other_officer)
        card = _card(merit_review)

        assert client.get(_standard_url(merit_review)).status_code == 404
        response = client.post(_standard_url(merit_review), _card_data(card))

        assert response.status_code == 404
        card.refresh_from_db()
        assert card.revision == 0

    def test_applicant_reads_the_card_but_cannot_edit_it(self, client, merit_review):
        client.force_login(factories.applicant_of(merit_review))
        card = _card(merit_review)

        page = client.get(_standard_url(merit_review))
        response = client.post(
            _standard_url(merit_review),
            _card_data(card, complete="1", final_opinion="Sami sobie wystawiamy."),
        )

        assert page.status_code == 200
        assert 'name="revision"' not in page.content.decode()
        assert "Only the certifying unit" in page.content.decode()
        assert response.status_code == 403
        card.refresh_from_db()
        assert card.revision == 0
        assert not card.is_complete

    def test_card_is_read_only_after_the_merit_review(
        self, client, officer, audit_in_progress
    ):
        client.force_login(officer)

        response = client.get(_standard_url(audit_in_progress))

        html = response.content.decode()
        assert response.status_code == 200
        assert "The standard card is filled during the merit review." in html
        assert 'name="revision"' not in html
        assert "Klub spełnia minimalny standard KIS." in html

    def test_before_the_merit_review_the_page_says_there_is_no_card(
        self, client, mazowieckie
    ):
        application = factories.DraftApplicationFactory(
            club__founding_unit__voivodeship=mazowieckie
        )
        client.force_login(factories.applicant_of(application))

        response = client.get(_standard_url(application))

        assert response.status_code == 200
        assert "accepted formally" in response.content.decode()


class TestAuditCard:
    def test_auditor_sees_the_header_and_every_criterion(
        self, client, auditor, audit_in_progress
    ):
        client.force_login(auditor)

        response = client.get(_audit_url(audit_in_progress))

        assert response.status_code == 200
        html = response.content.decode()
        for text in (
            "Jadwiga Sadowska",
            "Ilona Przybylska",
            "KIS Przystań",
            "Anna Nowak",
            _audit(audit_in_progress).planned_on.strftime("%d.%m.%Y"),
            audit_in_progress.audit_unit.name,
            "Confirmation of the entry in the voivode&#x27;s register",
            "The club meets the standard",
        ):
            assert text in html
        inputs, labelled = _labels_of_inputs(html)
        findings = _audit(audit_in_progress).findings.count()
        # One annotation and two radio buttons per criterion.
        assert len(inputs) == 3 * findings
        assert inputs <= labelled
        assert html.count("<legend") == findings + 1

    def test_auditor_fills_the_audit_card(self, client, auditor, audit_in_progress):
        client.force_login(auditor)
        audit = _audit(audit_in_progress)
        finding = audit.findings.first()
        data = _audit_data(
            audit,
            **{
                f"confirmed_{finding.pk}": "no",
                f"annotation_{finding.pk}": "Brak sali do zajęć grupowych.",
            },
        )

        response = client.post(_audit_url(audit_in_progress), data)

        assert response.status_code == 302
        assert response.url == _audit_url(audit_in_progress)
        audit.refresh_from_db()
        finding.refresh_from_db()
        assert audit.revision == 1
        assert audit.conclusion == "Klub spełnia minimalny standard."
        assert audit.conclusion_positive is True
        assert finding.confirmed is False
        assert finding.annotation == "Brak sali do zajęć grupowych."
        assert audit.findings.filter(confirmed=True).count() == (
            audit.findings.count() - 1
        )
        assert permissions.can_deliver_report(auditor, audit_in_progress)
        page = client.get(response.url).content.decode()
        assert "deliver the audit report" in page

    def test_answers_can_stay_open_until_the_conclusion(
        self, client, auditor, audit_in_progress
    ):
        client.force_login(auditor)
        audit = _audit(audit_in_progress)
        data = _audit_data(audit, conclusion="", conclusion_positive="")
        for finding in audit.findings.all():
            data.pop(f"confirmed_{finding.pk}")

        response = client.post(_audit_url(audit_in_progress), data)

        assert response.status_code == 302
        audit.refresh_from_db()
        assert audit.conclusion_positive is None
        assert not audit.findings.filter(confirmed__isnull=False).exists()
        assert not permissions.can_deliver_report(auditor, audit_in_progress)

    def test_stale_revision_is_refused_and_keeps_what_was_typed(
        self, client, auditor, audit_in_progress
    ):
        client.force_login(auditor)
        audit = _audit(audit_in_progress)
        opened = _audit_data(audit, conclusion="Mój wniosek, wpisany ręcznie.")
        client.post(_audit_url(audit_in_progress), _audit_data(audit))

        response = client.post(_audit_url(audit_in_progress), opened)

        assert response.status_code == 409
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "Someone else saved this card" in html
        assert "Mój wniosek, wpisany ręcznie." in html
        audit.refresh_from_db()
        assert audit.revision == 1
        assert audit.conclusion == "Klub spełnia minimalny standard."

    def test_invalid_answer_is_shown_next_to_the_field(
        self, client, auditor, audit_in_progress
    ):
        client.force_login(auditor)
        audit = _audit(audit_in_progress)

        response = client.post(
            _audit_url(audit_in_progress),
            _audit_data(audit, conclusion_positive="maybe"),
        )

        assert response.status_code == 400
        assert 'id="id_conclusion_positive_error"' in response.content.decode()
        audit.refresh_from_db()
        assert audit.revision == 0

    def test_auditor_of_another_voivodeship_gets_404(
        self, client, other_auditor, audit_in_progress
    ):
        client.force_login(other_auditor)
        audit = _audit(audit_in_progress)

        assert client.get(_audit_url(audit_in_progress)).status_code == 404
        response = client.post(_audit_url(audit_in_progress), _audit_data(audit))

        assert response.status_code == 404
        audit.refresh_from_db()
        assert audit.revision == 0

    @pytest.mark.parametrize("who", ["applicant", "officer"])
    def test_others_read_the_card_but_cannot_edit_it(
        self, client, request, who, audit_in_progress
    ):
        if who == "applicant":
            client.force_login(factories.applicant_of(audit_in_progress))
        else:
            client.force_login(request.getfixturevalue(who))
        audit = _audit(audit_in_progress)

        page = client.get(_audit_url(audit_in_progress))
        response = client.post(_audit_url(audit_in_progress), _audit_data(audit))

        assert page.status_code == 200
        assert 'name="revision"' not in page.content.decode()
        assert "Only the audit unit commissioned" in page.content.decode()
        assert response.status_code == 403
        audit.refresh_from_db()
        assert audit.revision == 0
        assert audit.conclusion == ""

    def test_before_the_audit_is_commissioned_the_page_says_so(
        self, client, officer, merit_review
    ):
        client.force_login(officer)

        response = client.get(_audit_url(merit_review))

        assert response.status_code == 200
        assert "commissions the audit" in response.content.decode()
        assert merit_review.state == ApplicationState.MERIT_REVIEW
