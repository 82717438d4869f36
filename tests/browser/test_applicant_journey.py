"""The applicant's whole journey in a real browser, as a new user goes
through it: an institution creates its account and confirms it from the
e-mail, checks on the public page whether its club is ready, registers the
club and opens an application from those answers, files it section by
section with an attachment, corrects what the certifying unit asks, and,
once certified, files the renewal.

Each step is taken through the pages, by the labels and roles a person sees,
and every page is checked with axe-core (the Visitor of test_journey). Only
the steps of the units (the request for a correction, the review, the audit,
the grant) are taken through the services, as in tests/factories.py. After
every save the test reads the answers back from a freshly loaded page, so an
answer lost on the way fails it.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from certification import deadlines, reference_data, services
from certification.application_sections import SECTIONS, SectionKind, SectionStatus
from certification.models import Application, AttachmentKind, Club, Criterion, User
from certification.states import ApplicationKind, ApplicationState, Level
from tests import factories
from tests.browser.test_journey import Visitor, field, model_field, t

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "mazowieckie"
EMAIL = "Grazyna.Wojcik@ops-plonsk.example.pl"
PASSWORD = "Klub-Integracji!2026"
INSTITUTION = "Miejski Ośrodek Pomocy Społecznej w Płońsku"
CLUB_NAME = "Klub Integracji Społecznej „Przystań” w Płońsku"

# The readiness answers: every criterion fully met except these. Two fall
# short of the level they require, one does not apply, one is partly met
# where partly is enough.
NOT_APPLICABLE = "na"
READINESS_EXCEPTIONS = {
    "premises-accessibility": NOT_APPLICABLE,
    "staff-social-worker": Level.PARTIAL,
    "staff-administration": Level.PARTIAL,
    "cooperation-pup": Level.NONE,
}
LACKING = ["staff-social-worker", "cooperation-pup"]
# Between the check and the application the club signed its agreement with
# the district labour office: the applicant raises that level.
RAISED = "cooperation-pup"
# The criteria the officer's fault and the renewal's change concern.
FAULTY_CRITERION = "staff-social-worker"
RENEWED_CRITERION = "group-courses"


def nt(singular: str, plural: str, count: int, **params) -> str:
    """A message with a plural form, as the Polish page shows it."""
    with translation.override("pl"):
        text = translation.ngettext(singular, plural, count)
    return text % {"counter": count, **params}


def readiness_answer(criterion: Criterion) -> str:
    answer = READINESS_EXCEPTIONS.get(criterion.code, Level.FULL)
    return answer if answer == NOT_APPLICABLE else str(int(answer))


def description_of(criterion: Criterion) -> str:
    return f"W klubie: {criterion.name.lower()} – opis z Płońska."


@dataclass
class Journey:
    """What the applicant has been through, for the later steps to check."""

    v: Visitor
    criteria: list[Criterion]
    user: User | None = None
    club: Club | None = None
    application: Application | None = None
    answers_query: str = ""
    # The values of the application the applicant typed, by label msgid.
    authorised: dict[str, str] = dataclass_field(default_factory=dict)

    def criterion(self, code: str) -> Criterion:
        return next(c for c in self.criteria if c.code == code)


@pytest.fixture
def journey(page: Page, axe, live_server, settings) -> Journey:
    reference_data.load_units()
    version = reference_data.load_criteria()
    factories.VoivodeshipFactory(slug=HOME)
    # The links in e-mails point at the live server.
    settings.SCKIS_SITE_URL = live_server.url
    criteria = list(version.criteria.order_by("position", "pk"))
    return Journey(Visitor(page, axe, live_server.url), criteria)


# Small readers of the page.


def criterion_group(v: Visitor, criterion: Criterion) -> Locator:
    """The fieldset of one criterion on a section page or the readiness page."""
    return v.main.get_by_role("group", name=criterion.name, exact=True)


def level_radio(v: Visitor, criterion: Criterion, level: Level) -> Locator:
    return criterion_group(v, criterion).get_by_label(t(level.label), exact=True)


def description_box(v: Visitor, criterion: Criterion) -> Locator:
    return criterion_group(v, criterion).get_by_label(
        t("What the club has"), exact=True
    )


def task(v: Visitor, kind: SectionKind) -> Locator:
    """One line of the task list, by its section."""
    position = [s.kind for s in SECTIONS].index(kind) + 1
    name = f"{position}. {t(kind.label)}"
    return v.main.get_by_role("listitem").filter(
        has=v.page.get_by_role("link", name=name, exact=True)
    )


def task_link(v: Visitor, kind: SectionKind) -> Locator:
    position = [s.kind for s in SECTIONS].index(kind) + 1
    return v.main.get_by_role("link", name=f"{position}. {t(kind.label)}", exact=True)


def answers_of(v: Visitor, kind: SectionKind) -> Locator:
    """The region of one section on the check-your-answers page."""
    position = [s.kind for s in SECTIONS].index(kind) + 1
    return v.main.get_by_role("region", name=f"{position}. {t(kind.label)}", exact=True)


def expect_heading(v: Visitor, text: str) -> None:
    expect(v.page.get_by_role("heading", level=1)).to_have_text(text)


def back_to_sections(v: Visitor) -> None:
    """Leave a section page without saving, by its breadcrumbs."""
    crumbs = v.page.get_by_role("navigation", name=t("Breadcrumbs"))
    v.follow(crumbs.get_by_role("link", name=t("Fill in the application"), exact=True))


def come_back_later(v: Visitor) -> None:
    """The applicant returns to SC KIS and goes to its start page."""
    v.open("/")
    menu = v.page.get_by_role("navigation", name=t("Main menu"))
    v.follow(menu.get_by_role("link", name=t("My cases"), exact=True))


def answer_shown(region: Locator, label: str) -> Locator:
    """The value the check page shows for the answer labelled `label`."""
    term = region.locator("dt").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return term.locator("xpath=following-sibling::dd[1]")


# 1. The institution creates its account and confirms it.


def create_account(j: Journey) -> None:
    v = j.v
    v.open("/")
    menu = v.page.get_by_role("navigation", name=t("Main menu"))
    v.follow(menu.get_by_role("link", name=t("Log in"), exact=True))
    v.follow(v.link("Create an account"))
    expect_heading(v, t("Create an account"))

    values = {
        "First name": "Grażyna",
        "Surname": "Wójcik",
        "E-mail": EMAIL,
        "Name of the institution": INSTITUTION,
        "NIP": "526-104-08-28",
        "REGON": "123456785",
        "Street and number": "ul. Płocka 39",
        "Postal code": "09-100",
        "City": "Płońsk",
    }
    for label, value in values.items():
        v.main.get_by_label(field(label)).fill(value)
    v.main.get_by_label(field("Password")).fill(PASSWORD)
    v.main.get_by_label(field("Password again")).fill(PASSWORD + "?")
    v.main.get_by_label(field("Voivodeship")).select_option(label="mazowieckie")

    # Two different passwords: the message is next to the field, and what
    # was typed is kept.
    v.follow(v.button("Create the account"), status=400)
    expect(v.main).to_contain_text(
        t("The two passwords differ. Type the same one twice.")
    )
    for label, value in values.items():
        if label == "NIP":
            continue  # cleaned only once the form is valid
        expect(v.main.get_by_label(field(label))).to_have_value(value)
    assert not User.objects.filter(email__iexact=EMAIL).exists()

    v.main.get_by_label(field("Password")).fill(PASSWORD)
    v.main.get_by_label(field("Password again")).fill(PASSWORD)
    v.follow(v.button("Create the account"))
    expect_heading(v, t("Check your e-mail"))
    expect(v.main).to_contain_text(EMAIL)

    # The account cannot be used before it is confirmed.
    j.user = User.objects.get(email=EMAIL)
    assert not j.user.is_active

    # The link arrives by e-mail.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    match = re.search(r"/konto/potwierdz/\S+/", message.body)
    assert match, message.body
    v.open(match.group(0))
    expect_heading(v, t("Activate the account"))
    v.follow(v.button("Activate the account"))
    v.expect_message("Your account is active. Log in with your e-mail address.")
    j.user.refresh_from_db()
    assert j.user.is_active
    assert j.user.unit.name == INSTITUTION


def log_in_here(j: Journey) -> None:
    """Log in on the login page the visitor is on."""
    v = j.v
    expect_heading(v, t("Log in"))
    # The address as the person wrote it when registering, capitals and
    # all, though the account keeps it in lower case.
    user_name = v.main.get_by_label(t("E-mail address or user name"), exact=True)
    user_name.fill(EMAIL)
    password = v.main.get_by_label(t("Password"), exact=True)
    password.fill(PASSWORD.lower())
    v.follow(v.button("Log in"))
    # A wrong password is refused, with the address kept.
    expect_heading(v, t("Log in"))
    expect(v.main.get_by_role("alert")).to_be_visible()
    expect(user_name).to_have_value(EMAIL)
    password.fill(PASSWORD)
    v.follow(v.button("Log in"))


# 2. The readiness check, and from it the club and the application.


def check_readiness(j: Journey) -> None:
    v = j.v
    menu = v.page.get_by_role("navigation", name=t("Main menu"))
    v.follow(menu.get_by_role("link", name=t("Readiness check"), exact=True))
    expect_heading(v, t("Is the club ready for the certificate?"))
    for criterion in j.criteria:
        answer = readiness_answer(criterion)
        if answer == NOT_APPLICABLE:
            label = t("Does not apply to this club")
        else:
            label = t(Level(int(answer)).label)
        criterion_group(v, criterion).get_by_label(label, exact=True).check()
    v.follow(v.button("Check readiness"))

    # What the club lacks: the two criteria below their required level.
    result = v.main.get_by_role("region", name=t("Result"), exact=True)
    lacking = result.get_by_role("list").first.get_by_role("listitem")
    expect(lacking).to_have_count(len(LACKING))
    for position, code in enumerate(LACKING):
        expect(lacking.nth(position)).to_contain_text(j.criterion(code).name)
    met = result.get_by_role("list").nth(1).get_by_role("listitem")
    expect(met).to_have_count(len(j.criteria) - len(LACKING))
    j.answers_query = v.page.url.split("?", 1)[1]

    # Not logged in yet: the page offers to log in with the answers kept.
    v.follow(v.link("Log in to start an application with these answers"))
    log_in_here(j)

    # Back on the result, with every answer still chosen.
    assert v.page.url.endswith("/gotowosc/?" + j.answers_query)
    expect_heading(v, t("Is the club ready for the certificate?"))
    expect_readiness_answers(j)


def expect_readiness_answers(j: Journey) -> None:
    v = j.v
    for criterion in j.criteria:
        answer = readiness_answer(criterion)
        if answer == NOT_APPLICABLE:
            label = t("Does not apply to this club")
        else:
            label = t(Level(int(answer)).label)
        expect(
            criterion_group(v, criterion).get_by_label(label, exact=True)
        ).to_be_checked()


def register_club_from_readiness(j: Journey) -> None:
    """The institution has no club yet: it registers one on the way, and the
    answers travel with it to the new application.
    """
    v = j.v
    v.follow(v.link("Register a club and start an application with these answers"))
    expect_heading(v, t("Register a club"))
    v.main.get_by_label(model_field("club name")).fill(CLUB_NAME)
    expect(v.main.get_by_label(model_field("voivodeship"))).to_have_value(
        str(j.user.unit.voivodeship_id)
    )
    v.main.get_by_label(model_field("street and number")).fill("ul. Warszawska 12")
    v.main.get_by_label(model_field("postal code")).fill("09100")
    v.main.get_by_label(model_field("town")).fill("Płońsk")
    v.main.get_by_label(model_field("municipality (gmina)")).fill("Płońsk")
    v.main.get_by_label(model_field("phone")).fill("23 662 00 00")
    v.main.get_by_label(model_field("e-mail")).fill("przystan@plonsk.example.pl")
    v.main.get_by_label(model_field("club leader")).fill("Łucja Ćwiklińska")
    v.main.get_by_label(model_field("leader's phone or e-mail")).fill("600 100 200")
    v.main.get_by_label(field("Date of entry in the voivode's register")).fill(
        "31.02.2025"
    )
    v.main.get_by_label(model_field("number in the voivode's register")).fill(
        "KIS/14/2025/3"
    )

    # A date that does not exist: the message is next to it, the rest kept.
    v.follow(v.button("Register the club"), status=400)
    expect(v.main).to_contain_text(
        t("Enter an existing date as DD.MM.YYYY, for example 15.01.2026.")
    )
    expect(v.main.get_by_label(model_field("club name"))).to_have_value(CLUB_NAME)
    expect(v.main.get_by_label(model_field("club leader"))).to_have_value(
        "Łucja Ćwiklińska"
    )
    assert not Club.objects.exists()

    v.main.get_by_label(field("Date of entry in the voivode's register")).fill(
        "28.02.2025"
    )
    v.follow(v.button("Register the club"))
    v.expect_message("The club has been registered.")
    expect_heading(v, CLUB_NAME)
    j.club = Club.objects.get(name=CLUB_NAME)
    assert j.club.postal_code == "09-100"

    v.follow(v.button("Start an application"))
    j.application = Application.objects.get(club=j.club)
    assert v.page.url.endswith(f"/panel/wnioski/{j.application.pk}/edycja/")
    expect_heading(v, t("Application for the KIS certificate"))


# 3. The application, section by section.


def save_and_continue(v: Visitor) -> None:
    v.follow(v.button("Save and continue"))
    v.expect_message("The section has been saved.")


def fill_application(j: Journey) -> None:
    v = j.v
    S = SectionKind

    # The task list: the institution, the club and its register entry come
    # from the registrations; the criteria from the readiness check.
    expect(v.main).to_contain_text(CLUB_NAME)
    expect(task(v, S.APPLICANT)).to_contain_text(t(SectionStatus.COMPLETE.label))
    expect(task(v, S.AUTHORISED_PERSON)).to_contain_text(
        t(SectionStatus.NOT_STARTED.label)
    )
    expect(task(v, S.CLUB)).to_contain_text(t(SectionStatus.COMPLETE.label))
    expect(task(v, S.REGISTER)).to_contain_text(t(SectionStatus.COMPLETE.label))
    for kind in (S.PREMISES, S.STAFF, S.GROUP):
        expect(task(v, kind)).to_contain_text(t(SectionStatus.IN_PROGRESS.label))
    expect(task(v, S.ATTACHMENTS)).to_contain_text(t(SectionStatus.NOT_STARTED.label))

    # 1. The applicant, as registered.
    v.follow(task_link(v, S.APPLICANT))
    expect_heading(v, t(S.APPLICANT.label))
    name = v.main.get_by_label(field("Name of the institution"))
    expect(name).to_have_value(INSTITUTION)
    v.main.get_by_label(model_field("phone")).fill("23 662 11 11")
    save_and_continue(v)

    # 2. The authorised person.
    expect_heading(v, t(S.AUTHORISED_PERSON.label))
    j.authorised = {
        "Person authorised to file the application": "Grażyna Wójcik",
        "Authorised person's phone or e-mail": "g.wojcik@ops-plonsk.example.pl",
    }
    for label, value in j.authorised.items():
        v.main.get_by_label(field(label)).fill(value)
    save_and_continue(v)

    # 3. and 4. The club and its entry, as registered.
    expect_heading(v, t(S.CLUB.label))
    expect(v.main.get_by_label(model_field("club name"))).to_have_value(CLUB_NAME)
    save_and_continue(v)
    expect_heading(v, t(S.REGISTER.label))
    expect(
        v.main.get_by_label(field("Date of entry in the voivode's register"))
    ).to_have_value("28.02.2025")
    save_and_continue(v)

    # 5.-10. The criteria: the levels come pre-filled from the readiness
    # check; the applicant describes each and raises the one that changed.
    for section in [s for s in SECTIONS if s.is_criteria]:
        expect_heading(v, t(section.kind.label))
        for criterion in [c for c in j.criteria if c.group == section.group]:
            expect_readiness_level(v, criterion)
            if criterion.code == RAISED:
                level_radio(v, criterion, Level.FULL).check()
            description_box(v, criterion).fill(description_of(criterion))
        save_and_continue(v)

    # 11. The attachments: a real PDF.
    expect_heading(v, t("Attachments"))
    attach_pdf(j)

    # The task list shows every required section complete.
    v.follow(v.link("Back to the list of sections"))
    for section in SECTIONS:
        if not section.optional:
            expect(task(v, section.kind)).to_contain_text(
                t(SectionStatus.COMPLETE.label)
            )
    # One document of the four recommended: the others are listed as missing.
    attachments = task(v, SectionKind.ATTACHMENTS)
    expect(attachments).to_contain_text(t(SectionStatus.IN_PROGRESS.label))
    expect(attachments).to_contain_text(t(AttachmentKind.RULES.label))
    required = len([s for s in SECTIONS if not s.optional])
    expect(v.main).to_contain_text(
        t(
            "%(done)s of %(total)s required sections complete.",
            done=required,
            total=required,
        )
    )

    # Nothing typed is lost: each criteria page, loaded afresh, shows it.
    for section in [s for s in SECTIONS if s.is_criteria]:
        v.follow(task_link(v, section.kind))
        for criterion in [c for c in j.criteria if c.group == section.group]:
            expect_declared(v, criterion)
        back_to_sections(v)


def expect_readiness_level(v: Visitor, criterion: Criterion) -> None:
    """The criterion's level as the readiness check answered it."""
    answer = readiness_answer(criterion)
    if answer == NOT_APPLICABLE:
        expect(
            criterion_group(v, criterion).get_by_label(
                t("Does not apply to this club"), exact=True
            )
        ).to_be_checked()
        for level in Level:
            expect(level_radio(v, criterion, level)).not_to_be_checked()
    else:
        expect(level_radio(v, criterion, Level(int(answer)))).to_be_checked()


