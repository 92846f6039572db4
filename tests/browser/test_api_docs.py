"""The interactive API docs work offline and under the site's Content-Security-Policy."""

from playwright.sync_api import expect


def test_swagger_ui_renders_the_operations_without_csp_errors(page, live_server, watch, shoot):
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15000)
    expect(page.get_by_text("/api/v1/dossiers/{dossier_id}/submit/").first).to_be_attached()
    shoot(page, "api-docs")
    assert watch.console_errors == []
