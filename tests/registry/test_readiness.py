"""The public readiness self-check and the application it can start."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification.models import Application
from certification.states import Level
from tests import factories

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


# Sent with nothing ticked: the questionnaire says so.


def _shown(msgid: str) -> str:
    with translation.override("pl"):
        return escape(translation.gettext(msgid))


ANSWER_SOMETHING = "Answer at least one criterion, then check readiness again."


def test_questionnaire_sent_without_answers_says_what_to_do(client, criteria):
    response = client.get(reverse("registry:readiness"), {"sprawdz": "1"})

    assert response.status_code == 400
    content = response.content.decode()
    summary = content.split('id="error-summary"')[1].split("</div>")[0]
    assert _shown(ANSWER_SOMETHING) in summary
    first = criteria.criteria.order_by("position", "pk").first()
    assert f'href="#{first.code}-' in summary
    assert f'id="{first.code}-' in content
    assert "<title>" + _shown("Error") in content
    assert "readiness-lacking" not in content


def test_questionnaire_with_only_made_up_answers_says_what_to_do(client, criteria):
    response = client.get(
        reverse("registry:readiness"), {"sprawdz": "1", "staff-leader": "99"}
    )

    assert response.status_code == 400
    assert _shown(ANSWER_SOMETHING) in response.content.decode()


def test_first_visit_and_an_answered_questionnaire_show_no_error(client, criteria):
    first_visit = client.get(reverse("registry:readiness"))
    answered = client.get(
        reverse("registry:readiness"),
        {"sprawdz": "1", "staff-leader": str(Level.FULL)},
    )

    for response in (first_visit, answered):
        assert response.status_code == 200
        assert _shown(ANSWER_SOMETHING) not in response.content.decode()
        assert 'id="error-summary"' not in response.content.decode()
    assert 'name="sprawdz"' in first_visit.content.decode()


# The start links of the applicant's clubs.


def _club_links(content: str) -> str:
    return content.split('id="readiness-clubs"')[1].split("</ul>")[0]


def test_clubs_of_the_same_name_are_told_apart_by_their_town(
    client, applicant, club, criteria
):
    club.name, club.city = "KIS Razem", "Radom"
    club.save()
    other = factories.ClubFactory(
        founding_unit=club.founding_unit, name="KIS Razem", city="Płock"
    )
    client.force_login(applicant)

    response = client.get(
        reverse("registry:readiness"), {"staff-leader": str(Level.FULL)}
    )

    links = _club_links(response.content.decode())
    for each in (club, other):
        assert reverse("certification:club_detail", args=[each.pk]) + "?" in links
        assert escape(f"{each.name} ({each.city})") in links
    assert "KIS Razem (Radom)" in links and "KIS Razem (Płock)" in links


@pytest.mark.parametrize("has_number", [True, False])
def test_club_with_an_open_application_links_to_it_instead(
    client, applicant, club, criteria, has_number
):
    free = factories.ClubFactory(founding_unit=club.founding_unit, city="Płock")
    factory = (
        factories.SubmittedApplicationFactory
        if has_number
        else factories.DraftApplicationFactory
    )
    application = factory(club=club)
    client.force_login(applicant)

    response = client.get(
        reverse("registry:readiness"), {"staff-leader": str(Level.FULL)}
    )

    links = _club_links(response.content.decode())
    start = reverse("certification:club_detail", args=[club.pk]) + "?"
    assert start not in links
    assert f'href="{application.get_absolute_url()}"' in links
    with translation.override("pl"):
        in_progress = escape(
            translation.gettext("%(club)s (%(town)s) has an application in progress.")
            % {"club": club.name, "town": club.city}
        )
    assert in_progress in links
    if has_number:
        assert application.number in links
    # The club without an open application can still start one.
    assert reverse("certification:club_detail", args=[free.pk]) + "?" in links
