"""The files attached to an application: what is accepted by its content,
who may download it, and how a deletion is recorded.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from certification import events, services
from certification.attachments import attachment_add, attachment_delete
from certification.models import Attachment, AttachmentKind, Transition
from certification.services import ActionRefused
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(tmp_path) -> list:
    folder = tmp_path / "private" / "attachments"
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def draft(club):
    return factories.DraftApplicationFactory(club=club)


@pytest.fixture
def owner(draft):
    return factories.applicant_of(draft)


def add(application, by, name="umowa.pdf", content=PDF, kind=AttachmentKind.OTHER):
    return attachment_add(
        application=application, by=by, kind=kind, uploaded_file=upload(name, content)
    )


class TestAttachmentAdd:
    @pytest.mark.parametrize(
        ("name", "content", "content_type"),
        [
            ("umowa.pdf", PDF, "application/pdf"),
            ("zdjecie.JPG", JPEG, "image/jpeg"),
            ("zdjecie.jpeg", JPEG, "image/jpeg"),
            ("skan.png", PNG, "image/png"),
        ],
    )
    def test_pdf_jpeg_and_png_are_accepted(
        self, draft, owner, tmp_path, name, content, content_type
    ):
        attachment = add(draft, owner, name=name, content=content)

        attachment.refresh_from_db()
        assert attachment.original_name == name
        assert attachment.content_type == content_type
        assert attachment.size == len(content)
        assert len(attachment.sha256) == 64
        # Stored under the case, by a random name, never the one given.
        assert attachment.file.name.startswith(f"attachments/{draft.pk}/")
        assert name not in attachment.file.name
        with attachment.file.open("rb") as stored:
            assert stored.read() == content
        assert draft.transitions.filter(event=events.ATTACHMENT_ADDED).count() == 1

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            pytest.param("umowa.pdf", EXECUTABLE, id="renamed-executable"),
            pytest.param("umowa.pdf", ELF, id="renamed-elf"),
            pytest.param("umowa.pdf", PNG, id="png-named-pdf"),
            pytest.param("skan.png", PDF, id="pdf-named-png"),
            pytest.param("umowa", PDF, id="no-extension"),
            pytest.param("umowa.pdf", b"", id="empty"),
            pytest.param("umowa.txt", b"plain text", id="text"),
        ],
    )
    def test_other_content_is_refused_and_nothing_stored(
        self, draft, owner, tmp_path, name, content
    ):
        with pytest.raises(ValidationError) as error:
            add(draft, owner, name=name, content=content)

        assert "file" in error.value.message_dict
        assert not Attachment.objects.exists()
        assert stored_files(tmp_path) == []
        assert not draft.transitions.filter(event=events.ATTACHMENT_ADDED).exists()

    def test_oversized_file_is_refused(self, draft, owner, tmp_path, settings):
        settings.SCKIS_ATTACHMENT_MAX_BYTES = 100

        with pytest.raises(ValidationError) as error:
            add(draft, owner, content=PDF + b"\x00" * 100)

        assert "file" in error.value.message_dict
        assert not Attachment.objects.exists()
        assert stored_files(tmp_path) == []

    def test_applicant_of_another_institution_is_refused(self, draft, mazowieckie):
        stranger = factories.ApplicantFactory(unit__voivodeship=mazowieckie)

        with pytest.raises(ActionRefused):
            add(draft, stranger)

        assert not Attachment.objects.exists()

    def test_submitted_application_no_longer_takes_attachments(
        self, draft, owner, tmp_path
    ):
        services.submit_application(application=draft, by=owner)

        with pytest.raises(ActionRefused):
            add(draft, owner)

        assert not Attachment.objects.exists()
        assert stored_files(tmp_path) == []


class TestAttachmentDelete:
    def test_deletion_is_recorded_and_the_file_kept(self, draft, owner, tmp_path):
        attachment = add(draft, owner)

        attachment_delete(attachment=attachment, by=owner)

        attachment.refresh_from_db()
        assert attachment.deleted_at is not None
        assert attachment.deleted_by == owner
        assert not draft.attachments.present().exists()
        assert len(stored_files(tmp_path)) == 1
        assert Transition.objects.filter(
            application=draft, event=events.ATTACHMENT_DELETED
        ).exists()

    def test_second_deletion_is_refused(self, draft, owner):
        attachment = add(draft, owner)
        attachment_delete(attachment=attachment, by=owner)

        with pytest.raises(ActionRefused):
            attachment_delete(attachment=attachment, by=owner)

        assert draft.transitions.filter(event=events.ATTACHMENT_DELETED).count() == 1


def download_url(application, attachment) -> str:
    return reverse(
        "certification:attachment_download", args=[application.pk, attachment.pk]
    )


@pytest.fixture
def submitted_with_attachment(draft, owner):
    attachment = add(draft, owner, name="regulamin.pdf", kind=AttachmentKind.RULES)
    services.submit_application(application=draft, by=owner)
    return draft, attachment


class TestDownload:
    def test_officer_of_the_case_downloads_the_file(
        self, client, submitted_with_attachment
    ):
        application, attachment = submitted_with_attachment
        client.force_login(factories.officer_of(application))

        response = client.get(download_url(application, attachment))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "regulamin.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_officer_of_another_voivodeship_gets_404(
        self, client, submitted_with_attachment, lubuskie
    ):
        application, attachment = submitted_with_attachment
        client.force_login(factories.OfficerFactory(unit__voivodeship=lubuskie))

        response = client.get(download_url(application, attachment))

        assert response.status_code == 404

    def test_applicant_of_another_institution_gets_404(
        self, client, submitted_with_attachment, mazowieckie
    ):
        application, attachment = submitted_with_attachment
        client.force_login(factories.ApplicantFactory(unit__voivodeship=mazowieckie))

        response = client.get(download_url(application, attachment))

        assert response.status_code == 404

    def test_attachment_of_another_case_through_this_case_gets_404(
        self, client, draft, owner, lubuskie
    ):
        # The other case's attachment exists, but not in this case.
        other_club = factories.ClubFactory(founding_unit__voivodeship=lubuskie)
        other = factories.DraftApplicationFactory(club=other_club)
        foreign = add(other, factories.applicant_of(other))
        client.force_login(owner)

        response = client.get(download_url(draft, foreign))

        assert response.status_code == 404

    def test_deleted_attachment_gets_404(self, client, draft, owner):
        attachment = add(draft, owner)
        attachment_delete(attachment=attachment, by=owner)
        client.force_login(owner)

        response = client.get(download_url(draft, attachment))

        assert response.status_code == 404


def attachments_section(page: str) -> str:
    start = page.index('id="attachments-heading"')
    return page[start : page.index("</section>", start)]


class TestScreens:
    def test_upload_through_the_form_and_listed_with_size_and_time(
        self, client, draft, owner
    ):
        client.force_login(owner)
        url = reverse("certification:attachments", args=[draft.pk])

        response = client.post(
            url,
            {
                "kind": AttachmentKind.PUP_AGREEMENT,
                "file": upload("umowa-pup.pdf", PDF + b"\x00" * 1200),
            },
        )

        assert response.status_code == 302
        attachment = Attachment.objects.get()
        page = client.get(draft.get_absolute_url()).content.decode()
        section = attachments_section(page)
        assert "umowa-pup.pdf" in section
        with translation.override("pl"):
            assert escape(str(AttachmentKind.PUP_AGREEMENT.label)) in section
        assert re.search(r"1,2(\s|&nbsp;|\xa0)KB", section)
        uploaded = timezone.localtime(attachment.uploaded_at)
        assert uploaded.strftime("%d.%m.%Y %H:%M") in section
        assert reverse("certification:attachments", args=[draft.pk]) in section

    def test_refused_upload_shows_the_error_and_keeps_the_kind(
        self, client, draft, owner, tmp_path
    ):
        client.force_login(owner)
        url = reverse("certification:attachments", args=[draft.pk])

        response = client.post(
            url,
            {
                "kind": AttachmentKind.DIAGNOSIS,
                "file": upload("program.pdf", EXECUTABLE),
            },
        )

        assert response.status_code == 400
        page = response.content.decode()
        assert 'aria-invalid="true"' in page
        assert f'value="{AttachmentKind.DIAGNOSIS}" selected' in page
        assert not Attachment.objects.exists()
        assert stored_files(tmp_path) == []

    def test_deletion_asks_first_then_the_file_is_no_longer_listed(
        self, client, draft, owner
    ):
        attachment = add(draft, owner, name="stary.pdf")
        client.force_login(owner)
        url = reverse("certification:attachment_delete", args=[draft.pk, attachment.pk])

        confirm = client.get(url)
        assert confirm.status_code == 200
        assert Attachment.objects.get().deleted_at is None

        response = client.post(url)

        assert response.status_code == 302
        case_page = client.get(draft.get_absolute_url()).content.decode()
        assert "stary.pdf" not in attachments_section(case_page)
        assert "stary.pdf" in case_page  # in the history, as deleted
        listing = client.get(reverse("certification:attachments", args=[draft.pk]))
        assert "stary.pdf" not in listing.content.decode()
        assert Attachment.objects.get().deleted_at is not None

    def test_officer_cannot_delete(self, client, submitted_with_attachment):
        application, attachment = submitted_with_attachment
        client.force_login(factories.officer_of(application))
        url = reverse(
            "certification:attachment_delete", args=[application.pk, attachment.pk]
        )

        client.post(url)

        assert Attachment.objects.get().deleted_at is None

    def test_officer_cannot_upload(self, client, submitted_with_attachment):
        application, _attachment = submitted_with_attachment
        client.force_login(factories.officer_of(application))
        url = reverse("certification:attachments", args=[application.pk])

        response = client.post(
            url, {"kind": AttachmentKind.OTHER, "file": upload("inny.pdf", PDF)}
        )

        assert response.status_code == 302
        assert Attachment.objects.count() == 1

    def test_officer_sees_the_list_without_the_upload_form(
        self, client, submitted_with_attachment
    ):
        application, _attachment = submitted_with_attachment
        client.force_login(factories.officer_of(application))

        response = client.get(
            reverse("certification:attachments", args=[application.pk])
        )

        assert response.status_code == 200
        assert "regulamin.pdf" in response.content.decode()
        assert 'type="file"' not in response.content.decode()
