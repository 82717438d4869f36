"""Electronic signatures of issued certificates (PAdES), with pyHanko.

A certifying unit signs with the PKCS#12 key file named after the TERYT code
of its voivodeship in settings.SCKIS_SIGNING_KEYS_DIR; a unit without a file
issues unsigned certificates. The only module that uses pyHanko.
"""

import asyncio
import concurrent.futures
import io
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from certification.models import Unit

logger = logging.getLogger(__name__)

# The name of the signature field in a signed certificate.
SIGNATURE_FIELD = "SCKIS-Certyfikat"


class SignatureStatus(models.TextChoices):
    """What the embedded signature says of a PDF's integrity."""

    INTACT = "intact", _("intact")
    BROKEN = "broken", _("broken")
    UNSIGNED = "unsigned", _("unsigned")


class SigningKeyError(Exception):
    """A unit's key file is there but cannot be used (wrong passphrase, damaged
    file): issuing stops rather than silently issuing an unsigned record."""


def key_path(unit: Unit) -> Path | None:
    """The key file of a certifying unit, whether it exists or not; None for a
    unit without a voivodeship."""
    voivodeship = unit.voivodeship
    if voivodeship is None:
        return None
    return Path(settings.SCKIS_SIGNING_KEYS_DIR) / f"{voivodeship.teryt}.p12"


def _passphrase() -> bytes | None:
    passphrase = settings.SCKIS_SIGNING_KEY_PASSPHRASE
    return passphrase.encode() if passphrase else None


def _signer(path: Path) -> signers.SimpleSigner:
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=_passphrase()
        )
    except (OSError, ValueError) as error:
        raise SigningKeyError(f"Cannot use the signing key {path.name}") from error


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    # pyHanko signs asynchronously. asyncio.run() cannot start inside a
    # running event loop (Playwright's sync API keeps one in the test thread),
    # so then it runs in a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sign_pdf(pdf: bytes, unit: Unit) -> bytes:
    """The PDF signed (PAdES B-B) with the certifying unit's key, or the PDF
    unchanged when no key is configured for the unit."""
    path = key_path(unit)
    if path is None or not path.is_file():
        logger.info("No signing key for unit %s: certificate issued unsigned", unit.pk)
        return pdf
    signer = _signer(path)

    # Texts inside an issued document are Polish, as the document itself.
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("Issue of the KIS certificate")
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        # A certification signature that allows no changes: a PDF reader
        # flags any later edit of the certificate.
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=unit.city or None,
        name=unit.full_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signed = _run(signers.PdfSigner(metadata, signer=signer).async_sign_pdf(writer))

    logger.info("Certificate signed with the key of unit %s", unit.pk)
    return signed.getvalue()


def signature_status(pdf: bytes) -> SignatureStatus:
    """Whether the PDF's embedded signature shows it unchanged since signing
    (intact), changed or damaged (broken), or the PDF carries none (unsigned).

    Checks integrity only: the signed bytes hash to what was signed, the
    signature over them verifies with the certificate embedded beside it, and
    the last signature covers the whole file. The chain of trust of that
    certificate is not validated: the demo keys are self-signed, and the
    public check of a copy against the issued one is its SHA-256 checksum.
    """
    # Every signature dictionary holds a /ByteRange written out in the file
    # (it cannot be compressed, since it gives offsets in the file).
    if b"/ByteRange" not in pdf:
        return SignatureStatus.UNSIGNED
    # A PDF ends with startxref and %%EOF. Without them pyHanko looks for
    # the end of a line byte by byte backwards: about a second on 5 MB.
    if b"startxref" not in pdf[-1024:] or b"%%EOF" not in pdf[-1024:]:
        return SignatureStatus.BROKEN
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        # pyHanko raises many kinds of errors on a damaged file. A signature
        # dictionary that can no longer be read is a broken signature.
        logger.info("A PDF with a signature could not be read", exc_info=True)
        return SignatureStatus.BROKEN
    if not signatures:
        return SignatureStatus.UNSIGNED

    try:
        intact = all(_is_intact(signature) for signature in signatures)
    except Exception:
        logger.info("An embedded signature could not be checked", exc_info=True)
        return SignatureStatus.BROKEN
    # Signatures come in signing order; bytes after the last one's revision
    # were added after signing.
    if intact and signatures[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureStatus.INTACT
    return SignatureStatus.BROKEN


def _is_intact(signature: EmbeddedPdfSignature) -> bool:
    # Diff analysis (what later revisions changed) is skipped: a certificate
    # must have no later revision at all, which the coverage check enforces.
    signature.compute_integrity_info(skip_diff=True)
    digest_matches, signature_valid = generic_cms.validate_sig_integrity(
        signature.signer_info,
        signature.signer_cert,
        expected_content_type="data",
        actual_digest=signature.compute_digest(),
    )
    return digest_matches and signature_valid
