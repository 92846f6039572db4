import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from portal.pdf import MOTTO, NATION, REGULAR, FittedLine, Paper


def read(paper: Paper, **render) -> PdfReader:
    return PdfReader(io.BytesIO(paper.render(**render)), strict=True)


def collapsed(value: str) -> str:
    return " ".join(value.split())


def all_text(reader: PdfReader) -> str:
    return " ".join(page.extract_text() for page in reader.pages)


def test_letterhead_carries_the_national_motto_the_agency_and_an_optional_qr():
    paper = Paper(pagesize=A4, margin=18 * mm, title="Thử")
    paper.letterhead("Ủy ban nhân dân xã Thử nghiệm", qr_content="HS:001")
    assert paper.qr_contents == ["HS:001"]
    paper.heading("GIẤY THỬ NGHIỆM", subtitle="(bản điện tử)")
    reader = read(paper)
    text = collapsed(reader.pages[0].extract_text())
    assert NATION in text and MOTTO in text
    assert "ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM" in text and "GIẤY THỬ NGHIỆM" in text and "(bản điện tử)" in text
    assert len(reader.pages[0].images) == 1
    assert reader.metadata.title == "Thử"

    without_qr = Paper(pagesize=A5, margin=12 * mm, title="Thử", size=9)
    without_qr.letterhead("Ủy ban nhân dân xã Thử nghiệm")
    page = read(without_qr).pages[0]
    assert NATION in page.extract_text()  # the motto shrinks to the narrower page instead of wrapping
    assert len(page.images) == 0


def test_rows_wrap_and_run_onto_more_pages_with_the_footer_on_each():
    paper = Paper(pagesize=A5, margin=12 * mm, title="Dài")
    rows = [(f"Dòng {n:03d}", f"Giá trị rất dài số {n:03d} " + "chữ " * 30 + f"hết {n:03d}") for n in range(60)]
    paper.rows(rows, label_width=30 * mm)
    reader = read(paper, footer="Bản mô phỏng — không có giá trị pháp lý.")
    assert len(reader.pages) > 1
    text = collapsed(all_text(reader))
    assert [label for label, value in rows if f"{label}: {collapsed(value)}" not in text] == []
    assert all("Bản mô phỏng — không có giá trị pháp lý." in page.extract_text() for page in reader.pages)


def test_text_is_printed_as_written_never_read_as_markup():
    paper = Paper(pagesize=A4, margin=18 * mm, title="Ký tự")
    paper.paragraph("Công ty A & B <b>không đậm</b>")
    paper.bullets(["Giấy tờ <1> & bản sao"])
    paper.rows([("Ghi chú", "x < y & y > z")], label_width=40 * mm)
    text = read(paper).pages[0].extract_text()
    assert "Công ty A & B <b>không đậm</b>" in text
    assert "Giấy tờ <1> & bản sao" in text
    assert "x < y & y > z" in text


def test_a_fitted_line_shrinks_to_the_width_and_never_grows():
    url = "https://dichvucong.example.gov.vn/payments/verify/" + "x" * 200 + "/"
    line = FittedLine(url, size=8)
    width, _height = line.wrap(300, 100)
    assert width == 300
    assert line.size < 8 and stringWidth(url, REGULAR, line.size) <= 300 + 1e-6
    short = FittedLine("https://a.vn/", size=8)
    short.wrap(300, 100)
    assert short.size == 8


def test_a_fitted_line_comes_out_whole_in_the_text():
    url = "https://dichvucong.example.gov.vn/payments/verify/" + "AbC-_:9" * 30 + "/"
    paper = Paper(pagesize=A5, margin=12 * mm, title="Đường dẫn")
    paper.fitted_line(url, size=7.5)
    assert url in read(paper).pages[0].extract_text()


def test_the_signature_block_names_the_signer():
    paper = Paper(pagesize=A4, margin=18 * mm, title="Ký")
    paper.signature("CÁN BỘ LẬP PHIẾU", "Nguyễn Văn An")
    text = read(paper).pages[0].extract_text()
    assert "CÁN BỘ LẬP PHIẾU" in text and "Nguyễn Văn An" in text
