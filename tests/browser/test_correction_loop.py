"""The correction loop in a real browser: the officer writes a fault in the
box of a criterion, the applicant finds it next to that criterion and
corrects it, and the officer reads what changed. Every page is checked with
axe-core.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from certification import reference_data
from certification.application_sections import BY_KIND, SectionKind
from certification.states import CriterionGroup
from tests import factories
from tests.browser.test_journey import Visitor, t

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visitor(page: Page, axe, live_server) -> Visitor:
    return Visitor(page, axe, live_server.url)


@pytest.fixture
def submitted(db):
    reference_data.load_units()
    reference_data.load_criteria()
    return factories.SubmittedApplicationFactory()


def test_a_fault_goes_to_its_criterion_and_its_correction_comes_back(
    visitor: Visitor, submitted
):
    criterion = next(
        declaration.criterion
        for declaration in submitted.declarations.order_by("criterion__position")
        if declaration.criterion.group == CriterionGroup.PREMISES
    )
    premises = t(BY_KIND[SectionKind.PREMISES].title)

    # The officer sends no fault first, then one at the criterion.
    visitor.log_in(factories.officer_of(submitted))
    visitor.open(submitted.get_absolute_url())
    visitor.follow(visitor.link("Ask for a correction"))
    visitor.follow(visitor.button("Ask for a correction"), status=400)
    expect(visitor.main.get_by_role("alert")).to_contain_text(
        t("List the faults to correct.")
    )
    visitor.main.locator("summary", has_text=premises).click()
    visitor.main.get_by_label(criterion.name, exact=True).fill(
        "Podaj powierzchnię sali."
    )
    visitor.follow(visitor.button("Ask for a correction"))
    visitor.log_out()

    # The applicant follows the section from the case page to the fault.
    visitor.log_in(factories.applicant_of(submitted))
    visitor.open(submitted.get_absolute_url())
    visitor.follow(visitor.main.get_by_role("link", name=premises, exact=True))
    fieldset = visitor.main.locator(f"#criterion-{criterion.pk}")
    expect(fieldset).to_contain_text("Podaj powierzchnię sali.")
    fieldset.get_by_label(t("What the club has"), exact=True).fill(
        "Sala 45 m2 na parterze."
    )
    visitor.follow(visitor.button("Save and go back to the list of sections"))
    visitor.open(reverse("certification:application_check", args=[submitted.pk]))
    visitor.follow(visitor.button("Submit the corrected application"))
    visitor.log_out()

    # The officer reads the change next to the fault.
    visitor.log_in(factories.officer_of(submitted))
    visitor.open(submitted.get_absolute_url())
    changes = visitor.main.get_by_role(
        "region", name=t("Changed in the corrected application")
    )
    expect(changes).to_contain_text("Podaj powierzchnię sali.")
    expect(changes).to_contain_text("Sala 45 m2 na parterze.")
    expect(changes.get_by_role("row")).to_have_count(2)
