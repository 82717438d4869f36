"""Issued certificates as records: the QR code read back from the page, the
PAdES signature of the certifying unit, and the stored PDF served unchanged.
"""

import asyncio
import datetime
import hashlib
import io
import os
import re

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from certification import documents, services, signing
from certification.management.commands.make_demo_signing_keys import demo_key_file
from certification.models import Certificate, Club, Unit
from certification.states import ApplicationState, UnitKind
from tests import factories

pytestmark = pytest.mark.django_db

SITE_URL = "https://sckis.example.gov.pl"


@pytest.fixture(autouse=True)
def _no_signing_keys(settings, tmp_path):
    # An empty key folder of the test's own: keys made by a local demo seed in
    # var/signing must not sign the certificates of these tests.
    settings.SCKIS_SIGNING_KEYS_DIR = tmp_path / "signing"
    settings.SCKIS_SIGNING_KEY_PASSPHRASE = ""


@pytest.fixture
def signing_keys(settings, mazowieckie):
    """TEST keys for the certifying units in the database (Mazowieckie's)."""
    call_command("make_demo_signing_keys", stdout=io.StringIO())
    return settings.SCKIS_SIGNING_KEYS_DIR


@pytest.fixture
def unit(mazowieckie) -> Unit:
    return Unit.objects.select_related("voivodeship").get(
        kind=UnitKind.CERTIFYING, voivodeship=mazowieckie
    )


def issued(club: Club) -> Certificate:
    """A certificate granted through the whole process, read back as stored."""
    application = factories.CertifiedApplicationFactory(club=club)
    return Certificate.objects.get(application=application)


def stored_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as file:
        return file.read()


def decoded_qr_codes(pdf: bytes) -> list[str]:
    """The texts of the QR codes on the first page, rasterised at 144 dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [
        barcode.text
        for barcode in zxingcpp.read_barcodes(image)
        if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]


def tampered(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside the part its signature covers."""
    byte_range = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf)
    start, length = int(byte_range[1]), int(byte_range[2])
    # The middle of the first signed range: the page's objects, before the
    # signature's own bytes.
    position = start + length // 2
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


def unsigned_pdf() -> bytes:
    return documents.certificate_pdf(
        Certificate(
            number="KIS-14-2026-0001",
            club_name="KIS Łódź – Świętokrzyska Żółć",
            club_address="ul. Zażółć 5, 00-950 Warszawa",
            founding_unit_name="Ośrodek Pomocy Społecznej",
            certifying_unit_name="Wydział Polityki Społecznej",
            voivodeship_name="mazowieckie",
            issued_on=datetime.date(2026, 2, 3),
            valid_from=datetime.date(2026, 2, 3),
            valid_until=datetime.date(2029, 2, 2),
        )
    )


class TestQrCode:
    def test_decodes_to_the_verification_address(self, settings, club):
        settings.SCKIS_SITE_URL = SITE_URL

        certificate = issued(club)

        assert decoded_qr_codes(stored_bytes(certificate)) == [
            f"{SITE_URL}/certyfikat/{certificate.number}/"
        ]

    def test_survives_the_signature(self, settings, club, signing_keys):
        settings.SCKIS_SITE_URL = SITE_URL

        certificate = issued(club)

        pdf = stored_bytes(certificate)
        assert signing.signature_status(pdf) == signing.SignatureStatus.INTACT
        assert decoded_qr_codes(pdf) == [f"{SITE_URL}/certyfikat/{certificate.number}/"]


