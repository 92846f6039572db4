"""The provider's RS256 signing key: from the environment, else generated once into a file outside the repository.

Imported by the settings module, so it must not touch Django's app registry.
"""

import os
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _generate_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def signing_key_pem(*, configured: str, path: Path) -> str:
    """The configured PEM if any; otherwise the one kept at `path`, written there (mode 600) the first time.

    Several processes may start together: the file is created exclusively, and a loser reads the winner's key.
    """
    if configured.strip():
        return configured
    try:
        return _kept_pem(path)
    except OSError:
        # A read-only deployment that runs without the simulator needs no key; one with it must configure it.
        return ""


def _kept_pem(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_generate_pem())
            os.replace(path.with_suffix(".tmp"), path)
    for _attempt in range(50):
        if path.exists():
            return path.read_text()
        time.sleep(0.1)
    raise RuntimeError(f"The identity provider's signing key was not written to {path}.")
