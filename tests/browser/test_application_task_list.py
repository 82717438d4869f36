"""Filing the application section by section in a real chromium: the task
list, the sections saved with their buttons and as the person types, a
browser closed in the middle and opened again, the check-your-answers page
and the receipt. And the same sections with JavaScript off.

The browser that is closed and opened again keeps its profile (cookies,
localStorage) in a temporary folder, as a person's browser does on their
disk.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certification import reference_data, services
from certification.application_sections import (
    BY_KIND,
    SECTIONS,
    SectionKind,
    SectionStatus,
)
from certification.models import Application, Club
from certification.states import ApplicationState, Level
from tests import factories
from tests.browser.conftest import CHROMIUM_FLAGS, _chromium_path
from tests.browser.test_journey import Visitor, field, model_field, t

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA_SECTIONS = [section for section in SECTIONS if section.is_criteria]


def saved_status() -> re.Pattern:
    """The status line after a save as the person types."""
    text = t("Saved automatically at {time}. Section status: {status}.")
    parts = [re.escape(part) for part in re.split(r"\{\w+\}", text)]
    return re.compile(r".+".join(parts))


# The addresses the sections are saved to.
SECTIONS_PATH = re.compile(r".*/edycja/.*")


def drop_posts(route) -> None:
    """The network as it is when it drops: what is sent never arrives."""
    if route.request.method == "POST":
        route.abort()
    else:
        route.continue_()


def description(criterion) -> str:
    return f"Klub ma to w pełni: {criterion.name.lower()}."


@pytest.fixture
def draft(db):
    """A draft just opened by a person of an applicant institution, for a
    club not yet entered in the voivode's register.
    """
    reference_data.load_units()
    reference_data.load_criteria()
    voivodeship = factories.VoivodeshipFactory(slug="mazowieckie")
    applicant = factories.ApplicantFactory(
        username="wnioskodawca",
        first_name="Grażyna",
        last_name="Wójcik",
        unit__voivodeship=voivodeship,
    )
    club = factories.ClubFactory(
        founding_unit=applicant.unit,
        name="KIS „Źródło” w Łańcucie",
        register_entry_date=None,
        register_entry_number="",
    )
    return services.application_create(by=applicant, club=club)


@pytest.fixture
def open_browser(playwright, tmp_path, axe, live_server):
    """Opens chromium with the same profile each time, as a person opens
    their browser again after closing it; gives a Visitor on its first tab.
    """
    profile = tmp_path / "chromium-profile"
    opened = []

    def launch() -> Visitor:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=_chromium_path(),
            args=CHROMIUM_FLAGS,
            headless=True,
            locale="pl-PL",
            timezone_id="Europe/Warsaw",
        )
        opened.append(context)
        page = context.pages[0] if context.pages else context.new_page()
        return Visitor(page, axe, live_server.url)

    yield launch
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - closed by the test already
            pass


@pytest.fixture
def visitor_without_js(browser, live_server) -> Visitor:
    context = browser.new_context(
        java_script_enabled=False, locale="pl-PL", timezone_id="Europe/Warsaw"
    )
    # axe-core needs the page's timers, which stop with JavaScript; the same
    # pages are checked with it in the tests above.
    yield Visitor(context.new_page(), lambda page: None, live_server.url)
    context.close()


def task_list_url(application: Application) -> str:
    return reverse("certification:application_edit", args=[application.pk])


def section_url(application: Application, kind: SectionKind) -> str:
    return reverse(
        "certification:application_section",
        args=[application.pk, BY_KIND[kind].slug],
    )


def expect_section(v: Visitor, kind: SectionKind) -> None:
    expect(v.page.get_by_role("heading", level=1)).to_have_text(t(kind.label))


def row_of(v: Visitor, criterion):
    return v.main.get_by_role("group", name=criterion.name, exact=True)


def fill_criteria(v: Visitor, criteria) -> None:
    for criterion in criteria:
        row = row_of(v, criterion)
        row.get_by_label(t(Level.FULL.label), exact=True).check()
        row.get_by_label(t("What the club has"), exact=True).fill(
            description(criterion)
        )


def expect_criteria(v: Visitor, criteria) -> None:
    for criterion in criteria:
        row = row_of(v, criterion)
        expect(row.get_by_label(t(Level.FULL.label), exact=True)).to_be_checked()
        expect(row.get_by_label(t("What the club has"), exact=True)).to_have_value(
            description(criterion)
        )


def criteria_of(application: Application, section) -> list:
    return [
        declaration.criterion
        for declaration in application.declarations.select_related("criterion")
        .filter(criterion__group=section.group)
        .order_by("criterion__position", "criterion__pk")
    ]


def status_badge(v: Visitor, kind: SectionKind):
    return v.main.locator(f"#status-{BY_KIND[kind].slug}")


def autosave_status(v: Visitor):
    return v.main.get_by_role("status").and_(v.main.locator("[data-autosave-status]"))


# 1. The whole application, with the browser closed in the middle.


def test_applicant_files_the_application_through_the_task_list(open_browser, draft):
    applicant = factories.applicant_of(draft)
    staff_section = BY_KIND[SectionKind.STAFF]
    staff = criteria_of(draft, staff_section)
    premises = criteria_of(draft, BY_KIND[SectionKind.PREMISES])
    typed_first, typed_second = staff[0], staff[1]

    v = open_browser()
    v.log_in(applicant)

    # From the case page to the task list of the draft.
    v.open(draft.get_absolute_url())
    v.follow(v.link("Fill in the application"))
    expect(v.page.get_by_role("heading", level=1)).to_have_text(
        t("Application for the KIS certificate")
    )
    expect(status_badge(v, SectionKind.AUTHORISED_PERSON)).to_have_text(
        t(SectionStatus.NOT_STARTED.label)
    )
    expect(status_badge(v, SectionKind.PREMISES)).to_have_text(
        t(SectionStatus.NOT_STARTED.label)
    )

    # The applicant's data come from the institution's registration.
    v.follow(
        v.main.get_by_role(
            "link", name=f"1. {t(SectionKind.APPLICANT.label)}", exact=True
        )
    )
    expect_section(v, SectionKind.APPLICANT)
    v.follow(v.button("Save and continue"))

    expect_section(v, SectionKind.AUTHORISED_PERSON)
    v.main.get_by_label(field("Person authorised to file the application")).fill(
        "Grażyna Wójcik"
    )
    v.main.get_by_label(field("Authorised person's phone or e-mail")).fill(
        "g.wojcik@plonsk.example.pl"
    )
    v.follow(v.button("Save and continue"))
    v.expect_message("The section has been saved.")

    # The club's data come from its registration.
    expect_section(v, SectionKind.CLUB)
    v.follow(v.button("Save and continue"))

    expect_section(v, SectionKind.REGISTER)
    v.main.get_by_label(field("Date of entry in the voivode's register")).fill(
        "15.01.2025"
    )
    v.main.get_by_label(model_field("number in the voivode's register")).fill(
        "KIS/14/2025/3"
    )
    v.follow(v.button("Save and continue"))

    expect_section(v, SectionKind.PREMISES)
    fill_criteria(v, premises)
    v.follow(v.button("Save and continue"))

    # In the staff section the person types and presses no button; the
    # page saves it and says so.
    expect_section(v, SectionKind.STAFF)
    first_row = row_of(v, typed_first)
    first_row.get_by_label(t(Level.FULL.label), exact=True).check()
    first_row.get_by_label(t("What the club has"), exact=True).fill(
        description(typed_first)
    )
    row_of(v, typed_second).get_by_label(t("What the club has"), exact=True).fill(
        description(typed_second)
    )
    expect(autosave_status(v)).to_have_text(saved_status(), timeout=15_000)
    expect(autosave_status(v)).to_contain_text(t(SectionStatus.IN_PROGRESS.label))

    # The browser is closed, and opened again.
    v.page.context.close()
    v = open_browser()
    v.open(task_list_url(draft))
    expect(v.page.get_by_role("heading", level=1)).to_have_text(
        t("Application for the KIS certificate")
    )
    for kind in [
        SectionKind.APPLICANT,
        SectionKind.AUTHORISED_PERSON,
        SectionKind.CLUB,
        SectionKind.REGISTER,
        SectionKind.PREMISES,
    ]:
        expect(status_badge(v, kind)).to_have_text(t(SectionStatus.COMPLETE.label))
    expect(status_badge(v, SectionKind.STAFF)).to_have_text(
        t(SectionStatus.IN_PROGRESS.label)
    )

    # Every earlier answer is there, and so is the typing no button saved.
    v.open(section_url(draft, SectionKind.AUTHORISED_PERSON))
    expect(
        v.main.get_by_label(field("Person authorised to file the application"))
    ).to_have_value("Grażyna Wójcik")
    expect(
        v.main.get_by_label(field("Authorised person's phone or e-mail"))
    ).to_have_value("g.wojcik@plonsk.example.pl")
    v.open(section_url(draft, SectionKind.REGISTER))
    expect(
        v.main.get_by_label(field("Date of entry in the voivode's register"))
    ).to_have_value("15.01.2025")
    v.open(section_url(draft, SectionKind.PREMISES))
    expect_criteria(v, premises)
    v.open(section_url(draft, SectionKind.STAFF))
    expect_criteria(v, [typed_first])
    second_row = row_of(v, typed_second)
    expect(second_row.get_by_label(t("What the club has"), exact=True)).to_have_value(
        description(typed_second)
    )
    expect(second_row.get_by_label(t(Level.FULL.label), exact=True)).not_to_be_checked()
    # Nothing to restore from the browser: the server had it all.
    expect(autosave_status(v)).to_have_text("")

    # The rest of the staff section and the other sections of criteria.
    fill_criteria(v, staff)
    for section in CRITERIA_SECTIONS[2:]:
        v.follow(v.button("Save and continue"))
        expect_section(v, section.kind)
        fill_criteria(v, criteria_of(draft, section))
    # After the last section come the attachments, which are recommended.
    v.follow(v.button("Save and continue"))
    assert v.page.url.endswith(reverse("certification:attachments", args=[draft.pk]))

    # The task list says every required section is complete.
    v.open(task_list_url(draft))
    for section in SECTIONS:
        if not section.optional:
            expect(status_badge(v, section.kind)).to_have_text(
                t(SectionStatus.COMPLETE.label)
            )

    # The check page shows the answers, and the application is submitted
    # from it.
    v.follow(v.link("Check your answers and submit"))
    expect(v.page.get_by_role("heading", level=1)).to_have_text(t("Check your answers"))
    expect(v.main).to_contain_text("Grażyna Wójcik")
    expect(v.main).to_contain_text("g.wojcik@plonsk.example.pl")
    expect(v.main).to_contain_text("15.01.2025")
    for criterion in premises + staff:
        expect(v.main).to_contain_text(description(criterion))
    v.follow(v.button("Submit the application"))

    application = Application.objects.get(pk=draft.pk)
    assert application.state == ApplicationState.SUBMITTED
    assert application.number
    expect(v.page.get_by_role("heading", level=1)).to_have_text(
        t("Receipt of submission")
    )
    expect(v.main).to_contain_text(application.number)


# 2. What the server did not get is kept in the browser.


def test_typing_the_server_did_not_get_is_restored_from_the_browser(
    open_browser, draft
):
    applicant = factories.applicant_of(draft)
    url = section_url(draft, SectionKind.AUTHORISED_PERSON)
    name = field("Person authorised to file the application")
    v = open_browser()
    v.log_in(applicant)
    v.open(url)

    # The network drops while the person types.
    v.page.route(SECTIONS_PATH, drop_posts)
    v.main.get_by_label(name).fill("Grażyna Wójcik")
    expect(autosave_status(v)).to_contain_text(
        t(
            "Not saved: there is no connection. What you typed is kept in this "
            "browser; it will be saved when you type again or press a button "
            "below."
        ),
        timeout=15_000,
    )

    # The browser is closed before the network comes back.
    v.page.context.close()
    draft.refresh_from_db()
    assert draft.authorised_person == ""

    v = open_browser()
    v.open(url)
    expect(v.main.get_by_label(name)).to_have_value("Grażyna Wójcik")
    expect(autosave_status(v)).to_have_text(
        t(
            "What you typed earlier has been restored from this browser. It is "
            "not saved yet: check it and save the page."
        )
    )
    v.axe(v.page)
    v.follow(v.button("Save and go back to the list of sections"))
    v.expect_message("The section has been saved.")
    draft.refresh_from_db()
    assert draft.authorised_person == "Grażyna Wójcik"

    # Saved, the page opens with nothing to restore.
    v.open(url)
    expect(autosave_status(v)).to_have_text("")
    expect(v.main.get_by_label(name)).to_have_value("Grażyna Wójcik")


def test_what_the_browser_kept_can_be_discarded(open_browser, draft):
    applicant = factories.applicant_of(draft)
    url = section_url(draft, SectionKind.AUTHORISED_PERSON)
    name = field("Person authorised to file the application")
    v = open_browser()
    v.log_in(applicant)
    v.open(url)
    v.page.route(SECTIONS_PATH, drop_posts)
    v.main.get_by_label(name).fill("Ktoś Przypadkowy")
    expect(autosave_status(v)).not_to_have_text("", timeout=15_000)
    v.page.context.close()

    v = open_browser()
    v.open(url)
    expect(v.main.get_by_label(name)).to_have_value("Ktoś Przypadkowy")
    with v.page.expect_navigation():
        v.button("Discard what this browser kept and show the saved answers").click()
    expect(v.main.get_by_label(name)).to_have_value("")
    expect(autosave_status(v)).to_have_text("")
    draft.refresh_from_db()
    assert draft.authorised_person == ""


def test_leaving_the_page_saves_what_was_just_typed(open_browser, draft):
    applicant = factories.applicant_of(draft)
    url = section_url(draft, SectionKind.AUTHORISED_PERSON)
    name = field("Person authorised to file the application")
    v = open_browser()
    v.log_in(applicant)
    v.open(url)

    # The person types and at once goes elsewhere, before the page's usual
    # pause: leaving the page sends what was typed.
    v.main.get_by_label(name).fill("Grażyna Wójcik")
    v.open(task_list_url(draft))
    for _attempt in range(50):
        draft.refresh_from_db()
        if draft.authorised_person:
            break
        v.page.wait_for_timeout(100)
    assert draft.authorised_person == "Grażyna Wójcik"

    v.open(url)
    expect(v.main.get_by_label(name)).to_have_value("Grażyna Wójcik")
    expect(autosave_status(v)).to_have_text("")


def test_two_tabs_on_one_section_never_undo_each_other(open_browser, draft):
    """A section open in two tabs: what one tab saved is not silently
    undone by the other, which was opened before it.
    """
    applicant = factories.applicant_of(draft)
    url = section_url(draft, SectionKind.AUTHORISED_PERSON)
    name = field("Person authorised to file the application")
    first = open_browser()
    first.log_in(applicant)
    first.open(url)
    second = Visitor(first.page.context.new_page(), first.axe, first.base_url)
    second.open(url)

    first.main.get_by_label(name).fill("Grażyna Wójcik")
    expect(autosave_status(first)).to_have_text(saved_status(), timeout=15_000)

    # The older tab types: its automatic save is refused, and says why.
    second.main.get_by_label(name).fill("Jan Kowalski")
    expect(autosave_status(second)).to_contain_text(
        t(
            "This section was saved in another window or by a colleague after "
            "you opened it. Nothing of yours has been saved yet: compare with "
            "the saved answers below and save again to keep your version."
        ),
        timeout=15_000,
    )
    draft.refresh_from_db()
    assert draft.authorised_person == "Grażyna Wójcik"

    # Its button shows both versions; nothing was overwritten.
    second.follow(second.button("Save and go back to the list of sections"), status=409)
    conflict = second.main.get_by_role("alert").filter(
        has_text=t("Someone saved this section after you opened it")
    )
    expect(conflict).to_contain_text("Grażyna Wójcik")
    expect(second.main.get_by_label(name)).to_have_value("Jan Kowalski")
    draft.refresh_from_db()
    assert draft.authorised_person == "Grażyna Wójcik"

    # Saving again keeps the second tab's version, knowingly.
    second.follow(second.button("Save and go back to the list of sections"))
    draft.refresh_from_db()
    assert draft.authorised_person == "Jan Kowalski"


# 3. The session ends while the person types.


def test_typing_after_the_session_ended_is_kept_through_the_login(open_browser, draft):
    applicant = factories.applicant_of(draft)
    url = section_url(draft, SectionKind.AUTHORISED_PERSON)
    name = field("Person authorised to file the application")
    v = open_browser()
    v.log_in(applicant)
    v.open(url)

    # The person logs out in another tab; the section stays open here.
    other = Visitor(v.page.context.new_page(), v.axe, v.base_url)
    other.open("/")
    other.log_out()
    other.page.close()

    v.main.get_by_label(name).fill("Grażyna Wójcik")
    expect(autosave_status(v)).to_contain_text(
        t(
            "Your session has ended. Log in again: what you typed is kept in "
            "this browser."
        ),
        timeout=15_000,
    )
    v.follow(autosave_status(v).get_by_role("link", name=t("Log in again")))
    v.main.get_by_label(t("E-mail address or user name"), exact=True).fill(
        applicant.username
    )
    v.main.get_by_label(t("Password"), exact=True).fill(factories.PASSWORD)
    v.follow(v.button("Log in"))

    # Back on the section, with what was typed, not yet saved.
    expect_section(v, SectionKind.AUTHORISED_PERSON)
    v.expect_message(
        "Your session had ended before this page was saved. We kept what you "
        "typed: check it and save it."
    )
    expect(v.main.get_by_label(name)).to_have_value("Grażyna Wójcik")
    draft.refresh_from_db()
    assert draft.authorised_person == ""
    v.follow(v.button("Save and continue"))
    draft.refresh_from_db()
    assert draft.authorised_person == "Grażyna Wójcik"


# 4. Without JavaScript the buttons save.


def test_sections_save_with_the_buttons_without_javascript(
    visitor_without_js: Visitor, draft
):
    v = visitor_without_js
    applicant = factories.applicant_of(draft)
    v.log_in(applicant)
    v.open(task_list_url(draft))
    v.follow(
        v.main.get_by_role(
            "link", name=f"2. {t(SectionKind.AUTHORISED_PERSON.label)}", exact=True
        )
    )
    v.main.get_by_label(field("Person authorised to file the application")).fill(
        "Grażyna Wójcik"
    )
    v.main.get_by_label(field("Authorised person's phone or e-mail")).fill(
        "600 100 200"
    )
    v.follow(v.button("Save and continue"))
    v.expect_message("The section has been saved.")
    expect_section(v, SectionKind.CLUB)
    v.follow(v.button("Save and continue"))

    # A wrong date is refused next to the field and keeps what was typed.
    expect_section(v, SectionKind.REGISTER)
    date = v.main.get_by_label(field("Date of entry in the voivode's register"))
    date.fill("31.02.2025")
    v.follow(v.button("Save and continue"), status=400)
    expect(v.main).to_contain_text(
        t("Enter an existing date as DD.MM.YYYY, for example 15.01.2026.")
    )
    expect(date).to_have_value("31.02.2025")
    assert Club.objects.get(pk=draft.club_id).register_entry_date is None
    date.fill("15.01.2025")
    v.follow(v.button("Save and continue"))
    expect_section(v, SectionKind.PREMISES)

    premises = criteria_of(draft, BY_KIND[SectionKind.PREMISES])
    fill_criteria(v, premises)
    v.follow(v.button("Save and go back to the list of sections"))
    v.expect_message("The section has been saved.")
    for kind in [
        SectionKind.AUTHORISED_PERSON,
        SectionKind.REGISTER,
        SectionKind.PREMISES,
    ]:
        expect(status_badge(v, kind)).to_have_text(t(SectionStatus.COMPLETE.label))
    draft.refresh_from_db()
    assert draft.authorised_person == "Grażyna Wójcik"
    assert draft.club.register_entry_date.isoformat() == "2025-01-15"
