"""The public verification page: a certificate replaced by its renewal, and the
check of a copy of the certificate's PDF against the issued one."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from certification import signing
from certification.models import Application, Certificate, Decision
from certification.states import ApplicationState, DecisionKind
from registry import selectors
from registry.forms import COPY_MAX_BYTES
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)

MATCHES = (
    "The copy <strong>matches the issued certificate</strong>: its SHA-256 "
    "checksum equals the one above."
)
DIFFERS = (
    "The copy <strong>does NOT match</strong>: this copy differs from the issued "
    "certificate."
)
INTACT = (
    "Its electronic signature is intact: the document has not been changed since "
    "it was signed."
)
INTACT_ELSEWHERE = (
    "Its electronic signature is intact, yet the file is not the issued "
    "certificate: it was signed as another document or by someone else."
)
BROKEN = (
    "Its electronic signature is broken: the document was changed after it was "
    "signed, or is damaged."
)
UNSIGNED = "It carries no electronic signature."
NOT_A_PDF = "This file is not a PDF. Choose the PDF file of the certificate."
NO_FILE = "Choose the PDF file of the certificate to check."
TOO_BIG = "The file is larger than 5 MB: it is not a certificate copy."


@pytest.fixture(autouse=True)
def _no_signing_keys(settings, tmp_path):
    # The test's own empty key folder, whatever a local demo seed left in
    # var/signing.
    settings.SCKIS_SIGNING_KEYS_DIR = tmp_path / "signing"
    settings.SCKIS_SIGNING_KEY_PASSPHRASE = ""


@pytest.fixture
def signing_keys(mazowieckie):
    call_command("make_demo_signing_keys", stdout=io.StringIO())


@pytest.fixture
def certificate(club, signing_keys) -> Certificate:
    """A certificate granted through the process and signed by the unit."""
    application = factories.CertifiedApplicationFactory(club=club)
    return Certificate.objects.get(application=application)


@pytest.fixture
def issued_pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as file:
        return file.read()


def in_polish(msgid: str) -> str:
    with translation.override("pl"):
        return translation.gettext(msgid)


def polish_get(client: Client, url: str):
    with translation.override("pl"):
        return client.get(url, headers={"accept-language": "pl"})


def upload(client: Client, certificate: Certificate, content: bytes | None, **extra):
    data = {}
    if content is not None:
        data["copy"] = SimpleUploadedFile("kopia.pdf", content, "application/pdf")
    with translation.override("pl"):
        return client.post(
            reverse("registry:certificate", args=[certificate.number]),
            data,
            headers={"accept-language": "pl"},
            **extra,
        )


def one_byte_changed(pdf: bytes) -> bytes:
    """The PDF with one byte of the signed page content changed."""
    start, length = map(
        int, re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf).groups()
    )
    changed = bytearray(pdf)
    changed[start + length // 2] ^= 0x01
    return bytes(changed)


def renewal_of(certificate: Certificate, *, valid_from: datetime.date) -> Certificate:
    """A certificate issued on a renewal application of the given one.

    Written as rows: the renewal's own process is tested with the services.
    """
    old = certificate.application
    application = Application.objects.create(
        state=ApplicationState.CERTIFIED,
        club=old.club,
        applicant_unit=old.applicant_unit,
        certifying_unit=old.certifying_unit,
        criteria_version=old.criteria_version,
        created_by=old.created_by,
        renewal_of=certificate,
    )
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.GRANT,
        issued_at=timezone.now(),
        issued_by=old.created_by,
        certifying_unit=old.certifying_unit,
        certifying_unit_name=certificate.certifying_unit_name,
    )
    return Certificate.objects.create(
        number=certificate.number + "-R",
        application=application,
        club=old.club,
        decision=decision,
        issued_on=timezone.localdate(),
        valid_from=valid_from,
        valid_until=valid_from + datetime.timedelta(days=3 * 365),
        club_name=certificate.club_name,
        club_address=certificate.club_address,
        founding_unit_name=certificate.founding_unit_name,
        certifying_unit_name=certificate.certifying_unit_name,
        voivodeship_name=certificate.voivodeship_name,
    )


class TestCertificateStatus:
    def test_is_replaced_from_the_day_its_renewal_starts(self, certificate):
        renewal = renewal_of(certificate, valid_from=certificate.valid_until + DAY)

        assert selectors.certificate_renewal(certificate) == renewal
        assert selectors.certificate_status(certificate, renewal.valid_from) == (
            selectors.CertificateStatus.REPLACED
        )

    def test_stays_valid_until_its_own_end_while_the_renewal_waits(self, certificate):
        renewal_of(certificate, valid_from=certificate.valid_until + DAY)

        assert selectors.certificate_status(certificate, certificate.valid_until) == (
            selectors.CertificateStatus.VALID
        )
        assert selectors.certificate_status(certificate) == (
            selectors.CertificateStatus.VALID
        )

    def test_a_late_renewal_leaves_a_gap_when_it_was_expired(self, certificate):
        late = certificate.valid_until + 10 * DAY
        renewal_of(certificate, valid_from=late)

        assert selectors.certificate_status(certificate, late - DAY) == (
            selectors.CertificateStatus.EXPIRED
        )
        assert selectors.certificate_status(certificate, late) == (
            selectors.CertificateStatus.REPLACED
        )

    def test_without_a_renewal_it_expires(self, certificate):
        assert selectors.certificate_renewal(certificate) is None
        assert selectors.certificate_status(
            certificate, certificate.valid_until + DAY
        ) == (selectors.CertificateStatus.EXPIRED)

    def test_the_renewal_itself_is_not_replaced(self, certificate):
        renewal = renewal_of(certificate, valid_from=timezone.localdate())

        assert selectors.certificate_status(renewal) == (
            selectors.CertificateStatus.VALID
        )


class TestReplacedOnThePage:
    def test_says_replaced_and_links_the_renewal(self, client, certificate):
        renewal = renewal_of(certificate, valid_from=timezone.localdate())

        response = polish_get(client, certificate.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert 'data-status="replaced"' in content
        assert f'href="{renewal.get_absolute_url()}"' in content
        assert in_polish("Replaced by a renewal") in content

    def test_a_valid_certificate_mentions_its_coming_renewal(self, client, certificate):
        renewal = renewal_of(certificate, valid_from=certificate.valid_until + DAY)

        response = polish_get(client, certificate.get_absolute_url())

        content = response.content.decode()
        assert 'data-status="valid"' in content
        assert f'data-renewal="{renewal.number}"' in content
        assert renewal.valid_from.strftime("%d.%m.%Y") in content


class TestCheckACopyForm:
    def test_is_a_multipart_post_form_with_a_labelled_file_field(
        self, client, certificate
    ):
        response = polish_get(client, certificate.get_absolute_url())

        content = response.content.decode().split('<main id="main"', 1)[1]
        form = re.search(r"<form [^>]*>", content)[0]
        assert 'method="post"' in form
        assert 'enctype="multipart/form-data"' in form
        assert 'name="csrfmiddlewaretoken"' in content
        assert '<label class="form-label" for="id_copy">' in content
        assert 'type="file"' in content
        assert in_polish("PDF copy of the certificate") in content
        assert 'role="alert"' not in content

    def test_an_untouched_copy_matches_and_its_signature_is_intact(
        self, client, certificate, issued_pdf
    ):
        response = upload(client, certificate, issued_pdf)

        content = response.content.decode()
        assert response.status_code == 200
        assert 'data-copy="matches"' in content
        assert 'data-signature="intact"' in content
        assert in_polish(MATCHES) in content
        assert in_polish(INTACT) in content

    def test_a_copy_with_one_byte_changed_differs_and_its_signature_is_broken(
        self, client, certificate, issued_pdf
    ):
        response = upload(client, certificate, one_byte_changed(issued_pdf))

        content = response.content.decode()
        assert response.status_code == 200
        assert 'data-copy="differs"' in content
        assert 'data-signature="broken"' in content
        assert in_polish(DIFFERS) in content
        assert in_polish(BROKEN) in content

    def test_another_certificates_pdf_does_not_match(
        self, client, certificate, issued_pdf
    ):
        other = factories.CertifiedApplicationFactory().certificate

        response = upload(client, other, issued_pdf)

        content = response.content.decode()
        assert 'data-copy="differs"' in content
        # Intact, but another document: the checksum is what tells.
        assert 'data-signature="intact"' in content
        assert in_polish(INTACT_ELSEWHERE) in content
        assert in_polish(INTACT) not in content

    def test_an_unsigned_issued_certificate_matches_and_says_unsigned(
        self, client, settings, tmp_path, club
    ):
        settings.SCKIS_SIGNING_KEYS_DIR = tmp_path / "no-keys"
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = Certificate.objects.get(application=application)
        with certificate.pdf.open("rb") as file:
            pdf = file.read()

        response = upload(client, certificate, pdf)

        content = response.content.decode()
        assert 'data-copy="matches"' in content
        assert 'data-signature="unsigned"' in content
        assert in_polish(UNSIGNED) in content

    def test_nothing_is_stored(self, client, certificate, issued_pdf, tmp_path):
        before = sorted(path for path in tmp_path.rglob("*"))

        upload(client, certificate, issued_pdf)
        upload(client, certificate, one_byte_changed(issued_pdf))

        assert sorted(path for path in tmp_path.rglob("*")) == before

    def test_a_copy_over_django_s_memory_threshold_never_goes_to_a_temporary_file(
        self, client, certificate, monkeypatch
    ):
        def refuse(*args, **kwargs):
            raise AssertionError("the copy was written to a temporary file")

        monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
        content = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)

        response = upload(client, certificate, content)

        assert response.status_code == 200
        assert 'data-copy="differs"' in response.content.decode()

    def test_requires_the_csrf_token(self, certificate, issued_pdf):
        client = Client(enforce_csrf_checks=True)

        refused = upload(client, certificate, issued_pdf)
        page = client.get(certificate.get_absolute_url())
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
        )[1]
        with translation.override("pl"):
            accepted = client.post(
                certificate.get_absolute_url(),
                {
                    "csrfmiddlewaretoken": token,
                    "copy": SimpleUploadedFile("kopia.pdf", issued_pdf),
                },
            )

        assert refused.status_code == 403
        assert accepted.status_code == 200
        assert 'data-copy="matches"' in accepted.content.decode()


class TestCheckACopyRefusesBadInput:
    def assert_refused_next_to_the_field(self, response, message: str) -> None:
        content = response.content.decode()
        assert response.status_code == 400
        assert 'role="alert"' in content
        assert 'aria-invalid="true"' in content
        assert 'aria-describedby="id_copy-error id_copy-help"' in content
        error = re.search(
            r'<div class="invalid-feedback" id="id_copy-error">([^<]*)<', content
        )
        assert error[1] == in_polish(message)
        assert "data-copy=" not in content
        title = re.search(r"<title>([^<]*)</title>", content)[1]
        assert title.startswith(in_polish("Error"))

    def test_no_file(self, client, certificate):
        response = upload(client, certificate, None)

        self.assert_refused_next_to_the_field(response, NO_FILE)

    def test_a_file_that_is_not_a_pdf(self, client, certificate):
        response = upload(client, certificate, b"<html>not a certificate</html>")

        self.assert_refused_next_to_the_field(response, NOT_A_PDF)

    def test_an_empty_file(self, client, certificate):
        response = upload(client, certificate, b"")

        assert response.status_code == 400
        assert "data-copy=" not in response.content.decode()

    def test_a_file_just_over_5_mb(self, client, certificate):
        content = b"%PDF-1.7\n" + b"0" * (COPY_MAX_BYTES - 8)

        response = upload(client, certificate, content)

        self.assert_refused_next_to_the_field(response, TOO_BIG)

    def test_a_request_far_over_the_limit_is_refused_unread(self, client, certificate):
        content = b"%PDF-1.7\n" + b"0" * (2 * COPY_MAX_BYTES)

        response = upload(client, certificate, content)

        self.assert_refused_next_to_the_field(response, TOO_BIG)

    def test_a_file_of_exactly_5_mb_is_read(self, client, certificate):
        content = b"%PDF-1.7\n" + b"0" * (COPY_MAX_BYTES - 9)

        response = upload(client, certificate, content)

        assert response.status_code == 200
        assert 'data-copy="differs"' in response.content.decode()

    def test_a_certificate_without_an_issued_pdf_has_no_form_and_refuses_a_copy(
        self, client, certificate
    ):
        Certificate.objects.filter(pk=certificate.pk).update(sha256="", pdf="")

        page = polish_get(client, certificate.get_absolute_url())
        response = upload(client, certificate, b"%PDF-1.7\n")

        assert "<form" not in page.content.decode().split('<main id="main"', 1)[1]
        assert response.status_code == 400
        assert (
            in_polish("There is no issued PDF of this certificate to compare with.")
            in response.content.decode()
        )

    def test_an_unknown_certificate_gets_404(self, client, units):
        response = client.post(
            "/certyfikat/KIS-99-2026-9999/",
            {"copy": SimpleUploadedFile("kopia.pdf", b"%PDF-1.7\n")},
        )

        assert response.status_code == 404

    def test_other_methods_are_not_allowed(self, client, certificate):
        response = client.put(certificate.get_absolute_url())

        assert response.status_code == 405


def test_signature_status_of_the_issued_pdf_is_intact(issued_pdf):
    assert signing.signature_status(issued_pdf) == signing.SignatureStatus.INTACT
