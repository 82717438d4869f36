"""The forms of recommendation Nr 8 as PDFs (certification.document_forms):
blank and filled, read back with pypdf; and the case's document screens.

Texts are compared with what the Polish catalogue makes of their message ids
(`pl`), so the tests hold before and after a message is translated. Layout
breaks lines, and may break a long word anywhere, so texts are compared with
their white space removed (`squash`).
"""

import datetime
import io
import re
import zoneinfo

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from certification import document_forms, documents, events, selectors, services
from certification.models import Application, CriteriaVersion, Criterion, Transition
from certification.states import ApplicationKind, ApplicationState, Level, Result
from tests import factories

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
CLUB_NAME = "KIS „Źródło” – Zażółć gęślą jaźń w Łodzi"
LEADER = "Łucja Żółkiewska-Ćwik"
POLISH_LETTERS = "ąćęłńóśźż"


def pl(message: str) -> str:
    with translation.override("pl"):
        return translation.gettext(message)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [squash(page.extract_text()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return "".join(pdf_pages(pdf))


def assert_draft_on_every_page(pdf: bytes) -> None:
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert squash(pl("DRAFT")) in page, f"page {number} has no draft marker"


def assert_not_draft(pdf: bytes) -> None:
    assert squash(pl("DRAFT")) not in pdf_text(pdf)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=WARSAW
    ).astimezone(datetime.UTC)


def move(application: Application, event: str, when: datetime.datetime) -> None:
    """Move the recorded time of a step, as only the database could."""
    Transition.objects.filter(application=application, event=event).update(at=when)


@pytest.fixture
def polish_club(mazowieckie):
    return factories.ClubFactory(
        founding_unit__voivodeship=mazowieckie,
        founding_unit__name="Stowarzyszenie „Gęśla Jaźń” w Żyrardowie",
        name=CLUB_NAME,
        street="ul. Źródlana 7",
        city="Łódź",
        phone="42 600 700 800",
        email="zrodlo@example.org",
        leader_name=LEADER,
        leader_contact="lucja@example.org",
        register_entry_date=datetime.date(2019, 3, 4),
        register_entry_number="KIS/14/0031",
    )


@pytest.fixture
def certified(polish_club) -> Application:
    return factories.CertifiedApplicationFactory(club=polish_club)


@pytest.fixture
def other_officer(lubuskie):
    return factories.OfficerFactory(unit__voivodeship=lubuskie)


def long_criteria_version(count: int = 60) -> CriteriaVersion:
    """A newer dictionary of `count` criteria, spread over the six groups."""
    current = CriteriaVersion.current()
    version = CriteriaVersion.objects.create(
        number=current.number + 1, published_on=datetime.date(2026, 6, 1)
    )
    groups = [choice for choice, _label in Criterion._meta.get_field("group").choices]
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            code=f"long-{position}",
            group=groups[(position - 1) * len(groups) // count],
            position=position,
            name=f"Kryterium nr {position:02d}: zażółć gęślą jaźń",
            required_level=Level.FULL,
        )
        for position in range(1, count + 1)
    )
    return version