def declared_level(criterion: Criterion) -> str:
    if criterion.code == RAISED:
        return str(int(Level.FULL))
    return readiness_answer(criterion)


def expect_declared(v: Visitor, criterion: Criterion, description: str = "") -> None:
    """The criterion's level and description as the applicant saved them."""
    level = declared_level(criterion)
    if level == NOT_APPLICABLE:
        expect(
            criterion_group(v, criterion).get_by_label(
                t("Does not apply to this club"), exact=True
            )
        ).to_be_checked()
    else:
        expect(level_radio(v, criterion, Level(int(level)))).to_be_checked()
    expect(description_box(v, criterion)).to_have_value(
        description or description_of(criterion)
    )


def attach_pdf(j: Journey) -> None:
    from weasyprint import HTML

    v = j.v
    pdf = HTML(
        string="<h1>Porozumienie z PUP w Płońsku</h1><p>Podpisane 3.03.2025.</p>"
    ).write_pdf()
    v.main.get_by_label(t("Kind of document"), exact=True).select_option(
        label=t(AttachmentKind.PUP_AGREEMENT.label)
    )
    v.main.get_by_label(t("File"), exact=True).set_input_files(
        {
            "name": "porozumienie-pup.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf,
        }
    )
    v.follow(v.button("Attach"))
    v.expect_message("The attachment has been added.")
    row = v.main.get_by_role("row").filter(has_text="porozumienie-pup.pdf")
    expect(row).to_contain_text(t(AttachmentKind.PUP_AGREEMENT.label))
    link = row.get_by_role("link", name="porozumienie-pup.pdf", exact=True)
    download = v.page.request.get(v.base_url + link.get_attribute("href"))
    assert download.body() == pdf


