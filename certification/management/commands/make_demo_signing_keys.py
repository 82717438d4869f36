"""Make a self-signed TEST signing key for each certifying unit that has none.

Demo certificates are then signed as real ones would be, with keys that say in
their subject that they are for testing. A real unit's key comes from a
certification service provider and is put in the same folder by hand; files
already there are never overwritten.
"""

import datetime
import logging
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

from certification import signing
from certification.models import Unit
from certification.states import UnitKind

logger = logging.getLogger(__name__)

# Long enough for a demo, short enough that nobody keeps using one.
VALIDITY = datetime.timedelta(days=3 * 365)

# X.509 limits a common name and an organisation name to 64 characters.
NAME_MAX_LENGTH = 64


def demo_key_file(unit: Unit, passphrase: bytes | None) -> bytes:
    """A PKCS#12 file of a new P-256 key and a self-signed certificate whose
    subject marks it as a TEST key of the unit."""
    key = ec.generate_private_key(ec.SECP256R1())
    teryt = unit.voivodeship.teryt
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, _fit(unit.parent_name or unit.name)
            ),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _fit(unit.name)),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, "TEST KEY - NOT FOR REAL CERTIFICATES"
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, f"TEST SC KIS demo key {teryt}"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )

    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name=f"sckis-test-{teryt}".encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=encryption,
    )


def _fit(name: str) -> str:
    """The name cut at a word to fit an X.509 name attribute."""
    if len(name) <= NAME_MAX_LENGTH:
        return name
    cut = name[: NAME_MAX_LENGTH + 1].rsplit(" ", 1)[0]
    return cut[:NAME_MAX_LENGTH].rstrip(", ")


class Command(BaseCommand):
    help = (
        "Make a self-signed TEST signing key for each certifying unit that has "
        "none in SIGNING_KEYS_DIR. Existing key files are kept."
    )

    def handle(self, *args, **options):
        folder = Path(settings.SCKIS_SIGNING_KEYS_DIR)
        passphrase = settings.SCKIS_SIGNING_KEY_PASSPHRASE.encode() or None
        units = Unit.objects.filter(
            kind=UnitKind.CERTIFYING, voivodeship__isnull=False
        ).select_related("voivodeship")

        created = kept = 0
        for unit in units.order_by("voivodeship__teryt"):
            path = signing.key_path(unit)
            if path.exists():
                kept += 1
                continue
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            content = demo_key_file(unit, passphrase)
            try:
                # Created exclusively and readable by this user only: a key
                # made meanwhile by another run is kept.
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                kept += 1
                continue
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
            created += 1

        logger.info("Demo signing keys: %s created, %s kept", created, kept)
        self.stdout.write(
            f"Demo TEST signing keys in {folder}: {created} created, {kept} kept."
        )
