"""Answer selection (issue 13): entity agreement, answer types, deadlines, abstention,
the asked figure, and readings of OCR'd sources — tables first, then the real corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from answers import tables, typed
from answers.answer import Answerer
from answers.entities import (
    Entities,
    agrees,
    haystack,
    other_level,
    other_place,
    other_tier,
    other_year,
    question_entities,
    shared_figure,
    undated_for,
    written_in,
    year_agrees,
)
from answers.question import analyse_question
from answers.requirements import deadline_iso, find_deadline
from answers.typed import question_type, typed_spans
from index.build import ingest_paths
from index.embed import Embedder
from index.levels import COMMUNE, DISTRICT, PROVINCE
from index.reading import repair_units
from index.search import SearchIndex
from vntext.lexicon import read_as
from vntext.normalize import fold, has_diacritics

ROOT = Path(__file__).resolve().parents[2]
PLACES = frozenset({"hoa an", "son la", "dam rong", "duc trong", "lam dong", "cao bang"})


def doc(place: str | None = None, province: str | None = None, issuer: str | None = None,
        number: str | None = None, title: str | None = None) -> str:  # fmt: skip
    return haystack(place, province, issuer, number, title)


def own(place: str | None = None, issuer: str | None = None, number: str | None = None,
        title: str | None = None) -> str:  # fmt: skip
    return haystack(place, issuer, number, title)


# (question, document metadata, document without province, passage, agrees?)
AGREEMENT = [
    # the example: Sơn La asked, Hòa An's report read
    ("Sơn La đã cấp bao nhiêu xe lăn?", doc("Hòa An", "Cao Bằng"), own("Hòa An"),
     "đã cấp 127 xe lăn", False),
    ("Hòa An đã cấp bao nhiêu xe lăn?", doc("Hòa An", "Cao Bằng"), own("Hòa An"),
     "đã cấp 127 xe lăn", True),
    # typed without accents and in lower case: the gazetteer still finds the place
    ("son la co bao nhieu chi hoi khuyen hoc", doc("Sơn La", "Sơn La"), own("Sơn La"),
     "3.606 chi hội", True),
    ("son la co bao nhieu chi hoi khuyen hoc", doc("Đức Trọng", "Lâm Đồng"), own("Đức Trọng"),
     "285 chi hội", False),
    # the place is named in the passage, not in the metadata
    ("Xã Hòa An có bao nhiêu hội viên?", doc(None), own(None),
     "xã Hòa An có 120 hội viên", True),
    # a whole province asked, a district's report read
    ("Tỉnh Lâm Đồng có bao nhiêu trung tâm học tập cộng đồng?", doc("Đức Trọng", "Lâm Đồng"),
     own("Đức Trọng"), "toàn huyện có 15 trung tâm", False),
    ("Tỉnh Lâm Đồng có bao nhiêu trung tâm học tập cộng đồng?", doc("Đức Trọng", "Lâm Đồng"),
     own("Đức Trọng"), "toàn tỉnh Lâm Đồng có 140 trung tâm", True),
    # a document named in the question
    ("Chỉ thị 11 ban hành ngày nào?", doc(title="Tổng kết 10 năm thực hiện Chỉ thị số 11-CT/TW"),
     own(title="Tổng kết 10 năm thực hiện Chỉ thị số 11-CT/TW"), "ngày 13/4/2007", True),
    ("Kế hoạch 162 ban hành ngày nào?", doc(title="Tổng kết Chỉ thị số 11-CT/TW"),
     own(title="Tổng kết Chỉ thị số 11-CT/TW"), "ngày 13/4/2007", False),
    ("Kế hoạch 162 ban hành ngày nào?", doc(title="Báo cáo"), own(title="Báo cáo"),
     "Kế hoạch số 162-KH/TU ngày 04/10/2019", True),
    # a programme name must be written where the answer is
    ("Quỹ học bổng Tô Hiệu được ủng hộ bao nhiêu tiền?", doc("Sơn La"), own("Sơn La"),
     "Quỹ học bổng Tô Hiệu được ủng hộ 6 tỷ đồng", True),
    ("Quỹ học bổng Tô Hiệu được ủng hộ bao nhiêu tiền?", doc("Sơn La"), own("Sơn La"),
     "Quỹ khuyến học được ủng hộ 6 tỷ đồng", False),
    # nothing named: everything agrees
    ("Có bao nhiêu chi hội khuyến học?", doc("Hòa An"), own("Hòa An"), "91 chi hội", True),
]  # fmt: skip


@pytest.mark.parametrize(("question", "document", "own_doc", "passage", "expected"), AGREEMENT)
def test_entity_agreement(
    question: str, document: str, own_doc: str, passage: str, expected: bool
) -> None:
    e = question_entities(question, PLACES)
    assert agrees(e, document, haystack(passage), own_doc) is expected, e


@pytest.mark.parametrize(
    ("question", "date", "passage", "expected"),
    [
        ("Năm 2019 Đam Rông có bao nhiêu trường?", "2024-06-06", "có 31/36 trường", False),
        ("Năm 2024 Đam Rông có bao nhiêu trường?", "2024-06-06", "có 31/36 trường", True),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", None, "giai đoạn 2016 - 2020 mở 25 lớp", True),
        ("Kế hoạch 162-KH/TU năm 2019 giao việc gì?", None, "năm 2019 giao việc", True),
    ],
)  # fmt: skip
def test_year_agreement(question: str, date: str | None, passage: str, expected: bool) -> None:
    e = question_entities(question, PLACES)
    assert year_agrees(e, date, haystack(passage)) is expected


@pytest.mark.parametrize(
    ("question", "unit", "expected"),
    [
        ("Năm 2015 Hải Dương có bao nhiêu hộ?", "Đến tháng 9/2020, toàn tỉnh có 376.215 hộ", True),
        ("Năm 2017 Cà Mau có bao nhiêu ấp?", "Đến cuối năm 2020 có 742/893 ấp, khóm", True),
        ("Năm 2015 Hải Dương có bao nhiêu hộ?", "năm 2015 có 5.120 hộ", False),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "giai đoạn 2016 - 2020 mở 25 lớp", False),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "ngày 12/6/2018 mở 25 lớp", False),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", False),  # states no year
        # the year inside a document number is no year the unit speaks of
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "theo Quyết định 70/2014/QĐ-UBND mở 25 lớp", False),
        ("Hòa An mở bao nhiêu lớp?", "năm 2020 mở 25 lớp", False),  # no year asked
        # the year a figure is compared with is not the year it is for
        ("Năm 2023 Phú Yên có bao nhiêu hội viên?", "tăng 4.215 so với năm 2022", False),
        ("Năm 2023 Phú Yên có bao nhiêu hội viên?", "tăng 3% sở với cùng kỳ năm 2022", False),
        ("Năm 2023 Phú Yên có bao nhiêu hội viên?", "năm 2022 có 300, so với năm 2021 tăng", True),
    ],
)  # fmt: skip
def test_units_about_another_year(question: str, unit: str, expected: bool) -> None:
    assert other_year(question_entities(question, PLACES), unit) is expected


@pytest.mark.parametrize(
    ("question", "unit", "passage", "date", "expected"),
    [
        # a figure with no year is for the time its document speaks from
        ("Năm 2022 Kiên Giang có bao nhiêu hộ?", "Toàn tỉnh có 312.640 hộ", "", "2021-11-08", 1),
        ("Năm 2019 quỹ Quảng Ngãi đạt bao nhiêu?", "Quỹ đến nay đạt 86,4 tỷ", "", "2024-06-18", 1),
        ("Năm 2024 quỹ Quảng Ngãi đạt bao nhiêu?", "Quỹ đến nay đạt 86,4 tỷ", "", "2024-06-18", 0),
        # a report of the first quarter takes stock of the year before
        ("Năm 2023 Phú Yên có bao nhiêu hội viên?", "có 96.420 hội viên", "", "2024-01-15", 0),
        ("Năm 2023 Phú Yên có bao nhiêu hội viên?", "có 96.420 hội viên", "", "2024-06-15", 1),
        # the passage names the year asked: its section or range covers the unit
        ("Năm 2019 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "Năm 2019: mở 25 lớp", "2020-12-01", 0),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "giai đoạn 2016-2020", "2020-12-01", 0),
        # … unless the unit gives its figure as of now: the document's time, not the range's
        ("Năm 2019 quỹ đạt mấy?", "đến nay đạt 86,4 tỷ", "giai đoạn 2019-2023", "2024-06-18", 1),
        ("Năm 2018 có mấy hội viên?", "hiện có 14.260 hội viên", "Năm 2018: …", "2022-05-10", 1),
        ("Năm 2024 quỹ đạt mấy?", "đến nay đạt 86,4 tỷ", "giai đoạn 2019-2023", "2024-06-18", 0),
        # the unit states its year (other_year judges it), no year asked, no date known
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "năm 2020 mở 25 lớp", "", "2020-12-01", 0),
        ("Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "", "2020-12-01", 0),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "", None, 0),
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "", "2020", 0),  # a manifest's year
        ("Năm 2018 Hòa An mở bao nhiêu lớp?", "mở 25 lớp", "", "tháng 6", 0),
        # a later year asked is a target a unit may set without its year
        ("Đến năm 2025 có bao nhiêu người?", "Phấn đấu có 42.000 người", "", "2023-03-01", 0),
        ("Năm 2025 có bao nhiêu người?", "có 42.000 người", "Mục tiêu cụ thể", "2023-05-01", 0),
        ("Năm 2025 có bao nhiêu người?", "có 42.000 người", "", "2023-05-01", 1),
        # … unless its passage gives the year its targets are for, and it is another
        ("Đến năm 2030 có mấy hộ?", "80% hộ", "MỤC TIÊU ĐẾN NĂM 2026\n80% hộ", "2024-05-01", 1),
        ("Đến năm 2026 có mấy hộ?", "80% hộ", "MỤC TIÊU ĐẾN NĂM 2026\n80% hộ", "2024-05-01", 0),
        ("Năm 2027 có mấy hộ?", "80% hộ", "Mục tiêu tới năm 2027, 2030", "2024-05-01", 0),
        # the year a figure is compared with is not one the passage speaks of
        ("Năm 2022 Phú Yên có mấy hội viên?", "có 96.420", "so với năm 2022", "2024-06-15", 1),
    ],
)  # fmt: skip
def test_units_without_a_year_are_for_their_documents_time(
    question: str, unit: str, passage: str, date: str | None, expected: int
) -> None:
    e = question_entities(question, PLACES)
    assert undated_for(e, unit, passage or unit, date) is bool(expected)


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("Quỹ khuyến học huyện Gia Viễn năm 2024 đạt bao nhiêu?", DISTRICT),
        ("so ho gia dinh hoc tap huyen gia vien nam 2024", DISTRICT),
        # the most local place named is the one asked about
        ("Xã Song Vân, huyện Tân Yên có bao nhiêu hộ đạt Gia đình học tập?", COMMUNE),
        ("Tỉnh Cà Mau có bao nhiêu hộ gia đình học tập?", PROVINCE),
        # a name alone tells no level ("Tô Hiệu" is a fund's name and a ward's)
        ("Đức Trọng có bao nhiêu trường học?", None),
        ("Quỹ học bổng Tô Hiệu được ủng hộ bao nhiêu tiền?", None),
        ("Bao nhiêu người học tại các trung tâm học tập cộng đồng?", None),
        # "cấp xã" is a rank, not the commune asked about
        ("số xã đạt cộng đồng học tập cấp xã Kiên Giang 2020", None),
    ],
)  # fmt: skip
def test_the_level_a_question_asks_at(question: str, level: str | None) -> None:
    assert question_entities(question, PLACES).level == level


@pytest.mark.parametrize(
    ("question", "document_level", "unit", "expected"),
    [
        # a commune's plan gives the commune's fund, not the district's
        ("Quỹ khuyến học huyện Gia Viễn năm 2024 đạt bao nhiêu?", COMMUNE,
         "Hội Khuyến học xã có 14 chi hội; Quỹ khuyến học xã đạt 386.500.000 đồng", True),
        ("Quỹ khuyến học huyện Gia Viễn năm 2024 đạt bao nhiêu?", COMMUNE,
         "Quỹ khuyến học toàn huyện đạt 2,1 tỷ đồng", False),
        # a district's report gives the district's households, not one commune's
        ("Xã Song Vân có bao nhiêu hộ đạt Gia đình học tập?", DISTRICT,
         "Năm 2023, toàn huyện có 57.100/69.886 hộ gia đình đạt danh hiệu", True),
        ("Xã Song Vân có bao nhiêu hộ đạt Gia đình học tập?", DISTRICT,
         "xã Song Vân có 1.210 hộ đạt danh hiệu", False),
        ("Hội Khuyến học huyện Sông Mã được cấp bao nhiêu kinh phí?", PROVINCE,
         "Hội Khuyến học Sông Mã được cấp 20 triệu đồng", False),
        # "xã hội học tập" names no level
        ("Xã Song Vân có bao nhiêu hộ đạt Gia đình học tập?", DISTRICT,
         "xây dựng xã hội học tập, toàn huyện có 57.100 hộ", True),
        # asked at the document's own level, or of an unknown level: nothing to say
        ("Huyện Đức Trọng có bao nhiêu hội viên?", DISTRICT,
         "Toàn tỉnh có 320.489 hội viên", False),
        ("Đức Trọng có bao nhiêu hội viên?", None, "Hội có 285 chi hội", False),
        # a text typed without diacritics is read folded
        ("Quỹ khuyến học huyện Gia Viễn đạt bao nhiêu?", COMMUNE,
         "Quy khuyen hoc xa dat 386 trieu", True),
    ],
)  # fmt: skip
def test_units_at_another_level(question: str, document_level: str | None, unit: str,
                                expected: bool) -> None:  # fmt: skip
    entities = question_entities(question, PLACES)
    assert other_level(entities, document_level, unit) is expected


@pytest.mark.parametrize(
    ("question", "unit", "expected"),
    [
        # the tier a noun is asked at: civil servants of the communes, not the district's
        ("Bao nhiêu công chức cấp xã ở Đức Trọng được đào tạo, bồi dưỡng?",
         "- Số công chức cấp huyện được đào tạo và bồi dưỡng 358 người.", True),
        ("Bao nhiêu công chức cấp xã ở Đức Trọng được đào tạo, bồi dưỡng?",
         "- Số công chức cấp xã được đào tạo và bồi dưỡng 2.325 người.", False),
        # OCR'd and without diacritics alike; "cơ sở" is the commune's tier
        ("so cong chuc cap xa duoc dao tao", "- S8 công chức cAp huyện được đào tạo 358", True),
        ("Hội khuyến học cấp cơ sở có bao nhiêu hội viên?",
         "Hội khuyến học cấp xã có 40.120 hội viên", False),
        # a unit that names both tiers, or none, may speak of the one asked
        ("Tỷ lệ cộng đồng học tập cấp xã là bao nhiêu?",
         "cộng đồng học tập cấp huyện và cấp xã đạt 86%", False),
        ("Tỷ lệ cộng đồng học tập cấp xã là bao nhiêu?", "Toàn tỉnh đạt 86%", False),
        # a question asking no tier: nothing to say
        ("Đức Trọng có bao nhiêu công chức được đào tạo?",
         "Số công chức cấp huyện được đào tạo 358 người", False),
    ],
)  # fmt: skip
def test_units_qualified_at_another_tier(question: str, unit: str, expected: bool) -> None:
    entities = question_entities(question, PLACES)
    assert other_tier(entities, unit) is expected


@pytest.mark.parametrize(
    ("question", "documents"),
    [
        # a period after a type word is no document number
        ("Các huyện phải gửi báo cáo 6 tháng về tỉnh trước ngày nào?", ()),
        ("Kế hoạch 5 năm của Hòa An giao việc gì?", ()),
        ("Báo cáo quý 3 gửi ai?", ()),
        # a number dated after it still is one
        ("Theo Kế hoạch 162 năm 2023, ai chủ trì?", (("ke hoach", "162"),)),
        ("Quyết định số 387 ngày 25/3/2022 giao gì?", (("quyet dinh", "387"),)),
        ("Chỉ thị 11 ban hành ngày nào?", (("chi thi", "11"),)),
    ],
)  # fmt: skip
def test_documents_a_question_names(question: str, documents: tuple) -> None:
    assert question_entities(question, PLACES).documents == documents


def test_entities_of_a_question() -> None:
    e = question_entities(
        "Đức Trọng ban hành kế hoạch số mấy để thực hiện Kết luận 49-KL/TW?", PLACES
    )
    assert e.names == ("duc trong",)
    assert ("ket luan", "49") in e.documents
    assert e.years == ()
    assert question_entities("Từ 2016 đến 2020 Hòa An mở bao nhiêu lớp?", PLACES).names == (
        "hoa an",
    )
    assert question_entities("Có bao nhiêu chi hội?", PLACES) == Entities()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hòa An có bao nhiêu cán bộ quản lý TTHTCĐ?", "figure"),
        ("số hội viên khuyến học Đam Rông", "figure"),
        ("Tỷ lệ phòng học kiên cố ở Hòa An là bao nhiêu?", "percentage"),
        ("hoi vien chiem bao nhieu phan tram dan so", "percentage"),
        ("Quỹ học bổng Tô Hiệu được ủng hộ bao nhiêu tiền?", "amount"),
        ("Chỉ thị 11 ban hành ngày nào?", "date"),
        ("Huyện ủy phải gửi báo cáo trước ngày nào?", "deadline"),
        ("Thời hạn nộp báo cáo là khi nào?", "deadline"),
        ("Ai chỉ đạo các sở, ban, ngành tổng kết?", "actor"),
        # a person by name: who holds a post, who signed
        ("Ai giữ chức Trưởng ban Chỉ đạo xây dựng xã hội học tập huyện?", "person"),
        ("Ai là người ký Kế hoạch tổng kết 10 năm?", "person"),
        ("Người ký Quyết định kiện toàn Ban Chỉ đạo là ai?", "person"),
        ("Xã báo cáo định kỳ về cơ quan nào?", "actor"),
        ("Kế hoạch gồm những nhiệm vụ gì?", "list"),
        ("Hình thức tổng kết là gì?", None),
        # folded "đồng" is also "cộng đồng", "lao động", "dòng họ": those count, not pay
        ("Tỉnh Lâm Đồng có bao nhiêu trung tâm học tập cộng đồng?", "figure"),
        ("Mỗi năm phấn đấu dạy nghề cho bao nhiêu người lao động?", "figure"),
        ("Nghệ An có bao nhiêu dòng họ được công nhận Dòng họ học tập?", "figure"),
        ("bao nhieu cong ty tham gia", "figure"),
        ("Mỗi trung tâm được hỗ trợ bao nhiêu đồng một năm?", "amount"),
        ("Quỹ đạt bao nhiêu tỷ đồng?", "amount"),
        ("cong ty dong gop bao nhieu trieu", "amount"),
        # keywords with no question word ask the number their words name
        ("gia đình học tập huyện Tiên Du năm 2022", "number"),
        ("muc tieu quy khuyen hoc Que Vo den nam 2026", "number"),
        # … but not a document, a date, a task or a content
        ("quyết định kiện toàn Ban Chỉ đạo huyện Tiên Du", None),
        ("nhiệm vụ của Phòng Giáo dục huyện Tiên Du", None),
        ("ngày ban hành Kế hoạch 56/KH-UBND", None),
        ("Hình thức tổng kết", None),
    ],
)
def test_question_types(question: str, expected: str | None) -> None:
    assert question_type(question) == expected


# (question, span kinds one of which the answer must hold)
NUMBER, DATE = typed.NUMBER_KINDS, typed.DATE_KINDS
REQUIRED = [
    ("Hòa An đã cấp bao nhiêu xe lăn?", NUMBER),
    ("Tỷ lệ phòng học kiên cố ở Hòa An là bao nhiêu?", NUMBER),
    ("hoa an co may giao vien duoc boi duong", NUMBER),
    ("số hội viên khuyến học Đam Rông", NUMBER),
    ("Quỹ học bổng Tô Hiệu được ủng hộ bao nhiêu tiền?", NUMBER),
    ("Chỉ thị 11 ban hành ngày nào?", DATE),
    # no number or date asked in so many words: no hard need
    ("Phòng Tài chính - Kế hoạch có nhiệm vụ gì về kinh phí?", frozenset()),
    ("Hình thức tổng kết là gì?", frozenset()),
    ("Ai chỉ đạo các sở, ban, ngành tổng kết?", frozenset()),
    ("Máy tính cho em là phong trào gì?", frozenset()),
]


@pytest.mark.parametrize(("question", "expected"), REQUIRED)
def test_required_answer_kinds(question: str, expected: frozenset[str]) -> None:
    assert typed.required_kinds(question, question_type(question)) == expected


def test_a_number_question_is_not_answered_by_years_and_document_numbers() -> None:
    spans = typed_spans("giao kinh phí theo Quyết định số 12/2021/QĐ-UBND năm 2021")
    assert not any(t.kind in typed.NUMBER_KINDS for t in spans)
    assert any(t.kind in typed.NUMBER_KINDS for t in typed_spans("cấp 127 xe lăn năm 2019"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # years and document numbers are not figures
        ("Đam Rông có 8.275 hội viên năm 2024 theo Kế hoạch số 130-KH/HU",
         [("figure", "8.275"), ("year", "2024"), ("doc_number", "Kế hoạch số 130-KH/HU")]),
        ("đạt 98,75%; kinh phí 1,25 tỷ đồng và 350.000.000 đồng",
         [("percentage", "98,75%"), ("amount", "1,25 tỷ đồng"), ("amount", "350.000.000 đồng")]),
        ("tiền mặt 1.251.000.000; 40.552.000đ",
         [("amount", "1.251.000.000"), ("amount", "40.552.000đ")]),
        ("Chỉ thị 11-CT/TW ngày 13 tháng 4 năm 2007; 30/30 trường",
         [("doc_number", "Chỉ thị 11-CT/TW"), ("date", "ngày 13 tháng 4 năm 2007"),
          ("figure", "30/30")]),
        ("2- Các huyện ủy mở 25 lớp, Đề án 1956 mở 100 lớp",
         [("bullet", "2-"), ("figure", "25"), ("doc_number", "Đề án 1956"), ("figure", "100")]),
        ("C6 285 chi hoi, 16p", [("figure", "285")]),  # OCR digits inside words are letters
        ("3 tháng một số", [("period", "3")]),
        # parts, terms and periods are named by their numbers too
        ("Điều 3 khoản 2, khóa XII, giai đoạn 2021-2025: 12 xã",
         [("named_number", "Điều 3"), ("named_number", "khoản 2"),
          ("named_number", "giai đoạn 2021-2025"), ("figure", "12")]),
        # a document's own number is a number that names a document
        ("Số: 298/BC-UBND", [("doc_number", "298/BC-UBND")]),
    ],
)  # fmt: skip
def test_typed_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.kind, text[t.start : t.end]) for t in typed_spans(text)] == expected


@pytest.mark.parametrize(
    ("text", "deadline", "iso", "period"),
    [
        ("báo cáo kết quả về Sở trước ngày 15/3 hằng năm", "trước ngày 15/3 hằng năm", None, None),
        ("hoàn thành trong quý I/2024", "hoàn thành trong quý I/2024", None, None),
        ("nộp kế hoạch trước tháng 6/2023", "trước tháng 6/2023", None, None),
        ("gửi báo cáo trước ngày 20/12/2023", "trước ngày 20/12/2023", "2023-12-20", None),
        ("trước ngày 31 tháng 3 năm 2017", "trước ngày 31 tháng 3 năm 2017", "2017-03-31", None),
        ("báo cáo định kỳ 6 tháng về Phòng", None, None, "định kỳ 6 tháng"),
        ("trong năm 2020 đã tổ chức", None, None, None),
    ],
)
def test_deadlines(text: str, deadline: str | None, iso: str | None, period: str | None) -> None:
    dated, periodic = find_deadline(fold(text))
    assert (text[dated.start() : dated.end()] if dated else None) == deadline
    assert (deadline_iso(dated) if dated else None) == iso
    assert (text[periodic.start() : periodic.end()] if periodic else None) == period


def test_function_words_come_from_one_table() -> None:
    q = analyse_question(
        "Hòa An có bao nhiêu cán bộ quản lý TTHTCĐ?", 100, __import__("collections").Counter()
    )
    words = {t.word for t in q.terms}
    assert {"hoa", "an", "can", "bo", "quan", "ly", "trung", "tam"} <= words
    assert not words & {"co", "bao", "nhieu"}


# --- on the real corpus ---------------------------------------------------------------


@pytest.fixture(scope="module")
def answerer(corpus_index: SearchIndex) -> Answerer:
    return Answerer(corpus_index, ROOT)


def _raw(source: str) -> str:
    return (ROOT / source).read_text(encoding="utf-8")


# In-domain questions the corpus does not answer: a place or a programme it does not
# give the figure for (written here, not taken from the labelled sets).
@pytest.mark.parametrize(
    "question",
    [
        "Sơn La đã cấp bao nhiêu xe lăn?",
        "Tỉnh Kiên Giang có bao nhiêu hội viên khuyến học?",
        "huyen dam rong da cap bao nhieu xe lan",
        # a number asked, and the only unit naming the province holds none (a decision
        # of "UBND tỉnh Lâm Đồng" with its number and year)
        "Toàn tỉnh Lâm Đồng có bao nhiêu trung tâm học tập cộng đồng đang hoạt động?",
    ],
)
def test_abstains_when_no_candidate_agrees(answerer: Answerer, question: str) -> None:
    a = answerer.ask(question)
    assert a.answer is None and a.citations == [] and a.figure is None
    assert a.message


def test_a_document_named_agrees_with_the_documents_that_carry_it_out(answerer: Answerer) -> None:
    # Báo cáo 298 reviews Đề án 89 (the citation graph says so), though the sentence with
    # the wheelchairs and its passage never name it; it does not review Đề án 281
    a = answerer.ask("Thực hiện Đề án 89, Hòa An đã cấp bao nhiêu xe lăn?")
    assert a.answer is not None and a.figure is not None and a.figure.text == "127"
    _, _, ranked, _ = answerer.candidates("Thực hiện Đề án 281, Hòa An đã cấp bao nhiêu xe lăn?")
    assert not any(c.hit.doc_id.startswith("bc-298") for c in ranked)
    _, _, ranked, _ = answerer.candidates("Theo Đề án 281, Sơn La có bao nhiêu hội viên?")
    assert any("320.489" in c.text for c in ranked)


def test_the_figure_asked_for_is_named(answerer: Answerer) -> None:
    a = answerer.ask("Hòa An đã cấp bao nhiêu xe lăn?")
    assert a.answer is not None and a.figure is not None and a.answer_type == "figure"
    assert a.figure.text == "127"
    assert _raw(a.citations[0].source)[a.figure.char_start : a.figure.char_end] == "127"
    c = a.citations[0]
    assert c.char_start <= a.figure.char_start < a.figure.char_end <= c.char_end


def test_type_words_are_said_by_a_span_of_their_type(answerer: Answerer) -> None:
    # "tỷ lệ" asks for a percentage: the sentence holding one says it without the words
    a = answerer.ask("Tỷ lệ phòng học kiên cố ở Hòa An là bao nhiêu?")
    assert a.answer is not None and "62,32%" in a.answer, a.answer
    assert a.figure is not None and a.figure.text == "62,32%"


def test_the_documents_own_place_is_asked_of_no_sentence(answerer: Answerer) -> None:
    # every word is in the Sơn La report's own metadata; the sentence is scored on the
    # words other than the place it agrees with, so the rare "Sơn La" is not missing
    _, _, ranked, _ = answerer.candidates("Tổng số hội viên khuyến học tỉnh Sơn La là bao nhiêu?")
    best = next(c for c in ranked if "320.489" in c.text)
    assert best.hit.doc_id == "bc-64-hkh-son-la-2022"
    assert best.features["rare"] == 1.0 and best.features["support"] == 1.0


def test_answers_from_ocr_are_written_in_their_reading(answerer: Answerer) -> None:
    a = answerer.ask("Bao nhiêu hội viên khuyến học Sơn La là đảng viên?")
    assert a.answer is not None and a.citations
    for c in a.citations:
        assert _raw(c.source)[c.char_start : c.char_end] == c.quote  # the quote stays raw
        assert c.restored and c.reading and has_diacritics(c.reading)
        assert c.reading != c.quote
    assert "46.017" in a.answer and has_diacritics(a.answer)
    assert " ".join(a.citations[0].reading.split())[:30] in a.answer  # type: ignore[union-attr]


def test_clean_sources_have_no_reading(answerer: Answerer) -> None:
    a = answerer.ask("Đam Rông có bao nhiêu công dân đạt Công dân học tập?")
    assert a.citations and all(c.reading is None and not c.restored for c in a.citations)


def test_search_hits_from_ocr_have_a_reading(corpus_index: SearchIndex) -> None:
    hits = corpus_index.search("hội viên khuyến học tỉnh Sơn La", k=10).hits
    ocr = [h for h in hits if h.doc_id.startswith("bc-64-hkh-son-la")]
    clean = [h for h in hits if h.doc_id.startswith("web-dam-rong")]
    assert ocr and all(h.restored and h.reading and has_diacritics(h.reading) for h in ocr)
    assert all(h.reading is None and not h.restored for h in clean)


def test_requirement_questions_are_answered_from_the_table(answerer: Answerer) -> None:
    a = answerer.ask("Ban Tuyên giáo Tỉnh ủy phải gửi dự thảo báo cáo tổng kết trước ngày nào?")
    assert a.answer is not None and "14 tháng 4 năm 2017" in a.answer
    assert a.figure is not None and "14 tháng 4 năm 2017" in a.figure.text
    c = a.citations[0]
    assert _raw(c.source)[c.char_start : c.char_end] == c.quote


# (what a "how many" question counts, the unit, does a number of the unit count it?)
COUNTED = [
    (("hoi", "vien"), "Tổng số hội viên là 186.524 người", 1.0),
    (("hoi", "vien"), "toàn huyện có 38.925 hội viên", 1.0),
    (("hoi", "vien"), "Ban chấp hành hội khuyến học huyện có 28 thành viên; hội viên tăng", 0.0),
    (("gia", "dinh"), "có 17.889 công dân đạt Công dân học tập; phong trào Gia đình học tập", 0.0),
    (("nguoi",), "thu hút 214.560 lượt người học", 1.0),  # people counted in other nouns
    (("nguoi",), "bước đầu có 3.960 học viên được công nhận", 1.0),
    (("nguoi",), "mở 3.846 lớp chuyên đề", 0.0),
    (("thuong", "binh"), "cho 168 đối tượng thương binh", 1.0),
    ((), "mở 3.846 lớp chuyên đề", 1.0),  # nothing counted: no constraint
    (("hoi", "vien"), "Tong so hoi vien toan tinh 1a 320.489", 1.0),  # OCR'd, folded alike
    # the counted noun's first word right after the number ("trường phổ thông" → "trường")
    (("truong", "pho"), "đã thành lập tổ tư vấn tâm lý: 30/30 trường", 1.0),
    (("lop", "boi"), "mở được 16 lớp với 1.869 lượt người tham gia", 1.0),
    # people counted as "người"
    (("cong", "chuc"), "Số công chức cấp xã được đào tạo và bồi dưỡng 2.325 người", 1.0),
    (("hoi", "vien"), "Ban chấp hành có 28 người", 1.0),
    (("xe", "lan"), "đã cấp 127 người khuyết tật", 0.0),  # things are no people
    (("hoi", "vien"), "thu hút 96.420 lượt người tham gia", 0.0),  # turns are no people
    (("luot", "nguoi"), "thu hút 96.420 lượt người tham gia", 1.0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("Bao nhiêu em học sinh được khen thưởng?", ("hoc", "sinh")),
        ("Học sinh khuyết tật đã nhận bao nhiêu chiếc xe đạp?", ("xe", "dap")),
        ("Có bao nhiêu trường phổ thông thành lập tổ tư vấn?", ("truong", "pho")),
    ],
)
def test_what_a_question_counts_skips_classifiers(question: str, counted: tuple) -> None:
    assert analyse_question(question, 1, Counter(), frozenset()).counted == counted


@pytest.mark.parametrize(("counted", "text", "expected"), COUNTED)
def test_the_number_counts_what_is_asked(
    counted: tuple[str, ...], text: str, expected: float
) -> None:
    assert typed.counted_near(counted, text) == expected


# (question, unit, is the unit about another place than the question's?)
ELSEWHERE = [
    ("Hội Khuyến học tỉnh Phú Yên có tổng cộng bao nhiêu hội viên?",
     "Hội Khuyến học thành phố Tuy Hòa có 31.870 hội viên, nhiều nhất tỉnh", True),
    ("Hội Khuyến học tỉnh Phú Yên có tổng cộng bao nhiêu hội viên?",
     "Toàn tỉnh có 1.186 chi hội; tổng số hội viên là 186.524 người", False),
    ("Hội Khuyến học tỉnh Phú Yên có tổng cộng bao nhiêu hội viên?",
     "Hội Khuyến học tỉnh Phú Yên có 186.524 hội viên, huyện Sông Hinh có 9.000", False),
    ("Xã Song Vân có bao nhiêu hộ đạt Gia đình học tập?",
     "Xã Việt Ngọc: 3.002/3.300 hộ", True),
    ("Có bao nhiêu hội viên?", "Hội Khuyến học thành phố Tuy Hòa có 31.870 hội viên", False),
    # the name asked about written only after the figure (another unit's sentence)
    ("Hội Khuyến học tỉnh Cà Mau có tất cả bao nhiêu hội viên?",
     "Hội Khuyến học huyện Trần Văn Thời dẫn đầu toàn tỉnh với 23.940 hội viên; Hội Khuyến "
     "học thành phố Cà Mau vận động doanh nghiệp", True),
    # the whole first, a part after its figure
    ("Hội Khuyến học tỉnh Phú Yên có tổng cộng bao nhiêu hội viên?",
     "Toàn tỉnh có 186.524 hội viên, thành phố Tuy Hòa 31.870", False),
    # the province holding the district asked about is no other place
    ("Theo báo cáo của huyện Tân Yên, mỗi Trung tâm được hỗ trợ bao nhiêu?",
     "Mức hỗ trợ theo Nghị quyết số 07/2022/NQ-HĐND của Hội đồng nhân dân tỉnh Bắc Giang "
     "là 20.000.000 đồng", False),
]  # fmt: skip


@pytest.mark.parametrize(("question", "unit", "expected"), ELSEWHERE)
def test_units_about_another_place(question: str, unit: str, expected: bool) -> None:
    places = frozenset({"phu yen", "tuy hoa", "song hinh", "song van", "viet ngoc"})
    assert other_place(question_entities(question, places), unit) is expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("mỗi suất 2.000.000 đeng, tổng", "mỗi suất 2.000.000 đồng, tổng"),
        ("trị giá 31,5 tỷ đeng", "trị giá 31,5 tỷ đồng"),
        ("từ 100 triệu ddng trở lên", "từ 100 triệu đồng trở lên"),
        # words after a number that are no garbled "đồng"
        ("có 15 dòng họ, 5 đơn vị, 12 đảng viên", "có 15 dòng họ, 5 đơn vị, 12 đảng viên"),
        ("năm 2023 đang triển khai", "năm 2023 đang triển khai"),
        ("Lê Văn Đeng", "Lê Văn Đeng"),  # not after a number
    ],
)
def test_readings_repair_the_garbled_unit_of_money(reading: str, expected: str) -> None:
    assert repair_units(reading) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Đức Trọng", "huyện Đức Trọng có 285 chi hội", True),
        ("Đức Trọng", "tiêu chí số 14 về giáo dục trong bộ tiêu chí", False),  # folds alike
        ("Hoà An", "huyện Hòa An", True),  # tone placed on another vowel
        ("Sơn La", "TỈNH SƠN LA", True),
        ("Sơn La", "sơn lại trường học", False),
    ],
)
def test_names_are_written_letter_for_letter(name: str, text: str, expected: bool) -> None:
    assert written_in(name, text) is expected


def test_a_count_for_another_district_is_never_the_answer(
    writable_index: Path, embedder: Embedder, tmp_path: Path
) -> None:
    # A province's report counts members district by district; asked of a district it
    # gives no count for, the answer is refused, not the neighbour's figure.
    report = tmp_path / "bc-15-hkh-phu-tho-2024.txt"
    report.write_text(
        "HỘI KHUYẾN HỌC TỈNH PHÚ THỌ\n\nSố: 15/BC-HKH\tPhú Thọ, ngày 10 tháng 01 năm 2024\n\n"
        "BÁO CÁO\n\nKết quả công tác khuyến học năm 2023\n\n"
        "Hội Khuyến học huyện Thanh Sơn có 12.400 hội viên, nhiều nhất tỉnh; Hội Khuyến học "
        "huyện Tân Sơn có tỷ lệ hội viên người dân tộc thiểu số đạt 30,5%.\n\n"
        "Quỹ khuyến học các cấp năm 2023 đạt 21,4 tỷ đồng.\n",
        encoding="utf-8",
    )
    assert not ingest_paths([report], writable_index, tmp_path, embedder=embedder).failed
    answerer = Answerer(SearchIndex(writable_index, embedder=embedder), tmp_path)
    asked = answerer.ask("Hội Khuyến học huyện Thanh Sơn có bao nhiêu hội viên?")
    assert asked.answer is not None and "12.400" in asked.answer
    other = answerer.ask("Hội Khuyến học huyện Tân Sơn có bao nhiêu hội viên?")
    assert other.answer is None or "12.400" not in other.answer


# Words officials write for one another, read as one (vntext.lexicon.SYNONYMS), and the
# i/y spellings ("tỉ lệ", "tỷ lệ"): (words, accented, read as).
READ_AS = [
    ("trao tặng 40 suất", True, ["trao", "40", "suất"]),
    ("tặng 40 suất", True, ["trao", "40", "suất"]),
    ("tang 40 suat", False, ["tang", "40", "suat"]),  # folded "tặng" is also "tăng": kept
    ("thầy cô giáo", True, ["giáo", "viên"]),
    ("thay co giao", False, ["giao", "vien"]),
    ("lượt người học", True, ["lượt", "học", "viên"]),
    ("tỉ lệ", True, ["tỷ", "lệ"]),
    ("qui định", True, ["quy", "định"]),
    ("ti le", False, ["ty", "le"]),
    ("chi phí thi đua", True, ["chi", "phí", "thi", "đua"]),  # ch-, ph-, th-: one spelling
    ("văn bản", True, ["văn", "bản"]),  # "bản" is no village here
    ("xóm và tổ dân phố", True, ["thôn", "và", "thôn"]),
    ("bon", False, ["bon"]),  # folded "bon" is also "bốn"
]


@pytest.mark.parametrize(("words", "exact", "expected"), READ_AS)
def test_words_for_one_another_are_read_as_one(words: str, exact: bool, expected: list) -> None:
    assert read_as(words.split(), exact) == expected


def test_a_question_in_other_words_counts_what_the_unit_counts() -> None:
    q = analyse_question("Bao nhiêu thầy cô giáo được tập huấn?", 10, Counter(), frozenset())
    assert q.counted == ("giao", "vien")
    assert {"giao", "vien"} <= {t.word for t in q.terms}
    assert typed.counted_near(q.counted, "đã tập huấn cho 120 giáo viên") == 1.0
    assert typed.counted_near(q.counted, "đã tập huấn cho 120 thầy cô giáo") == 1.0


TABLE = (
    "Kết quả cụ thể:\n\n"
    "Năm\tSố chuyên đề\tSố lớp\tNgười tham gia\tGhi chú\n"
    "2016-2017\t187\t167\t8247\t\n"
    "2017-2018\t190\t170\t10940\t\n"
)
# a header over two lines, the years' cells merged over two columns each
MERGED = (
    "TT\tChỉ tiêu\tThực hiện từng năm\n\n"
    "\t\t2016\t\t2017\t\n\n"
    "I\tXóa mù chữ\n\n"
    "1\tSố người biết chữ\t8182\t99,48\t9673\t99,69\n"
)


def _row(text: str, starts: str) -> tables.Row | None:
    a = text.index(starts)
    b = text.find("\n", a)
    return tables.table_row(text, a, len(text) if b < 0 else b)


def test_a_table_row_is_read_with_its_header() -> None:
    row = _row(TABLE, "2017-2018")
    assert row is not None
    assert row.labelled(TABLE) == (
        "Năm 2017-2018; Số chuyên đề 190; Số lớp 170; Người tham gia 10940"
    )
    assert row.label_at(TABLE.index("170")) == "Số lớp"
    assert row.header == "Năm Số chuyên đề lớp Người tham gia Ghi chú"  # words once each


def test_merged_header_cells_head_the_columns_after_them() -> None:
    row = _row(MERGED, "1\tSố")
    assert row is not None
    assert row.label_at(MERGED.index("99,48")) == "Thực hiện từng năm 2016"
    assert row.label_at(MERGED.index("9673")) == "Thực hiện từng năm 2017"
    # a row holds one figure per year: the years head columns, not the row
    assert "2016" not in row.header and "Chỉ tiêu" in row.header
    assert "Xóa mù chữ" not in row.header  # a numbered section row is no header


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        (TABLE, "Kết quả"),  # no table row
        (TABLE, "Năm\t"),  # the header itself
        ("2016-2017\t187\t167\n2017-2018\t190\t170\n", "2017-2018"),  # no header above
        ("Hội viên\t8.275 người\n", "Hội viên"),  # a tab, not a table's data row
    ],
)
def test_only_a_data_row_under_a_header_is_a_table_row(text: str, starts: str) -> None:
    assert _row(text, starts) is None


def test_the_figure_of_a_table_row_is_the_cell_its_column_names(answerer: Answerer) -> None:
    question = "Năm 2017-2018 các trung tâm học tập cộng đồng ở Hòa An mở được bao nhiêu lớp?"
    q, _, ranked, _ = answerer.candidates(question)
    row = next(c for c in ranked if c.text.startswith("2017-2018\t190"))
    assert row.cells is not None and "Số lớp 170" in row.shown
    figure = answerer._figure(q, row)
    assert figure is not None and figure.text == "170"


# The place asked among several the unit names together: their figure is no one's own.
SHARED = [
    ("Huyện Mộ Đức có bao nhiêu công dân học tập?",
     "xây dựng mô hình tại 4 huyện Tư Nghĩa, Mộ Đức, Bình Sơn, Sơn Tịnh; có 86.420 công dân", True),
    ("Xã Đông Tảo có bao nhiêu công dân học tập?",
     "thí điểm tại 3 xã Đông Tảo, Bình Minh và Dạ Trạch với 9.412 công dân", True),
    ("Huyện Mộ Đức có bao nhiêu công dân học tập?",
     "Huyện Mộ Đức có 12.300 công dân học tập", False),
    ("Huyện Mộ Đức có bao nhiêu công dân học tập?",
     "các huyện Tư Nghĩa, Bình Sơn, Sơn Tịnh có 50.000 công dân", False),  # not among them
    ("Tỉnh có bao nhiêu công dân học tập?", "tại Tư Nghĩa, Mộ Đức, Bình Sơn có 8.000", False),
]  # fmt: skip


@pytest.mark.parametrize(("question", "unit", "expected"), SHARED)
def test_a_figure_shared_by_places_listed_together(
    question: str, unit: str, expected: bool
) -> None:
    places = frozenset({"mo duc", "tu nghia", "dong tao", "binh minh", "son tinh", "binh son"})
    assert shared_figure(question_entities(question, places), unit) is expected


PER_ITEM = [
    ("Giá trị mỗi suất học bổng là bao nhiêu?", "trao 2.150 suất, tổng trị giá 1,2 tỷ đồng", True),
    ("Giá trị mỗi suất học bổng là bao nhiêu?", "mỗi suất trị giá 500.000 đồng", False),
    ("Bình quân mỗi trung tâm được cấp bao nhiêu?", "hỗ trợ 15 triệu đồng/trung tâm/năm", False),
    ("Quỹ khuyến học đạt bao nhiêu?", "Quỹ đạt 1,2 tỷ đồng", False),  # no value per item asked
    ("Mỗi suất học bổng trị giá bao nhiêu?", "trao 120 suất, méi suat 2.000.000 déng", False),
]


@pytest.mark.parametrize(("question", "unit", "expected"), PER_ITEM)
def test_a_value_per_item_asked(question: str, unit: str, expected: bool) -> None:
    assert typed.per_item_missing(question, unit) is expected


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("Ủy ban Kiểm tra đã giám sát tại những xã nào?", "list"),  # names asked, not a count
        ("Giá trị mỗi suất học bổng là bao nhiêu?", "amount"),
    ],
)
def test_what_the_question_asks_for(question: str, qtype: str) -> None:
    assert question_type(question) == qtype


@pytest.mark.parametrize(
    ("question", "unit", "expected"),
    [
        # a point in time asked: a date, a month, a quarter answers; how often does not
        ("Sở Nội vụ phải hoàn thành trước thời điểm nào?", "trước ngày 30/11/2021", True),
        ("Các huyện phải ban hành kế hoạch trước ngày nào?", "trong quý I/2024", True),
        ("Sở Nội vụ phải hoàn thành trước thời điểm nào?", "đưa vào bình xét hằng năm", False),
        ("Phải báo cáo trước ngày nào?", "Định kỳ 6 tháng báo cáo", False),
        ("Phải báo cáo trước ngày nào?", "Định kỳ 6 tháng (trước ngày 15/6) báo cáo", True),
        # how often asked: no point needed
        ("Xã báo cáo bao lâu một lần?", "Định kỳ 6 tháng báo cáo", None),
    ],
)  # fmt: skip
def test_a_point_in_time_asked_is_a_date_not_how_often(
    question: str, unit: str, expected: bool | None
) -> None:
    if expected is None:
        assert not typed.asks_point(question)
    else:
        assert typed.asks_point(question) and typed.states_point(unit) is expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Bà Lê Thị Thu Hà, Phó Chủ tịch Ủy ban nhân dân huyện - Trưởng ban;", True),
        ("Ông Nguyễn Đức Thắng, Trưởng phòng Giáo dục và Đào tạo - Phó Trưởng ban;", True),
        ("Hồ Văn Niên", True),  # the name of a signature block
        ("Trưởng ban chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân huyện", False),
        ("KẾ HOẠCH", False),
        ("Phòng Giáo dục và Đào tạo chủ trì", False),
    ],
)
def test_a_person_asked_is_answered_by_a_name(unit: str, expected: bool) -> None:
    assert typed.has_type(unit, typed_spans(unit), "person") is expected
