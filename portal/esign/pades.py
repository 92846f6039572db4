"""PAdES signatures on PDFs (pyHanko): sign with a key pair of the mock CA, and check a signed file.

A check answers one of four outcomes, worst first:
  unsigned   not a PDF that pyHanko can read, or a PDF without a signature
  broken     the signed bytes were changed, or something was added after the signature
  untrusted  intact, but the certificate does not lead to the trusted root (another CA, or none)
  valid      intact, and signed by a certificate the root issued
"""

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from portal.esign.ca import KeyPair

logger = logging.getLogger(__name__)

VALID, UNTRUSTED, BROKEN, UNSIGNED = "valid", "untrusted", "broken", "unsigned"
FIELD_NAME = "ChuKySo"


class SigningFailed(Exception):
    """pyHanko could not sign these bytes (a PDF it cannot read or update)."""


@dataclass(frozen=True)
class Verification:
    outcome: str
    signer: str = ""  # the certificate's common name
    signer_code: str = ""  # its serial-number attribute: the agency code for the portal's certificates
    signed_at: datetime | None = None
    certificate_serial: str = ""


def _run(make_coroutine):
    """Run one of pyHanko's coroutines to its end from synchronous code. Its own sync wrappers call
    asyncio.run(), which fails in a thread that already runs an event loop (an async server, a test
    driving a browser): there it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def sign_pdf(
    data: bytes, *, signer: KeyPair, issuer: KeyPair, reason: str, location: str = "", field_name: str = FIELD_NAME
) -> bytes:
    """The PDF with an invisible PAdES B-B signature appended as an incremental update."""
    pkcs8 = signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = asn1_keys.PrivateKeyInfo.load(pkcs8)
    simple = signers.SimpleSigner(
        signing_cert=_asn1_certificate(signer.certificate),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(issuer.certificate)]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location or None
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        return _run(lambda: signers.async_sign_pdf(writer, metadata, signer=simple)).getvalue()
    except Exception as exc:  # pyHanko raises many kinds on a PDF it cannot parse or update
        logger.warning("A PDF could not be signed", exc_info=True)
        raise SigningFailed(str(exc)) from exc


def verify_pdf(data: bytes, *, trust_root: x509.Certificate | None) -> Verification:
    """Check the last signature of a PDF against the trusted root (None: nothing is trusted).

    The last one must cover the whole file: anything added after it (an edit saved as an incremental
    update) breaks it, and a signature added by someone else is theirs to be trusted or not."""
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # not a PDF, or one pyHanko cannot read
        return Verification(UNSIGNED)
    if not signatures:
        return Verification(UNSIGNED)
    signature = signatures[-1]
    roots = [_asn1_certificate(trust_root)] if trust_root is not None else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _run(lambda: async_validate_pdf_signature(signature, context))
    except Exception:
        logger.info("A signature could not be validated", exc_info=True)
        return Verification(BROKEN)
    certificate = status.signing_cert
    names = certificate.subject.native if certificate is not None else {}
    found = Verification(
        VALID,
        signer=names.get("common_name", ""),
        signer_code=names.get("serial_number", ""),
        signed_at=status.signer_reported_dt,
        certificate_serial=format(certificate.serial_number, "X") if certificate is not None else "",
    )
    intact = status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not intact:
        return Verification(BROKEN, found.signer, found.signer_code, found.signed_at, found.certificate_serial)
    if not status.trusted:
        return Verification(UNTRUSTED, found.signer, found.signer_code, found.signed_at, found.certificate_serial)
    return found