class TestBlankForms:
    """Blank forms work without a case or a request, in Polish whatever the
    active language."""

    @pytest.mark.parametrize(
        ("render", "title"),
        [
            (document_forms.application_pdf, "APPLICATION FOR THE KIS CERTIFICATE"),
            (
                document_forms.explanations_pdf,
                "EXPLANATIONS FOR FILLING IN THE APPLICATION FOR THE KIS CERTIFICATE",
            ),
            (document_forms.standard_card_pdf, "SC KIS STANDARD CARD"),
            (document_forms.audit_card_pdf, "KIS AUDIT CARD"),
        ],
    )
    def test_lists_every_criterion_of_the_current_version(
        self, criteria, render, title
    ):
        with translation.override("en"):
            pdf = render()

        text = pdf_text(pdf)
        assert squash(pl(title)) in text
        assert squash(pl("Criterion")) in text
        # The names carry Polish letters: "Dostępność pomieszczeń", "Kadry".
        for criterion in criteria.criteria.all():
            assert squash(criterion.name) in text
        assert_not_draft(pdf)

    def test_blank_application_has_the_fields_of_form_1_in_order(self, criteria):
        text = pdf_text(document_forms.application_pdf())

        headings = [
            "Name of the applicant (the institution founding the social "
            "employment entity)",
            "Person authorised to file the application",
            "Social integration club",
            "Club leader (manager)",
            "Date of the entry and number in the voivode's register",
            "DATA FOR THE ASSESSMENT OF THE CERTIFICATION STANDARD",
            "ORGANISATIONAL AND TECHNICAL SCOPE",
            "Premises criterion",
            "Staff criterion",
            "Organisational preparation criterion",
            "Local cooperation criterion",
            "SERVICE SCOPE",
            "Scope of individual services",
            "Scope of group services",
            "Drawn up by:",
        ]
        positions = [text.index(squash(pl(heading))) for heading in headings]
        assert positions == sorted(positions)
        assert squash(pl("Enter: name, address")) in text

    def test_blank_audit_card_has_three_experts_and_the_closing_fields(self, criteria):
        text = pdf_text(document_forms.audit_card_pdf())

        for heading in (
            "Name of the KIS certification audit unit",
            "Members of the audit team",
            "First expert",
            "Second expert",
            "Third expert",
            "CONFIRMATION OF SC KIS FROM THE AUDIT",
            "Confirmation of the entry in the voivode's register",
            "Final report drawn up on",
            "Final conclusion of the audit",
        ):
            assert squash(pl(heading)) in text

    def test_blank_process_card_has_every_date_field_and_no_date(self, db):
        pdf = document_forms.process_card_pdf(None)
        text = pdf_text(pdf)

        assert squash(pl("KIS CERTIFICATION PROCESS CARD")) in text
        # The titles are lazy: they must be read in Polish, as printed.
        with translation.override("pl"):
            stages = document_forms.process_stages(None)
            for stage in stages:
                assert squash(str(stage.title)) in text
                for cell in stage.cells:
                    assert cell.applies and cell.day is None
                    assert squash(str(cell.label)) in text
        assert not re.search(r"\d\d\.\d\d\.\d{4}", text)

    def test_blank_forms_render_without_any_criteria(self, db):
        text = pdf_text(document_forms.standard_card_pdf())

        assert squash(pl("No criteria are defined.")) in text


class TestApplicationPdf:
    def test_filled_application_prints_the_case(self, polish_club):
        application = factories.SubmittedApplicationFactory(club=polish_club)

        pdf = document_forms.application_pdf(application)

        text = pdf_text(pdf)
        for value in (
            CLUB_NAME,
            polish_club.address,
            LEADER,
            "lucja@example.org",
            "42 600 700 800",
            polish_club.founding_unit.name,
            application.authorised_person,
            application.number,
            "04.03.2019",
            "KIS/14/0031",
            application.certifying_unit.full_name,
        ):
            assert squash(value) in text
        for declaration in application.declarations.select_related("criterion"):
            assert squash(declaration.criterion.name) in text
        assert squash("Opis tego, co klub ma.") in text
        assert squash(pl("Fully met")) in text
        with translation.override("pl"):
            filed = documents.formal_date(timezone.localdate(application.submitted_at))
        assert squash(filed) in text
        assert all(letter in text for letter in POLISH_LETTERS)
        assert_not_draft(pdf)

    def test_draft_application_says_draft_on_every_page(self, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)

        pdf = document_forms.application_pdf(application)

        assert len(pdf_pages(pdf)) >= 2
        assert_draft_on_every_page(pdf)

    def test_application_under_correction_is_a_draft(self, polish_club):
        application = factories.CorrectionApplicationFactory(club=polish_club)

        assert_draft_on_every_page(document_forms.application_pdf(application))

    def test_declared_not_applicable_is_printed(self, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)
        application.declarations.filter(
            criterion__applies_only_where_needed=True
        ).update(level=None, not_applicable=True)

        text = pdf_text(document_forms.application_pdf(application))

        assert squash(pl("does not apply")) in text

    def test_renewal_has_its_own_title(self, certified):
        Application.objects.filter(pk=certified.pk).update(kind=ApplicationKind.RENEWAL)
        certified.refresh_from_db()

        text = pdf_text(document_forms.application_pdf(certified))

        assert squash(pl("APPLICATION FOR THE RENEWAL OF THE KIS CERTIFICATE")) in text

    def test_is_polish_whatever_the_active_language(self, polish_club):
        application = factories.SubmittedApplicationFactory(club=polish_club)

        with translation.override("en"):
            pdf = document_forms.application_pdf(application)

        text = pdf_text(pdf)
        assert squash(pl("Declared level")) in text
        assert squash(pl("What the club has")) in text


