"""The applicant's steps after submitting, as the case page offers them:
an appeal against a refusal with its grounds, and a withdrawal before a
decision, each behind a page that says what it does and asks to confirm.
"""

import pytest
from django.urls import reverse

from certification.models import Application
from certification.states import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def step_url(application: Application, name: str) -> str:
    return reverse("certification:action", args=[application.pk, name])


class TestAppeal:
    @pytest.fixture
    def refused(self, club, criteria):
        return factories.RefusedApplicationFactory(club=club)

    def test_case_page_offers_the_appeal_with_its_deadline(self, client, refused):
        client.force_login(factories.applicant_of(refused))

        html = client.get(refused.get_absolute_url()).content.decode()

        assert step_url(refused, "appeal") in html
        assert refused.appeal_deadline.strftime("%d.%m.%Y") in html

    def test_appeal_without_grounds_is_refused_and_changes_nothing(
        self, client, refused
    ):
        client.force_login(factories.applicant_of(refused))

        response = client.post(
            step_url(refused, "appeal"),
            {"expected_state": refused.state, "grounds": "   "},
        )

        assert response.status_code == 400
        assert "Write the grounds of the appeal." in response.content.decode()
        refused.refresh_from_db()
        assert refused.state == ApplicationState.REFUSED
        assert not refused.appeals.exists()

    def test_appeal_with_grounds_is_lodged(self, client, refused):
        client.force_login(factories.applicant_of(refused))
        grounds = "Klub zatrudnił pracownika socjalnego przed audytem."

        response = client.post(
            step_url(refused, "appeal"),
            {"expected_state": refused.state, "grounds": grounds},
        )

        assert response.status_code == 302
        refused.refresh_from_db()
        assert refused.state == ApplicationState.APPEALED
        assert refused.appeals.get().grounds == grounds

    def test_officer_cannot_appeal_for_the_applicant(self, client, refused):
        client.force_login(factories.officer_of(refused))

        client.post(
            step_url(refused, "appeal"),
            {"expected_state": refused.state, "grounds": "Nie."},
        )

        refused.refresh_from_db()
        assert refused.state == ApplicationState.REFUSED


class TestWithdrawal:
    @pytest.fixture
    def in_review(self, club, criteria):
        return factories.MeritReviewApplicationFactory(club=club)

    def test_withdrawal_asks_for_confirmation_first(self, client, in_review):
        client.force_login(factories.applicant_of(in_review))

        page = client.get(step_url(in_review, "withdraw"))

        html = page.content.decode()
        assert page.status_code == 200
        assert "A withdrawn application cannot be resumed" in html
        assert '<button type="submit"' in html
        in_review.refresh_from_db()
        assert in_review.state == ApplicationState.MERIT_REVIEW

    def test_confirmed_withdrawal_withdraws(self, client, in_review):
        client.force_login(factories.applicant_of(in_review))

        response = client.post(
            step_url(in_review, "withdraw"),
            {"expected_state": in_review.state, "note": "Klub zawiesza działalność."},
        )

        assert response.status_code == 302
        in_review.refresh_from_db()
        assert in_review.state == ApplicationState.WITHDRAWN

    def test_a_second_click_withdraws_once(self, client, in_review):
        client.force_login(factories.applicant_of(in_review))
        data = {"expected_state": in_review.state}

        client.post(step_url(in_review, "withdraw"), data)
        client.post(step_url(in_review, "withdraw"), data)

        assert (
            in_review.transitions.filter(to_state=ApplicationState.WITHDRAWN).count()
            == 1
        )

    def test_no_withdrawal_after_a_decision(self, client, club, criteria):
        certified = factories.CertifiedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(certified))

        client.post(step_url(certified, "withdraw"), {"expected_state": "certified"})

        certified.refresh_from_db()
        assert certified.state == ApplicationState.CERTIFIED
        assert (
            step_url(certified, "withdraw")
            not in client.get(certified.get_absolute_url()).content.decode()
        )