class TestSignPdf:
    def test_without_a_key_returns_the_pdf_unchanged(self, unit):
        pdf = unsigned_pdf()

        assert signing.sign_pdf(pdf, unit) == pdf
        assert signing.signature_status(pdf) == signing.SignatureStatus.UNSIGNED

    def test_with_the_units_key_signs_in_pades(self, unit, signing_keys):
        pdf = unsigned_pdf()

        signed = signing.sign_pdf(pdf, unit)

        assert signed.startswith(pdf)
        assert signing.signature_status(signed) == signing.SignatureStatus.INTACT
        signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert signature.field_name == signing.SIGNATURE_FIELD
        assert "TEST" in signature.signer_cert.subject.human_friendly
        # Still the one-page certificate with its texts.
        reader = pypdf.PdfReader(io.BytesIO(signed))
        assert len(reader.pages) == 1
        assert "KIS-14-2026-0001" in reader.pages[0].extract_text()

    def test_a_unit_of_another_voivodeship_does_not_use_this_key(
        self, unit, signing_keys, lubuskie
    ):
        other = Unit.objects.get(kind=UnitKind.CERTIFYING, voivodeship=lubuskie)
        pdf = unsigned_pdf()

        assert not signing.key_path(other).exists()
        assert signing.sign_pdf(pdf, other) == pdf

    def test_opens_a_key_protected_by_the_passphrase(self, settings, unit):
        settings.SCKIS_SIGNING_KEY_PASSPHRASE = "tajne hasło"
        settings.SCKIS_SIGNING_KEYS_DIR.mkdir()
        signing.key_path(unit).write_bytes(demo_key_file(unit, "tajne hasło".encode()))

        signed = signing.sign_pdf(unsigned_pdf(), unit)

        assert signing.signature_status(signed) == signing.SignatureStatus.INTACT

    @pytest.mark.parametrize("content", [b"not a key", None])
    def test_an_unusable_key_stops_the_signing(self, settings, unit, content):
        settings.SCKIS_SIGNING_KEYS_DIR.mkdir()
        if content is None:
            # A key locked with a passphrase other than the configured one.
            content = demo_key_file(unit, b"another passphrase")
        signing.key_path(unit).write_bytes(content)

        with pytest.raises(signing.SigningKeyError):
            signing.sign_pdf(unsigned_pdf(), unit)

    def test_signs_inside_a_running_event_loop(self, unit, signing_keys):
        # Playwright's sync API keeps an event loop running in the test thread.
        pdf = unsigned_pdf()

        async def sign() -> bytes:
            return signing.sign_pdf(pdf, unit)

        signed = asyncio.run(sign())

        assert signing.signature_status(signed) == signing.SignatureStatus.INTACT


class TestSignatureStatus:
    @pytest.fixture
    def signed(self, unit, signing_keys) -> bytes:
        return signing.sign_pdf(unsigned_pdf(), unit)

    def test_one_byte_changed_breaks_it(self, signed):
        assert signing.signature_status(tampered(signed)) == (
            signing.SignatureStatus.BROKEN
        )

    def test_anything_appended_after_signing_breaks_it(self, signed):
        appended = signed + b"\n1 0 obj\n(changed)\nendobj\n%%EOF\n"

        assert signing.signature_status(appended) == signing.SignatureStatus.BROKEN

    def test_a_copy_cut_off_at_the_end_is_broken(self, signed):
        assert signing.signature_status(signed[:-50]) == (
            signing.SignatureStatus.BROKEN
        )

    @pytest.mark.parametrize("content", [b"", b"%PDF-1.7\nrubbish", b"\x00" * 100])
    def test_something_without_a_signature_is_unsigned(self, content):
        assert signing.signature_status(content) == signing.SignatureStatus.UNSIGNED


