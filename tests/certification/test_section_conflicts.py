"""Saves of the same data from different places never silently undo each
other: the institution shared by two applications, a page shown back after
the login expired; and a section whose data may not be changed now says so
before anything is typed.
"""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from certification import application_sections, services
from certification.application_sections import SectionKind
from certification.models import Club, SubmissionRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def section_url(application, kind: SectionKind) -> str:
    return reverse(
        "certification:application_section",
        args=[application.pk, application_sections.BY_KIND[kind].slug],
    )


def revision_on(html: str) -> str:
    start = html.index('name="revision" value="') + len('name="revision" value="')
    return html[start : html.index('"', start)]


def institution(unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "street": unit.street,
        "postal_code": unit.postal_code,
        "city": unit.city,
        "phone": unit.phone,
        "email": unit.email,
    }
    data.update(changes)
    return data


@pytest.fixture
def two_drafts(applicant, club, criteria):
    """Two drafts of one institution, for two of its clubs."""
    other_club = factories.ClubFactory(founding_unit=applicant.unit, name="KIS Dwa")
    return (
        services.application_create(by=applicant, club=club),
        services.application_create(by=applicant, club=other_club),
    )


class TestSharedInstitution:
    def test_save_through_one_application_is_not_undone_through_another(
        self, client, applicant, two_drafts
    ):
        first, second = two_drafts
        client.force_login(applicant)
        unit = applicant.unit
        seen = revision_on(
            client.get(section_url(second, SectionKind.APPLICANT)).content.decode()
        )
        first_url = section_url(first, SectionKind.APPLICANT)
        first_seen = revision_on(client.get(first_url).content.decode())
        client.post(
            first_url,
            {**institution(unit, city="Nowe Lipowo"), "revision": first_seen},
        )

        response = client.post(
            section_url(second, SectionKind.APPLICANT),
            {**institution(unit, phone="601 234 567"), "revision": seen},
        )

        assert response.status_code == 409
        unit.refresh_from_db()
        assert unit.city == "Nowe Lipowo"
        assert unit.phone == ""

    def test_applicant_section_says_why_it_cannot_change_while_a_case_is_examined(
        self, client, applicant, club, criteria
    ):
        factories.SubmittedApplicationFactory(club=club)
        other_club = factories.ClubFactory(founding_unit=applicant.unit)
        draft = services.application_create(by=applicant, club=other_club)
        client.force_login(applicant)

        page = client.get(section_url(draft, SectionKind.APPLICANT))
        posted = client.post(
            section_url(draft, SectionKind.APPLICANT),
            institution(applicant.unit, city="Gdzie Indziej"),
        )

        assert page.status_code == 403
        html = page.content.decode()
        assert "cannot be changed while application" in html
        assert "<textarea" not in html and 'name="city"' not in html
        assert posted.status_code == 302
        applicant.unit.refresh_from_db()
        assert applicant.unit.city != "Gdzie Indziej"


class TestPageShownBackAfterTheLogin:
    def test_colleagues_save_in_between_is_not_undone(
        self, client, applicant, club, criteria
    ):
        draft = services.application_create(by=applicant, club=club)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        client.force_login(applicant)
        seen = revision_on(client.get(url).content.decode())
        client.logout()
        client.post(
            url,
            {
                "authorised_person": "Mine",
                "authorised_person_contact": "me@gmina.pl",
                "revision": seen,
            },
        )
        services.application_update(
            application=draft,
            by=applicant,
            authorised_person="Colleague",
            authorised_person_contact="c@gmina.pl",
        )

        client.force_login(applicant)
        shown_back = client.get(url).content.decode()
        response = client.post(
            url,
            {
                "authorised_person": "Mine",
                "authorised_person_contact": "me@gmina.pl",
                "revision": revision_on(shown_back),
            },
        )

        assert response.status_code == 409
        draft.refresh_from_db()
        assert draft.authorised_person == "Colleague"


