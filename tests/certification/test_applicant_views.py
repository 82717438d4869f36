"""The applicant's screens: registering a club, the club's page and filling in
the application, through Django's test client.
"""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import services
from certification.application_sections import SECTIONS, SectionKind
from certification.forms_applicant import DESCRIPTION_MAX_LENGTH
from certification.models import Application, Club
from certification.states import ApplicationState, CriterionGroup, Level
from tests import factories

pytestmark = pytest.mark.django_db


# `applicant` (a person of the institution that founded `club`), `officer`
# (of the same voivodeship), `criteria` and `mazowieckie` come from conftest.


@pytest.fixture
def other_applicant(mazowieckie):
    """A person of another applicant institution of the same voivodeship."""
    return factories.ApplicantFactory(unit__voivodeship=mazowieckie)


@pytest.fixture
def draft(applicant, club, criteria):
    """A draft just opened: nothing declared yet."""
    return services.application_create(by=applicant, club=club)


def shown(msgid: str) -> str:
    """A message as the page shows it: in Polish, the default language."""
    with translation.override("pl"):
        return escape(translation.gettext(msgid))


def _club_data(**changes) -> dict:
    data = {
        "token": str(uuid.uuid4()),
        "name": "KIS Nowy Start",
        "voivodeship": "",
        "street": "ul. Lipowa 5",
        "postal_code": "00-950",
        "city": "Warszawa",
        "gmina": "Warszawa",
        "phone": "22 123 45 67",
        "email": "kis@example.pl",
        "leader_name": "Ewa Zielińska",
        "leader_contact": "600 100 200",
        "register_entry_date": "15.01.2026",
        "register_entry_number": "KIS/14/7",
    }
    data.update(changes)
    return data


