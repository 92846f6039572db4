"""Imports run one way. This is the one place the order is written down; the test parses every module
of the project (ast) and fails on an import against it, module-level or inside a function.

Layers, top first. A module may import its own layer and any layer below it, never one above:

    project        settings, root URLs, the Celery app, site-wide views: may import everything
    trainer        the demo world, the trainer's console, scenarios and the simulated clock's controls:
                   drives everything below, the simulators included, as a trainer would
    simulators     the payment gateway (mockpay), the post office (mockpost) and the national identity
                   provider (mockvneid), each an app of its own
                   that implements its side's provider interface
    figures        rollups, KPIs, the Decision 766 index, leaders' dashboard, history generator: reads all below
    payments       fees paid online, refunds, receipts, reconciliation; postal delivery (shipments)
    dossiers       the dossier workflow
    accounts       users, roles, login
    notifications  the outbox (SMS, e-mail, in-app)
    procedures     the catalog: agencies, procedures, fees, the working-day calendar
    core           the portal's shared helpers: errors, text, PDF, formatting, background work, API plumbing,
                   the clock

Some layers hold siblings that must not know each other either: payments and postal both react to
dossiers and neither imports the other; the two simulators likewise.

Inside a function a first-party import is allowed only in an AppConfig's ready() (where Django wants
them); anywhere else it would be a way round a cycle, which is what the layers are there to prevent.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "procedures", "dossiers", "payments", "postal", "figures", "trainer")

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "project",
        (
            "portal",  # its __init__ loads the Celery app
            "portal.settings",
            "portal.settings_test",
            "portal.urls",
            "portal.celery",
            "portal.wsgi",
            "portal.apps",
            "portal.admin_names",
            "portal.views",
            "portal.context_processors",
            "portal.management",
        ),
    ),
    ("trainer", ("trainer",)),
    ("simulators", ("payments.providers.mockpay", "postal.providers.mockpost", "portal.accounts.providers.mockvneid")),
    ("figures", ("figures",)),
    ("payments", ("payments", "postal")),
    ("dossiers", ("dossiers",)),
    ("accounts", ("portal.accounts",)),
    ("notifications", ("portal.notifications",)),
    ("procedures", ("procedures",)),
    (
        "core",
        (
            "portal.errors",
            "portal.text",
            "portal.pdf",
            "portal.esign",
            "portal.formatting",
            "portal.background",
            "portal.jobs",
            "portal.api",
            "portal.client_address",
            "portal.throttling",
            "portal.cache",
            "portal.seeding",
            "portal.templatetags",
            "portal.fonts",
            "portal.webhooks",
            "portal.clock",
        ),
    ),
)
# Layers whose apps are siblings: an app there may import the layers below, never its sibling.
SIBLING_LAYERS = frozenset({"simulators", "payments"})
RANK = {prefix: rank for rank, (_name, prefixes) in enumerate(LAYERS) for prefix in prefixes}
NAME = {rank: name for rank, (name, _prefixes) in enumerate(LAYERS)}


def owner_of(module: str) -> str | None:
    """The layer prefix that owns a dotted module name (longest prefix wins); None if not ours."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        if prefix in RANK:
            return prefix
    return None


def layer_of(module: str) -> int | None:
    """The rank of the layer owning a dotted module name; None if not ours."""
    owner = owner_of(module)
    return None if owner is None else RANK[owner]


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    target: str
    why: str

    def __str__(self):
        return f"{self.module}:{self.line} imports {self.target}: {self.why}"


