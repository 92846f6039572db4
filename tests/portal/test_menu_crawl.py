"""Each demo role lands where its work is, and no link its menu shows answers 403 or 404, nor any
link on the pages the menu leads to.

The crawl reads whatever the menu shows, so a page added to a role's menu later (the trainer console)
is opened too.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from portal.seeding import load_seeds

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@2026"
DEMO_PHONES = {
    "citizen": "0912000001",
    "organisation": "0912000003",
    "receiver": "0913000001",
    "processor": "0913000002",
    "approver": "0913000003",
    "leader": "0915000001",
    "trainer": "0916000001",
    "admin": "0916000002",
}


class Links(HTMLParser):
    """The hrefs inside one part of a page: the main navigation (<nav id="site-nav">) or <main>."""

    def __init__(self, *, tag: str, id_: str | None = None):
        super().__init__()
        self.tag, self.id_ = tag, id_
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == self.tag and (self.depth or self.id_ is None or attrs.get("id") == self.id_):
            self.depth += 1
        elif tag == "a" and self.depth and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1


def menu_links(html: str) -> list[str]:
    parser = Links(tag="nav", id_="site-nav")
    parser.feed(html)
    return parser.links


def page_links(html: str) -> list[str]:
    """Links to other pages of this site in the page's main content (not its own tabs or anchors)."""
    parser = Links(tag="main")
    parser.feed(html)
    return [href for href in parser.links if href.startswith("/") and not href.startswith("/admin/")]


def one_per_view(links: list[str]) -> list[str]:
    chosen = {}
    for link in links:
        try:
            view = resolve(urlsplit(link).path).view_name
        except Resolver404:
            view = link  # a link to nowhere is kept, and will answer 404
        chosen.setdefault(view, link)
    return list(chosen.values())


@pytest.fixture
def demo_world(settings):
    settings.DEMO_MODE = True
    load_seeds(demo=True, log=lambda _line: None)


def _sign_in(client, role: str, **extra):
    return client.post(reverse("accounts:login"), {"username": DEMO_PHONES[role], "password": PASSWORD, **extra})


@pytest.mark.parametrize("demo_mode", [True, False], ids=["demo", "no-demo"])
@pytest.mark.parametrize("role", sorted(DEMO_PHONES))
def test_no_menu_link_answers_403_or_404(client, settings, demo_world, role, demo_mode):
    settings.DEMO_MODE = demo_mode
    response = _sign_in(client, role)
    assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 200, response.url
    links = menu_links(landing.content.decode())
    assert reverse("home") in links and reverse("accounts:profile") in links
    for href in dict.fromkeys(links):
        answer = client.get(href)
        assert answer.status_code == 200, f"{role}: {href} answered {answer.status_code}"
        # One level further: what the menu's pages link to is shown to this role too (one link per kind
        # of page, so a queue of many dossiers opens one of them).
        for link in one_per_view(page_links(answer.content.decode())):
            status = client.get(link).status_code
            assert status not in (403, 404), f"{role}: {link} (linked from {href}) answered {status}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("citizen", "dossiers:list"),
        ("organisation", "dossiers:list"),
        ("receiver", "office:queue"),
        ("processor", "office:queue"),
        ("approver", "office:queue"),
        ("leader", "figures:dashboard"),
        ("admin", "figures:dashboard"),
    ],
)
def test_each_role_lands_where_its_work_is(client, demo_world, role, expected):
    assert _sign_in(client, role).url == reverse(expected)


def test_trainer_lands_on_the_console_or_else_the_outbox_or_home(client, settings, demo_world):
    """The console exists once the trainer app is installed; without it (or outside demo mode) a
    trainer's work is the outbox in demo mode, and the home page otherwise."""
    url = _sign_in(client, "trainer").url
    assert url in {"/trainer/", reverse("accounts:outbox")}
    assert client.get(url).status_code == 200
    client.logout()
    settings.DEMO_MODE = False
    assert _sign_in(client, "trainer").url == reverse("home")


def test_a_safe_next_wins_over_the_landing_page(client, demo_world):
    assert _sign_in(client, "receiver", next="/procedures/").url == "/procedures/"
    client.logout()
    assert _sign_in(client, "receiver", next="https://evil.example.com/office/").url == reverse("office:queue")
    client.logout()
    assert _sign_in(client, "receiver", next="//evil.example.com/").url == reverse("office:queue")


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("citizen", ["dossiers:list"], ["office:queue", "figures:dashboard", "accounts:outbox", "admin:index"]),
        ("receiver", ["office:queue", "figures:dashboard"], ["dossiers:list", "accounts:outbox", "admin:index"]),
        ("leader", ["office:queue", "figures:dashboard"], ["dossiers:list", "accounts:outbox"]),
        ("trainer", ["accounts:outbox"], ["office:queue", "figures:dashboard", "dossiers:list", "admin:index"]),
        ("admin", ["figures:dashboard", "accounts:outbox", "admin:index"], ["office:queue", "dossiers:list"]),
    ],
)
def test_the_menu_shows_what_the_role_may_open(client, demo_world, role, shown, hidden):
    _sign_in(client, role)
    links = menu_links(client.get(reverse("home")).content.decode())
    for name in shown:
        assert reverse(name) in links, name
    for name in hidden:
        assert reverse(name) not in links, name
