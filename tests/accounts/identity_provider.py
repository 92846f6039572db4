"""The relying party's HTTP calls (discovery, keys, token) answered in-process by the simulated provider.

requests is given an adapter that hands each request to a Django test client of its own (server to server: no
browser cookies); any other host is refused, so nothing reaches the network.
"""

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

HOST = "testserver"
_SKIPPED = {"content-type", "content-length", "host"}


class DjangoClientAdapter(BaseAdapter):
    def __init__(self, *, tamper=None):
        super().__init__()
        self.client = Client()
        self.tamper = tamper  # (path, response body bytes) -> new body bytes
        self.calls: list[str] = []

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        if url.hostname != HOST:
            raise requests.ConnectionError(f"refused in tests: {request.url}")
        self.calls.append(url.path)
        headers = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in _SKIPPED
        }
        body = request.body or b""
        answer = self.client.generic(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            data=body.encode() if isinstance(body, str) else body,
            content_type=request.headers.get("Content-Type", ""),
            **headers,
        )
        content = answer.content
        if self.tamper:
            content = self.tamper(url.path, content)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def install(monkeypatch, adapter: DjangoClientAdapter) -> DjangoClientAdapter:
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    return adapter