def check_and_submit(j: Journey) -> None:
    v = j.v
    v.follow(v.link("Check your answers and submit"))
    expect_heading(v, t("Check your answers"))
    expect(v.main).not_to_contain_text(t("Still missing before you can submit"))
    # A first submission has nothing to compare with.
    expect(v.main).not_to_contain_text(t("Changed since your last submission"))

    unit = j.user.unit
    unit.refresh_from_db()
    assert unit.phone == "+48 23 662 11 11"
    expect(answers_of(v, SectionKind.APPLICANT)).to_contain_text(unit.phone)
    club = answers_of(v, SectionKind.CLUB)
    expect(club).to_contain_text(CLUB_NAME)
    expect(club).to_contain_text("Łucja Ćwiklińska")
    authorised = answers_of(v, SectionKind.AUTHORISED_PERSON)
    for value in j.authorised.values():
        expect(authorised).to_contain_text(value)
    register = answers_of(v, SectionKind.REGISTER)
    expect(register).to_contain_text("28.02.2025")
    expect(register).to_contain_text("KIS/14/2025/3")
    for criterion in j.criteria:
        section = next(s for s in SECTIONS if s.group == criterion.group)
        region = answers_of(v, section.kind)
        expect(region).to_contain_text(description_of(criterion))
    staff = answers_of(v, SectionKind.STAFF)
    expect(staff).to_contain_text(t(Level.PARTIAL.label))
    premises = answers_of(v, SectionKind.PREMISES)
    expect(premises).to_contain_text(t("does not apply"))
    expect(answers_of(v, SectionKind.ATTACHMENTS)).to_contain_text(
        "porozumienie-pup.pdf"
    )

    v.follow(v.button("Submit the application"))
    expect_heading(v, t("Receipt of submission"))
    j.application.refresh_from_db()
    assert j.application.state == ApplicationState.SUBMITTED
    assert j.application.number
    expect(v.main).to_contain_text(j.application.number)
    expect(v.main).to_contain_text(CLUB_NAME)
    v.follow(v.link("Back to the case"))
    v.expect_state(ApplicationState.SUBMITTED)


