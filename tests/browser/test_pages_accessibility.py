"""Every kind of page a person reaches outside the journeys, checked with
axe-core in a real chromium: the public pages, the account pages, and the
pages of each role that the journeys do not open.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from certification import application_sections, reference_data, services
from certification.application_sections import SectionKind
from tests import factories
from tests.browser.test_journey import Visitor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visitor(page: Page, axe, live_server) -> Visitor:
    return Visitor(page, axe, live_server.url)


@pytest.fixture
def certified(db):
    reference_data.load_units()
    reference_data.load_criteria()
    return factories.CertifiedApplicationFactory()


def test_public_pages_meet_wcag(visitor: Visitor, certified):
    number = certified.certificate.number
    slug = certified.club.voivodeship.slug

    for path in [
        "/",
        "/rejestr/",
        f"/rejestr/{slug}/",
        f"/certyfikat/{number}/",
        "/formularze/",
        reverse("registry:readiness"),
        reverse("registry:readiness")
        + "?"
        + "&".join(
            f"{criterion.code}=0"
            for criterion in certified.criteria_version.criteria.all()[:3]
        ),
        reverse("account_register"),
        reverse("password_reset"),
        "/logowanie/",
    ]:
        visitor.open(path)
    visitor.open("/certyfikat/KIS-00-0000-0000/", status=404)


def test_pages_of_each_role_meet_wcag(visitor: Visitor, certified):
    applicant = factories.applicant_of(certified)
    officer = factories.officer_of(certified)

    visitor.log_in(applicant)
    visitor.open(reverse("certification:club_edit", args=[certified.club.pk]))
    visitor.open(reverse("certification:attachments", args=[certified.pk]))
    visitor.open(reverse("certification:club_detail", args=[certified.club.pk]))
    visitor.log_out()

    visitor.log_in(officer)
    visitor.open(reverse("certification:monitoring"))
    decision = certified.decisions.get()
    visitor.open(
        reverse("certification:decision_correct", args=[certified.pk, decision.pk])
    )
    visitor.open("/panel/?termin=przekroczony&sort=-klub")


def test_application_pages_under_correction_meet_wcag(visitor: Visitor, db):
    """The task list, a section and the check page with the faults of a
    correction listed on them and a change since the submission.
    """
    reference_data.load_units()
    reference_data.load_criteria()
    submitted = factories.SubmittedApplicationFactory()
    criterion = submitted.declarations.select_related("criterion").first().criterion
    application = services.request_correction(
        application=submitted,
        by=factories.officer_of(submitted),
        listed=[
            {
                "section": SectionKind.AUTHORISED_PERSON,
                "criterion": None,
                "message": "Brak telefonu osoby upoważnionej.",
            },
            {
                "section": application_sections.OF_GROUP[criterion.group].kind,
                "criterion": criterion,
                "message": "Opis nie mówi, gdzie jest sala.",
            },
        ],
    )
    applicant = factories.applicant_of(application)
    services.application_update(
        application=application, by=applicant, authorised_person="Ktoś Nowy"
    )
    criteria_section = application_sections.OF_GROUP[criterion.group]

    visitor.log_in(applicant)
    visitor.open(reverse("certification:application_edit", args=[application.pk]))
    for section in (
        application_sections.BY_KIND[SectionKind.AUTHORISED_PERSON],
        criteria_section,
    ):
        visitor.open(
            reverse(
                "certification:application_section",
                args=[application.pk, section.slug],
            )
        )
    visitor.open(reverse("certification:application_check", args=[application.pk]))
