"""The journeys of the four roles through a real browser.

Each test logs in through the login form, finds what it clicks and types by
the labels and roles a person sees, and checks every page it arrives at with
axe-core. Labels are looked up through Django's translation of their English
message ids, so the tests read the page in Polish once the catalogue has it.

The people belong to two voivodeships, Mazowieckie (where the club is) and
Śląskie, so that the journeys show the units of the club's voivodeship act
and the others do not.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import capfirst
from playwright.sync_api import Locator, Page, expect

from certification import application_sections, deadlines, reference_data, selectors
from certification.application_sections import SectionKind
from certification.models import Application, Certificate
from certification.states import ApplicationState, Level, Result
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "mazowieckie"
ELSEWHERE = "slaskie"

# Polish letters in the name prove they survive the form, the register and
# the certificate.
CLUB_NAME = "Klub Integracji Społecznej „Źródło” w Łańcucie Żółć ąćęłńóśźż"


def t(msgid: str | Promise, **params) -> str:
    """The text of a message as the Polish page shows it: an English message
    id, or a lazy label such as a state's.
    """
    with translation.override("pl"):
        text = str(msgid) if isinstance(msgid, Promise) else translation.gettext(msgid)
    return text % params if params else text


def field(msgid: str, **params) -> re.Pattern:
    """The accessible name of a form field labelled `msgid`, which the form
    may end with a required-field asterisk.
    """
    return re.compile(rf"^\s*{re.escape(t(msgid, **params))}\s*\*?\s*$")


def model_field(msgid: str) -> re.Pattern:
    """A field labelled by a model's verbose name: Django capitalises it."""
    return re.compile(rf"^\s*{re.escape(capfirst(t(msgid)))}\s*\*?\s*$")


