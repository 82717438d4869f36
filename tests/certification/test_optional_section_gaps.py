"""The attachments section is recommended, not required: what it lacks is
worded as recommended on the task list and the check page, while the
required sections keep saying what is missing. The status words stay.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import services
from certification.application_sections import SectionStatus
from certification.attachments import attachment_add
from certification.models import AttachmentKind
from tests import factories

PDF = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n"
RECOMMENDED = "Recommended, not attached yet:"
MISSING = "Missing:"


def shown(msgid: str) -> str:
    with translation.override("pl"):
        return escape(str(translation.gettext(msgid)))


def block_of(html: str, marker: str, end: str) -> str:
    start = html.index(marker)
    return html[start : html.index(end, start)]


@pytest.fixture
def filled(club, criteria):
    """Every required answer given, one recommended document attached."""
    application = factories.DraftApplicationFactory(club=club)
    attachment_add(
        application=application,
        by=factories.applicant_of(application),
        kind=AttachmentKind.RULES,
        uploaded_file=SimpleUploadedFile("regulamin.pdf", PDF),
    )
    return application


@pytest.fixture
def draft(applicant, club, criteria):
    """A draft just opened: required answers missing."""
    return services.application_create(by=applicant, club=club)


def test_task_list_words_the_attachments_as_recommended(client, filled):
    client.force_login(factories.applicant_of(filled))

    response = client.get(reverse("certification:application_edit", args=[filled.pk]))

    html = response.content.decode()
    item = block_of(html, 'aria-describedby="status-zalaczniki"', "</li>")
    assert shown(RECOMMENDED) in item
    assert shown(MISSING) not in item
    # The status words stay as they are.
    with translation.override("pl"):
        assert escape(str(SectionStatus.IN_PROGRESS.label)) in item


def test_check_page_words_the_attachments_as_recommended(client, draft):
    client.force_login(factories.applicant_of(draft))

    response = client.get(reverse("certification:application_check", args=[draft.pk]))

    html = response.content.decode()
    attachments = block_of(html, 'id="answers-zalaczniki"', "</section>")
    assert shown(RECOMMENDED) in attachments
    assert shown(MISSING) not in attachments
    # A required section still says what is missing.
    before = html[: html.index('id="answers-zalaczniki"')]
    assert shown(MISSING) in before
    assert shown(RECOMMENDED) not in before
