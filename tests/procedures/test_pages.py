import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from procedures.admin import FormTemplateForm, ProcedureAdminForm
from procedures.models import FormTemplate
from tests.factories import AgencyFactory, ProcedureFactory


def test_catalog_page_lists_search_results(seeded, client):
    response = client.get("/procedures/", {"search": "giay phep lai xe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cấp đổi giấy phép lái xe" in html
    assert 'class="badge badge-level-4"' in html
    assert "135.000" in html
    assert '<label for="id_search">' in html


def test_catalog_page_says_when_nothing_matches(seeded, client):
    html = client.get("/procedures/", {"search": "khong co thu tuc nay"}).content.decode()
    assert "Không tìm thấy thủ tục nào phù hợp" in html


def test_catalog_page_shows_filter_errors(seeded, client):
    response = client.get("/procedures/", {"online_level": "9"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_catalog_page_paginates_keeping_the_query(seeded, client):
    html = client.get("/procedures/", {"gov_level": "commune"}).content.decode()
    assert 'class="pagination"' in html
    assert "gov_level=commune&amp;page=2" in html
    assert client.get("/procedures/", {"gov_level": "commune", "page": 2}).status_code == 200


def test_catalog_page_query_count_is_bounded(db, client, django_assert_max_num_queries):
    agencies = [AgencyFactory() for _ in range(3)]
    for _ in range(25):
        ProcedureFactory(agencies=agencies)
    with django_assert_max_num_queries(8):
        response = client.get("/procedures/", {"search": "thu nghiem"})
    assert response.status_code == 200


def test_detail_page(seeded, client):
    response = client.get("/procedures/3.000333/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Cấp Phiếu Lý lịch tư pháp",
        "Mức độ 4 — toàn trình",
        "200.000",
        "100.000",  # after the online discount
        "giảm 50%",
        "10 ngày làm việc",
        "Công an tỉnh Hải Dương",
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "hoàn toàn trực tuyến",
        "Căn cứ pháp lý",
    ):
        assert text in html, text


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("2.000815", "chỉ cung cấp thông tin và biểu mẫu"),
        ("1.000894", "nộp hồ sơ trực tuyến; nộp phí, lệ phí và nhận kết quả tại bộ phận một cửa"),
    ],
)
def test_detail_page_explains_how_to_submit_by_level(seeded, client, code, text):
    assert text in client.get(f"/procedures/{code}/").content.decode()


def test_detail_page_unknown_code_is_404(db, client):
    assert client.get("/procedures/0.000000/").status_code == 404


def _admin_data(procedure, **changes):
    data = model_to_dict(procedure, fields=ProcedureAdminForm.Meta.fields)
    data["agencies"] = [agency.pk for agency in data["agencies"]]
    data.update(changes)
    return data


def test_admin_form_checks_the_form_schema(procedure):
    good = ProcedureAdminForm(
        data=_admin_data(procedure, form_schema='{"type": "object", "properties": {}}'), instance=procedure
    )
    assert good.is_valid(), good.errors
    bad = ProcedureAdminForm(
        data=_admin_data(
            procedure, form_schema='{"type": "object", "properties": {"x": {"type": "array", "title": "X"}}}'
        ),
        instance=procedure,
    )
    assert not bad.is_valid()
    assert "properties/x/type" in bad.errors["form_schema"][0]


@pytest.mark.django_db
def test_catalog_online_level_filter_starts_unselected(client):
    html = client.get("/procedures/").content.decode()
    select = html[html.index('name="online_level"') : html.index("</select>", html.index('name="online_level"'))]
    assert '<option value="" selected>' in select


@pytest.mark.django_db
def test_a_level_2_procedure_offers_its_form_templates_for_download(client):
    procedure = ProcedureFactory(online_level=2, agencies=[AgencyFactory()])
    template = FormTemplate(procedure=procedure, name="Tờ khai mẫu", file_name="to-khai.pdf", sha256="0" * 64)
    template.file.save("to-khai.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    template.save()
    url = reverse("procedures:form-template", args=[procedure.code, template.pk])

    html = client.get(reverse("procedures:detail", args=[procedure.code])).content.decode()
    assert "Tờ khai mẫu" in html and url in html
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="to-khai.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    other = ProcedureFactory()
    assert client.get(reverse("procedures:form-template", args=[other.code, template.pk])).status_code == 404
    api = client.get(f"/api/v1/procedures/{procedure.code}/").json()
    assert api["form_templates"] == [{"name": "Tờ khai mẫu", "url": f"http://testserver{url}"}]


@pytest.mark.django_db
def test_an_admin_uploads_a_form_template_as_a_pdf_only():
    procedure = ProcedureFactory(online_level=2)

    def form(content, name="mau-01.pdf"):
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return FormTemplateForm(
            {"name": "Mẫu 01", "position": 0}, {"file": upload}, instance=FormTemplate(procedure=procedure)
        )

    assert not form(b"MZ\x90 not a pdf").is_valid()
    good = form(b"%PDF-1.4 demo")
    assert good.is_valid(), good.errors
    saved = good.save()
    assert (saved.file_name, len(saved.sha256)) == ("mau-01.pdf", 64)
    assert not form(b"%PDF-1.4 again").is_valid()  # the same file name twice for one procedure