def _imported_modules(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: resolve against this module's package
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    # `from dossiers import workflow` imports dossiers.workflow: judge each name as a submodule too.
    return [stem] + [f"{stem}.{alias.name}" for alias in node.names if alias.name != "*"]


class _Visitor(ast.NodeVisitor):
    def __init__(self):
        self.found: list[tuple[ast.AST, bool]] = []  # (import node, inside a function other than ready())
        self._functions: list[str] = []

    def _function(self, node):
        self._functions.append(node.name)
        self.generic_visit(node)
        self._functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _import(self, node):
        nested = bool(self._functions) and self._functions != ["ready"]
        self.found.append((node, nested))

    visit_Import = visit_ImportFrom = _import


def check_source(source: str, *, module: str, is_package: bool = False) -> list[Violation]:
    own = layer_of(module)
    if own is None:
        return []
    visitor = _Visitor()
    visitor.visit(ast.parse(source))
    violations = []
    for node, nested in visitor.found:
        targets = [t for t in _imported_modules(node, module, is_package) if layer_of(t) is not None]
        for target in targets:
            rank = layer_of(target)
            if rank < own:
                why = f"{NAME[own]} may not import {NAME[rank]} (a layer above it)"
                violations.append(Violation(module, node.lineno, target, why))
            elif rank == own and NAME[own] in SIBLING_LAYERS and owner_of(target) != owner_of(module):
                why = f"{owner_of(module)} may not import {owner_of(target)} (siblings in the {NAME[own]} layer)"
                violations.append(Violation(module, node.lineno, target, why))
        if nested and targets:
            why = "a first-party import inside a function (only AppConfig.ready may)"
            violations.append(Violation(module, node.lineno, targets[0], why))
    return violations


def project_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            parts = list(relative.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield ".".join(parts), is_package, path


def test_the_project_imports_run_one_way():
    violations = []
    for module, is_package, path in project_modules():
        violations += check_source(path.read_text(encoding="utf-8"), module=module, is_package=is_package)
    assert [str(v) for v in violations] == []


def test_every_project_module_belongs_to_a_layer():
    assert [module for module, _pkg, _path in project_modules() if layer_of(module) is None] == []


def test_a_planted_back_import_fails():
    planted = "from payments.models import Payment\n"
    violations = check_source(planted, module="dossiers.selectors")
    assert [(v.target, v.line) for v in violations] == [("payments.models", 1), ("payments.models.Payment", 1)]
    assert "dossiers may not import payments" in violations[0].why


def test_a_planted_import_inside_a_function_fails():
    planted = "def refund(dossier):\n    from payments.services import refunds_start_for_dossier\n"
    violations = check_source(planted, module="dossiers.services.review")
    assert {v.why for v in violations} == {
        "dossiers may not import payments (a layer above it)",
        "a first-party import inside a function (only AppConfig.ready may)",
    }
    legal_but_nested = "def load():\n    from procedures.models import Agency\n"
    assert [v.why for v in check_source(legal_but_nested, module="portal.accounts.seeding")] == [
        "a first-party import inside a function (only AppConfig.ready may)"
    ]


def test_the_core_may_not_reach_up_and_relative_imports_count():
    assert check_source("from procedures.models import Agency\n", module="portal.errors")
    assert check_source("from ..views import home\n", module="portal.accounts.selectors")  # portal.views
    assert check_source("from . import workflow\n", module="dossiers.services.review") == []
    assert check_source("from dossiers import workflow\n", module="payments.services.core") == []


def test_imports_in_an_app_config_ready_are_allowed_when_they_go_down():
    ready = "class C:\n    def ready(self):\n        from dossiers import status_receivers\n"
    assert check_source(ready, module="payments.apps") == []
    assert check_source(ready, module="procedures.apps")


def test_siblings_in_a_layer_may_not_import_each_other():
    back = check_source("from payments.models import Payment\n", module="postal.services.outbound")
    assert [v.why for v in back] == ["postal may not import payments (siblings in the payments layer)"] * 2
    assert check_source("from postal.models import Shipment\n", module="payments.selectors")
    assert check_source("from payments.providers.mockpay import simulator\n", module="postal.providers.mockpost.views")
    assert check_source("from postal import services\n", module="postal.providers.mockpost.simulator") == []
    assert check_source("from dossiers import charges\n", module="postal.services.outbound") == []