class TestExplanationsPdf:
    def test_explains_every_criterion_with_its_guidance_and_level(self, criteria):
        text = pdf_text(document_forms.explanations_pdf())

        for criterion in criteria.criteria.all():
            assert squash(criterion.name) in text
            assert squash(criterion.guidance) in text
        assert squash(pl("Partly met")) in text
        assert squash(pl("Yes, where not needed")) in text
        assert squash(pl("PART A. THE APPLICANT AND THE CLUB")) in text

    def test_deadlines_come_from_the_settings(self, criteria, settings):
        settings.SCKIS_DEADLINES = {**settings.SCKIS_DEADLINES, "correction_days": 12}

        text = pdf_text(document_forms.explanations_pdf())

        with translation.override("pl"):
            sentence = translation.ngettext(
                "The certifying unit first checks the application formally. If "
                "something is missing, it lists the faults and you correct them "
                "within %(days)s day; an application not corrected in time is "
                "left unprocessed.",
                "The certifying unit first checks the application formally. If "
                "something is missing, it lists the faults and you correct them "
                "within %(days)s days; an application not corrected in time is "
                "left unprocessed.",
                12,
            ) % {"days": 12}
        assert squash(sentence) in text


class TestStandardCardPdf:
    def test_completed_card_prints_the_results(self, polish_club):
        application = factories.AuditApplicationFactory(club=polish_club)
        card = selectors.current_standard_card(application)

        pdf = document_forms.standard_card_pdf(application)

        text = pdf_text(pdf)
        assert squash(pl("SC KIS STANDARD CARD")) in text
        assert squash(application.certifying_unit.full_name) in text
        assert squash(card.coordinator.display_name) in text
        assert squash(CLUB_NAME) in text
        assert squash(pl("Fulfilled")) in text
        assert squash("Klub spełnia minimalny standard KIS.") in text
        with translation.override("pl"):
            assert squash(documents.formal_date(card.completed_on)) in text
        for row in card.rows.all():
            assert squash(row.criterion.name) in text
        assert_not_draft(pdf)

    def test_changed_result_shows_its_reason(self, polish_club):
        application = factories.MeritReviewApplicationFactory(club=polish_club)
        card = selectors.current_standard_card(application)
        changed = card.rows.first()
        services.standard_card_save(
            card=card,
            by=factories.officer_of(application),
            revision=card.revision,
            results={
                changed.pk: {
                    "result": Result.DEVIATION,
                    "override_reason": "Lokal użyczony tylko do końca miesiąca.",
                }
            },
            final_opinion="",
            complete=False,
        )

        text = pdf_text(document_forms.standard_card_pdf(application))

        assert squash(pl("Deviation")) in text
        assert squash("Lokal użyczony tylko do końca miesiąca.") in text

    def test_card_not_completed_says_draft_on_every_page(self, polish_club):
        application = factories.MeritReviewApplicationFactory(club=polish_club)

        pdf = document_forms.standard_card_pdf(application)

        assert len(pdf_pages(pdf)) >= 2
        assert_draft_on_every_page(pdf)

    def test_case_without_a_card_has_no_standard_card(self, polish_club):
        application = factories.SubmittedApplicationFactory(club=polish_club)

        with pytest.raises(document_forms.DocumentUnavailable):
            document_forms.standard_card_pdf(application)

    def test_long_card_repeats_its_header_row_on_every_page(
        self, criteria, polish_club
    ):
        long_criteria_version(60)
        application = factories.MeritReviewApplicationFactory(club=polish_club)
        assert application.criteria_version.criteria.count() == 60

        pdf = document_forms.standard_card_pdf(application)

        pages = pdf_pages(pdf)
        assert len(pages) >= 3
        header = squash(
            pl("Criterion")
            + pl("Required level")
            + pl("Declared level")
            + pl("Result of the comparison (deviation, fulfilment)")
        )
        # The last page may hold only the final opinion, after the tables.
        table_pages = [page for page in pages if "Kryteriumnr" in page]
        assert len(table_pages) >= 2
        for number, page in enumerate(table_pages, start=1):
            assert header in page, f"page {number} has no header row"
        text = "".join(pages)
        positions = [
            text.index(squash(f"Kryterium nr {n:02d}: zażółć gęślą jaźń"))
            for n in range(1, 61)
        ]
        assert positions == sorted(positions)


