"""Nothing typed into the application is lost: a section saved as the
applicant types (a POST with the header X-Autosave: 1, answered in JSON),
and a section posted after the login had expired, kept while the person
logs in again and shown back to them unsaved.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import application_sections, services
from certification.application_sections import SectionKind, SectionStatus
from certification.models import Application
from certification.states import Level
from tests import factories

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


def shown(msgid: str) -> str:
    """A message as the page shows it: in Polish, the default language."""
    with translation.override("pl"):
        return escape(translation.gettext(msgid))


def section_url(application: Application, kind: SectionKind) -> str:
    section = application_sections.BY_KIND[kind]
    return reverse(
        "certification:application_section", args=[application.pk, section.slug]
    )


@pytest.fixture
def draft(applicant, club, criteria):
    """A draft just opened: nothing declared yet."""
    return services.application_create(by=applicant, club=club)


def _person(**changes) -> dict:
    data = {
        "authorised_person": "Jan Kowalski",
        "authorised_person_contact": "jan@gmina.pl",
    }
    data.update(changes)
    return data


def _club(club, **changes) -> dict:
    data = {
        name: getattr(club, name)
        for name in [
            "name",
            "street",
            "postal_code",
            "city",
            "gmina",
            "phone",
            "email",
            "leader_name",
            "leader_contact",
        ]
    }
    data.update(changes)
    return data


class TestAutosave:
    def test_saves_the_section_and_answers_with_its_status(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, SectionKind.AUTHORISED_PERSON), _person(), **AUTOSAVE
        )

        draft.refresh_from_db()
        answer = response.json()
        assert response.status_code == 200
        assert answer["saved"] is True
        assert answer["status"] == SectionStatus.COMPLETE
        with translation.override("pl"):
            assert answer["status_label"] == str(SectionStatus.COMPLETE.label)
        assert len(answer["saved_at"]) == 5  # HH:MM
        assert draft.authorised_person == "Jan Kowalski"
        assert draft.authorised_person_contact == "jan@gmina.pl"

    def test_a_half_filled_section_is_saved_as_in_progress(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, SectionKind.AUTHORISED_PERSON),
            _person(authorised_person_contact=""),
            **AUTOSAVE,
        )

        draft.refresh_from_db()
        assert response.json()["status"] == SectionStatus.IN_PROGRESS
        assert draft.authorised_person == "Jan Kowalski"

    def test_status_follows_what_was_just_saved_in_the_club_section(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.CLUB)
        data = _club(draft.club, leader_contact="")

        emptied = client.post(url, data, **AUTOSAVE)
        refilled = client.post(
            url, {**data, "leader_contact": "600 100 200"}, **AUTOSAVE
        )

        assert emptied.json()["status"] == SectionStatus.IN_PROGRESS
        assert refilled.json()["status"] == SectionStatus.COMPLETE
        draft.club.refresh_from_db()
        assert draft.club.leader_contact == "600 100 200"

    def test_criteria_typed_without_a_button_are_saved(self, client, applicant, draft):
        client.force_login(applicant)
        section = application_sections.BY_KIND[SectionKind.PREMISES]
        declarations = list(draft.declarations.filter(criterion__group=section.group))
        data = {}
        for declaration in declarations:
            data[f"level_{declaration.criterion_id}"] = str(Level.FULL.value)
            data[f"description_{declaration.criterion_id}"] = "Sala 40 m2."

        response = client.post(
            section_url(draft, SectionKind.PREMISES), data, **AUTOSAVE
        )

        assert response.json()["status"] == SectionStatus.COMPLETE
        for declaration in declarations:
            declaration.refresh_from_db()
            assert declaration.level == Level.FULL
            assert declaration.description == "Sala 40 m2."

    def test_invalid_value_answers_400_with_the_message_and_saves_nothing(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        club = draft.club
        name_before = club.name

        response = client.post(
            section_url(draft, SectionKind.CLUB),
            _club(club, name="KIS Zmieniona Nazwa", postal_code="00-95"),
            **AUTOSAVE,
        )

        club.refresh_from_db()
        answer = response.json()
        assert response.status_code == 400
        assert answer["saved"] is False
        assert list(answer["errors"]) == ["postal_code"]
        assert answer["errors"]["postal_code"][0]
        assert club.name == name_before

    def test_too_long_name_is_refused_and_a_right_one_saved(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)

        wrong = client.post(url, _person(authorised_person="J" * 201), **AUTOSAVE)
        draft.refresh_from_db()
        assert wrong.status_code == 400
        assert "authorised_person" in wrong.json()["errors"]
        assert draft.authorised_person == ""

        right = client.post(url, _person(authorised_person="J" * 200), **AUTOSAVE)
        draft.refresh_from_db()
        assert right.status_code == 200
        assert draft.authorised_person == "J" * 200

    def test_application_no_longer_editable_answers_403_with_a_message(
        self, client, criteria
    ):
        submitted = factories.SubmittedApplicationFactory()
        client.force_login(factories.applicant_of(submitted))

        response = client.post(
            section_url(submitted, SectionKind.AUTHORISED_PERSON),
            _person(authorised_person="Ktoś Inny"),
            **AUTOSAVE,
        )

        submitted.refresh_from_db()
        assert response.status_code == 403
        assert response.json()["message"]
        assert submitted.authorised_person != "Ktoś Inny"

    def test_person_of_another_institution_gets_404_and_changes_nothing(
        self, client, draft, mazowieckie
    ):
        stranger = factories.ApplicantFactory(unit__voivodeship=mazowieckie)
        client.force_login(stranger)

        response = client.post(
            section_url(draft, SectionKind.AUTHORISED_PERSON), _person(), **AUTOSAVE
        )

        draft.refresh_from_db()
        assert response.status_code == 404
        assert draft.authorised_person == ""


class TestThePageCarriesTheScript:
    def test_section_page_loads_the_script_with_translated_messages(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.get(section_url(draft, SectionKind.AUTHORISED_PERSON))

        html = response.content.decode()
        assert '<script src="/static/js/autosave.js' in html
        assert "data-autosave-status" in html
        assert (
            f'data-msg-restored="{shown("What you typed earlier has been restored from this browser. It is not saved yet: check it and save the page.")}"'
            in html
        )
        # A saved form is not marked as holding unsaved values.
        assert "data-autosave-unsaved" not in html
        # The script comes from the site itself, which the policy allows.
        policy = response.headers["Content-Security-Policy"]
        script_src = next(
            part for part in policy.split(";") if part.strip().startswith("script-src")
        )
        assert "'self'" in script_src

    def test_task_list_loads_no_script(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.get(
            reverse("certification:application_edit", args=[draft.pk])
        )

        assert "autosave.js" not in response.content.decode()

    def test_page_with_errors_is_marked_as_holding_unsaved_values(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, SectionKind.AUTHORISED_PERSON),
            _person(authorised_person="J" * 201, next="continue"),
        )

        assert response.status_code == 400
        assert "data-autosave-unsaved" in response.content.decode()


class TestSessionEnded:
    def test_typed_values_come_back_after_logging_in_again(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        client.logout()

        response = client.post(url, _person(next="continue"))

        login = reverse("login")
        assert response.status_code == 302
        assert response.url.startswith(login)
        assert "next=" in response.url
        draft.refresh_from_db()
        assert draft.authorised_person == ""

        client.force_login(applicant)
        page = client.get(url)

        html = page.content.decode()
        assert page.status_code == 200
        assert 'value="Jan Kowalski"' in html
        assert 'value="jan@gmina.pl"' in html
        assert (
            shown(
                "Your session had ended before this page was saved. We kept "
                "what you typed: check it and save it."
            )
            in html
        )
        assert "data-autosave-unsaved" in html
        # Shown back, not saved: the person checks and saves it.
        draft.refresh_from_db()
        assert draft.authorised_person == ""

        # Once shown, the page opens with the saved values again.
        again = client.get(url).content.decode()
        assert 'value="Jan Kowalski"' not in again

    def test_an_oversized_post_while_logged_out_is_not_kept(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        client.logout()

        client.post(url, _person(authorised_person="x" * 300_000))
        client.force_login(applicant)
        html = client.get(url).content.decode()

        assert "x" * 1000 not in html
        assert "data-autosave-unsaved" not in html

    def test_login_page_says_what_was_typed_is_kept(self, client, applicant, draft):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        client.logout()

        login_page = client.post(url, _person(next="continue"), follow=True)

        assert login_page.request["PATH_INFO"] == reverse("login")
        assert (
            shown(
                "Your session has ended, so the page was not saved. Log in "
                "again: what you typed is kept and will be shown back to you."
            )
            in login_page.content.decode()
        )

    def test_autosave_after_the_session_ended_answers_401_and_keeps_the_values(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        client.logout()

        response = client.post(url, _person(), **AUTOSAVE)

        answer = response.json()
        assert response.status_code == 401
        assert answer["logged_out"] is True
        assert answer["message"]

        client.force_login(applicant)
        assert 'value="Jan Kowalski"' in client.get(url).content.decode()
        draft.refresh_from_db()
        assert draft.authorised_person == ""

    def test_values_kept_for_one_application_are_never_shown_to_another_institution(
        self, client, applicant, draft, mazowieckie
    ):
        stranger = factories.ApplicantFactory(unit__voivodeship=mazowieckie)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)

        # Someone posts the section of the draft without being logged in,
        # then a person of another institution logs in in the same browser.
        client.post(url, _person(authorised_person="Tajne Nazwisko"))
        client.force_login(stranger)
        response = client.get(url)

        assert response.status_code == 404
        assert "Tajne Nazwisko" not in response.content.decode()
        own = factories.DraftApplicationFactory(
            club=factories.ClubFactory(founding_unit=stranger.unit)
        )
        own_page = client.get(section_url(own, SectionKind.AUTHORISED_PERSON))
        assert own_page.status_code == 200
        assert "Tajne Nazwisko" not in own_page.content.decode()
        draft.refresh_from_db()
        assert draft.authorised_person == ""


class TestTwoWindows:
    """Two windows (or two colleagues) on one section: the later save never
    silently undoes the earlier one.
    """

    def _revision(self, client, url) -> str:
        html = client.get(url).content.decode()
        start = html.index('name="revision" value="') + len('name="revision" value="')
        return html[start : html.index('"', start)]

    def test_save_from_a_page_opened_before_another_save_is_refused(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        first_window = self._revision(client, url)
        second_window = self._revision(client, url)
        client.post(url, {**_person(), "revision": first_window})

        response = client.post(
            url,
            {**_person(authorised_person="Anna Nowak"), "revision": second_window},
        )

        assert response.status_code == 409
        html = response.content.decode()
        assert shown("Someone saved this section after you opened it") in html
        # What this window typed is kept in the fields, the saved answers
        # are shown next to them, and nothing was overwritten.
        assert 'value="Anna Nowak"' in html
        assert "Jan Kowalski" in html
        draft.refresh_from_db()
        assert draft.authorised_person == "Jan Kowalski"

    def test_saving_again_after_the_conflict_keeps_the_new_version(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        stale = self._revision(client, url)
        client.post(url, {**_person(), "revision": stale})
        conflict = client.post(
            url, {**_person(authorised_person="Anna Nowak"), "revision": stale}
        ).content.decode()
        start = conflict.index('name="revision" value="') + len(
            'name="revision" value="'
        )
        current = conflict[start : conflict.index('"', start)]

        response = client.post(
            url, {**_person(authorised_person="Anna Nowak"), "revision": current}
        )

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.authorised_person == "Anna Nowak"

    def test_autosave_from_a_stale_page_answers_409_and_saves_nothing(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        stale = self._revision(client, url)
        saved = client.post(url, {**_person(), "revision": stale}, **AUTOSAVE).json()
        assert saved["saved"] is True
        assert saved["revision"] != stale

        response = client.post(
            url,
            {**_person(authorised_person="Anna Nowak"), "revision": stale},
            **AUTOSAVE,
        )

        assert response.status_code == 409
        assert response.json()["conflict"] is True
        draft.refresh_from_db()
        assert draft.authorised_person == "Jan Kowalski"

    def test_autosaves_of_one_window_follow_each_other(self, client, applicant, draft):
        client.force_login(applicant)
        url = section_url(draft, SectionKind.AUTHORISED_PERSON)
        revision = self._revision(client, url)

        for name in ["Jan", "Jan Kow", "Jan Kowalski"]:
            answer = client.post(
                url,
                {**_person(authorised_person=name), "revision": revision},
                **AUTOSAVE,
            ).json()
            assert answer["saved"] is True
            revision = answer["revision"]

        draft.refresh_from_db()
        assert draft.authorised_person == "Jan Kowalski"


class TestLongTexts:
    def test_browser_does_not_cut_a_pasted_description_short(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        staff = section_url(draft, SectionKind.STAFF)

        html = client.get(staff).content.decode()

        assert "<textarea" in html
        assert "maxlength" not in html

    def test_too_long_description_is_refused_with_its_length(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        staff = section_url(draft, SectionKind.STAFF)
        declaration = draft.declarations.filter(criterion__group="staff").first()
        pk = declaration.criterion_id

        answer = client.post(
            staff, {f"description_{pk}": "x" * 4500}, **AUTOSAVE
        ).json()

        assert answer["saved"] is False
        assert "4500" in answer["errors"][f"description_{pk}"][0]
        declaration.refresh_from_db()
        assert declaration.description == ""
