"""Issuer levels from a document's number and issuer (index/levels.py), as a table."""

from __future__ import annotations

import pytest

from index.levels import level_of, parse_level

LEVELS = [
    ("11-CT/TW", "Bộ Chính trị", "Trung ương"),
    ("89/QĐ-TTg", None, "Trung ương"),
    ("1373/QP —TTg", None, "Trung ương"),  # OCR'd
    ("45-KH/TU", "Ban Thường vụ Tỉnh ủy", "tỉnh"),
    ("132-BC/HU", None, "huyện"),
    ("298/BC-UBND", "Ủy ban nhân dân huyện Hòa An", "huyện"),
    ("64/BC-HKH", "Hội Khuyến học tỉnh Sơn La", "tỉnh"),
    (None, "HUYEN UY KIEN XUONG", "huyện"),
    (None, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "tỉnh"),
    (None, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "huyện"),
    (None, "Ủy ban nhân dân xã Ea Tih", "xã"),
    (None, "Hội Khuyến học Việt Nam", "Trung ương"),
    (None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),  # a header line, no issuer
    (None, None, None),
]


@pytest.mark.parametrize(("number", "issuer", "level"), LEVELS)
def test_level_of(number: str | None, issuer: str | None, level: str | None) -> None:
    assert level_of(number, issuer) == level


@pytest.mark.parametrize(
    ("typed", "level"),
    [("Trung ương", "Trung ương"), ("trung uong", "Trung ương"), ("cấp tỉnh", "tỉnh"),
     ("HUYỆN", "huyện"), ("xa", "xã"), ("quốc tế", None)],
)  # fmt: skip
def test_parse_level(typed: str, level: str | None) -> None:
    assert parse_level(typed) == level
