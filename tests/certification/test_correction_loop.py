"""The correction loop: the officer lists the faults at the parts of the
application they concern, the applicant sees each one there, and after the
corrected application is filed everyone who reads the case sees what
changed, next to the faults that asked for it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from certification import services
from certification.application_sections import BY_KIND, SectionKind
from certification.forms import FAULT_MAX_LENGTH, GENERAL_NOTE_MAX_LENGTH
from certification.models import CorrectionFault, CriteriaVersion, Criterion
from certification.states import ApplicationState, CriterionGroup, Level
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def submitted(club, criteria):
    return factories.SubmittedApplicationFactory(club=club)


def action_url(application) -> str:
    return reverse("certification:action", args=[application.pk, "request-correction"])


def section_url(application, kind: SectionKind) -> str:
    return reverse(
        "certification:application_section",
        args=[application.pk, BY_KIND[kind].slug],
    )


def premises_criteria(application) -> list[Criterion]:
    return [
        declaration.criterion
        for declaration in application.declarations.select_related(
            "criterion"
        ).order_by("criterion__position", "criterion__pk")
        if declaration.criterion.group == CriterionGroup.PREMISES
    ]


def ask(client, application, **boxes):
    """The officer sends the correction form with the boxes given."""
    data = {"expected_state": application.state}
    data.update(boxes)
    return client.post(action_url(application), data)


def part(html: str, start: str, end: str) -> str:
    """The piece of a page from the first `start` to the next `end`."""
    begin = html.index(start)
    return html[begin : html.index(end, begin + len(start))]


class TestTheOfficerListsTheFaults:
    def test_the_form_has_a_box_per_section_and_per_criterion_of_the_application(
        self, client, submitted
    ):
        client.force_login(factories.officer_of(submitted))

        response = client.get(action_url(submitted))

        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="section_applicant"' in html
        assert 'name="section_attachments"' in html
        # The sections of criteria have a box per criterion, not one of their own.
        assert 'name="section_premises"' not in html
        for declaration in submitted.declarations.all():
            assert f'name="criterion_{declaration.criterion_id}"' in html
        assert 'name="faults"' in html
        # Nothing written yet: the sections of criteria stay folded.
        assert '<details class="fault-section border rounded px-3 py-2 mb-3">' in (html)

    def test_no_fault_at_all_is_refused_with_the_message_and_nothing_changes(
        self, client, submitted
    ):
        client.force_login(factories.officer_of(submitted))

        response = ask(client, submitted, faults="   ")

        html = response.content.decode()
        submitted.refresh_from_db()
        assert response.status_code == 400
        assert html.index("List the faults to correct.") < html.index("Faults by part")
        assert submitted.state == ApplicationState.SUBMITTED
        assert not submitted.correction_faults
        assert not CorrectionFault.objects.filter(application=submitted).exists()

    def test_a_general_note_alone_is_enough(self, client, submitted):
        client.force_login(factories.officer_of(submitted))

        response = ask(client, submitted, faults="Brak podpisu osoby upoważnionej.")

        submitted.refresh_from_db()
        assert response.status_code == 302
        assert submitted.state == ApplicationState.CORRECTION
        assert submitted.correction_faults == "Brak podpisu osoby upoważnionej."

    def test_a_fault_too_long_is_refused_next_to_its_box_and_kept(
        self, client, submitted
    ):
        client.force_login(factories.officer_of(submitted))
        criterion = premises_criteria(submitted)[0]
        too_long = "x" * (FAULT_MAX_LENGTH + 1)

        response = ask(client, submitted, **{f"criterion_{criterion.pk}": too_long})

        html = response.content.decode()
        submitted.refresh_from_db()
        assert response.status_code == 400
        assert f"at most {FAULT_MAX_LENGTH} characters" in html
        assert f'id="id_criterion_{criterion.pk}_error"' in html
        # What was typed is kept, in a section shown unfolded.
        assert too_long in html
        assert '<details class="fault-section border rounded px-3 py-2 mb-3" open>' in (
            html
        )
        assert submitted.state == ApplicationState.SUBMITTED

    def test_a_fault_at_the_limit_is_accepted(self, client, submitted):
        client.force_login(factories.officer_of(submitted))
        criterion = premises_criteria(submitted)[0]

        response = ask(
            client,
            submitted,
            **{f"criterion_{criterion.pk}": "x" * FAULT_MAX_LENGTH},
        )

        submitted.refresh_from_db()
        assert response.status_code == 302
        assert submitted.state == ApplicationState.CORRECTION
        fault = CorrectionFault.objects.get(application=submitted)
        assert fault.criterion == criterion
        assert fault.section == SectionKind.PREMISES

    def test_a_general_note_too_long_is_refused(self, client, submitted):
        client.force_login(factories.officer_of(submitted))

        response = ask(client, submitted, faults="x" * (GENERAL_NOTE_MAX_LENGTH + 1))

        submitted.refresh_from_db()
        assert response.status_code == 400
        assert f"at most {GENERAL_NOTE_MAX_LENGTH} characters" in (
            response.content.decode()
        )
        assert submitted.state == ApplicationState.SUBMITTED


class TestTheServiceChecksWhatAFaultNames:
    def test_a_criterion_of_another_version_is_refused(self, submitted):
        version = CriteriaVersion.objects.create(
            number=99, published_on=datetime.date(2027, 1, 1)
        )
        other = Criterion.objects.create(
            version=version,
            code="inna-sala",
            group=CriterionGroup.PREMISES,
            name="Inna sala",
            required_level=Level.FULL,
        )

        with pytest.raises(ValidationError) as refused:
            services.request_correction(
                application=submitted,
                by=factories.officer_of(submitted),
                listed=[
                    {"section": "premises", "criterion": other, "message": "Za mała."}
                ],
            )

        submitted.refresh_from_db()
        assert "faults" in refused.value.message_dict
        assert submitted.state == ApplicationState.SUBMITTED

    def test_an_unknown_section_is_refused(self, submitted):
        with pytest.raises(ValidationError):
            services.request_correction(
                application=submitted,
                by=factories.officer_of(submitted),
                listed=[{"section": "kitchen", "criterion": None, "message": "Brak."}],
            )

        submitted.refresh_from_db()
        assert submitted.state == ApplicationState.SUBMITTED

    def test_a_criterion_filed_under_another_section_is_refused(self, submitted):
        criterion = premises_criteria(submitted)[0]

        with pytest.raises(ValidationError):
            services.request_correction(
                application=submitted,
                by=factories.officer_of(submitted),
                listed=[
                    {
                        "section": SectionKind.CLUB,
                        "criterion": criterion,
                        "message": "Brak opisu.",
                    }
                ],
            )

        submitted.refresh_from_db()
        assert submitted.state == ApplicationState.SUBMITTED
        assert not CorrectionFault.objects.filter(application=submitted).exists()

    def test_a_criterion_of_the_application_is_accepted(self, submitted):
        criterion = premises_criteria(submitted)[0]

        services.request_correction(
            application=submitted,
            by=factories.officer_of(submitted),
            listed=[
                {"section": "premises", "criterion": criterion, "message": "Za mała."}
            ],
        )

        submitted.refresh_from_db()
        assert submitted.state == ApplicationState.CORRECTION


class TestTheApplicantSeesTheFaultsWhereTheyBelong:
    def test_a_fault_on_a_criterion_is_shown_next_to_it_and_marks_its_section(
        self, client, applicant, submitted
    ):
        client.force_login(factories.officer_of(submitted))
        first, second = premises_criteria(submitted)[:2]
        ask(
            client,
            submitted,
            **{
                f"criterion_{first.pk}": "Podaj powierzchnię sali.",
                "section_club": "Brak telefonu klubu.",
            },
        )
        client.force_login(applicant)

        section = client.get(section_url(submitted, SectionKind.PREMISES))
        tasks = client.get(
            reverse("certification:application_edit", args=[submitted.pk])
        )

        html = section.content.decode()
        assert section.status_code == 200
        assert "Podaj powierzchnię sali." in part(
            html, f'id="criterion-{first.pk}"', f'id="criterion-{second.pk}"'
        )
        tasks_html = tasks.content.decode()
        premises = part(
            tasks_html,
            f'href="{section_url(submitted, SectionKind.PREMISES)}"',
            "</li>",
        )
        assert "1 fault to correct" in premises
        staff = part(
            tasks_html, f'href="{section_url(submitted, SectionKind.STAFF)}"', "</li>"
        )
        assert "fault to correct" not in staff

    def test_the_general_note_is_on_the_task_list_and_the_case_page(
        self, client, applicant, submitted
    ):
        client.force_login(factories.officer_of(submitted))
        ask(client, submitted, faults="Brak podpisu osoby upoważnionej.")
        client.force_login(applicant)

        tasks = client.get(
            reverse("certification:application_edit", args=[submitted.pk])
        )
        case = client.get(submitted.get_absolute_url())

        assert escape("Brak podpisu osoby upoważnionej.") in tasks.content.decode()
        assert escape("Brak podpisu osoby upoważnionej.") in case.content.decode()

    def test_the_case_page_lists_the_faults_by_section_with_links_for_the_applicant(
        self, client, applicant, submitted
    ):
        client.force_login(factories.officer_of(submitted))
        criterion = premises_criteria(submitted)[0]
        ask(
            client,
            submitted,
            faults="Brak podpisu.",
            **{
                f"criterion_{criterion.pk}": "Podaj powierzchnię sali.",
                "section_club": "Brak telefonu klubu.",
            },
        )
        client.force_login(applicant)

        html = client.get(submitted.get_absolute_url()).content.decode()

        box = part(html, "Faults to correct", "</div>")
        premises_link = section_url(submitted, SectionKind.PREMISES)
        club_link = section_url(submitted, SectionKind.CLUB)
        assert f'href="{club_link}"' in box
        assert f'href="{premises_link}"' in box
        # Each fault under the link of its section, the club before the premises
        # as in the form.
        assert (
            box.index(club_link)
            < box.index("Brak telefonu klubu.")
            < box.index(premises_link)
            < box.index(escape(criterion.name))
            < box.index("Podaj powierzchnię sali.")
        )
        assert "Brak podpisu." in box

    def test_the_officer_reads_the_faults_as_plain_text(self, client, submitted):
        officer = factories.officer_of(submitted)
        client.force_login(officer)
        ask(client, submitted, section_club="Brak telefonu klubu.")

        html = client.get(submitted.get_absolute_url()).content.decode()

        box = part(html, "Faults to correct", "</div>")
        assert "Brak telefonu klubu." in box
        assert section_url(submitted, SectionKind.CLUB) not in box


def _criteria_section_data(response) -> dict:
    """What the criteria section form holds now, as the browser would send it."""
    form = response.context["form"]
    data = {"next": "tasks"}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False, ""):
            continue
        data[name] = "on" if value is True else str(value)
    return data


class TestWhatChangedInTheCorrectedApplication:
    def test_the_officer_sees_exactly_the_changed_answer_next_to_its_fault(
        self, client, applicant, submitted
    ):
        officer = factories.officer_of(submitted)
        first, second = premises_criteria(submitted)[:2]
        client.force_login(officer)
        ask(
            client,
            submitted,
            **{
                f"criterion_{first.pk}": "Podaj powierzchnię sali.",
                f"criterion_{second.pk}": "Opisz wyposażenie.",
            },
        )

        client.force_login(applicant)
        url = section_url(submitted, SectionKind.PREMISES)
        data = _criteria_section_data(client.get(url))
        data[f"description_{first.pk}"] = "Sala 45 m2 na parterze."
        assert client.post(url, data).status_code == 302
        resubmitted = client.post(
            reverse("certification:action", args=[submitted.pk, "resubmit"]),
            {"expected_state": ApplicationState.CORRECTION},
        )
        assert resubmitted.status_code == 302

        client.force_login(officer)
        html = client.get(submitted.get_absolute_url()).content.decode()

        changes = part(html, 'id="changes"', "</section>")
        assert "Changed in the corrected application" in changes
        assert changes.count("<tr>") == 2  # the header and the one change
        # The answers are recorded in Polish, the language of the case.
        assert escape(f"{first}: czym dysponuje klub") in changes
        assert changes.index("Opis tego, co klub ma.") < changes.index(
            "Sala 45 m2 na parterze."
        )
        assert escape(f"{second}: czym dysponuje klub") not in changes
        assert escape(applicant.get_full_name()) not in changes
        # The fault that was answered and the one that was not.
        assert "Podaj powierzchnię sali." in changes
        assert "Opisz wyposażenie." in changes
        assert (
            part(changes, "Podaj powierzchnię sali.", "</li>").count(
                "its answers have changed"
            )
            == 1
        )
        assert "none of its answers has changed" in part(
            changes, "Opisz wyposażenie.", "</li>"
        )

    def test_nothing_is_listed_before_any_resubmission(self, client, submitted):
        client.force_login(factories.officer_of(submitted))

        html = client.get(submitted.get_absolute_url()).content.decode()

        assert "Changed in the corrected application" not in html

    def test_a_person_of_another_voivodeship_gets_404(
        self, client, lubuskie, submitted
    ):
        services.request_correction(
            application=submitted, by=factories.officer_of(submitted), faults="Braki."
        )
        services.resubmit_application(
            application=submitted, by=factories.applicant_of(submitted)
        )
        stranger = factories.OfficerFactory(unit__voivodeship=lubuskie)
        client.force_login(stranger)

        response = client.get(submitted.get_absolute_url())

        assert response.status_code == 404
        client.force_login(factories.officer_of(submitted))
        assert "Changed in the corrected application" in (
            client.get(submitted.get_absolute_url()).content.decode()
        )
