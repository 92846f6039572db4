import re

import pytest
from django.core.management import call_command


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/auth/register/", "/api/v1/procedures/", "/api/v1/dossiers/{dossier_id}/submit/"):
        assert path in text


@pytest.mark.django_db
def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    external = [url for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html) if "testserver" not in url]
    assert external == []