class TestIssuedCertificate:
    def test_the_stored_pdf_is_signed_and_its_checksum_is_of_the_signed_bytes(
        self, club, signing_keys
    ):
        certificate = issued(club)

        pdf = stored_bytes(certificate)
        assert hashlib.sha256(pdf).hexdigest() == certificate.sha256
        assert signing.signature_status(pdf) == signing.SignatureStatus.INTACT

    def test_without_a_key_the_certificate_is_issued_unsigned(self, club):
        certificate = issued(club)

        pdf = stored_bytes(certificate)
        assert hashlib.sha256(pdf).hexdigest() == certificate.sha256
        assert signing.signature_status(pdf) == signing.SignatureStatus.UNSIGNED

    def test_an_unusable_key_refuses_the_grant_and_changes_nothing(
        self, settings, club, unit
    ):
        application = factories.DecisionApplicationFactory(club=club)
        settings.SCKIS_SIGNING_KEYS_DIR.mkdir()
        signing.key_path(unit).write_bytes(b"damaged key file")

        with pytest.raises(signing.SigningKeyError):
            services.grant_certificate(
                application=application, by=factories.officer_of(application)
            )

        application.refresh_from_db()
        assert application.state == ApplicationState.DECISION
        assert not Certificate.objects.exists()


class TestStoredPdfIsARecord:
    def test_is_served_byte_for_byte_after_the_template_and_the_club_change(
        self, client, settings, tmp_path, club, signing_keys
    ):
        certificate = issued(club)
        stored = stored_bytes(certificate)
        changed_templates = tmp_path / "changed-templates"
        (changed_templates / "documents").mkdir(parents=True)
        (changed_templates / "documents" / "certificate.html").write_text(
            "<p>ZMIENIONY WZÓR {{ certificate.number }}</p>", encoding="utf-8"
        )
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "DIRS": [changed_templates, *settings.TEMPLATES[0]["DIRS"]],
            }
        ]
        Club.objects.filter(pk=club.pk).update(name="KIS Nowa Nazwa Po Zmianie")

        response = client.get(
            reverse("registry:certificate_pdf", args=[certificate.number])
        )

        served = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert served == stored
        assert hashlib.sha256(served).hexdigest() == certificate.sha256
        assert signing.signature_status(served) == signing.SignatureStatus.INTACT
        # The change is real: the same certificate rendered today differs.
        certificate.refresh_from_db()
        rendered_now = documents.certificate_pdf(certificate)
        page = pypdf.PdfReader(io.BytesIO(rendered_now)).pages[0]
        assert "ZMIENIONY WZÓR" in page.extract_text()
        assert hashlib.sha256(rendered_now).hexdigest() != certificate.sha256


class TestMakeDemoSigningKeys:
    def test_makes_one_test_key_per_certifying_unit(self, settings, units):
        out = io.StringIO()

        call_command("make_demo_signing_keys", stdout=out)

        folder = settings.SCKIS_SIGNING_KEYS_DIR
        certifying = Unit.objects.filter(kind=UnitKind.CERTIFYING)
        assert sorted(path.name for path in folder.iterdir()) == sorted(
            f"{unit.voivodeship.teryt}.p12" for unit in certifying
        )
        assert len(certifying) == 16
        for path in folder.iterdir():
            assert path.stat().st_mode & 0o777 == 0o600
        assert "16 created" in out.getvalue()

    def test_the_subject_says_it_is_a_test_key(self, unit, signing_keys):
        signer = signing._signer(signing.key_path(unit))

        subject = signer.signing_cert.subject.human_friendly
        assert "TEST" in subject
        assert unit.name in subject

    def test_running_again_keeps_every_existing_file(self, unit, signing_keys):
        path = signing.key_path(unit)
        before = path.read_bytes(), os.stat(path).st_mtime_ns
        path.with_name("99.p12").write_bytes(b"a real key put here by hand")

        out = io.StringIO()
        call_command("make_demo_signing_keys", stdout=out)

        assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
        assert path.with_name("99.p12").read_bytes() == b"a real key put here by hand"
        assert "0 created, 1 kept" in out.getvalue()

    def test_the_demo_seed_makes_them_and_signs_its_certificates(self, settings):
        call_command("seed_demo", stdout=io.StringIO())

        assert len(list(settings.SCKIS_SIGNING_KEYS_DIR.iterdir())) == 16
        certificates = Certificate.objects.all()
        assert certificates
        for certificate in certificates:
            assert signing.signature_status(stored_bytes(certificate)) == (
                signing.SignatureStatus.INTACT
            )
