"""The application (Formularz 1) as the applicant fills it: the task list of
sections, each section's page with its rules, the attachments as the last
section, and the page to check the answers and submit. Every rule is posted
as a person would type it, once wrong and once right.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import application_sections, deadlines, services
from certification.application_sections import (
    EXPECTED_ATTACHMENTS,
    SECTIONS,
    SectionKind,
    SectionStatus,
)
from certification.attachments import attachment_add
from certification.forms_applicant import DESCRIPTION_MAX_LENGTH
from certification.models import Application, AttachmentKind, Certificate
from certification.states import ApplicationState, CriterionGroup, Level
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n"
CHECK_RETURN = "?powrot=sprawdz"
FORM_SECTIONS = [s for s in SECTIONS if s.kind != SectionKind.ATTACHMENTS]
CRITERIA_SECTIONS = [s for s in SECTIONS if s.is_criteria]


# `applicant` (a person of the institution that founded `club`), `officer`
# (of the same voivodeship), `criteria`, `mazowieckie` and `lubuskie` come
# from conftest.


@pytest.fixture
def draft(applicant, club, criteria) -> Application:
    """A draft just opened: nothing declared yet."""
    return services.application_create(by=applicant, club=club)


@pytest.fixture
def filled(club, criteria) -> Application:
    """A draft with every required answer given, and no attachments."""
    return factories.DraftApplicationFactory(club=club)


def shown(msgid: str, **values) -> str:
    """A message as the page shows it: in Polish, the default language."""
    with translation.override("pl"):
        text = translation.gettext(msgid)
        return escape(text % values if values else text)


def label(choice) -> str:
    with translation.override("pl"):
        return escape(str(choice.label))


def section_url(application: Application, slug: str) -> str:
    return reverse("certification:application_section", args=[application.pk, slug])


def tasks_url(application: Application) -> str:
    return reverse("certification:application_edit", args=[application.pk])


def check_url(application: Application) -> str:
    return reverse("certification:application_check", args=[application.pk])


def attachments_url(application: Application) -> str:
    return reverse("certification:attachments", args=[application.pk])


def submit_url(application: Application) -> str:
    return reverse("certification:action", args=[application.pk, "submit"])


def status_on_page(html: str, slug: str) -> str:
    """The status the task list shows next to a section."""
    found = re.search(rf'id="status-{slug}"[^>]*>([^<]*)<', html)
    assert found, f"no status of {slug}"
    return found.group(1).strip()


def declarations_of(application: Application, group: CriterionGroup):
    return application.declarations.filter(criterion__group=group).order_by(
        "criterion__position"
    )


def criteria_data(application: Application, group: CriterionGroup, **overrides):
    """Every criterion of a group declared fully met, with a description."""
    data = {"next": "tasks"}
    for declaration in declarations_of(application, group):
        pk = declaration.criterion_id
        data[f"level_{pk}"] = str(Level.FULL.value)
        data[f"description_{pk}"] = "Sala 40 m2, sprzęt."
    data.update(overrides)
    return data


def errors_shown(response) -> None:
    """The page came back with the error summary and the field marked."""
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html or "is-invalid" in html


# The applicant section.


def applicant_data(**changes) -> dict:
    data = {
        "name": "Miejski Ośrodek Pomocy Społecznej w Testowie",
        "street": "ul. Ratuszowa 3",
        "postal_code": "00-950",
        "city": "Testowo",
        "phone": "22 123 45 67",
        "email": "mops@testowo.pl",
        "next": "tasks",
    }
    data.update(changes)
    return data


class TestApplicantSection:
    slug = "wnioskodawca"

    def test_shows_the_institution_as_registered(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.get(section_url(draft, self.slug))

        assert response.status_code == 200
        assert escape(draft.applicant_unit.name) in response.content.decode()

    def test_name_is_required(self, client, applicant, draft):
        client.force_login(applicant)
        before = draft.applicant_unit.name

        response = client.post(
            section_url(draft, self.slug), applicant_data(name="", city="Nowe Miasto")
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown("Enter the name of the institution.") in html
        assert 'href="#id_name"' in html
        assert 'value="Nowe Miasto"' in html
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.name == before
        assert draft.applicant_unit.city != "Nowe Miasto"

    def test_name_is_saved(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(section_url(draft, self.slug), applicant_data())

        assert response.status_code == 302
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.name == (
            "Miejski Ośrodek Pomocy Społecznej w Testowie"
        )

    @pytest.mark.parametrize("typed", ["00950", "00-950", " 00 950 "])
    def test_postal_code_is_accepted_with_or_without_the_dash(
        self, client, applicant, draft, typed
    ):
        client.force_login(applicant)
        draft.applicant_unit.postal_code = "11-111"
        draft.applicant_unit.save()

        response = client.post(
            section_url(draft, self.slug), applicant_data(postal_code=typed)
        )

        assert response.status_code == 302
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.postal_code == "00-950"

    @pytest.mark.parametrize("typed", ["0095", "009501", "AB-CDE"])
    def test_wrong_postal_code_is_refused_with_a_message(
        self, client, applicant, draft, typed
    ):
        client.force_login(applicant)
        before = draft.applicant_unit.postal_code

        response = client.post(
            section_url(draft, self.slug), applicant_data(postal_code=typed)
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown("Enter the postal code as NN-NNN, for example 00-950.") in html
        assert f'value="{typed}"' in html
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.postal_code == before

    @pytest.mark.parametrize("typed", ["601234567", "601-234-567", "+48 601 234 567"])
    def test_phone_is_stored_in_one_form(self, client, applicant, draft, typed):
        client.force_login(applicant)

        client.post(section_url(draft, self.slug), applicant_data(phone=typed))

        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.phone == "+48 601 234 567"

    def test_phone_of_too_few_digits_is_refused(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug), applicant_data(phone="601 234")
        )

        errors_shown(response)
        assert (
            shown(
                "Enter a Polish phone number of 9 digits, for example "
                "+48 22 123 45 67 or 601 234 567."
            )
            in response.content.decode()
        )
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.phone == ""

    def test_invalid_email_is_refused(self, client, applicant, draft):
        client.force_login(applicant)
        before = draft.applicant_unit.email

        response = client.post(
            section_url(draft, self.slug), applicant_data(email="mops(at)testowo")
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown("Enter an e-mail address, for example ops@gmina.pl.") in html
        assert 'value="mops(at)testowo"' in html
        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.email == before

    def test_valid_email_is_saved(self, client, applicant, draft):
        client.force_login(applicant)

        client.post(section_url(draft, self.slug), applicant_data())

        draft.applicant_unit.refresh_from_db()
        assert draft.applicant_unit.email == "mops@testowo.pl"


# The person authorised to file.


class TestAuthorisedPersonSection:
    slug = "osoba-upowazniona"

    def test_name_over_200_characters_is_refused(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            {
                "authorised_person": "J" * 201,
                "authorised_person_contact": "jan@gmina.pl",
            },
        )

        errors_shown(response)
        html = response.content.decode()
        assert 'href="#id_authorised_person"' in html
        assert 'value="jan@gmina.pl"' in html
        draft.refresh_from_db()
        assert draft.authorised_person == ""
        assert draft.authorised_person_contact == ""

    def test_contact_over_200_characters_is_refused(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            {
                "authorised_person": "Jan Kowalski",
                "authorised_person_contact": "6" * 201,
            },
        )

        errors_shown(response)
        assert 'href="#id_authorised_person_contact"' in response.content.decode()
        draft.refresh_from_db()
        assert draft.authorised_person == ""

    def test_name_and_contact_are_saved(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            {
                "authorised_person": "J" * 200,
                "authorised_person_contact": "jan@gmina.pl",
                "next": "tasks",
            },
        )

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.authorised_person == "J" * 200
        assert draft.authorised_person_contact == "jan@gmina.pl"


# The club and its leader.


def club_data(club, **changes) -> dict:
    data = {
        "name": club.name,
        "street": club.street,
        "postal_code": club.postal_code,
        "city": club.city,
        "gmina": club.gmina,
        "phone": club.phone,
        "email": club.email,
        "leader_name": club.leader_name,
        "leader_contact": club.leader_contact,
        "next": "tasks",
    }
    data.update(changes)
    return data


class TestClubSection:
    slug = "klub"

    @pytest.mark.parametrize(
        ("field", "message"),
        [
            ("name", "Enter the name of the club."),
            ("street", "Enter the street and number."),
            ("postal_code", "Enter the postal code."),
            ("city", "Enter the town."),
            ("leader_name", "Enter the name of the club leader."),
        ],
    )
    def test_name_address_and_leader_are_required(
        self, client, applicant, draft, field, message
    ):
        client.force_login(applicant)
        club = draft.club
        before = getattr(club, field)

        response = client.post(
            section_url(draft, self.slug),
            club_data(club, **{field: "", "gmina": "Gmina Nowa"}),
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown(message) in html
        assert f'href="#id_{field}"' in html
        assert 'value="Gmina Nowa"' in html
        club.refresh_from_db()
        assert getattr(club, field) == before
        assert club.gmina != "Gmina Nowa"

    def test_changed_club_data_are_saved(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            club_data(
                draft.club,
                name="KIS Razem",
                postal_code="01234",
                leader_name="Zofia Łęcka",
                phone="601-234-567",
            ),
        )

        assert response.status_code == 302
        club = draft.club
        club.refresh_from_db()
        assert club.name == "KIS Razem"
        assert club.postal_code == "01-234"
        assert club.leader_name == "Zofia Łęcka"
        assert club.phone == "+48 601 234 567"

    def test_bad_postal_code_keeps_typed_values_and_changes_nothing(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        club = draft.club
        before = (club.name, club.postal_code, club.leader_name)

        response = client.post(
            section_url(draft, self.slug),
            club_data(
                club, name="KIS Razem", postal_code="1234", leader_name="Zofia Łęcka"
            ),
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown("Enter the postal code as NN-NNN, for example 00-950.") in html
        assert 'value="1234"' in html
        assert 'value="KIS Razem"' in html
        assert 'value="Zofia Łęcka"' in html
        club.refresh_from_db()
        assert (club.name, club.postal_code, club.leader_name) == before

    def test_voivodeship_cannot_be_changed(self, client, applicant, draft, lubuskie):
        client.force_login(applicant)
        club = draft.club
        before = club.voivodeship_id

        page = client.get(section_url(draft, self.slug))
        client.post(
            section_url(draft, self.slug),
            club_data(club, voivodeship=lubuskie.pk, name="KIS Razem"),
        )

        html = page.content.decode()
        assert 'name="voivodeship"' not in html
        assert escape(club.voivodeship.name) in html
        club.refresh_from_db()
        assert club.voivodeship_id == before
        # The rest of what was posted is saved.
        assert club.name == "KIS Razem"


# The entry in the voivode's register.


class TestRegisterSection:
    slug = "rejestr-wojewody"

    def post(self, client, application, date, number="KIS/7/2026"):
        return client.post(
            section_url(application, self.slug),
            {
                "register_entry_date": date,
                "register_entry_number": number,
                "next": "tasks",
            },
        )

    def test_date_in_the_future_is_refused(self, client, applicant, draft):
        client.force_login(applicant)
        tomorrow = deadlines.today() + datetime.timedelta(days=1)
        typed = tomorrow.strftime("%d.%m.%Y")
        before = draft.club.register_entry_date

        response = self.post(client, draft, typed)

        errors_shown(response)
        html = response.content.decode()
        assert shown("The date of the entry cannot be in the future.") in html
        assert f'value="{typed}"' in html
        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == before

    def test_date_that_does_not_exist_is_refused(self, client, applicant, draft):
        client.force_login(applicant)
        before = draft.club.register_entry_date

        response = self.post(client, draft, "31.02.2025")

        errors_shown(response)
        html = response.content.decode()
        assert (
            shown("Enter an existing date as DD.MM.YYYY, for example 15.01.2026.")
            in html
        )
        assert 'value="31.02.2025"' in html
        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == before

    @pytest.mark.parametrize("typed", ["15.01.2026", "2026-01-15"])
    def test_polish_and_iso_dates_are_accepted(self, client, applicant, draft, typed):
        client.force_login(applicant)

        response = self.post(client, draft, typed)

        assert response.status_code == 302
        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == datetime.date(2026, 1, 15)
        assert draft.club.register_entry_number == "KIS/7/2026"

    def test_today_is_accepted(self, client, applicant, draft):
        client.force_login(applicant)

        self.post(client, draft, deadlines.today().strftime("%d.%m.%Y"))

        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == deadlines.today()

    def test_number_is_optional(self, client, applicant, draft):
        client.force_login(applicant)

        response = self.post(client, draft, "15.01.2026", number="")

        assert response.status_code == 302
        draft.club.refresh_from_db()
        assert draft.club.register_entry_number == ""
        material = application_sections.Material.of(draft)
        section = application_sections.BY_KIND[SectionKind.REGISTER]
        assert application_sections.gaps(material, section) == []

    def test_date_is_required_before_submission(self, client, applicant, draft):
        client.force_login(applicant)

        self.post(client, draft, "", number="")

        response = client.get(check_url(draft))
        assert (
            shown("the date of the entry in the voivode's register")
            in response.content.decode()
        )


# A section of criteria: the premises, whose accessibility may not apply.


class TestCriteriaSection:
    slug = "baza-lokalowa"
    group = CriterionGroup.PREMISES

    @pytest.fixture
    def first(self, draft):
        return declarations_of(draft, self.group).first()

    @pytest.mark.parametrize("typed", ["7", "-1", "pełny"])
    def test_invalid_level_is_refused(self, client, applicant, draft, first, typed):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            criteria_data(draft, self.group, **{f"level_{first.criterion_id}": typed}),
        )

        errors_shown(response)
        html = response.content.decode()
        assert shown("Choose one of the levels listed.") in html
        assert f'href="#id_level_{first.criterion_id}_0"' in html
        assert not draft.declarations.filter(level__isnull=False).exists()

    @pytest.mark.parametrize("level", Level.values)
    def test_every_level_is_accepted(self, client, applicant, draft, first, level):
        client.force_login(applicant)

        response = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"level_{first.criterion_id}": str(level)}
            ),
        )

        assert response.status_code == 302
        first.refresh_from_db()
        assert first.level == level

    def test_description_over_the_limit_is_refused_with_its_length(
        self, client, applicant, draft, first
    ):
        client.force_login(applicant)
        text = "a" * (DESCRIPTION_MAX_LENGTH + 1)

        response = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"description_{first.criterion_id}": text}
            ),
        )

        errors_shown(response)
        html = response.content.decode()
        assert (
            shown(
                "Write at most %(limit_value)d characters "
                "(the text has %(show_value)d).",
                limit_value=DESCRIPTION_MAX_LENGTH,
                show_value=DESCRIPTION_MAX_LENGTH + 1,
            )
            in html
        )
        assert text in html
        first.refresh_from_db()
        assert first.description == ""

    def test_description_at_the_limit_is_saved(self, client, applicant, draft, first):
        client.force_login(applicant)
        text = "a" * DESCRIPTION_MAX_LENGTH

        response = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"description_{first.criterion_id}": text}
            ),
        )

        assert response.status_code == 302
        first.refresh_from_db()
        assert first.description == text

    def test_line_breaks_count_as_one_character(self, client, applicant, draft, first):
        client.force_login(applicant)
        # 4000 characters as the browser counts them, 5333 as sent.
        text = "ab\r\n" * (DESCRIPTION_MAX_LENGTH // 3) + "a"
        assert len(text.replace("\r\n", "\n")) == DESCRIPTION_MAX_LENGTH
        assert len(text) > DESCRIPTION_MAX_LENGTH
        too_long = text + "b"

        refused = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"description_{first.criterion_id}": too_long}
            ),
        )
        saved = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"description_{first.criterion_id}": text}
            ),
        )

        assert refused.status_code == 400
        assert (
            shown(
                "Write at most %(limit_value)d characters "
                "(the text has %(show_value)d).",
                limit_value=DESCRIPTION_MAX_LENGTH,
                show_value=DESCRIPTION_MAX_LENGTH + 1,
            )
            in refused.content.decode()
        )
        assert saved.status_code == 302
        first.refresh_from_db()
        assert first.description == text.replace("\r\n", "\n")

    def test_does_not_apply_leaves_the_level_out(
        self, client, applicant, draft, criteria
    ):
        client.force_login(applicant)
        criterion = criteria.criteria.get(applies_only_where_needed=True)
        assert criterion.group == self.group

        response = client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"not_applicable_{criterion.pk}": "on"}
            ),
        )

        assert response.status_code == 302
        declaration = draft.declarations.get(criterion=criterion)
        assert declaration.not_applicable is True
        assert declaration.level is None
        # It counts as answered: the section is complete.
        page = client.get(tasks_url(draft))
        assert status_on_page(page.content.decode(), self.slug) == label(
            SectionStatus.COMPLETE
        )

    def test_does_not_apply_only_where_the_criterion_allows_it(
        self, client, applicant, draft, criteria
    ):
        client.force_login(applicant)
        criterion = criteria.criteria.filter(
            group=self.group, applies_only_where_needed=False
        ).first()

        page = client.get(section_url(draft, self.slug))
        client.post(
            section_url(draft, self.slug),
            criteria_data(
                draft, self.group, **{f"not_applicable_{criterion.pk}": "on"}
            ),
        )

        assert f'name="not_applicable_{criterion.pk}"' not in page.content.decode()
        declaration = draft.declarations.get(criterion=criterion)
        assert declaration.not_applicable is False
        assert declaration.level == Level.FULL

    def test_initial_application_has_no_changed_checkbox(
        self, client, applicant, draft, first
    ):
        client.force_login(applicant)

        page = client.get(section_url(draft, self.slug))
        client.post(
            section_url(draft, self.slug),
            criteria_data(draft, self.group, **{f"changed_{first.criterion_id}": "on"}),
        )

        assert f'name="changed_{first.criterion_id}"' not in page.content.decode()
        first.refresh_from_db()
        assert first.changed_since_last is False

    def test_renewal_records_what_changed_since_the_last_application(
        self, client, units
    ):
        application = factories.CertifiedApplicationFactory(level=Level.FULL)
        certificate = Certificate.objects.get(application=application)
        holder = factories.applicant_of(application)
        renewal = services.renewal_create(by=holder, certificate=certificate)
        changed, unchanged = declarations_of(renewal, self.group)[:2]
        client.force_login(holder)
        url = section_url(renewal, self.slug)
        data = criteria_data(renewal, self.group)

        page = client.get(url)
        client.post(url, {**data, f"changed_{changed.criterion_id}": "on"})

        assert f'name="changed_{changed.criterion_id}"' in page.content.decode()
        changed.refresh_from_db()
        unchanged.refresh_from_db()
        assert changed.changed_since_last is True
        assert unchanged.changed_since_last is False

        # Unticked, it is taken back.
        client.post(url, data)

        changed.refresh_from_db()
        assert changed.changed_since_last is False


# The statuses of the task list.


class TestTaskListStatuses:
    def statuses(self, client, application) -> dict:
        html = client.get(tasks_url(application)).content.decode()
        return {
            section.slug: status_on_page(html, section.slug) for section in SECTIONS
        }

    def test_new_draft(self, client, applicant, draft):
        client.force_login(applicant)

        statuses = self.statuses(client, draft)

        # Filled from the registration of the institution and of the club.
        for slug in ("wnioskodawca", "klub", "rejestr-wojewody"):
            assert statuses[slug] == label(SectionStatus.COMPLETE)
        assert statuses["osoba-upowazniona"] == label(SectionStatus.NOT_STARTED)
        for section in CRITERIA_SECTIONS:
            assert statuses[section.slug] == label(SectionStatus.NOT_STARTED)
        assert statuses["zalaczniki"] == label(SectionStatus.NOT_STARTED)

    def test_criteria_section_goes_from_not_started_to_complete(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        group = CriterionGroup.STAFF
        first = declarations_of(draft, group).first()
        url = section_url(draft, "kadra")

        client.post(url, {f"level_{first.criterion_id}": "2", "next": "tasks"})
        one_level = client.get(tasks_url(draft)).content.decode()
        client.post(
            url,
            criteria_data(draft, group, **{f"description_{first.criterion_id}": ""}),
        )
        no_description = client.get(tasks_url(draft)).content.decode()
        client.post(url, criteria_data(draft, group))
        complete = client.get(tasks_url(draft)).content.decode()

        assert status_on_page(one_level, "kadra") == label(SectionStatus.IN_PROGRESS)
        assert (
            shown("the description of: %(criterion)s", criterion=first.criterion.name)
            in one_level
        )
        assert status_on_page(no_description, "kadra") == label(
            SectionStatus.IN_PROGRESS
        )
        assert status_on_page(complete, "kadra") == label(SectionStatus.COMPLETE)
        # The other criteria sections are untouched.
        assert status_on_page(complete, "baza-lokalowa") == label(
            SectionStatus.NOT_STARTED
        )

    def test_authorised_person_goes_from_in_progress_to_complete(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        url = section_url(draft, "osoba-upowazniona")

        client.post(url, {"authorised_person": "Jan Kowalski", "next": "tasks"})
        name_only = client.get(tasks_url(draft)).content.decode()
        client.post(
            url,
            {
                "authorised_person": "Jan Kowalski",
                "authorised_person_contact": "jan@gmina.pl",
                "next": "tasks",
            },
        )
        both = client.get(tasks_url(draft)).content.decode()

        assert status_on_page(name_only, "osoba-upowazniona") == label(
            SectionStatus.IN_PROGRESS
        )
        assert status_on_page(both, "osoba-upowazniona") == label(
            SectionStatus.COMPLETE
        )

    def test_cleared_club_contact_makes_the_club_in_progress(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        client.post(
            section_url(draft, "klub"), club_data(draft.club, phone="", email="")
        )

        html = client.get(tasks_url(draft)).content.decode()
        assert status_on_page(html, "klub") == label(SectionStatus.IN_PROGRESS)
        assert shown("the club's phone or e-mail") in html

    def test_attachments_are_optional_and_do_not_block_submission(self, client, filled):
        applicant = factories.applicant_of(filled)
        client.force_login(applicant)

        tasks = client.get(tasks_url(filled))
        check = client.get(check_url(filled))

        html = tasks.content.decode()
        assert not filled.attachments.exists()
        assert status_on_page(html, "zalaczniki") == label(SectionStatus.NOT_STARTED)
        assert shown("recommended") in html
        assert tasks.context["ready"] is True
        assert f'action="{submit_url(filled)}"' in check.content.decode()

    def test_an_attachment_starts_the_attachments_section(self, client, filled):
        applicant = factories.applicant_of(filled)
        client.force_login(applicant)
        attachment_add(
            application=filled,
            by=applicant,
            kind=AttachmentKind.RULES,
            uploaded_file=SimpleUploadedFile("regulamin.pdf", PDF),
        )

        html = client.get(tasks_url(filled)).content.decode()

        assert status_on_page(html, "zalaczniki") == label(SectionStatus.IN_PROGRESS)


# The page to check the answers and submit.


class TestCheckAnswers:
    def test_lists_each_answer(self, client, filled):
        client.force_login(factories.applicant_of(filled))

        response = client.get(check_url(filled))

        html = response.content.decode()
        assert response.status_code == 200
        club = filled.club
        for value in (
            filled.applicant_unit.name,
            filled.authorised_person,
            filled.authorised_person_contact,
            club.name,
            club.leader_name,
            club.register_entry_date.strftime("%d.%m.%Y"),
            club.register_entry_number,
            "Opis tego, co klub ma.",
        ):
            assert escape(value) in html
        for declaration in filled.declarations.select_related("criterion"):
            assert (
                shown(
                    "%(criterion)s: declared level",
                    criterion=declaration.criterion,
                )
                in html
            )
        assert label(Level.FULL) in html
        assert 'id="gaps-heading"' not in html

    def test_lists_what_is_missing(self, client, applicant, draft):
        client.force_login(applicant)

        response = client.get(check_url(draft))

        html = response.content.decode()
        assert 'id="gaps-heading"' in html
        assert shown("the person authorised to file the application") in html
        for declaration in draft.declarations.select_related("criterion"):
            name = declaration.criterion.name
            assert shown("the declared level of: %(criterion)s", criterion=name) in (
                html
            )
        # Missing answers are a notice, not an error.
        assert 'role="alert"' not in html

    def test_no_submit_button_while_something_is_missing(
        self, client, applicant, draft
    ):
        client.force_login(applicant)

        html = client.get(check_url(draft)).content.decode()

        assert f'action="{submit_url(draft)}"' not in html
        assert (
            shown("Complete the missing answers listed at the top of this page first.")
            in html
        )

    def test_submit_button_appears_once_nothing_is_missing(self, client, filled):
        client.force_login(factories.applicant_of(filled))

        html = client.get(check_url(filled)).content.decode()

        assert f'action="{submit_url(filled)}"' in html
        assert shown("Submit the application") in html

    def test_one_missing_answer_hides_the_submit_button(self, client, filled):
        applicant = factories.applicant_of(filled)
        client.force_login(applicant)
        client.post(
            section_url(filled, "osoba-upowazniona"),
            {"authorised_person": "Jan Kowalski", "authorised_person_contact": ""},
        )

        html = client.get(check_url(filled)).content.decode()

        assert f'action="{submit_url(filled)}"' not in html
        assert shown("the contact of the authorised person") in html

    def test_submitting_from_the_check_page_leads_to_the_receipt(self, client, filled):
        client.force_login(factories.applicant_of(filled))
        html = client.get(check_url(filled)).content.decode()
        expected_state = re.search(
            r'name="expected_state" value="([^"]+)"', html
        ).group(1)

        response = client.post(
            submit_url(filled), {"expected_state": expected_state}, follow=True
        )

        filled.refresh_from_db()
        assert filled.state == ApplicationState.SUBMITTED
        assert response.redirect_chain[-1][0] == reverse(
            "certification:receipt", args=[filled.pk]
        )
        assert filled.number in response.content.decode()

    def test_submitting_with_gaps_is_refused_and_the_draft_stays(
        self, client, applicant, draft
    ):
        client.force_login(applicant)
        with translation.override("pl"):
            gaps = "; ".join(application_sections.submission_gaps(draft))

        response = client.post(
            submit_url(draft), {"expected_state": ApplicationState.DRAFT}, follow=True
        )

        html = response.content.decode()
        draft.refresh_from_db()
        assert draft.state == ApplicationState.DRAFT
        assert not draft.number
        assert 'role="alert"' in html
        assert shown("Fill in before submitting: %(gaps)s.", gaps=gaps) in html

    def test_change_links_return_to_the_check_page(self, client, filled):
        client.force_login(factories.applicant_of(filled))

        html = client.get(check_url(filled)).content.decode()

        for section in FORM_SECTIONS:
            assert f'href="{section_url(filled, section.slug)}{CHECK_RETURN}"' in html
        assert f'href="{attachments_url(filled)}{CHECK_RETURN}"' in html

    def test_saving_a_section_opened_from_the_check_page_returns_there(
        self, client, filled
    ):
        client.force_login(factories.applicant_of(filled))
        url = section_url(filled, "osoba-upowazniona") + CHECK_RETURN

        page = client.get(url)
        response = client.post(
            url,
            {
                "authorised_person": "Anna Nowak",
                "authorised_person_contact": "anna@gmina.pl",
                "next": "check",
            },
        )

        assert shown("Save and go back to your answers") in page.content.decode()
        assert response.status_code == 302
        assert response.url == check_url(filled)
        filled.refresh_from_db()
        assert filled.authorised_person == "Anna Nowak"

    def test_refused_section_from_the_check_page_stays_on_the_section(
        self, client, filled
    ):
        client.force_login(factories.applicant_of(filled))
        url = section_url(filled, "rejestr-wojewody") + CHECK_RETURN

        response = client.post(
            url, {"register_entry_date": "31.02.2025", "next": "check"}
        )

        assert response.status_code == 400
        assert shown("Save and go back to your answers") in response.content.decode()


# Who may open the pages.


class TestAccess:
    @pytest.fixture
    def submitted(self, club, criteria):
        return factories.SubmittedApplicationFactory(club=club)

    def pages(self, application) -> list[str]:
        return [
            tasks_url(application),
            check_url(application),
            *(section_url(application, s.slug) for s in FORM_SECTIONS),
        ]

    def test_person_of_another_institution_gets_404(self, client, mazowieckie, draft):
        client.force_login(factories.ApplicantFactory(unit__voivodeship=mazowieckie))

        for url in self.pages(draft):
            assert client.get(url).status_code == 404, url
        for section in FORM_SECTIONS:
            url = section_url(draft, section.slug)
            assert client.post(url, {"name": "Obcy"}).status_code == 404, url
        assert client.get(attachments_url(draft)).status_code == 404

    def test_officer_of_another_voivodeship_gets_404(self, client, lubuskie, submitted):
        client.force_login(factories.OfficerFactory(unit__voivodeship=lubuskie))

        for url in self.pages(submitted):
            assert client.get(url).status_code == 404, url
        assert client.get(attachments_url(submitted)).status_code == 404

    def test_officer_of_the_case_is_told_why_it_cannot_be_changed(
        self, client, submitted
    ):
        client.force_login(factories.officer_of(submitted))
        reason = shown("Only the institution that filed the application can do this.")

        for url in [tasks_url(submitted)] + [
            section_url(submitted, s.slug) for s in FORM_SECTIONS
        ]:
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 403, url
            assert reason in html, url
            assert "<form" not in html.split("<main", 1)[-1], url

    def test_officer_cannot_change_a_section_by_posting(self, client, submitted):
        client.force_login(factories.officer_of(submitted))
        before = submitted.authorised_person

        client.post(
            section_url(submitted, "osoba-upowazniona"),
            {"authorised_person": "Ktoś Inny", "authorised_person_contact": "x"},
        )

        submitted.refresh_from_db()
        assert submitted.authorised_person == before

    def test_applicant_of_the_case_may_open_every_page(self, client, filled):
        client.force_login(factories.applicant_of(filled))

        for url in self.pages(filled):
            assert client.get(url).status_code == 200, url


# The attachments, the last section.


class TestAttachmentsSection:
    def test_links_back_to_the_sections_and_to_the_check_page(self, client, filled):
        client.force_login(factories.applicant_of(filled))

        response = client.get(attachments_url(filled))

        html = response.content.decode()
        assert response.status_code == 200
        assert f'href="{tasks_url(filled)}"' in html
        assert shown("Back to the list of sections") in html
        assert f'href="{check_url(filled)}"' in html
        assert shown("Check your answers") in html
        assert shown("Section %(n)s of %(total)s", n=11, total=11) in html

    def test_names_the_recommended_documents_and_those_missing(self, client, filled):
        applicant = factories.applicant_of(filled)
        client.force_login(applicant)

        before = client.get(attachments_url(filled)).content.decode()
        client.post(
            attachments_url(filled),
            {
                "kind": AttachmentKind.RULES,
                "file": SimpleUploadedFile("regulamin.pdf", PDF),
            },
        )
        after = client.get(attachments_url(filled)).content.decode()

        for kind in EXPECTED_ATTACHMENTS:
            assert label(kind) in before
            assert shown("attachment: %(kind)s", kind=label(kind)) in before
        rules = shown("attachment: %(kind)s", kind=label(AttachmentKind.RULES))
        assert rules not in after
        pup = shown("attachment: %(kind)s", kind=label(AttachmentKind.PUP_AGREEMENT))
        assert pup in after

    def test_says_when_every_recommended_document_is_attached(self, client, filled):
        applicant = factories.applicant_of(filled)
        client.force_login(applicant)
        for kind in EXPECTED_ATTACHMENTS:
            attachment_add(
                application=filled,
                by=applicant,
                kind=kind,
                uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF),
            )

        html = client.get(attachments_url(filled)).content.decode()

        assert shown("All the recommended documents are attached.") in html
        assert shown("Recommended, not attached yet:") not in html

    def test_no_section_links_once_the_application_cannot_be_changed(
        self, client, club, criteria
    ):
        submitted = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(submitted))

        html = client.get(attachments_url(submitted)).content.decode()

        assert f'href="{check_url(submitted)}"' not in html
        assert f'href="{tasks_url(submitted)}"' not in html
        assert shown("Recommended, not attached yet:") not in html

    def test_officer_sees_the_list_without_the_section_links(
        self, client, club, criteria
    ):
        submitted = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.officer_of(submitted))

        response = client.get(attachments_url(submitted))

        html = response.content.decode()
        assert response.status_code == 200
        assert f'href="{check_url(submitted)}"' not in html
        assert shown("Back to the list of sections") not in html
