"""The public readiness self-check and the application it can start."""

import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from certification.models import Application
from certification.states import Level

pytestmark = pytest.mark.django_db


def _criterion(criteria, code):
    return criteria.criteria.get(code=code)


def test_questionnaire_lists_every_current_criterion_without_login(client, criteria):
    response = client.get(reverse("registry:readiness"))

    assert response.status_code == 200
    content = response.content.decode()
    for criterion in criteria.criteria.all():
        assert escape(criterion.name) in content
        assert f'name="{criterion.code}"' in content
    assert "readiness-lacking" not in content


def test_answers_below_required_are_lacking_with_guidance(client, criteria):
    below = _criterion(criteria, "staff-leader")
    met = _criterion(criteria, "premises-activity-rooms")

    response = client.get(
        reverse("registry:readiness"),
        {below.code: str(Level.PARTIAL), met.code: str(Level.FULL)},
    )

    lacking = [q.criterion for q in response.context["lacking"]]
    assert lacking == [below]
    assert [q.criterion for q in response.context["met"]] == [met]
    content = response.content.decode()
    lacking_part = content.split("readiness-lacking")[1].split("</ul>")[0]
    assert escape(below.guidance) in lacking_part
    assert escape(met.name) not in lacking_part


def test_does_not_apply_counts_as_met_only_where_allowed(client, criteria):
    optional = _criterion(criteria, "premises-accessibility")
    mandatory = _criterion(criteria, "staff-leader")
    assert optional.applies_only_where_needed
    assert not mandatory.applies_only_where_needed

    response = client.get(
        reverse("registry:readiness"), {optional.code: "na", mandatory.code: "na"}
    )

    assert [q.criterion for q in response.context["met"]] == [optional]
    assert mandatory in [q.criterion for q in response.context["unanswered"]]
    assert f'id="{mandatory.code}-na"' not in response.content.decode()
    assert f'id="{optional.code}-na"' in response.content.decode()


def test_answers_carried_into_a_new_application_prefill_levels(
    client, applicant, club, officer, criteria
):
    partial = _criterion(criteria, "staff-leader")
    optional = _criterion(criteria, "premises-accessibility")
    query = {partial.code: str(Level.PARTIAL), optional.code: "na"}
    client.force_login(applicant)

    result = client.get(reverse("registry:readiness"), query)
    link = reverse("certification:club_detail", args=[club.pk])
    assert f"{link}?" in result.content.decode()
    page = client.get(link, query)
    answers = page.context["start_form"]["answers"].value()
    response = client.post(link, {"token": str(uuid.uuid4()), "answers": answers})

    application = Application.objects.get(club=club)
    assert response.status_code == 302
    declarations = {d.criterion.code: d for d in application.declarations.all()}
    assert declarations[partial.code].level == Level.PARTIAL
    assert declarations[optional.code].not_applicable
    assert declarations[optional.code].level is None
    others = [d for code, d in declarations.items() if code not in query]
    assert all(d.level is None and not d.not_applicable for d in others)