class TestAuditCardPdf:
    def test_delivered_audit_prints_team_findings_and_conclusion(self, polish_club):
        application = factories.DecisionApplicationFactory(club=polish_club)
        audit = selectors.current_audit(application)

        pdf = document_forms.audit_card_pdf(application)

        text = pdf_text(pdf)
        assert squash(pl("KIS AUDIT CARD")) in text
        assert squash(audit.audit_unit.full_name) in text
        for expert in factories.EXPERTS:
            assert squash(expert["name"]) in text
            assert squash(expert["contact"]) in text
        assert squash("Potwierdza się wpis do rejestru wojewody.") in text
        assert squash("KIS/14/0031") in text
        assert squash("Sprawdzono na miejscu.") in text
        assert squash(pl("Yes")) in text
        assert squash("Klub spełnia standard.") in text
        assert squash(pl("the club meets the standard")) in text
        assert squash(LEADER) in text
        with translation.override("pl"):
            assert squash(documents.formal_date(audit.report_drawn_up_on)) in text
        assert_not_draft(pdf)

    def test_audit_in_progress_says_draft_on_every_page(self, polish_club):
        application = factories.AuditInProgressApplicationFactory(club=polish_club)

        pdf = document_forms.audit_card_pdf(application)

        assert_draft_on_every_page(pdf)

    def test_case_without_an_audit_has_no_audit_card(self, polish_club):
        application = factories.MeritReviewApplicationFactory(club=polish_club)

        with pytest.raises(document_forms.DocumentUnavailable):
            document_forms.audit_card_pdf(application)


