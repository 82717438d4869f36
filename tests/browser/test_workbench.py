"""The units' workbench in a real browser: the officer sees from the start
page what is overdue, takes the case up and passes it to the audit unit,
whose auditor carries the audit through. Every page is checked with axe.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from certification import deadlines, reference_data
from certification.models import Application
from certification.states import ApplicationState, Result
from tests import factories
from tests.browser.test_journey import Visitor, _date, field, t

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "mazowieckie"


@pytest.fixture
def visitor(page: Page, axe, live_server) -> Visitor:
    return Visitor(page, axe, live_server.url)


@pytest.fixture
def overdue_case(db) -> Application:
    """A submitted case of Mazowieckie whose decision is overdue."""
    reference_data.load_units()
    reference_data.load_criteria()
    voivodeship = factories.VoivodeshipFactory(slug=HOME)
    club = factories.ClubFactory(
        founding_unit__voivodeship=voivodeship,
        name="KIS „Zaległy” w Żyrardowie",
        gmina="Żyrardów",
        city="Żyrardów",
    )
    application = factories.SubmittedApplicationFactory(club=club)
    Application.objects.filter(pk=application.pk).update(
        decision_deadline=deadlines.today() - datetime.timedelta(days=3)
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def officer(overdue_case):
    return factories.OfficerFactory(
        username="urzednik",
        first_name="Małgorzata",
        last_name="Mazur",
        unit=overdue_case.certifying_unit,
    )


@pytest.fixture
def auditor(overdue_case):
    return factories.AuditorFactory(
        username="audytor",
        first_name="Andrzej",
        last_name="Żurawski",
        unit__voivodeship=overdue_case.club.voivodeship,
    )


def overdue_link(v: Visitor, count: int):
    glance = v.main.get_by_role("navigation", name=t("Cases at a glance"))
    return glance.get_by_role(
        "link", name=re.compile(rf"^{re.escape(t('Overdue'))}: {count}$")
    )


def test_officer_clears_an_overdue_case_and_the_auditor_audits_it(
    visitor: Visitor, overdue_case: Application, officer, auditor
):
    v, page, application = visitor, visitor.page, overdue_case
    criteria = list(reference_data.load_criteria().criteria.order_by("position"))

    # The start page says one case is overdue; its link lists it.
    v.log_in(officer)
    v.follow(overdue_link(v, 1))
    expect(overdue_link(v, 1)).to_have_attribute("aria-current", "page")
    row = v.queue().get_by_role("row").filter(has_text=application.number)
    expect(row).to_contain_text(t("overdue"))
    expect(row).to_contain_text(_date(application.decision_deadline))
    v.open_case(application)

    # The officer takes the case up.
    v.main.get_by_label(t("Person in charge"), exact=True).select_option(
        label=officer.display_name
    )
    v.follow(v.button("Assign"))
    expect(v.main).to_contain_text(
        t("%(name)s is now in charge of the case.", name=officer.display_name)
    )
    application.refresh_from_db()
    assert application.assigned_officer == officer

    # It accepts the application formally and completes the standard card.
    v.take_step("Accept formally")
    v.expect_message("The application has been accepted formally.")
    for criterion in criteria:
        v.main.get_by_role(
            "group",
            name=t("Result: %(criterion)s", criterion=criterion.name),
            exact=True,
        ).get_by_label(t(Result.FULFILLED.label), exact=True).check()
    v.main.get_by_role("textbox", name=t("Final opinion"), exact=True).fill(
        "Klub spełnia minimalny standard KIS."
    )
    v.follow(v.button("Save and complete the card"))
    v.expect_message("The standard card has been completed.")

    # It commissions the audit: the case is no longer overdue at its unit.
    v.take_step("Commission the audit")
    v.expect_message("The audit has been commissioned.")
    v.expect_state(ApplicationState.AUDIT)
    v.open("/panel/")
    expect(overdue_link(v, 0)).to_be_visible()
    v.log_out()

    # The auditor finds it among the new cases and starts the audit.
    v.log_in(auditor)
    glance = v.main.get_by_role("navigation", name=t("Cases at a glance"))
    v.follow(
        glance.get_by_role("link", name=re.compile(rf"^{re.escape(t('New'))}: 1$"))
    )
    v.open_case(application, in_queue=False)
    v.follow(v.link("Start the audit"))
    visit_day = deadlines.today() + datetime.timedelta(days=5)
    v.main.get_by_label(field("Date of the audit visit")).fill(_date(visit_day))
    team = [
        ("Jadwiga Sadowska", "js@rops.example.pl"),
        ("Łukasz Źrebiec", "604 000 111"),
        ("Ilona Przybylska", "ip@rops.example.pl"),
    ]
    for n, (name, contact) in enumerate(team, start=1):
        v.main.get_by_label(field("Expert %(n)s: first name and surname", n=n)).fill(
            name
        )
        v.main.get_by_label(field("Expert %(n)s: phone or e-mail", n=n)).fill(contact)
        v.main.get_by_label(
            field(
                "Expert %(n)s declares no conflict of interest with the club, "
                "its founding institution and its partners",
                n=n,
            )
        ).check()
    v.follow(v.button("Start the audit"))
    v.expect_message("The audit has started.")

    # It completes the audit card and delivers the report.
    annotation = t("Auditor's annotation")
    register_entry = t("Confirmation of the entry in the voivode's register")
    v.main.get_by_label(f"{annotation}: {register_entry}", exact=True).fill(
        "Wpis do rejestru wojewody potwierdzony."
    )
    for criterion in criteria:
        v.main.get_by_role(
            "group",
            name=t("Confirmed on site: %(criterion)s", criterion=criterion.name),
            exact=True,
        ).get_by_label(t("Yes"), exact=True).check()
    v.main.get_by_role(
        "textbox", name=t("Final conclusion of the audit"), exact=True
    ).fill("Klub spełnia minimalny standard KIS.")
    v.main.get_by_role(
        "group", name=t("The club meets the standard"), exact=True
    ).get_by_label(t("Yes"), exact=True).check()
    v.follow(v.button("Save"))
    v.expect_message("The audit card has been saved.")
    v.follow(v.link("Go to the case"))
    v.take_step("Deliver the audit report")
    v.expect_message("The audit report has been delivered.")
    v.expect_state(ApplicationState.DECISION)

    application.refresh_from_db()
    assert application.state == ApplicationState.DECISION
    assert application.transitions.filter(event="case.assigned").count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_text(application.club.name)