# 4. The correction the certifying unit asks for.

SECTION_FAULT = "Podaj telefon osoby upoważnionej, nie tylko adres e-mail."
CRITERION_FAULT = "Podaj wymiar czasu pracy pracownika socjalnego w klubie."
CORRECTED_CONTACT = "g.wojcik@ops-plonsk.example.pl, 600 700 800"
CORRECTED_DESCRIPTION = (
    "Pracownik socjalny OPS w Płońsku pracuje w klubie 20 godzin w tygodniu."
)


def correct(j: Journey) -> None:
    v = j.v
    S = SectionKind
    officer = factories.officer_of(j.application)
    faulty = j.criterion(FAULTY_CRITERION)
    services.request_correction(
        application=j.application,
        by=officer,
        listed=[
            {
                "section": S.AUTHORISED_PERSON.value,
                "criterion": None,
                "message": SECTION_FAULT,
            },
            {"section": S.STAFF.value, "criterion": faulty, "message": CRITERION_FAULT},
        ],
    )

    # The applicant finds the case waiting on its start page.
    come_back_later(v)
    v.open_case(j.application)
    v.expect_state(ApplicationState.CORRECTION)
    expect(v.main).to_contain_text(SECTION_FAULT)
    expect(v.main).to_contain_text(CRITERION_FAULT)

    # The task list marks the two sections to correct, and only them.
    v.follow(v.link("Fill in the application"))
    faults_line = nt("%(counter)s fault to correct", "%(counter)s faults to correct", 1)
    for section in SECTIONS:
        line = task(v, section.kind)
        if section.kind in (S.AUTHORISED_PERSON, S.STAFF):
            expect(line).to_contain_text(faults_line)
        else:
            expect(line).not_to_contain_text(faults_line)

    # The section's fault stands at the top of its page.
    v.follow(task_link(v, S.AUTHORISED_PERSON))
    faults = v.main.get_by_role(
        "region", name=t("To correct in this section"), exact=True
    )
    expect(faults).to_contain_text(SECTION_FAULT)
    contact = v.main.get_by_label(field("Authorised person's phone or e-mail"))
    expect(contact).to_have_value(j.authorised["Authorised person's phone or e-mail"])
    contact.fill(CORRECTED_CONTACT)
    v.follow(v.button("Save and go back to the list of sections"))
    v.expect_message("The section has been saved.")

    # The criterion's fault stands next to that criterion, not the others.
    v.follow(task_link(v, S.STAFF))
    expect(criterion_group(v, faulty)).to_contain_text(CRITERION_FAULT)
    for criterion in j.criteria:
        if criterion.group == faulty.group and criterion != faulty:
            expect(criterion_group(v, criterion)).not_to_contain_text(CRITERION_FAULT)
    description_box(v, faulty).fill(CORRECTED_DESCRIPTION)
    v.follow(v.button("Save and go back to the list of sections"))
    v.expect_message("The section has been saved.")

    # Both kept on a fresh load.
    v.follow(task_link(v, S.STAFF))
    expect_declared(v, faulty, CORRECTED_DESCRIPTION)
    back_to_sections(v)

    # The check page lists exactly the two answers changed.
    v.follow(v.link("Check your answers and submit"))
    changes = v.main.get_by_role(
        "region", name=t("Changed since your last submission"), exact=True
    )
    rows = changes.get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two changes
    contact_row = rows.filter(has_text=t("Phone or e-mail"))
    expect(contact_row).to_contain_text(t(S.AUTHORISED_PERSON.label))
    expect(contact_row).to_contain_text(
        j.authorised["Authorised person's phone or e-mail"]
    )
    expect(contact_row).to_contain_text(CORRECTED_CONTACT)
    with translation.override("pl"):
        described = translation.gettext("%(criterion)s: what the club has") % {
            "criterion": faulty.name
        }
    description_row = rows.filter(has_text=described)
    expect(description_row).to_contain_text(description_of(faulty))
    expect(description_row).to_contain_text(CORRECTED_DESCRIPTION)

    v.follow(v.button("Submit the corrected application"))
    v.expect_message("The corrected application has been submitted.")
    v.expect_state(ApplicationState.SUBMITTED)
    j.application.refresh_from_db()
    assert j.application.state == ApplicationState.SUBMITTED
    assert j.application.number  # kept


