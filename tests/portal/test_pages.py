import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.views import defaults

from portal.accounts.constants import Role
from portal.api.views import server_error
from portal.templatetags.portal_tags import alert_class
from procedures.constants import GovLevel, OnlineLevel
from tests import factories
from tests.factories import make_official

pytestmark = pytest.mark.django_db

LOCAL_HOSTS = {"testserver", "127.0.0.1", "localhost"}
# A URL the browser would fetch or follow, absolute or protocol-relative ("//cdn.example.com/x.js").
URL_PATTERN = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+(?::\d+)?)")


def external_hosts(text: str) -> set[str]:
    return {host.split(":")[0] for host in URL_PATTERN.findall(text) if host.split(":")[0] not in LOCAL_HOSTS}


def test_home_is_vietnamese_by_default(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi"' in html
    assert "Cổng Dịch vụ công" in html
    assert "Tìm kiếm thủ tục hành chính" in html
    assert "Bản mô phỏng — không kết nối hệ thống thật" in html


def test_home_search_form_sends_search_to_the_catalog(client):
    html = client.get("/").content.decode()

    form = re.search(r'<form class="hero-search" method="get" action="([^"]+)"', html)
    assert form and form.group(1) == reverse("procedures:catalog")
    assert re.search(r'<input type="search" id="home-search" name="search"', html)
    assert '<label for="home-search">' in html


def test_switching_to_english_sticks_through_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    for _ in range(2):
        html = client.get("/").content.decode()
        assert '<html lang="en"' in html
        assert "Search administrative procedures" in html
        assert "Tìm kiếm thủ tục hành chính" not in html


def test_switching_back_to_vietnamese(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})

    assert '<html lang="vi"' in client.get("/").content.decode()


def test_language_switch_posts_to_set_language_with_both_languages(client):
    html = client.get("/procedures/?search=abc").content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert 'name="next" value="/procedures/?search=abc"' in html
    assert 'name="language" value="vi"' in html
    assert 'name="language" value="en"' in html


def test_home_counts_come_from_the_active_catalog(client, django_assert_max_num_queries):
    factories.ProcedureFactory.create_batch(3, online_level=OnlineLevel.LEVEL_4, gov_level=GovLevel.PROVINCE)
    factories.ProcedureFactory.create_batch(2, online_level=OnlineLevel.LEVEL_3)
    factories.ProcedureFactory(online_level=OnlineLevel.LEVEL_4, is_active=False)

    # The counts, and the most used services ranked from the rollups (none yet: no procedures to read).
    with django_assert_max_num_queries(3):
        response = client.get("/")

    counts = response.context["counts"]
    assert (counts["total"], counts["level4"], counts["level4_percent"]) == (5, 3, 60)
    assert dict(counts["gov_levels"]) == {GovLevel.PROVINCE: 3, GovLevel.DISTRICT: 0, GovLevel.COMMUNE: 2}
    html = response.content.decode()
    assert f'href="{reverse("procedures:catalog")}?gov_level=province"' in html
    # A level without procedures (a deployment with no districts) gets no dead-end link.
    assert "gov_level=district" not in html


def nav_html(client, path: str = "/") -> str:
    html = client.get(path).content.decode()
    return html[html.index('<nav id="site-nav"') : html.index("</nav>")]


def test_anonymous_nav_offers_lookup_login_and_register(client):
    nav = nav_html(client)

    assert f'href="{reverse("dossiers:lookup")}"' in nav
    assert f'href="{reverse("accounts:login")}"' in nav
    assert f'href="{reverse("accounts:register")}"' in nav
    assert "Đăng xuất" not in nav
    assert "Hồ sơ của tôi" not in nav


def test_citizen_nav_leads_to_their_dossiers(client, citizen):
    client.force_login(citizen)

    nav = nav_html(client)

    assert f'href="{reverse("dossiers:list")}"' in nav
    assert f'href="{reverse("office:queue")}"' not in nav


def test_official_nav_leads_to_the_queue_instead(client):
    client.force_login(factories.make_official())

    nav = nav_html(client)

    assert f'href="{reverse("office:queue")}"' in nav
    assert f'href="{reverse("dossiers:list")}"' not in nav


def test_lookup_is_marked_current_apart_from_my_dossiers(client, citizen):
    client.force_login(citizen)

    nav = nav_html(client, reverse("dossiers:lookup"))

    assert f'href="{reverse("dossiers:lookup")}" aria-current="page"' in nav
    assert f'href="{reverse("dossiers:list")}">' in nav


def test_signed_in_nav_shows_name_and_a_logout_form(client, citizen, django_assert_max_num_queries):
    client.force_login(citizen)

    with django_assert_max_num_queries(4):
        html = client.get("/").content.decode()

    assert citizen.full_name in html
    assert re.search(r'<form class="nav-form" method="post" action="[^"]*logout/">', html)
    assert "csrfmiddlewaretoken" in html
    assert "Đăng nhập" not in html


def test_demo_mode_shows_a_banner_with_the_outbox_to_trainers_only(client, settings):
    assert "Chế độ trình diễn" not in client.get("/").content.decode()

    settings.DEMO_MODE = True
    html = client.get("/").content.decode()

    assert "Chế độ trình diễn" in html
    assert f'href="{reverse("accounts:outbox")}"' not in html  # the outbox holds everyone's OTP codes

    client.force_login(make_official(role=Role.TRAINER))
    assert f'href="{reverse("accounts:outbox")}"' in client.get("/").content.decode()