class TestClubCreate:
    url = reverse("certification:club_create")

    def test_form_carries_a_one_time_token(self, client, applicant, mazowieckie):
        client.force_login(applicant)

        response = client.get(self.url)

        assert response.status_code == 200
        token = response.context["form"].initial["token"]
        assert isinstance(token, uuid.UUID)
        assert f'value="{token}"' in response.content.decode()

    def test_applicant_registers_a_club(self, client, applicant, mazowieckie):
        client.force_login(applicant)

        response = client.post(self.url, _club_data(voivodeship=mazowieckie.pk))

        club = Club.objects.get(name="KIS Nowy Start")
        assert response.status_code == 302
        assert response.url == reverse("certification:club_detail", args=[club.pk])
        assert club.founding_unit == applicant.unit
        assert club.register_entry_date == datetime.date(2026, 1, 15)
        assert club.postal_code == "00-950"

    def test_iso_date_is_accepted_too(self, client, applicant, mazowieckie):
        client.force_login(applicant)

        client.post(
            self.url,
            _club_data(voivodeship=mazowieckie.pk, register_entry_date="2026-01-15"),
        )

        assert Club.objects.get(
            name="KIS Nowy Start"
        ).register_entry_date == datetime.date(2026, 1, 15)

    def test_invalid_postal_code_keeps_typed_values_and_saves_nothing(
        self, client, applicant, mazowieckie
    ):
        client.force_login(applicant)

        response = client.post(
            self.url, _club_data(voivodeship=mazowieckie.pk, postal_code="00-95")
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert not Club.objects.filter(name="KIS Nowy Start").exists()
        assert shown("Enter the postal code as NN-NNN, for example 00-950.") in html
        assert 'role="alert"' in html
        assert 'href="#id_postal_code"' in html
        assert 'value="00-95"' in html
        assert 'value="KIS Nowy Start"' in html
        assert 'value="15.01.2026"' in html
        assert 'aria-invalid="true"' in html
        assert "is-invalid" in html

    def test_double_post_with_the_same_token_creates_one_club(
        self, client, applicant, mazowieckie
    ):
        client.force_login(applicant)
        data = _club_data(voivodeship=mazowieckie.pk)

        first = client.post(self.url, data)
        second = client.post(self.url, data)

        assert Club.objects.filter(name="KIS Nowy Start").count() == 1
        assert first.url == second.url

    def test_officer_gets_404(self, client, officer):
        client.force_login(officer)

        assert client.get(self.url).status_code == 404

    def test_anonymous_visitor_is_sent_to_log_in(self, client, db):
        response = client.get(self.url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


class TestClubDetail:
    def test_shows_the_club_and_its_applications(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.get(
            reverse("certification:club_detail", args=[draft.club.pk])
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert escape(draft.club.name) in html
        assert draft.get_absolute_url() in html

    def test_club_with_an_open_application_offers_no_second_one(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.get(
            reverse("certification:club_detail", args=[draft.club.pk])
        )

        html = response.content.decode()
        assert 'name="token"' not in html
        assert (
            shown("This club already has a draft application; continue that one.")
            in html
        )

    def test_club_without_an_application_offers_to_start_one(
        self, client, applicant, club
    ):
        client.force_login(applicant)

        response = client.get(reverse("certification:club_detail", args=[club.pk]))

        assert 'name="token"' in response.content.decode()

    def test_club_of_another_institution_gets_404(self, client, other_applicant, club):
        client.force_login(other_applicant)

        url = reverse("certification:club_detail", args=[club.pk])

        assert client.get(url).status_code == 404
        assert client.post(url, {"token": str(uuid.uuid4())}).status_code == 404
        assert not Application.objects.exists()

    def test_officer_gets_404(self, client, officer, club):
        client.force_login(officer)

        url = reverse("certification:club_detail", args=[club.pk])

        assert client.get(url).status_code == 404

    def test_start_application_opens_the_edit_page(
        self, client, applicant, club, criteria
    ):
        client.force_login(applicant)

        response = client.post(
            reverse("certification:club_detail", args=[club.pk]),
            {"token": str(uuid.uuid4())},
        )

        application = Application.objects.get()
        assert response.status_code == 302
        assert response.url == reverse(
            "certification:application_edit", args=[application.pk]
        )
        assert application.state == ApplicationState.DRAFT
        assert application.declarations.count() == criteria.criteria.count()

    def test_double_start_with_the_same_token_opens_one_application(
        self, client, applicant, club, criteria
    ):
        client.force_login(applicant)
        url = reverse("certification:club_detail", args=[club.pk])
        data = {"token": str(uuid.uuid4())}

        first = client.post(url, data)
        second = client.post(url, data)

        assert Application.objects.count() == 1
        assert first.url == second.url

    def test_second_application_is_refused_with_a_message(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = reverse("certification:club_detail", args=[draft.club.pk])

        response = client.post(url, {"token": str(uuid.uuid4())}, follow=True)

        assert Application.objects.count() == 1
        assert response.redirect_chain[-1][0] == url
        assert 'role="alert"' in response.content.decode()


def _section_url(application: Application, slug: str) -> str:
    return reverse("certification:application_section", args=[application.pk, slug])


def _criteria_data(application: Application, group, **overrides) -> dict:
    """Every criterion of one group declared fully met, with a description."""
    data = {}
    for declaration in application.declarations.filter(criterion__group=group):
        pk = declaration.criterion_id
        data[f"level_{pk}"] = str(Level.FULL.value)
        data[f"description_{pk}"] = "Sala 40 m2, sprzęt."
    data.update(overrides)
    return data


class TestApplicationEdit:
    """Filling in the application section by section. Each rule of a section
    (levels, lengths, "does not apply", postal codes, dates) is tested with a
    wrong and a right value in test_application_sections.py.
    """

    def url(self, application: Application) -> str:
        return reverse("certification:application_edit", args=[application.pk])

    def test_task_list_links_every_section_in_the_order_of_the_form(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        response = client.get(self.url(draft))

        html = response.content.decode()
        assert response.status_code == 200
        positions = []
        for section in SECTIONS:
            if section.kind == SectionKind.ATTACHMENTS:
                link = reverse("certification:attachments", args=[draft.pk])
            else:
                link = _section_url(draft, section.slug)
            assert f'href="{link}"' in html
            assert shown(section.kind.label) in html
            positions.append(html.index(f'href="{link}"'))
        assert positions == sorted(positions)
        # What is missing is a notice, not an error.
        assert 'role="alert"' not in html

    def test_criteria_sections_show_the_criteria_of_their_group(
        self, client, applicant, draft, criteria
    ):
        client.force_login(applicant)

        for section in SECTIONS:
            if not section.is_criteria:
                continue
            response = client.get(_section_url(draft, section.slug))

            html = response.content.decode()
            assert response.status_code == 200
            assert shown(section.kind.label) in html
            for criterion in criteria.criteria.all():
                in_section = criterion.group == section.group
                assert (f"<legend>{criterion.name}</legend>" in html) == in_section
                assert (f'name="level_{criterion.pk}"' in html) == in_section
                assert (f'name="description_{criterion.pk}"' in html) == in_section
                has_checkbox = f'name="not_applicable_{criterion.pk}"' in html
                assert has_checkbox == (
                    in_section and criterion.applies_only_where_needed
                )

    def test_saving_a_section_stores_its_answers_and_returns_to_the_list(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        staff = draft.declarations.filter(criterion__group=CriterionGroup.STAFF)
        first = staff.order_by("criterion__position").first()
        data = _criteria_data(
            draft, CriterionGroup.STAFF, **{f"level_{first.criterion_id}": "1"}
        )
        data["next"] = "tasks"

        response = client.post(_section_url(draft, "kadra"), data)

        first.refresh_from_db()
        assert response.status_code == 302
        assert response.url == self.url(draft)
        assert first.level == Level.PARTIAL
        assert first.description == "Sala 40 m2, sprzęt."
        assert not staff.filter(level__isnull=True).exists()
        # The other sections are left as they were.
        assert (
            not draft.declarations.exclude(criterion__group=CriterionGroup.STAFF)
            .filter(level__isnull=False)
            .exists()
        )

    def test_save_and_continue_opens_the_next_section(self, client, applicant, draft):
        client.force_login(applicant)
        data = {
            "authorised_person": "Jan Kowalski",
            "authorised_person_contact": "jan@gmina.pl",
            "next": "continue",
        }

        response = client.post(_section_url(draft, "osoba-upowazniona"), data)

        draft.refresh_from_db()
        assert draft.authorised_person == "Jan Kowalski"
        assert draft.authorised_person_contact == "jan@gmina.pl"
        assert response.url == _section_url(draft, "klub")

    def test_the_last_criteria_section_continues_to_the_attachments(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        data = _criteria_data(draft, CriterionGroup.GROUP, next="continue")

        response = client.post(_section_url(draft, "uslugi-grupowe"), data)

        assert response.url == reverse("certification:attachments", args=[draft.pk])

    def test_too_long_description_is_refused_and_nothing_is_saved(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        first = draft.declarations.filter(
            criterion__group=CriterionGroup.PREMISES
        ).first()
        long_text = "a" * (DESCRIPTION_MAX_LENGTH + 1)
        data = _criteria_data(
            draft,
            CriterionGroup.PREMISES,
            **{f"description_{first.criterion_id}": long_text},
        )

        response = client.post(_section_url(draft, "baza-lokalowa"), data)

        html = response.content.decode()
        assert response.status_code == 400
        assert not draft.declarations.filter(level__isnull=False).exists()
        assert 'role="alert"' in html
        assert f'id="id_description_{first.criterion_id}_error"' in html
        assert f'href="#id_description_{first.criterion_id}"' in html
        assert long_text in html
        # The levels chosen stay chosen.
        assert re.search(
            rf'<input[^>]*name="level_{first.criterion_id}"[^>]*value="2"[^>]*checked',
            html,
        )

    def test_unknown_section_gets_404(self, client, applicant, draft):
        client.force_login(applicant)

        assert client.get(_section_url(draft, "nie-ma-takiej")).status_code == 404
        # The attachments have their own page.
        assert client.get(_section_url(draft, "zalaczniki")).status_code == 404

    def test_application_of_another_institution_gets_404(
        self, client, other_applicant, draft
    ):
        client.force_login(other_applicant)
        data = {"authorised_person": "Ktoś Obcy", "authorised_person_contact": "x"}

        assert client.get(self.url(draft)).status_code == 404
        url = _section_url(draft, "osoba-upowazniona")
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        draft.refresh_from_db()
        assert draft.authorised_person == ""

    def test_officer_gets_404_for_a_draft(self, client, officer, draft):
        client.force_login(officer)

        assert client.get(self.url(draft)).status_code == 404
        assert client.get(_section_url(draft, "kadra")).status_code == 404

    def test_officer_is_told_why_a_submitted_application_cannot_be_changed(
        self, client, club, officer, criteria
    ):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(officer)

        for url in (self.url(application), _section_url(application, "kadra")):
            response = client.get(url)

            assert response.status_code == 403
            assert (
                shown("Only the institution that filed the application can do this.")
                in response.content.decode()
            )

    def test_submitted_application_cannot_be_changed(
        self, client, applicant, club, criteria
    ):
        application = factories.SubmittedApplicationFactory(club=club)
        before = application.authorised_person
        client.force_login(applicant)
        url = _section_url(application, "osoba-upowazniona")

        page = client.get(url)
        response = client.post(
            url,
            {"authorised_person": "Ktoś Inny", "authorised_person_contact": "x"},
            follow=True,
        )

        application.refresh_from_db()
        reason = escape(page.context["verdict"].reason)
        assert page.status_code == 403
        assert reason in page.content.decode()
        assert 'name="authorised_person"' not in page.content.decode()
        assert response.redirect_chain[-1][0] == application.get_absolute_url()
        assert reason in response.content.decode()
        assert application.authorised_person == before

    def test_correction_shows_the_faults_and_the_deadline(
        self, client, applicant, club, criteria
    ):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(applicant)

        response = client.get(self.url(application))

        html = response.content.decode()
        assert response.status_code == 200
        assert escape(application.correction_faults) in html
        assert application.correction_deadline.strftime("%d.%m.%Y") in html

    def test_corrected_application_is_changed_through_its_sections(
        self, client, applicant, club, criteria
    ):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(applicant)

        response = client.post(
            _section_url(application, "osoba-upowazniona"),
            {
                "authorised_person": "Anna Nowak",
                "authorised_person_contact": "anna@gmina.pl",
                "next": "tasks",
            },
        )

        application.refresh_from_db()
        assert response.status_code == 302
        assert application.authorised_person == "Anna Nowak"
        assert application.state == ApplicationState.CORRECTION


class TestSubmit:
    def test_submit_leads_to_the_receipt_with_the_case_number(
        self, client, applicant, club, criteria
    ):
        draft = factories.DraftApplicationFactory(club=club)
        client.force_login(applicant)

        response = client.post(
            reverse("certification:action", args=[draft.pk, "submit"]),
            {"expected_state": ApplicationState.DRAFT},
            follow=True,
        )

        draft.refresh_from_db()
        assert draft.state == ApplicationState.SUBMITTED
        assert response.redirect_chain[-1][0] == reverse(
            "certification:receipt", args=[draft.pk]
        )
        assert draft.number
        assert draft.number in response.content.decode()

    def test_incomplete_application_is_not_submitted(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            reverse("certification:action", args=[draft.pk, "submit"]),
            {"expected_state": ApplicationState.DRAFT},
            follow=True,
        )

        draft.refresh_from_db()
        assert draft.state == ApplicationState.DRAFT
        assert 'role="alert"' in response.content.decode()


class TestClubEdit:
    def test_applicant_corrects_the_leader_of_its_club(self, client, applicant, club):
        client.force_login(applicant)
        data = _club_data(leader_name="Zofia Łęcka")
        data["voivodeship"] = club.voivodeship_id

        response = client.post(reverse("certification:club_edit", args=[club.pk]), data)

        assert response.status_code == 302
        club.refresh_from_db()
        assert club.leader_name == "Zofia Łęcka"
        assert Club.objects.count() == 1

    def test_bad_postal_code_keeps_the_typed_values_and_changes_nothing(
        self, client, applicant, club
    ):
        client.force_login(applicant)
        data = _club_data(leader_name="Zofia Łęcka", postal_code="1234")
        data["voivodeship"] = club.voivodeship_id
        before = club.leader_name

        response = client.post(reverse("certification:club_edit", args=[club.pk]), data)

        assert response.status_code == 400
        assert "Zofia Łęcka" in response.content.decode()
        club.refresh_from_db()
        assert club.leader_name == before

    def test_club_data_are_locked_while_the_application_is_examined(
        self, client, units
    ):
        application = factories.SubmittedApplicationFactory()
        applicant = factories.applicant_of(application)
        client.force_login(applicant)
        data = _club_data(leader_name="Ktoś Inny")
        data["voivodeship"] = application.club.voivodeship_id

        response = client.post(
            reverse("certification:club_edit", args=[application.club.pk]), data
        )

        assert response.status_code == 302
        application.club.refresh_from_db()
        assert application.club.leader_name != "Ktoś Inny"

    def test_club_of_another_institution_gets_404(self, client, other_applicant, club):
        client.force_login(other_applicant)

        response = client.get(reverse("certification:club_edit", args=[club.pk]))

        assert response.status_code == 404
