"""Header metadata as documents lay it out: one or two columns, OCR'd, without a colon.

Headers are written here in the forms state documents use (not copied from the eval sets);
each row gives the fields expected. Province and district come from the gazetteer.
"""

from __future__ import annotations

import pytest

from ingest.clean import clean
from ingest.metadata import from_header, proper_issuer
from vntext import codes, gazetteer
from vntext.normalize import nfc_mapped


def meta(text: str) -> dict:
    return from_header(clean(nfc_mapped(text)).paragraphs, None).__dict__


HEADERS = [
    (  # two columns split by a TAB, the most common layout
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH AN GIANG\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 214/KH-UBND\tAn Giang, ngày 08 tháng 11 năm 2021\n\n"
        "KẾ HOẠCH\nTriển khai xây dựng xã hội học tập năm 2022\n\n"
        "Thực hiện Quyết định số 1373/QĐ-TTg ngày 30/7/2021 của Thủ tướng Chính phủ.",
        {
            "number": "214/KH-UBND", "doc_type": "Kế hoạch", "date": "2021-11-08",
            "place": "An Giang", "province": "An Giang",
            "issuer": "Ủy ban nhân dân tỉnh An Giang",
            "title": "Triển khai xây dựng xã hội học tập năm 2022",
        },
    ),
    (  # columns split by spaces; a Sở under its province; a Công văn's "V/v"
        "UBND TỈNH NINH BÌNH              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO              Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 905/SGDĐT-GDTX              Ninh Bình, ngày 02 tháng 4 năm 2020\n"
        "V/v tổ chức đánh giá\ncộng đồng học tập cấp xã\n\n"
        "Kính gửi: Phòng Giáo dục và Đào tạo các huyện, thành phố.",
        {
            "number": "905/SGDĐT-GDTX", "doc_type": "Công văn", "date": "2020-04-02",
            "place": "Ninh Bình", "province": "Ninh Bình",
            "issuer": "Sở Giáo dục và Đào tạo tỉnh Ninh Bình",
            "title": "Tổ chức đánh giá cộng đồng học tập cấp xã",
        },
    ),
    (  # "Số" without a colon; a Party body under its Đảng bộ; a one-line title
        "ĐẢNG BỘ TỈNH NGHỆ AN\tĐẢNG CỘNG SẢN VIỆT NAM\nHUYỆN ỦY QUỲNH LƯU\n"
        "Số 88-BC/HU\tQuỳnh Lưu, ngày 20 tháng 3 năm 2022\n\n"
        "BÁO CÁO TỔNG KẾT 15 NĂM THỰC HIỆN CHỈ THỊ 11-CT/TW\n\nNội dung.",
        {
            "number": "88-BC/HU", "doc_type": "Báo cáo", "date": "2022-03-20",
            "place": "Quỳnh Lưu", "province": "Nghệ An", "issuer": "Huyện ủy Quỳnh Lưu",
        },
    ),
    (  # OCR'd by Tesseract's English model: columns run together, "Đ" read as "P", "1" as "A"
        "PANG BO TINH HA NAM PANG CONG SAN VIET NAM\nHUYEN UY KIM BANG Kim Bang, ngay A4 "
        "thang 3 nam 2022\n\nSé: A32.-BC/HU\n\nBAO CAO\n\nNoi dung bao cao.",
        {
            "number": "132-BC/HU", "doc_type": "Báo cáo", "date": "2022-03-14",
            "place": "Kim Bảng", "province": "Hà Nam", "issuer": "Huyện ủy Kim Bảng",
        },
    ),
    (  # OCR'd with the lines of both columns run into one: "Số" after the motto
        "HOI KHUYEN HOC VIET NAM CONG HOA XA HOI CHU NGHIA VIET NAM\n"
        "HOI KHUYEN HOC TINH BAC LIEU Doc lap - Ty do - Hanh phic\n"
        "S6 17/BC-HKH Bac Liéu, ngay 09 thang 4 nam 2020\nBAO CAO\n"
        "Két qua thuc hién Quyét dinh s6 281/QD-TTg\nNoi dung.",
        {"number": "17/BC-HKH", "doc_type": "Báo cáo", "date": "2020-04-09"},
    ),
    (  # legacy-font "Ð" (U+00D0) for "Đ"
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN ÐIỆN BÀN\n"
        "Số: 77/QÐ-UBND\tÐiện Bàn, ngày 05 tháng 6 năm 2019\n\nQUYẾT ÐỊNH\nVề việc kiện toàn",
        {
            "number": "77/QĐ-UBND", "doc_type": "Quyết định", "date": "2019-06-05",
            "province": "Quảng Nam", "issuer": "Ủy ban nhân dân huyện Điện Bàn",
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), HEADERS, ids=lambda x: str(x)[:30])
def test_header_fields(text: str, expected: dict) -> None:
    got = meta(text)
    for key, value in expected.items():
        assert got[key] == value, (key, got[key], value)


def test_no_number_is_read_from_a_reference_in_the_body() -> None:
    got = meta("Đam Rông: Kết quả 05 năm thực hiện Kết luận số 49-KL/TW của Ban Bí thư\n\nNội dung")
    assert got["number"] is None
    got = meta("BÁO CÁO Tổng kết thực hiện Quyết định số 281/QĐ-TTg của Thủ tướng\n\nNội dung")
    assert got["number"] is None  # a cited document's "số", not this one's


@pytest.mark.parametrize(
    ("text", "province", "district"),
    [
        ("UBND HUYỆN HOẰNG HÓA", "Thanh Hóa", "Hoằng Hóa"),
        ("HUYEN UY PUC TRONG", "Lâm Đồng", "Đức Trọng"),  # OCR'd "Đ" as "P"
        ("UBND TỈNH HÒA BÌNH", "Hòa Bình", None),  # the province, not the district so named
        ("UBND HUYỆN CHÂU THÀNH", None, None),  # a district name of several provinces
        ("UBND HUYỆN CHÂU THÀNH TỈNH ĐỒNG THÁP", "Đồng Tháp", "Châu Thành"),
        ("Huyện ủy Krông Pắc", "Đắk Lắk", "Krông Pắc"),
    ],
)
def test_gazetteer_locates(text: str, province: str | None, district: str | None) -> None:
    assert gazetteer.locate(text) == (province, district)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Qb", "QĐ"), ("QP", "QĐ"), ("qd", "QĐ"), ("K1L", "KL"), ("HDND", "HĐND"),
        ("cthd", "CTHĐ"), ("UBKTTU", "UBKTTU"), ("BCD", "BCĐ"), ("XYZ", "XYZ"),
    ],
)  # fmt: skip
def test_symbol_codes_through_the_confusion_table(written: str, code: str) -> None:
    assert codes.normalise(written) == code


