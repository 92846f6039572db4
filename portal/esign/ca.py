"""The portal's mock certificate authority: a root certificate and one signing certificate per agency.

Nothing here is a real CA: the root is made by the portal itself (keys and certificates generated with
`cryptography`) and kept in settings.ESIGN_DIR, outside the repository and the media files. Each file
holds a private key and its certificate together and is written once, by a hard link from a finished
temporary file, so two processes racing to create the same one both end up using the same key pair.

    root.pem                    the root's key and self-signed certificate
    agencies/<sha256 of code>.pem an agency's key and its certificate, issued by the root
"""

import datetime
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

ROOT_NAME = "CA mô phỏng Cổng Dịch vụ công"
ORGANISATION = "Cổng Dịch vụ công (mô phỏng)"
ROOT_YEARS = 20
AGENCY_YEARS = 5


class CertificateAuthorityMissing(Exception):
    """The root does not exist and may not be made on the fly (only the command or demo mode makes it)."""


@dataclass(frozen=True)
class KeyPair:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "X")


def esign_dir() -> Path:
    return Path(settings.ESIGN_DIR)


def root_path() -> Path:
    return esign_dir() / "root.pem"


def agency_path(agency_code: str) -> Path:
    # Agency codes hold dots and may hold anything an admin types: the file is named by a digest.
    return esign_dir() / "agencies" / f"{hashlib.sha256(agency_code.encode()).hexdigest()[:40]}.pem"


def root_ensure() -> tuple[KeyPair, bool]:
    """The root key pair, made now if there is none; (pair, created)."""
    path = root_path()
    if path.exists():
        return _read(path), False
    return _write_once(path, _new_root()), True


def root_load(*, create: bool | None = None) -> KeyPair:
    """The root key pair. Made on first use only when `create` (default: DEMO_MODE)."""
    path = root_path()
    if path.exists():
        return _read(path)
    if not (settings.DEMO_MODE if create is None else create):
        raise CertificateAuthorityMissing(str(path))
    return root_ensure()[0]


def root_certificate() -> x509.Certificate | None:
    """The root's certificate for verifiers, or None when the portal has no CA yet."""
    path = root_path()
    return _read(path).certificate if path.exists() else None


def agency_signer(*, agency_code: str, agency_name: str, create_root: bool | None = None) -> tuple[KeyPair, KeyPair]:
    """(the agency's key pair, the root's), the agency's issued by the root on first use."""
    root = root_load(create=create_root)
    path = agency_path(agency_code)
    if path.exists():
        pair = _read(path)
        if pair.certificate.issuer == root.certificate.subject and _valid_now(pair.certificate):
            return pair, root
        path.unlink(missing_ok=True)  # issued by an older root, or expired: issue a new one
    return _write_once(path, _new_agency(root, agency_code=agency_code, agency_name=agency_name)), root


def _valid_now(certificate: x509.Certificate) -> bool:
    now = datetime.datetime.now(datetime.UTC)
    return certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc


def _fit(value: str, limit: int = 64) -> str:
    """At most `limit` bytes of UTF-8 (X.509 counts bytes), cut at a character boundary."""
    return value.encode()[:limit].decode(errors="ignore").strip() or "?"


def _name(common_name: str, *, code: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(ORGANISATION)),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
    ]
    if code:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, _fit(code)))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _builder(subject: x509.Name, issuer: x509.Name, public_key, *, years: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        # A day back: a result signed right after the certificate was issued, on a clock a little behind.
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _new_root() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(ROOT_NAME)
    certificate = (
        _builder(name, name, key.public_key(), years=ROOT_YEARS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


def _new_agency(root: KeyPair, *, agency_code: str, agency_name: str) -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        _builder(_name(agency_name, code=agency_code), root.certificate.subject, key.public_key(), years=AGENCY_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.certificate.public_key()), critical=False
        )
        .sign(root.key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


def _pem(pair: KeyPair) -> bytes:
    key = pair.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key + pair.certificate.public_bytes(serialization.Encoding.PEM)


def _read(path: Path) -> KeyPair:
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    return KeyPair(key, x509.load_pem_x509_certificate(data))


def _write_once(path: Path, pair: KeyPair) -> KeyPair:
    """Write the pair unless another process wrote one first; the pair on disk is returned either way."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_pem(pair))
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
    finally:
        os.unlink(temporary)
    return pair
