"""The extension point through which other apps react to dossier moves, without dossiers importing them.

An app registers, in its AppConfig.ready, a receiver for "a dossier entered one of these statuses":

    status_receivers.on_entering(rules.CLOSED_WITHOUT_RESULT, refunds_start_for_dossier)

The workflow calls the receivers inside the move's transaction, with the dossier locked, after
its event is written; a receiver that raises rolls the whole move back. Receivers run in the
order they were registered; registering the same function twice keeps one entry.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dossiers.models import Dossier, DossierEvent

Receiver = Callable[..., object]  # receiver(*, dossier: Dossier, event: DossierEvent)


@dataclass(frozen=True)
class Registration:
    statuses: frozenset
    receiver: Receiver


_registry: dict[str, Registration] = {}


def _key(receiver: Receiver) -> str:
    return f"{receiver.__module__}.{receiver.__qualname__}"


def on_entering(statuses: Iterable[str], receiver: Receiver) -> None:
    statuses = frozenset(statuses)
    if not statuses:
        raise ValueError("a receiver needs at least one status")
    _registry[_key(receiver)] = Registration(statuses, receiver)


def disconnect(receiver: Receiver) -> None:
    _registry.pop(_key(receiver), None)


def registrations() -> list[Registration]:
    return list(_registry.values())


def dossier_entered(*, dossier: Dossier, event: DossierEvent) -> None:
    """Tell every receiver whose statuses include the one the dossier just entered."""
    for registration in list(_registry.values()):
        if dossier.status in registration.statuses:
            registration.receiver(dossier=dossier, event=event)