def test_issuer_capitals_written_properly() -> None:
    assert proper_issuer("HOI KHUYEN HOQC TINH SON LA") == "Hội Khuyến học tỉnh Sơn La"
    assert proper_issuer("UBND HUYỆN HÒA AN") == "Ủy ban nhân dân huyện Hòa An"


def test_ocr_repair_keeps_place_names() -> None:
    from vntext.restore import readable

    fixed = readable("Huyen uy Krong Pac da chi dao cac xa, Hoi Khuyen hoc tinh Phu Yén", True)
    assert "Krông Pắc" in fixed and "Phú Yên" in fixed  # gazetteer names, not "Trong Pác"
    assert "Huyện" in fixed and "Khuyến học" in fixed  # the rest is still repaired


def test_a_scanned_annex_is_garbled_in_a_clean_report() -> None:
    from vntext.garbled import is_garbled, part_garbled

    clean_body = "Ủy ban nhân dân huyện báo cáo kết quả xây dựng xã hội học tập năm 2023. " * 8
    annex = "Két qua xay dung xa hoi hoc tap cua cac xa trong huyén nam 2023 nhu sau. " * 8
    assert not is_garbled(clean_body + annex)  # the document as a whole reads as clean
    assert part_garbled(annex, False) and not part_garbled(clean_body, False)