class Visitor:
    """Someone at the browser. Every page they arrive at, by address or by
    following a link or a button, is checked with axe-core.
    """

    def __init__(self, page: Page, axe, base_url: str) -> None:
        self.page = page
        page.set_default_timeout(10_000)
        self.axe = axe
        self.base_url = base_url

    def open(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        self._arrived(response, status)

    def follow(self, target: Locator, *, status: int = 200) -> None:
        """Click a link or a button that loads another page."""
        with self.page.expect_navigation() as navigation:
            target.click()
        self._arrived(navigation.value, status)

    def _arrived(self, response, status: int) -> None:
        assert response is not None
        self.page.wait_for_load_state()
        assert response.status == status, (
            f"{response.url} answered {response.status}, not {status}:\n"
            f"{self.page.locator('body').inner_text()}"
        )
        self.axe(self.page)

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    def link(self, msgid: str, **params) -> Locator:
        return self.main.get_by_role("link", name=t(msgid, **params), exact=True)

    def button(self, msgid: str, **params) -> Locator:
        return self.main.get_by_role("button", name=t(msgid, **params), exact=True)

    def expect_message(self, msgid: str) -> None:
        expect(
            self.main.get_by_role("status").filter(has_text=t(msgid))
        ).to_be_visible()

    def expect_state(self, state: ApplicationState) -> None:
        expect(self.main).to_contain_text(f"{t('State:')} {t(state.label)}")

    # Logging in and out.

    def log_in(self, user) -> None:
        self.open("/")
        menu = self.page.get_by_role("navigation", name=t("Main menu"))
        self.follow(menu.get_by_role("link", name=t("Log in"), exact=True))
        self.main.get_by_label(t("E-mail address or user name"), exact=True).fill(
            user.username
        )
        self.main.get_by_label(t("Password"), exact=True).fill(factories.PASSWORD)
        self.follow(self.button("Log in"))
        expect(self.page.get_by_role("heading", level=1)).to_have_text(t("My cases"))

    def log_out(self) -> None:
        menu = self.page.get_by_role("navigation", name=t("Main menu"))
        self.follow(menu.get_by_role("button", name=t("Log out"), exact=True))
        expect(menu.get_by_role("link", name=t("Log in"), exact=True)).to_be_visible()

    # The start page.

    def queue(self) -> Locator:
        """The cases waiting for the user's unit on the start page."""
        heading = re.compile(rf"^{re.escape(t('Waiting for us'))}")
        return self.main.get_by_role("region", name=heading)

    def open_case(self, application: Application, *, in_queue: bool = True) -> None:
        """Open a case from the start page: from the queue, or from anywhere
        on the page (a case no longer waiting is among the other cases).
        """
        cases = self.queue() if in_queue else self.main
        self.follow(cases.get_by_role("link", name=application.number, exact=True))
        expect(self.main.get_by_role("heading", level=1)).to_have_text(
            application.club.name
        )

    def take_step(self, msgid: str, fields: dict[str, str] | None = None) -> None:
        """From a case page, take one step of the process: follow its link,
        fill its form ({label msgid: value}) and press its button.
        """
        self.follow(self.link(msgid))
        expect(self.page.get_by_role("heading", level=1)).to_have_text(t(msgid))
        for label, value in (fields or {}).items():
            self.main.get_by_label(field(label)).fill(value)
        self.follow(self.button(msgid))

    def expect_history(self, steps: list[tuple[str, str]]) -> None:
        """The history lists exactly these steps, each (event label msgid,
        the name of the person who took it), in order.
        """
        history = self.main.get_by_role("region", name=t("History"), exact=True)
        items = history.get_by_role("listitem")
        expect(items).to_have_count(len(steps))
        for position, (msgid, actor) in enumerate(steps):
            expect(items.nth(position)).to_contain_text(t(msgid))
            expect(items.nth(position)).to_contain_text(actor)


# The people.


def _person(factory, username: str, first: str, last: str, **units):
    return factory(username=username, first_name=first, last_name=last, **units)


@pytest.fixture
def people(db):
    """One person of each role in the club's voivodeship, an officer and an
    auditor of another one, and the ministry's appeal officer.
    """
    reference_data.load_units()
    reference_data.load_criteria()
    home = factories.VoivodeshipFactory(slug=HOME)
    elsewhere = factories.VoivodeshipFactory(slug=ELSEWHERE)
    return {
        "applicant": _person(
            factories.ApplicantFactory,
            "wnioskodawca",
            "Grażyna",
            "Wójcik",
            unit__voivodeship=home,
            unit__name="Miejski Ośrodek Pomocy Społecznej w Płońsku",
        ),
        "officer": _person(
            factories.OfficerFactory,
            "urzednik-mazowieckie",
            "Małgorzata",
            "Mazur",
            unit__voivodeship=home,
        ),
        "auditor": _person(
            factories.AuditorFactory,
            "audytor-mazowieckie",
            "Andrzej",
            "Żurawski",
            unit__voivodeship=home,
        ),
        "other_officer": _person(
            factories.OfficerFactory,
            "urzednik-slaskie",
            "Szymon",
            "Ślęzak",
            unit__voivodeship=elsewhere,
        ),
        "other_auditor": _person(
            factories.AuditorFactory,
            "audytor-slaskie",
            "Sabina",
            "Świerczek",
            unit__voivodeship=elsewhere,
        ),
        "appeal_officer": _person(
            factories.AppealOfficerFactory, "odwolania", "Oskar", "Odwołański"
        ),
    }


@pytest.fixture
def visitor(page: Page, axe, live_server) -> Visitor:
    return Visitor(page, axe, live_server.url)


def _date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


# 1. From an empty application to the public register.


def test_club_goes_from_empty_application_to_the_public_register(
    visitor: Visitor, people
):
    applicant, officer, auditor = (
        people["applicant"],
        people["officer"],
        people["auditor"],
    )
    v, page = visitor, visitor.page
    criteria = list(reference_data.load_criteria().criteria.order_by("position"))

    # The applicant registers the club.
    v.log_in(applicant)
    v.follow(v.link("Register a club"))
    v.main.get_by_label(model_field("club name")).fill(CLUB_NAME)
    expect(v.main.get_by_label(model_field("voivodeship"))).to_have_value(
        str(applicant.unit.voivodeship_id)
    )
    v.main.get_by_label(model_field("street and number")).fill("ul. Źródlana 7")
    v.main.get_by_label(model_field("postal code")).fill("09-100")
    v.main.get_by_label(model_field("town")).fill("Płońsk")
    v.main.get_by_label(model_field("municipality (gmina)")).fill("Płońsk")
    v.main.get_by_label(model_field("phone")).fill("23 662 00 00")
    v.main.get_by_label(model_field("e-mail")).fill("kis@plonsk.example.pl")
    v.main.get_by_label(model_field("club leader")).fill("Łucja Ćwiklińska")
    v.main.get_by_label(model_field("leader's phone or e-mail")).fill("600 100 200")
    v.main.get_by_label(field("Date of entry in the voivode's register")).fill(
        "15.01.2025"
    )
    v.main.get_by_label(model_field("number in the voivode's register")).fill(
        "KIS/14/2025/3"
    )
    v.follow(v.button("Register the club"))
    v.expect_message("The club has been registered.")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLUB_NAME)

    # It starts an application and fills it in section by section from the
    # task list: the institution's and the club's data come from their
    # registration; it adds the authorised person and every criterion at
    # the full level.
    v.follow(v.button("Start an application"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Application for the KIS certificate")
    )
    v.follow(
        v.main.get_by_role(
            "link",
            name=f"2. {t(SectionKind.AUTHORISED_PERSON.label)}",
            exact=True,
        )
    )
    v.main.get_by_label(field("Person authorised to file the application")).fill(
        "Grażyna Wójcik"
    )
    v.main.get_by_label(field("Authorised person's phone or e-mail")).fill(
        "g.wojcik@plonsk.example.pl"
    )
    v.follow(v.button("Save and continue"))
    v.expect_message("The section has been saved.")
    for kind in (SectionKind.CLUB, SectionKind.REGISTER):
        expect(page.get_by_role("heading", level=1)).to_have_text(t(kind.label))
        v.follow(v.button("Save and continue"))
    for section in application_sections.SECTIONS:
        if not section.is_criteria:
            continue
        expect(page.get_by_role("heading", level=1)).to_have_text(t(section.kind.label))
        for criterion in criteria:
            if criterion.group != section.group:
                continue
            row = v.main.get_by_role("group", name=criterion.name, exact=True)
            row.get_by_label(t(Level.FULL.label), exact=True).check()
            row.get_by_label(t("What the club has"), exact=True).fill(
                f"Klub ma to w pełni: {criterion.name.lower()}."
            )
        v.follow(v.button("Save and continue"))
    v.expect_message("The section has been saved.")

    # It checks its answers and submits; it gets the receipt with the case
    # number.
    draft = Application.objects.get(club__name=CLUB_NAME)
    v.open(reverse("certification:application_edit", args=[draft.pk]))
    v.follow(v.link("Check your answers and submit"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your answers"))
    expect(v.main).to_contain_text("g.wojcik@plonsk.example.pl")
    v.follow(v.button("Submit the application"))
    application = Application.objects.get(club__name=CLUB_NAME)
    assert application.number
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Receipt of submission")
    )
    expect(v.main).to_contain_text(application.number)
    v.log_out()

    # The officer of the club's voivodeship finds it in the queue, accepts it
    # formally and fills the standard card: every criterion is fulfilled.
    v.log_in(officer)
    v.open_case(application)
    v.expect_state(ApplicationState.SUBMITTED)
    v.take_step("Accept formally")
    v.expect_message("The application has been accepted formally.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Standard card"))
    expect(v.main).to_contain_text(
        t(
            "Criteria fulfilled: %(fulfilled)s; with a deviation: %(deviation)s.",
            fulfilled=len(criteria),
            deviation=0,
        )
    )
    for criterion in criteria:
        result = v.main.get_by_role(
            "group",
            name=t("Result: %(criterion)s", criterion=criterion.name),
            exact=True,
        )
        result.get_by_label(t(Result.FULFILLED.label), exact=True).check()
    v.main.get_by_role("textbox", name=t("Final opinion"), exact=True).fill(
        "Klub spełnia minimalny standard KIS; można zlecić audyt."
    )
    v.follow(v.button("Save and complete the card"))
    v.expect_message("The standard card has been completed.")
    v.take_step("Commission the audit")
    v.expect_message("The audit has been commissioned.")
    v.expect_state(ApplicationState.AUDIT)
    v.log_out()

    # The auditor of the same voivodeship's ROPS starts the audit with a
    # team of three, each declaring no conflict of interest.
    v.log_in(auditor)
    v.open_case(application)
    v.follow(v.link("Start the audit"))
    visit_day = deadlines.today() + datetime.timedelta(days=10)
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

    # It fills the audit card: everything confirmed on site.
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Audit card"))
    annotation = t("Auditor's annotation")
    register_entry = t("Confirmation of the entry in the voivode's register")
    v.main.get_by_label(f"{annotation}: {register_entry}", exact=True).fill(
        "Wpis do rejestru wojewody potwierdzony."
    )
    for criterion in criteria:
        confirmed = v.main.get_by_role(
            "group",
            name=t("Confirmed on site: %(criterion)s", criterion=criterion.name),
            exact=True,
        )
        confirmed.get_by_label(t("Yes"), exact=True).check()
        v.main.get_by_label(
            t("Auditor's annotation: %(criterion)s", criterion=criterion.name),
            exact=True,
        ).fill("Sprawdzono na miejscu; zgodne z wnioskiem.")
    v.main.get_by_role(
        "textbox", name=t("Final conclusion of the audit"), exact=True
    ).fill("Klub spełnia minimalny standard KIS.")
    v.main.get_by_role(
        "group", name=t("The club meets the standard"), exact=True
    ).get_by_label(t("Yes"), exact=True).check()
    v.follow(v.button("Save"))
    v.expect_message("The audit card has been saved.")

    # It delivers the report.
    v.follow(v.link("Go to the case"))
    v.take_step("Deliver the audit report")
    v.expect_message("The audit report has been delivered.")
    v.expect_state(ApplicationState.DECISION)
    v.log_out()

    # The officer grants the certificate.
    v.log_in(officer)
    v.open_case(application)
    v.take_step("Grant the certificate")
    v.expect_message("The certificate has been granted.")
    v.expect_state(ApplicationState.CERTIFIED)
    certificate = Certificate.objects.get(application=application)
    assert certificate.club_name == CLUB_NAME
    expect(v.main).to_contain_text(certificate.number)

    # The certificate's PDF is a PDF.
    pdf_link = v.link("Download the certificate (PDF)")
    pdf = page.request.get(v.base_url + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # Every step was taken by a person of the right unit, and the history
    # shows who.
    v.expect_history(
        [
            ("Application submitted", applicant.get_full_name()),
            ("Application accepted formally", officer.get_full_name()),
            ("Standard card completed", officer.get_full_name()),
            ("Audit commissioned", officer.get_full_name()),
            ("Audit started", auditor.get_full_name()),
            ("Audit card saved", auditor.get_full_name()),
            ("Audit report delivered", auditor.get_full_name()),
            ("Certificate granted", officer.get_full_name()),
        ]
    )
    actors = {step.actor for step in application.transitions.all()}
    assert actors == {applicant, officer, auditor}
    application.refresh_from_db()
    assert application.certifying_unit == selectors.certifying_unit_of(
        application.club.voivodeship_id
    )
    assert application.audit_unit == auditor.unit
    v.log_out()

    # Anyone finds the club in the national register and in the voivodeship's
    # register, and the verification page says the certificate is valid.
    v.open("/rejestr/")
    row = v.main.get_by_role("row").filter(has_text=CLUB_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(certificate.number)
    v.open(f"/rejestr/{HOME}/")
    row = v.main.get_by_role("row").filter(has_text=CLUB_NAME)
    expect(row).to_contain_text(certificate.number)
    v.open(f"/rejestr/{ELSEWHERE}/")
    expect(v.main).not_to_contain_text(CLUB_NAME)
    v.open(f"/rejestr/{HOME}/")
    row = v.main.get_by_role("row").filter(has_text=CLUB_NAME)
    v.follow(row.get_by_role("link", name=certificate.number, exact=True))
    assert page.url == f"{v.base_url}/certyfikat/{certificate.number}/"
    valid = strip_tags(
        t(
            "This certificate is <strong>valid</strong> until %(date)s.",
            date=_date(certificate.valid_until),
        )
    )
    expect(v.main).to_contain_text(valid)
    expect(v.main.get_by_role("row", name=t("Status"))).to_contain_text(t("Valid"))
    expect(v.main).to_contain_text(CLUB_NAME)


# 2. A refusal, an appeal and the ministry's decision on it.


@pytest.mark.parametrize("outcome", ["uphold", "dismiss"])
def test_refused_application_is_appealed_and_decided_by_the_ministry(
    visitor: Visitor, people, outcome
):
    applicant, officer, appeal_officer = (
        people["applicant"],
        people["officer"],
        people["appeal_officer"],
    )
    club = factories.ClubFactory(
        founding_unit=applicant.unit, name="KIS „Przystań” w Ciechanowie"
    )
    application = factories.MeritReviewApplicationFactory(club=club)
    # A refusal rests on a completed standard card.
    factories.complete_standard_card(application, by=officer)
    v = visitor

    # The officer refuses during the merit review, with reasons.
    v.log_in(officer)
    v.open_case(application)
    v.expect_state(ApplicationState.MERIT_REVIEW)
    reasons = "Klub nie ma podpisanego porozumienia z PUP."
    v.take_step("Refuse the certificate", {"Reasons": reasons})
    v.expect_message("The certificate has been refused.")
    v.expect_state(ApplicationState.REFUSED)
    v.log_out()

    # The applicant sees the refusal, its reasons and the appeal deadline,
    # and appeals.
    application.refresh_from_db()
    v.log_in(applicant)
    expect(v.queue()).to_contain_text(_date(application.appeal_deadline))
    v.open_case(application)
    v.expect_state(ApplicationState.REFUSED)
    expect(v.main).to_contain_text(
        t("You may appeal until %(date)s.", date=_date(application.appeal_deadline))
    )
    refusal = v.main.get_by_role(
        "region", name=re.compile(rf"^{re.escape(t('Refusal of the certificate'))}")
    )
    expect(refusal).to_contain_text(reasons)
    grounds = "Porozumienie z PUP podpisano 2 lutego; załączamy jego kopię."
    v.take_step("Appeal against the refusal", {"Grounds of the appeal": grounds})
    v.expect_message("The appeal has been lodged.")
    v.expect_state(ApplicationState.APPEALED)
    v.log_out()

    # The officer forwards the appeal to the ministry.
    v.log_in(officer)
    v.open_case(application)
    v.take_step("Forward the appeal")
    v.expect_message("The appeal has been forwarded to the appeal unit.")
    v.expect_state(ApplicationState.APPEAL_REVIEW)
    v.log_out()

    # The appeal officer finds it in the queue and decides.
    v.log_in(appeal_officer)
    v.open_case(application)
    expect(v.main).to_contain_text(grounds)
    decision = "Odwołanie rozpatrzono na podstawie akt sprawy."
    if outcome == "uphold":
        v.follow(v.link("Uphold the appeal"))
        v.main.get_by_label(field("Reasons")).fill(decision)
        v.main.get_by_role(
            "group", name=field("The case returns to the certifying unit for")
        ).get_by_label(t("a new decision"), exact=True).check()
        v.follow(v.button("Uphold the appeal"))
        v.expect_message("The appeal has been upheld.")
        v.expect_state(ApplicationState.DECISION)
        outcome_label = "Upheld, case returned"
        last_step = "Appeal upheld, case returned to the certifying unit"
    else:
        v.take_step("Dismiss the appeal", {"Reasons": decision})
        v.expect_message("The appeal has been dismissed.")
        v.expect_state(ApplicationState.CLOSED)
        outcome_label = "Dismissed"
        last_step = "Appeal dismissed"

    # The case page shows the outcome, and the history every step.
    appeal_section = v.main.get_by_role(
        "region", name=re.compile(rf"^{re.escape(t('Appeal'))},")
    )
    expect(appeal_section).to_contain_text(t(outcome_label))
    expect(appeal_section).to_contain_text(decision)
    v.expect_history(
        [
            ("Application submitted", applicant.get_full_name()),
            ("Application accepted formally", officer.get_full_name()),
            ("Standard card completed", officer.get_full_name()),
            ("Certificate refused", officer.get_full_name()),
            ("Appeal lodged", applicant.get_full_name()),
            ("Appeal forwarded to the appeal unit", officer.get_full_name()),
            (last_step, appeal_officer.get_full_name()),
        ]
    )
    v.log_out()

    # The applicant sees the outcome on its case page too.
    v.log_in(applicant)
    v.open_case(application, in_queue=False)
    expect(v.main).to_contain_text(t(outcome_label))


# 3. Units of another voivodeship do not see the case.


@pytest.mark.parametrize(
    ("person", "case_factory"),
    [
        ("other_officer", factories.SubmittedApplicationFactory),
        ("other_auditor", factories.AuditApplicationFactory),
    ],
    ids=["officer", "auditor"],
)
def test_unit_of_another_voivodeship_gets_404(
    visitor: Visitor, people, person, case_factory
):
    club = factories.ClubFactory(founding_unit=people["applicant"].unit)
    application = case_factory(club=club)
    v = visitor

    v.log_in(people[person])
    expect(v.queue()).to_contain_text(t("No cases."))
    v.open(application.get_absolute_url(), status=404)
    expect(v.page.get_by_role("heading", level=1)).to_have_text(t("Page not found"))
    expect(v.main).not_to_contain_text(application.club.name)
