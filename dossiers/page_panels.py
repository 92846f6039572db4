"""Extra panels on the dossier pages, contributed by other apps without dossiers importing them.

An app registers, in its AppConfig.ready, a template and a function that gives its context:

    page_panels.register("postal/_dossier_shipments.html", shipments_panel)

`context(dossier) -> dict | None`; None (or an empty dict) leaves the panel out. The pages call it
only for someone already allowed to see the dossier. Registering the same template twice keeps one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from dossiers.models import Dossier

PanelContext = Callable[[Dossier], dict | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_registry: dict[str, PanelContext] = {}


def register(template: str, context: PanelContext) -> None:
    _registry[template] = context


def unregister(template: str) -> None:
    _registry.pop(template, None)


def panels_for(dossier: Dossier) -> list[Panel]:
    panels = []
    for template, context in list(_registry.items()):
        data = context(dossier)
        if data:
            panels.append(Panel(template, data))
    return panels
