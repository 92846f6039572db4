"""The virus-scan hook for attachments: one interface, chosen by settings.ATTACHMENT_SCANNER.

A real scanner (ClamAV through clamav-client, a vendor's API) plugs in as a class with a
`scan(data)` method; the services never know which one runs.
"""

from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class InfectedFileError(Exception):
    """The scanner found malware; `signature` names what it found."""

    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class ScannerUnavailableError(Exception):
    """The scanner could not give an answer; the file is refused rather than let through unscanned."""


class Scanner(Protocol):
    def scan(self, data: bytes) -> None:
        """Return when the bytes are clean; raise InfectedFileError or ScannerUnavailableError otherwise."""


class NoopScanner:
    """The default where no antivirus is installed: accepts everything."""

    def scan(self, data: bytes) -> None:
        return None


class EicarScanner:
    """A test double that flags the EICAR antivirus test string anywhere in the file."""

    # Built from two halves so that this source file itself is not flagged by real scanners.
    SIGNATURE = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

    def scan(self, data: bytes) -> None:
        if self.SIGNATURE in data:
            raise InfectedFileError("EICAR-Test-File")


@cache
def get_scanner() -> Scanner:
    return import_string(settings.ATTACHMENT_SCANNER)()


@receiver(setting_changed)
def _forget_scanner(*, setting, **kwargs):
    # Tests switch scanners with override_settings; the cached instance must follow.
    if setting == "ATTACHMENT_SCANNER":
        get_scanner.cache_clear()