def test_current_section_is_marked_in_the_nav(client):
    html = client.get("/procedures/").content.decode()

    assert re.search(r'href="/procedures/" aria-current="page"', html)


def test_messages_render_as_alerts_with_their_level(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.success(request, "Đã lưu hồ sơ nháp.")
    messages.error(request, "Không nộp được hồ sơ.")

    html = render_to_string("base.html", request=request)

    assert '<div class="alert alert-success" role="status">Đã lưu hồ sơ nháp.</div>' in html
    assert '<div class="alert alert-error" role="alert">Không nộp được hồ sơ.</div>' in html


@pytest.mark.parametrize(
    ("level", "css"),
    [(messages.INFO, "alert-info"), (messages.WARNING, "alert-warning"), (messages.DEBUG, "alert-info")],
)
def test_alert_class_for_other_levels(level, css):
    assert alert_class(level) == css


def test_csp_header_allows_only_self_for_scripts(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.split() == ["'self'"]


def test_pages_have_no_inline_scripts(client):
    html = client.get("/").content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the nav script should be linked"
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers are blocked by the CSP"


def test_rendered_pages_link_nothing_outside_the_site(client, citizen, rf):
    procedure = factories.ProcedureFactory(online_level=OnlineLevel.LEVEL_4)
    paths = [
        "/",
        reverse("procedures:catalog"),
        reverse("procedures:detail", args=[procedure.code]),
        reverse("accounts:login"),
        reverse("accounts:register"),
        "/no-such-page/",
    ]
    pages = {path: client.get(path).content.decode() for path in paths}
    client.force_login(citizen)
    pages["/ (signed in)"] = client.get("/").content.decode()
    pages["500"] = server_error(rf.get("/boom/")).content.decode()

    for name, html in pages.items():
        assert external_hosts(html) == set(), name


def test_static_files_fetch_nothing_from_the_internet():
    for name in ["portal/css/site.css", "portal/js/site.js"]:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert external_hosts(text) == set(), name
        assert "@import" not in text, name


def css_variables() -> dict[str, str]:
    css = Path(finders.find("portal/css/site.css")).read_text(encoding="utf-8")
    root = re.search(r":root\s*{(.*?)}", css, flags=re.S).group(1)
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", root))


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("ink", "page", 4.5),
        ("muted", "page", 4.5),
        ("muted", "surface", 4.5),
        ("surface", "red-700", 4.5),
        ("surface", "red-900", 4.5),
        ("surface", "blue-700", 4.5),
        ("blue-700", "page", 4.5),
        ("blue-800", "blue-50", 4.5),
        ("green-800", "green-50", 4.5),
        ("amber-900", "amber-50", 4.5),
        ("error", "surface", 4.5),
        ("error", "error-50", 4.5),
        # Borders of form controls and the focus ring are UI components: 3:1.
        ("control", "surface", 3),
        ("focus", "surface", 3),
        ("gold", "red-900", 3),
    ],
)
def test_site_colours_meet_wcag_aa(foreground, background, minimum):
    colours = css_variables()

    assert contrast(colours[foreground], colours[background]) >= minimum


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_focus_is_always_visible():
    css = Path(finders.find("portal/css/site.css")).read_text(encoding="utf-8")

    assert re.search(r"(^|\n):focus-visible\s*{\s*outline: 3px solid", css)
    assert "outline: none" not in css.replace("main:focus {\n  outline: none;", "")


def test_external_url_detector_notices_cdn_links():
    assert external_hosts('<script src="https://assets.example.com/x.js"></script>') == {"assets.example.com"}
    assert external_hosts('<link href="//fonts.example.net/css">') == {"fonts.example.net"}
    assert external_hosts('<a href="http://127.0.0.1:8000/">') == set()


def test_unknown_page_is_a_vietnamese_html_404(client):
    response = client.get("/khong-ton-tai/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert '<html lang="vi"' in html


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/khong-ton-tai/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_403_page_is_vietnamese_html(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_500_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/trang-loi/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in html
    assert "site.css" in html


def test_400_page_is_vietnamese(rf):
    response = defaults.bad_request(rf.get("/"), Exception())

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_csrf_failure_page_explains_in_vietnamese():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


EN_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], and flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
    return [entry for entry in entries if entry["msgid"]]


def test_every_english_entry_is_translated_and_not_fuzzy():
    entries = read_po(EN_MESSAGES / "django.po")

    assert len(entries) > 100
    untranslated = [
        entry["msgid"]
        for entry in entries
        if "fuzzy" in entry["flags"] or not all(entry[key] for key in entry if key.startswith("msgstr"))
    ]
    assert untranslated == []


def test_compiled_english_catalog_matches_the_po_file():
    with (EN_MESSAGES / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)

    for entry in read_po(EN_MESSAGES / "django.po"):
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            compiled = [catalog.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            assert compiled == [entry["msgstr[0]"], entry["msgstr[1]"]], entry["msgid"]
        elif context:
            assert catalog.pgettext(context, entry["msgid"]) == entry["msgstr"], entry["msgid"]
        else:
            assert catalog.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_po_reader_sees_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        'msgid "Đã gửi"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Gửi lỗi"\nmsgstr "Sent"\n\n'
        'msgid "%(n)s thủ tục"\nmsgid_plural "%(n)s thủ tục"\nmsgstr[0] "%(n)s procedure"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )

    entries = read_po(po)

    assert [entry["msgid"] for entry in entries] == ["Đã gửi", "Gửi lỗi", "%(n)s thủ tục"]
    assert entries[1]["flags"] == {"fuzzy"}
    assert entries[2]["msgstr[1]"] == ""
