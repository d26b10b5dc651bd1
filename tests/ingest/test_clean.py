from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.structure import heading_level, structure
from vntext.normalize import nfc_mapped

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _paras(raw: str) -> list[str]:
    return [p.text for p in clean(nfc_mapped(raw)).paragraphs]


def test_web_page_chrome_is_removed() -> None:
    raw = (CORPUS / "web-dam-rong-5-nam-kl49-2024.txt").read_text(encoding="utf-8")
    cleaned = clean(nfc_mapped(raw))
    text = "\n".join(p.text for p in cleaned.paragraphs)
    assert ".jpg" not in text
    assert "In trang" not in text
    assert "Lượt xem" not in text
    assert "Thống kê truy cập" not in text
    assert "Trong tuần" not in text
    assert "Liên kết website" not in text
    assert cleaned.timestamp == (6, 6, 2024)
    assert cleaned.paragraphs[0].text.startswith("Đam Rông: Kết quả 05 năm thực hiện Kết luận")
    assert cleaned.paragraphs[0].text.endswith("xây dựng xã hội học tập”")


OCR = (
    "Sau khi tiép thu Chi thi 11-CT/TW cta B Chinh tri, Chi thi 21 CT/TU ctia Tinh Gy Lam Dong\n"
    "Ban Bi thur (khéa XII) va K& hoach s6 80-KH/TU, ngay 10/6/2019 cua Ban Thudng vu Tinh\n"
    "ty, Ban Thudng vu Huyén dy @3 ban hanh K& hoach s 130-\n"
    "KH/HU vé thwe hién K&t ludn sb6 49-KL/TW ngay 10/5/2019 cta Ban Bi thu ngay nay\n"
    "co 5§ O chire phd blen, quan tri€t, tuyen truyén sdu rong ndi dung Chi thi.\n"
    "- Tiép tuc cung cb va néng cao chét lirong, hiéu qua hoat déng cua trung tam hoc\n"
    "tap cong ddng.\n"
    "2. Cong tac kiém tra, giam sat\n"
    "Hang nam Ban Thudng vu Huyén uy chi dao kiem tra viec thuc hien Chi thi 11 tren\n"
    "dia ban huyen.\n"
)


def test_hard_wrapped_ocr_lines_are_joined() -> None:
    paras = _paras(OCR * 2)
    assert any("K& hoach s 130-KH/HU vé thwe" in p for p in paras)
    first = paras[0]
    assert first.startswith("Sau khi tiép thu") and first.endswith("ndi dung Chi thi.")
    bullet = "- Tiép tuc cung cb va néng cao chét lirong, hiéu qua hoat déng cua trung tam hoc"
    assert bullet + " tap cong ddng." in paras
    assert "2. Cong tac kiém tra, giam sat" in paras


PAGES = (
    "Viéc danh gia, cong nhan cac danh hiéu duoc thuc hién theo quy dinh tai Quyét\n"
    "dinh s6 1124/QD-UBND cua Uy ban nhan dan tinh. Nam 2021, toan huyén c6 27.916\n"
    '/36.480 ho gia dinh trong toan huyén dat danh hiéu duoc cong nhan "Gia dinh\n\n3\n\n'
    'hoc tap", dat 76,5%; 318 dong ho dat danh hiéu "Dong ho hoc tap"; 402/495 thon\n'
    'ban, to dan pho trong toan huyén dat danh hiéu "Cong déng hoc tap", dat 81,2%.\n\n'
    "- 4 -\n\n"
    "4. Hoat dong cua Trung tam hoc tap cong déng: 28/28 xa, thi tran duy tri Trung\n"
    "tam hoc tap cong dong; viéc danh gia xép loai trung tam theo Théng tu s6 42/2012\n"
    "/TT-BGDDT cia Bo Giao duc va Dao tao, nam 2021 co 17 trung tam xép loai tét.\n"
)


def test_a_scans_page_number_is_dropped_and_the_sentence_it_cut_mended() -> None:
    paras = _paras(PAGES * 2)
    assert any('"Gia dinh hoc tap", dat 76,5%' in p for p in paras)
    assert not any(p.strip(" -") in ("3", "4") for p in paras)
    # a page that ends its sentence stays a paragraph break
    assert any(p.endswith("dat 81,2%.") for p in paras)
    assert any(p.startswith("4. Hoat dong") for p in paras)


def test_number_after_kết_luận_số_is_not_a_new_paragraph() -> None:
    raw = (CORPUS / "bc-64-hkh-son-la-2022.txt").read_text(encoding="utf-8")
    paras = _paras(raw)
    assert not any(p.startswith("49- KL/TW") for p in paras)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("PHẦN THỨ NHẤT", 0),
        ("Phần thứ hai", 0),
        ("’ ~_ PHANTHUNHAT |", 0),
        ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH TRIỂN KHAI THỰC HIỆN ĐỀ ÁN 89", 1),
        ("II- Nội dung tổng kết", 1),
        ("III. PANH GIA CHUNG", 1),
        ("1. Công tác triển khai, quán triệt thực hiện Đề án 89 ở các cấp", 2),
        ("2- Kết quả cụ thể", 2),
        ("1.7. Hội khuyến học", 3),
        ("2.1- Công tác khuyến học, khuyến tài", 3),
        ("a) Đối với cấp huyện", 4),
        ("- UBND huyện thành lập Ban Chỉ đạo", None),
        ("Phần lớn các xã đã thành lập Hội", None),
        ("1\tSố người trong độ tuổi từ 15-25 biết chữ\t97", None),
        ("1- " + "Kiểm điểm, đánh giá kết quả " * 10, None),
    ],
)
def test_heading_levels(text: str, level: int | None) -> None:
    assert heading_level(text) == level


def test_sections_nest() -> None:
    raw = (
        "BÁO CÁO\n\nI. CÔNG TÁC CHỈ ĐẠO\n\n1. Công tác triển khai\n\nNội dung một.\n\n"
        "1.1. Phòng Giáo dục\n\nNội dung hai.\n\n2. Công tác kiểm tra\n\nNội dung ba.\n\n"
        "II. KẾT QUẢ\n\nNội dung bốn.\n"
    )
    blocks, outline = structure(clean(nfc_mapped(raw)).paragraphs)
    paths = {b.para.text: b.path for b in blocks}
    assert paths["BÁO CÁO"] == ""
    assert (
        paths["Nội dung hai."]
        == "I. CÔNG TÁC CHỈ ĐẠO > 1. Công tác triển khai > 1.1. Phòng Giáo dục"
    )
    assert paths["Nội dung ba."] == "I. CÔNG TÁC CHỈ ĐẠO > 2. Công tác kiểm tra"
    assert paths["Nội dung bốn."] == "II. KẾT QUẢ"
    top = outline[0]
    assert top.heading == "I. CÔNG TÁC CHỈ ĐẠO"
    assert raw[top.char_start : top.char_end].endswith("Nội dung ba.")
