"""Builders of test inputs in every format users bring: PDF, scan, DOCX, HTML, legacy text.

Each writes a file into a folder the test owns (``tmp_path``) from Vietnamese text
given here, so a test knows exactly what the file says.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)

PDF_HEADER = "Kế hoạch số 12/KH-UBND – xây dựng xã hội học tập năm 2023"
PDF_ISSUER = "ỦY BAN NHÂN DÂN TỈNH SƠN LA"
PDF_PAGE1 = [
    PDF_ISSUER,
    "Số: 12/KH-UBND",
    "Sơn La, ngày 15 tháng 3 năm 2023",
    "KẾ HOẠCH",
    "Triển khai xây dựng xã hội học tập trên địa bàn tỉnh năm 2023",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Hội Khuyến học tỉnh Sơn La đã vận động nhiều nguồn lực xã hội để xây",
    "dựng quỹ khuyến học ở tất cả các xã, phường, thị trấn trên địa bàn tỉnh;",
    "các thông tin được cập nhật trên Inter-",
    "net và trang tin điện tử của Hội, đồng thời quỹ khuyến học của các",
]
PDF_PAGE2 = [
    "dòng họ tiếp tục được bổ sung từ nguồn xã hội hóa trong năm học mới.",
    "II. NHIỆM VỤ TRỌNG TÂM",
    "Các trung tâm học tập cộng đồng tiếp tục đổi mới nội dung và phương thức",
    "hoạt động, gắn với nhu cầu học tập thường xuyên của người dân vùng cao.",
]
SCAN_LINES = [
    "BÁO CÁO",
    "Kết quả công tác khuyến học, khuyến tài năm 2023",
    "Năm 2023, toàn huyện có 2.450 gia đình được công nhận danh hiệu gia đình",
    "học tập, 86 dòng họ học tập và 31 cộng đồng học tập cấp thôn, bản.",
    "Quỹ khuyến học các cấp đạt 1.250 triệu đồng, tăng 12% so với năm trước;",
    "Hội đã trao 640 suất học bổng cho học sinh nghèo vượt khó học giỏi.",
]


def font(name: str = "DejaVuSans.ttf") -> Path:
    """Returns a TrueType font with Vietnamese glyphs (Debian's fonts-dejavu-core)."""
    for d in FONT_DIRS:
        path = Path(d) / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found; install it with: apt-get install fonts-dejavu-core")


def text_pdf(path: Path) -> Path:
    """Writes a two-page PDF with a text layer, a running head and "Trang N/2" feet.

    The paragraph under I. runs over the page break and "Inter-net" is hyphenated
    at a line end.
    """
    from fpdf import FPDF

    class _Pdf(FPDF):
        def header(self) -> None:
            self.set_font("dv", size=9)
            self.cell(0, 6, PDF_HEADER, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dv", size=9)
            self.cell(0, 6, f"Trang {self.page_no()}/2", align="C")

    pdf = _Pdf()
    pdf.add_font("dv", "", str(font()))
    pdf.set_auto_page_break(False)
    for lines in (PDF_PAGE1, PDF_PAGE2):
        pdf.add_page()
        pdf.set_font("dv", size=12)
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def page_image(lines: list[str], dpi: int = 300, size_pt: float = 12.0, serif: bool = False):  # type: ignore[no-untyped-def]
    """Renders lines of text on an A4 page image at ``dpi``, as a scanner would."""
    from PIL import Image, ImageDraw, ImageFont

    px = int(size_pt / 72 * dpi)
    face = ImageFont.truetype(str(font("DejaVuSerif.ttf" if serif else "DejaVuSans.ttf")), px)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = int(1.0 * dpi)
    for line in lines:
        draw.text((int(0.9 * dpi), y), line, font=face, fill=0)
        y += int(px * 1.6)
    return image


def scan_pdf(path: Path, pages: list[list[str]], dpi: int = 300) -> Path:
    """Writes an image-only PDF: one rendered page image per list of lines (no text layer)."""
    images = [page_image(lines, dpi) for lines in pages]
    images[0].save(str(path), "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def docx_file(path: Path) -> Path:
    """Writes a Word file with a header block, styled headings and a table."""
    import docx

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    d.add_paragraph("Số: 15/KH-UBND")
    d.add_paragraph("Lâm Đồng, ngày 20 tháng 3 năm 2023")
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Xây dựng xã hội học tập giai đoạn 2023 - 2030")
    d.add_heading("Mục đích và yêu cầu", level=1)
    d.add_paragraph("Nâng cao nhận thức của cán bộ, đảng viên về vai trò của học tập suốt đời.")
    d.add_heading("Chỉ tiêu cụ thể", level=2)
    d.add_paragraph("Phấn đấu đến năm 2030 có 90% số xã đạt chuẩn cộng đồng học tập cấp xã.")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {
        (0, 0): "Chỉ tiêu",
        (0, 1): "Năm 2030",
        (1, 0): "Gia đình học tập",
        (1, 1): "85%",
    }.items():
        table.cell(r, c).text = text
    d.save(str(path))
    return path


HTML_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử huyện Đam Rông</title>
<style>.x{color:red}</style><script>var a = "<p>mã kịch bản không phải nội dung</p>";</script>
</head><body>
<div id="header"><img src="logo.png"> CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN ĐAM RÔNG</div>
<ul class="main-menu"><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li>
<li><a href="/tt">Tin tức &amp; sự kiện</a></li></ul>
<div class="container"><div class="col-left"><div class="news-detail">
<h1 class="title">Kết quả 05 năm thực hiện Kết luận số 49-KL/TW về khuyến học</h1>
<div class="date">06/06/2024 07:34 SA</div>
<p>Ban Thường vụ Huyện ủy Đam Rông đã tổ chức hội nghị quán triệt Kết luận số 49-KL/TW,
ngày 10/5/2019 của Ban Bí thư đến đội ngũ cán bộ, đảng viên và Nhân dân.</p>
<p>Đến nay, 100% xã có trung tâm học tập cộng đồng; quỹ khuyến học của huyện đạt hơn
2,5 tỷ&nbsp;đồng, tăng 35% so với năm 2019.</p>
<p>Phong trào &#8220;Gia đình học tập&#8221;, “Dòng họ học tập” được nhân rộng ở các thôn,
bon trên địa bàn.</p>
<div class="share-buttons"><a href="#">Chia sẻ Facebook</a> <a href="#">Zalo</a></div>
<div class="tin-lien-quan"><h3>Tin liên quan</h3><ul>
<li><a href="/a">Hội nghị tổng kết công tác khuyến học năm 2023 của huyện</a></li>
<li><a href="/b">Đại hội Hội Khuyến học huyện nhiệm kỳ 2021-2026</a></li></ul></div>
</div></div>
<div class="col-right sidebar"><div class="box"><h3>Liên kết website</h3>
<a href="http://x">Cổng thông tin tỉnh Lâm Đồng</a></div>
<div class="counter">Thống kê truy cập: Đang online: 12, Hôm nay: 345</div></div></div>
<div id="footer"><p>Bản quyền thuộc Ủy ban nhân dân huyện Đam Rông. Địa chỉ: Thị trấn Đạ Rsal,
huyện Đam Rông, tỉnh Lâm Đồng.</p></div>
</body></html>
"""
HTML_CHROME = (
    "Trang chủ",
    "Giới thiệu",
    "Chia sẻ Facebook",
    "Tin liên quan",
    "Liên kết website",
    "Thống kê truy cập",
    "Bản quyền",
    "mã kịch bản",
    "CỔNG THÔNG TIN",
)


def html_file(path: Path) -> Path:
    """Writes a portal page with menus, share buttons, related links, counters and a footer."""
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path
