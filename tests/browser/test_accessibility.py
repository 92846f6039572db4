"""axe-core (vendored from the npm registry, tests/browser/vendor/axe-core) finds no violation on the main
pages, on a phone and on a desktop: the public pages, the citizen's wizard and dossier page, the office queue
and dossier page."""

from pathlib import Path

import pytest

from portal.accounts.constants import Role
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import sign_in
from tests.dossiers.builders import make_dossier

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PROCEDURE = "1.010041"  # a real level-4 procedure of the seeds
LONG_TABLE = "1.001193"  # birth registration: a long table of papers

pytestmark = pytest.mark.usefixtures("seeded", "insecure_cookies")


def axe_violations(page) -> list[str]:
    """Every rule axe-core's default set finds broken on the page, with up to three of its elements."""
    page.wait_for_load_state()
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            const where = v => v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ");
            return results.violations.map(v => v.id + " " + where(v));
        }"""
    )


def check(context, live_server, paths: list[str], errors: list[str]) -> dict[str, list[str]]:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    found = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status < 400, (path, response.status)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    return found


@pytest.mark.parametrize("viewport", [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")])
def test_main_pages_have_no_axe_violations(browser, live_server, viewport, settings):
    settings.DEMO_MODE = True  # the demo banner and the outbox, as trainers show the portal
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], delivery_methods=["counter", "postal"])
    citizen = factories.CitizenFactory()
    draft = make_dossier("draft", procedure=procedure, applicant=citizen)
    submitted = make_dossier("processing", procedure=procedure, applicant=citizen, staff=draft.staff)
    official = draft.staff.receiver

    # The CSP forbids inline scripts; only these test contexts may inject axe-core.
    found, errors = {}, []
    public = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
    found |= check(
        public,
        live_server,
        [
            "/",
            "/procedures/",
            f"/procedures/{PROCEDURE}/",
            f"/procedures/{LONG_TABLE}/",
            "/accounts/login/",
            "/accounts/register/",
            "/dossiers/lookup/",
        ],
        errors,
    )
    public.close()

    mine = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
    sign_in(mine.new_page(), live_server, citizen)
    edit = f"/dossiers/{draft.pk}/edit"
    found |= check(
        mine,
        live_server,
        [
            f"/dossiers/new/{PROCEDURE}/",
            f"{edit}/",
            f"{edit}/attachments/",
            f"{edit}/delivery/",
            f"{edit}/review/",
            f"/dossiers/{submitted.pk}/",
            "/dossiers/",
            "/accounts/notices/",
        ],
        errors,
    )
    mine.close()

    office = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
    sign_in(office.new_page(), live_server, official)
    found |= check(office, live_server, ["/office/", f"/office/dossiers/{submitted.pk}/"], errors)
    office.close()

    trainer = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)
    sign_in(trainer.new_page(), live_server, factories.make_official(role=Role.TRAINER))
    found |= check(trainer, live_server, ["/accounts/outbox/"], errors)  # trainers and admins only
    trainer.close()

    assert errors == []
    assert found == {}