class TestClubSection:
    def test_save_from_a_stale_page_is_refused_after_the_club_page_saved(
        self, client, applicant, club, criteria
    ):
        draft = services.application_create(by=applicant, club=club)
        client.force_login(applicant)
        url = section_url(draft, SectionKind.REGISTER)
        seen = revision_on(client.get(url).content.decode())
        services.club_update(
            club=club, by=applicant, data={"register_entry_number": "KIS/9/2011"}
        )

        response = client.post(
            url,
            {
                "register_entry_date": "04.05.2010",
                "register_entry_number": "KIS/1/2010",
                "revision": seen,
            },
        )

        assert response.status_code == 409
        assert Club.objects.get(pk=club.pk).register_entry_number == "KIS/9/2011"


class TestSubmissionRecord:
    def test_answers_are_recorded_in_polish_whatever_the_browser(self, club, criteria):
        with translation.override("en"):
            submitted = factories.SubmittedApplicationFactory(club=club)

        record = SubmissionRecord.objects.get(application=submitted)

        assert record.answers["club.leader_name"]["label"] == "Kierownik klubu (lider)"


class TestSecondLookAfterAConflict:
    """After a refused save, the form keeps what this page changed and shows
    the other person's saved values everywhere else, so saving again loses
    neither.
    """

    def _page(self, client, url) -> dict:
        html = client.get(url).content.decode()

        def hidden(name):
            marker = f'name="{name}" value="'
            start = html.index(marker) + len(marker)
            return unescape(html[start : html.index('"', start)])

        return {"revision": hidden("revision"), "base": hidden("base")}

    def test_fields_this_page_did_not_change_take_the_saved_values(
        self, client, applicant, club, criteria
    ):
        draft = services.application_create(by=applicant, club=club)
        client.force_login(applicant)
        url = section_url(draft, SectionKind.CLUB)
        stale = self._page(client, url)
        services.club_update(
            club=club, by=applicant, data={"phone": "+48 22 123 45 67"}
        )
        club.refresh_from_db()
        data = {
            name: getattr(club, name) or ""
            for name in [
                "name",
                "street",
                "postal_code",
                "city",
                "gmina",
                "email",
                "leader_name",
                "leader_contact",
            ]
        }
        # This page never saw the new phone: it posts the old, empty one.
        data.update(stale, phone="", leader_name="Nowa Kierowniczka")

        conflict = client.post(url, data)
        html = conflict.content.decode()

        assert conflict.status_code == 409
        assert 'value="Nowa Kierowniczka"' in html
        assert 'value="+48 22 123 45 67"' in html

        again = {**data, **self._page_from(html), "phone": "+48 22 123 45 67"}
        assert client.post(url, again).status_code == 302
        club.refresh_from_db()
        assert club.leader_name == "Nowa Kierowniczka"
        assert club.phone == "+48 22 123 45 67"

    def _page_from(self, html: str) -> dict:
        def hidden(name):
            marker = f'name="{name}" value="'
            start = html.index(marker) + len(marker)
            return unescape(html[start : html.index('"', start)])

        return {"revision": hidden("revision"), "base": hidden("base")}

    def test_criteria_the_page_did_not_touch_keep_the_other_save(
        self, client, applicant, club, criteria
    ):
        draft = factories.DraftApplicationFactory(club=club)
        client.force_login(applicant)
        url = section_url(draft, SectionKind.PREMISES)
        stale = self._page(client, url)
        first, second, *_ = [
            d.criterion_id
            for d in draft.declarations.filter(criterion__group="premises").order_by(
                "criterion__position"
            )
        ]
        # Another window saves a new description of the first criterion.
        services.application_update(
            application=draft,
            by=applicant,
            declarations={first: {"level": 2, "description": "Wersja A"}},
        )
        # This page changes only the second criterion's description.
        posted = {
            key: value
            for key, value in [
                (f"level_{d.criterion_id}", "2")
                for d in draft.declarations.filter(criterion__group="premises")
            ]
        }
        for d in draft.declarations.filter(criterion__group="premises"):
            posted[f"description_{d.criterion_id}"] = "Opis tego, co klub ma."
        posted[f"description_{second}"] = "Wersja B"
        posted.update(stale)

        html = client.post(url, posted).content.decode()
        again = {**posted, **self._page_from(html)}
        again[f"description_{first}"] = "Wersja A"
        client.post(url, again)

        descriptions = dict(
            draft.declarations.values_list("criterion_id", "description")
        )
        assert "Wersja A</textarea>" in html
        assert "Wersja B</textarea>" in html
        assert descriptions[first] == "Wersja A"
        assert descriptions[second] == "Wersja B"