# 5. Certified, and later renewed.

RENEWED_DESCRIPTION = "Od 2026 klub prowadzi też kurs obsługi kas fiskalnych."


def certify(j: Journey) -> None:
    """The certifying and audit units take the case to the certificate."""
    application = j.application
    officer = factories.officer_of(application)
    services.accept_formally(application=application, by=officer)
    factories.complete_standard_card(application, by=officer)
    services.commission_audit(application=application, by=officer)
    application.refresh_from_db()
    auditor = factories.auditor_of(application)
    services.start_audit(
        application=application,
        by=auditor,
        experts=factories.audit_team(),
        planned_on=deadlines.today(),
    )
    factories.complete_audit_card(application, by=auditor)
    services.deliver_report(application=application, by=auditor)
    services.grant_certificate(application=application, by=officer)
    application.refresh_from_db()
    assert application.state == ApplicationState.CERTIFIED


def renew(j: Journey) -> Application:
    v = j.v
    certificate = j.application.certificate
    changed = j.criterion(RENEWED_CRITERION)

    # From the start page to the club, and its renewal.
    come_back_later(v)
    v.follow(v.main.get_by_role("link", name=CLUB_NAME, exact=True))
    expect_heading(v, CLUB_NAME)
    renewal_section = v.main.get_by_role(
        "region", name=t("Renewal of the certificate"), exact=True
    )
    expect(renewal_section).to_contain_text(certificate.number)
    v.follow(renewal_section.get_by_role("button", name=t("File a renewal")))
    renewal = Application.objects.get(club=j.club, kind=ApplicationKind.RENEWAL)
    assert v.page.url.endswith(f"/panel/wnioski/{renewal.pk}/edycja/")

    # The answers of the last application are copied.
    v.follow(task_link(v, SectionKind.AUTHORISED_PERSON))
    expect(
        v.main.get_by_label(field("Person authorised to file the application"))
    ).to_have_value(j.authorised["Person authorised to file the application"])
    expect(
        v.main.get_by_label(field("Authorised person's phone or e-mail"))
    ).to_have_value(CORRECTED_CONTACT)
    back_to_sections(v)
    v.follow(task_link(v, SectionKind.STAFF))
    expect_declared(v, j.criterion(FAULTY_CRITERION), CORRECTED_DESCRIPTION)
    back_to_sections(v)

    # One criterion changed since: new text, and the tick that says so.
    v.follow(task_link(v, SectionKind.GROUP))
    expect_declared(v, changed)
    for criterion in j.criteria:
        if criterion.group == changed.group:
            expect(
                criterion_group(v, criterion).get_by_label(
                    t("Changed since the last application"), exact=True
                )
            ).not_to_be_checked()
    description_box(v, changed).fill(RENEWED_DESCRIPTION)
    criterion_group(v, changed).get_by_label(
        t("Changed since the last application"), exact=True
    ).check()
    v.follow(v.button("Save and go back to the list of sections"))
    v.expect_message("The section has been saved.")

    # Kept on a fresh load.
    v.follow(task_link(v, SectionKind.GROUP))
    expect_declared(v, changed, RENEWED_DESCRIPTION)
    expect(
        criterion_group(v, changed).get_by_label(
            t("Changed since the last application"), exact=True
        )
    ).to_be_checked()
    back_to_sections(v)

    # Check and submit.
    v.follow(v.link("Check your answers and submit"))
    group = answers_of(v, SectionKind.GROUP)
    for criterion in j.criteria:
        if criterion.group != changed.group:
            continue
        with translation.override("pl"):
            label = translation.gettext(
                "%(criterion)s: changed since the last application"
            ) % {"criterion": criterion.name}
            what = translation.gettext("%(criterion)s: what the club has") % {
                "criterion": criterion.name
            }
        expect(answer_shown(group, label)).to_have_text(
            t("yes") if criterion == changed else t("no")
        )
        expect(answer_shown(group, what)).to_have_text(
            RENEWED_DESCRIPTION if criterion == changed else description_of(criterion)
        )
    v.follow(v.button("Submit the application"))
    expect_heading(v, t("Receipt of submission"))
    renewal.refresh_from_db()
    assert renewal.state == ApplicationState.SUBMITTED
    expect(v.main).to_contain_text(renewal.number)
    v.follow(v.link("Back to the case"))
    v.expect_state(ApplicationState.SUBMITTED)
    return renewal


def officer_sees_the_change(j: Journey, renewal: Application) -> None:
    v = j.v
    changed = j.criterion(RENEWED_CRITERION)
    v.log_out()
    v.log_in(factories.officer_of(renewal))
    v.open_case(renewal)
    declared = v.main.get_by_role(
        "region",
        name=t("The standard: what the application declares"),
        exact=True,
    )
    row = declared.get_by_role("row").filter(has_text=changed.name)
    expect(row).to_contain_text(RENEWED_DESCRIPTION)
    expect(row).to_contain_text(t("Changed since the last application"))
    for criterion in j.criteria:
        if criterion != changed:
            expect(
                declared.get_by_role("row").filter(has_text=criterion.name).first
            ).not_to_contain_text(t("Changed since the last application"))


def test_applicant_goes_from_a_new_account_to_a_renewal(journey: Journey):
    create_account(journey)
    check_readiness(journey)
    register_club_from_readiness(journey)
    fill_application(journey)
    check_and_submit(journey)
    correct(journey)
    certify(journey)
    renewal = renew(journey)
    officer_sees_the_change(journey, renewal)