class TestProcessCardPdf:
    # Distinct days for each step, so that each date can be told apart.
    DAYS = {
        events.SUBMITTED: datetime.date(2026, 1, 5),
        events.ACCEPTED_FORMALLY: datetime.date(2026, 1, 12),
        events.STANDARD_CARD_COMPLETED: datetime.date(2026, 1, 19),
        events.AUDIT_COMMISSIONED: datetime.date(2026, 1, 20),
        events.AUDIT_STARTED: datetime.date(2026, 2, 2),
        events.AUDIT_CARD_SAVED: datetime.date(2026, 2, 10),
        events.REPORT_DELIVERED: datetime.date(2026, 2, 16),
        events.GRANTED: datetime.date(2026, 3, 2),
    }

    def spread(self, application: Application) -> None:
        for event, day in self.DAYS.items():
            move(application, event, at(day))

    def stage_cells(self, application: Application) -> dict[str, object]:
        with translation.override("pl"):
            return {
                str(cell.label): cell
                for stage in document_forms.process_stages(application)
                for cell in stage.cells
            }

    def test_dates_are_the_recorded_ones(self, certified):
        self.spread(certified)

        cells = self.stage_cells(certified)
        text = pdf_text(document_forms.process_card_pdf(certified))

        expected = {
            "Date of the first registration – start of the certification": (
                events.SUBMITTED
            ),
            "Date of the admission of the application to the further "
            "certification procedure": events.ACCEPTED_FORMALLY,
            "Date of the positive certification decision": events.AUDIT_COMMISSIONED,
            "Date of the start of the certification audit": events.AUDIT_STARTED,
            "Date the certification audit report was drawn up": (
                events.REPORT_DELIVERED
            ),
            "Date the certification audit report was delivered to the "
            "certifying unit": events.REPORT_DELIVERED,
            "Date of issue of the first KIS certificate": events.GRANTED,
        }
        for label, event in expected.items():
            recorded = certified.transitions.get(event=event).at
            day = timezone.localdate(recorded, WARSAW)
            assert cells[pl(label)].day == day
            assert squash(pl(label)) + day.strftime("%d.%m.%Y") in text
        # The report date printed on the audit card is the same day.
        audit = selectors.current_audit(certified)
        assert audit.report_drawn_up_on is not None

    def test_moving_a_recorded_step_moves_its_date(self, certified):
        self.spread(certified)
        label = pl("Date of the first registration – start of the certification")
        before = pdf_text(document_forms.process_card_pdf(certified))

        # 23:30 UTC on 7 January is already 8 January in Warsaw.
        move(
            certified,
            events.SUBMITTED,
            datetime.datetime(2026, 1, 7, 23, 30, tzinfo=datetime.UTC),
        )
        after = pdf_text(document_forms.process_card_pdf(certified))

        assert squash(label) + "05.01.2026" in before
        assert squash(label) + "08.01.2026" in after
        assert "05.01.2026" not in after

    def test_lists_every_recorded_step(self, certified):
        self.spread(certified)

        text = pdf_text(document_forms.process_card_pdf(certified))

        for transition in selectors.history(certified):
            with translation.override("pl"):
                label = events.label(transition.event)
            assert squash(label) in text
            assert squash(transition.actor.display_name) in text
            local = timezone.localtime(transition.at, WARSAW)
            assert squash(local.strftime("%d.%m.%Y %H:%M")) in text

    def test_prints_the_parties(self, certified):
        text = pdf_text(document_forms.process_card_pdf(certified))

        for value in (
            certified.certifying_unit.full_name,
            certified.applicant_unit.name,
            certified.applicant_unit.email,
            certified.authorised_person,
            CLUB_NAME,
            certified.club.address,
            "42 600 700 800",
            LEADER,
        ):
            assert squash(value) in text

    def test_initial_application_leaves_the_renewal_fields_empty(self, certified):
        cells = self.stage_cells(certified)

        renewal_only = [cell for cell in cells.values() if not cell.applies]
        assert renewal_only
        assert all(cell.day is None for cell in renewal_only)
        assert cells[pl("Date of issue of the next KIS certificate")] in renewal_only

    def test_renewal_fills_the_renewal_fields(self, certified):
        self.spread(certified)
        Application.objects.filter(pk=certified.pk).update(kind=ApplicationKind.RENEWAL)
        certified.refresh_from_db()

        cells = self.stage_cells(certified)
        text = pdf_text(document_forms.process_card_pdf(certified))

        assert cells[pl("Date of issue of the first KIS certificate")].day is None
        assert cells[pl("Date of issue of the next KIS certificate")].day == (
            datetime.date(2026, 3, 2)
        )
        renewal_start = pl(
            "Date of the changes of the formal data in the application – start "
            "of the procedure of renewing the certificate"
        )
        assert cells[renewal_start].day == datetime.date(2026, 1, 5)
        assert squash(renewal_start) + "05.01.2026" in text

    def test_refusal_is_dated_and_no_certificate(self, polish_club):
        application = factories.RefusedApplicationFactory(club=polish_club)
        move(application, events.REFUSED, at(datetime.date(2026, 4, 1)))

        cells = self.stage_cells(application)

        assert cells[
            pl("Date of issue of the refusal of the KIS certificate")
        ].day == datetime.date(2026, 4, 1)
        assert cells[pl("Date of issue of the first KIS certificate")].day is None

    def test_a_new_audit_after_an_upheld_appeal_has_its_own_dates(self, polish_club):
        application = factories.AppealReviewApplicationFactory(club=polish_club)
        services.uphold_appeal(
            application=application,
            by=factories.appeal_officer(),
            reasons="Ocena merytoryczna do powtórzenia.",
            return_to=ApplicationState.MERIT_REVIEW,
        )
        factories.complete_standard_card(application)
        services.commission_audit(
            application=application, by=factories.officer_of(application)
        )

        cells = self.stage_cells(application)

        second = application.transitions.filter(event=events.AUDIT_COMMISSIONED)
        assert second.count() == 2
        assert cells[pl("Date of the positive certification decision")].day == (
            timezone.localdate(second.last().at, WARSAW)
        )
        assert cells[pl("Date of the start of the certification audit")].day is None
        assert cells[pl("Date the certification audit report was drawn up")].day is None
        assert cells[
            pl("Date of issue of the refusal of the KIS certificate")
        ].day == timezone.localdate(
            application.transitions.get(event=events.REFUSED).at, WARSAW
        )

    def test_unsubmitted_application_is_a_draft(self, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)

        pdf = document_forms.process_card_pdf(application)

        assert_draft_on_every_page(pdf)
        assert squash(pl("No step has been recorded yet.")) in pdf_text(pdf)

    def test_filed_case_is_not_a_draft(self, certified):
        assert_not_draft(document_forms.process_card_pdf(certified))


