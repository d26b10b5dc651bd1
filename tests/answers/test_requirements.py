"""Requirement statements on the real corpus: the KH tổng kết Chỉ thị 11 deadlines first."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from answers.requirements import (
    CSV_COLUMNS,
    Requirements,
    directives_in,
    implemented_directives,
    requirement_row,
    to_csv,
)
from index.errors import BadQuery
from index.search import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
KH = "kh-tong-ket-10-nam-ct11-2017"


@pytest.fixture(scope="module")
def table(corpus_index: SearchIndex) -> Requirements:
    return Requirements(corpus_index, ROOT)


def test_kh_tong_ket_ct11_deadlines_with_actors(table: Requirements) -> None:
    dated = {(r.actor, r.deadline) for r in table.find(doc_id=KH) if r.deadline}
    assert dated == {
        ("Ban cán sự đảng Ủy ban nhân tỉnh", "2017-03-31"),
        ("Các huyện ủy, thị ủy, thành ủy trực thuộc", "2017-03-31"),
        ("Ban Tuyên giáo Tỉnh ủy", "2017-04-14"),
    }
    for r in table.find(doc_id=KH):
        assert r.implements == ["11-CT/TW"]
    huyen = table.find(actor="huyện ủy", doc_id=KH)
    assert len(huyen) == 1
    assert huyen[0].deadline_text == "trước ngày 31 tháng 3 năm 2017"
    assert huyen[0].action.startswith("tổ chức tổng kết và gửi báo cáo")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("huyện ủy", "Các huyện ủy, thị ủy, thành ủy trực thuộc"),
        ("huyen uy", "Các huyện ủy, thị ủy, thành ủy trực thuộc"),
        ("Ban cán sự đảng UBND tỉnh", "Ban cán sự đảng Ủy ban nhân tỉnh"),
        ("ban tuyen giao tinh uy", "Ban Tuyên giáo Tỉnh ủy"),
        ("Phòng Nội vụ", "Phòng Nội vụ"),
        ("Phòng GD&ĐT", "Phòng Giáo dục và Đào tạo"),
    ],
)
def test_actor_filter_is_accent_blind_and_knows_abbreviations(
    table: Requirements, actor: str, expected: str
) -> None:
    found = table.find(actor=actor)
    assert found and {r.actor for r in found} == {expected}


def test_heading_names_the_actor_of_its_bullets(table: Requirements) -> None:
    noi_vu = table.find(actor="Phòng Nội vụ", doc_id="bc-298-ubnd-hoa-an-2020")
    assert any("bồi dưỡng" in r.action for r in noi_vu)
    assert all(r.implements == ["89/QĐ-TTg"] for r in noi_vu)
    periodic = table.find(q="định kỳ 6 tháng", doc_id="bc-298-ubnd-hoa-an-2020")
    assert any(r.deadline_text and "định kỳ 6 tháng" in r.deadline_text for r in periodic)


def test_every_quote_is_the_raw_span_and_reports_are_not_requirements(
    table: Requirements,
) -> None:
    everything = table.all()
    assert len(everything) >= 20
    for r in everything:
        c = r.citation
        assert (ROOT / c.source).read_text(encoding="utf-8")[c.char_start : c.char_end] == c.quote
        assert r.action
        assert " đã " not in f" {r.action[:40]} "  # "… đã chỉ đạo" reports, it does not require
    ids = [r.requirement_id for r in everything]
    assert len(set(ids)) == len(ids)


def test_filters_combine_and_bad_filters_are_refused(table: Requirements) -> None:
    assert table.find(doc_id="no-such-doc") == []
    assert table.find(actor="Ban Tuyên giáo", q="dự thảo")[0].deadline == "2017-04-14"
    assert table.find(actor="   ") == table.all()
    with pytest.raises(BadQuery):
        table.find(actor="x" * 201)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổng kết 10 năm thực hiện Chỉ thị số 11-CT/TW của Bộ Chính trị", ["11-CT/TW"]),
        ("Chi thi 11CT/TW cua Bo Chinh tri", ["11-CT/TW"]),
        ("Két luan sé 49- KL/TW ngay 10/5/2019", ["49-KL/TW"]),
        ("Quyết định số 89/QĐ-TTg ngày 09/01/2013", ["89/QĐ-TTg"]),
        ("Quyet dinh 281/Qb-TTg ngay 20/2/2014", ["281/QĐ-TTg"]),
        ("Quyết định số 70/2014/QĐ-UBND", ["70/2014/QĐ-UBND"]),
        # any full number, read by the references' grammar; a short form names no id
        ("Thực hiện Kế hoạch số 162-KH/TU và Chỉ thị 11", ["162-KH/TU"]),
        ("không có văn bản nào", []),
    ],
)
def test_directives_in(text: str, expected: list[str]) -> None:
    assert directives_in(text) == expected


def test_implemented_directives_falls_back_to_the_opening() -> None:
    assert implemented_directives("Kế hoạch tổng kết Chỉ thị số 11-CT/TW", "") == ["11-CT/TW"]
    opening = "BÁO CÁO\n\nThực hiện Kết luận số 49-KL/TW của Ban Bí thư, huyện báo cáo như sau."
    assert implemented_directives("Báo cáo kết quả", opening) == ["49-KL/TW"]
    assert implemented_directives(None, "Không nhắc văn bản nào.") == []


def test_csv_export(table: Requirements) -> None:
    found = table.find(doc_id=KH)
    rows = list(csv.reader(io.StringIO(to_csv(found))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(found) + 1
    assert any("trước ngày 14 tháng 4 năm 2017" in row for row in rows)
    assert requirement_row(found[0])["quote"] == found[0].citation.quote