class TestReceiptPdf:
    def test_prints_the_submission_in_warsaw_time(self, polish_club):
        application = factories.SubmittedApplicationFactory(club=polish_club)
        # 23:30 UTC on 28 March 2026 is 00:30 on 29 March in Warsaw.
        move(
            application,
            events.SUBMITTED,
            datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC),
        )

        with translation.override("en"):
            pdf = document_forms.receipt_pdf(application)

        text = pdf_text(pdf)
        assert len(pdf_pages(pdf)) == 1
        with translation.override("pl"):
            day = documents.formal_date(datetime.date(2026, 3, 29))
        assert squash(day) in text
        assert "00:30" in text
        for value in (
            application.number,
            CLUB_NAME,
            polish_club.founding_unit.name,
            application.certifying_unit.full_name,
        ):
            assert squash(value) in text
        assert (
            squash(
                pl(
                    "The certifying unit will now check the application formally. "
                    "If something is missing, it will ask you for a correction and "
                    "give you a deadline. No trial certificate is issued: this "
                    "receipt confirms the submission."
                )
            )
            in text
        )
        assert all(letter in text for letter in POLISH_LETTERS)
        assert_not_draft(pdf)

    def test_unsubmitted_application_has_no_receipt(self, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)

        with pytest.raises(document_forms.DocumentUnavailable):
            document_forms.receipt_pdf(application)


DOCUMENT_URLS = [
    "document_application",
    "document_standard_card",
    "document_audit_card",
    "document_process_card",
    "document_receipt",
]


def document_url(name: str, application: Application) -> str:
    return reverse(f"certification:{name}", args=[application.pk])


class TestDocumentViews:
    @pytest.mark.parametrize("name", DOCUMENT_URLS)
    def test_officer_of_the_case_gets_the_pdf_inline(self, client, certified, name):
        client.force_login(factories.officer_of(certified))

        response = client.get(document_url(name, certified))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        disposition = response["Content-Disposition"]
        assert disposition.startswith("inline; filename=")
        reference = certified.number.replace("/", "-")
        assert f'{reference}.pdf"' in disposition
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize("name", DOCUMENT_URLS)
    def test_officer_of_another_voivodeship_gets_404(
        self, client, certified, other_officer, name
    ):
        client.force_login(other_officer)

        assert client.get(document_url(name, certified)).status_code == 404

    def test_applicant_of_another_institution_gets_404(self, client, certified):
        client.force_login(factories.ApplicantFactory())

        response = client.get(document_url("document_application", certified))

        assert response.status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, certified):
        response = client.get(document_url("document_process_card", certified))

        assert response.status_code == 302
        assert "next=" in response["Location"]

    def test_applicant_reads_its_draft(self, client, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)
        client.force_login(factories.applicant_of(application))

        response = client.get(document_url("document_application", application))

        assert response.status_code == 200
        assert (
            f"wniosek-projekt-{application.pk}.pdf" in (response["Content-Disposition"])
        )
        assert_draft_on_every_page(response.content)

    @pytest.mark.parametrize(
        "name", ["document_standard_card", "document_audit_card", "document_receipt"]
    )
    def test_document_the_case_has_not_reached_is_404(self, client, polish_club, name):
        application = factories.DraftApplicationFactory(club=polish_club)
        client.force_login(factories.applicant_of(application))

        assert client.get(document_url(name, application)).status_code == 404

    def test_case_page_links_the_documents(self, client, certified):
        client.force_login(factories.officer_of(certified))

        html = client.get(certified.get_absolute_url()).content.decode()

        for name in DOCUMENT_URLS:
            assert document_url(name, certified) in html

    def test_case_page_of_a_draft_links_only_what_exists(self, client, polish_club):
        application = factories.DraftApplicationFactory(club=polish_club)
        client.force_login(factories.applicant_of(application))

        html = client.get(application.get_absolute_url()).content.decode()

        assert document_url("document_application", application) in html
        assert document_url("document_receipt", application) not in html
        assert document_url("document_standard_card", application) not in html
