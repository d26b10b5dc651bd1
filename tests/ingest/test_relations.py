"""Relation types read from the clause that governs each mention (issue 20).

Snippets are written in the forms officials use, clean and as Tesseract's English model
reads them (the cue words' OCR spellings come from rendering them with render_ocr.py).
"""

from __future__ import annotations

import pytest

from eval.refs_bench import cited_relation
from ingest.references import find_references
from ingest.references.relations import PRECEDENCE, pair_relation

CASES = [
    # (text, [(surface start, citing relation, subject relation or None)])
    (
        "Căn cứ Luật Giáo dục số 43/2019/QH14 ngày 14/6/2019;\n"
        "Căn cứ Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ;\n"
        "Theo đề nghị của Trưởng phòng Giáo dục và Đào tạo tại Tờ trình số 45/TTr-PGDĐT.",
        [("Luật", "based_on"), ("Nghị định", "based_on"), ("Tờ trình", "based_on")],
    ),
    (
        "Điều 3. Quyết định này thay thế Quyết định số 120/QĐ-UBND ngày 02/3/2018 và bãi bỏ "
        "Quyết định số 77/QĐ-UBND ngày 10/01/2019 của Ủy ban nhân dân huyện.",
        [("Quyết định số 120", "replaces"), ("Quyết định số 77", "replaces")],
    ),
    (
        "Thực hiện Kế hoạch số 96-KH/TU ngày 12/8/2019 của Ban Thường vụ Tỉnh ủy; Công văn số "
        "310/SGDĐT-GDTX ngày 03/4/2020 của Sở Giáo dục và Đào tạo, Ủy ban nhân dân huyện báo cáo "
        "như sau:",
        [("Kế hoạch", "implements"), ("Công văn", "implements")],
    ),
    (
        "Kết luận số 49-KL/TW ngày 10/5/2019 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số "
        "11-CT/TW của Bộ Chính trị là văn bản quan trọng.",
        [("Kết luận", "mentions"), ("Chỉ thị", "mentions", "continues")],
    ),
    (
        "- Việc đánh giá, xếp loại cộng đồng học tập cấp xã thực hiện theo hướng dẫn tại Công "
        "văn số 1320/SGD&ĐT-GDTX ngày 11/6/2018 của Sở Giáo dục và Đào tạo.",
        [("Công", "guided_by")],
    ),
    (
        "- Tiếp tục thực hiện Quyết định số 1373/QĐ-TTg ngày 30/7/2021 của Thủ tướng Chính phủ.",
        [("Quyết định", "continues")],
    ),
    (
        "2. Phòng Giáo dục và Đào tạo tham mưu tổ chức sơ kết 3 năm thực hiện Kế hoạch số "
        "112/KH-UBND, hoàn thành trong quý II/2024.",
        [("Kế hoạch", "mentions")],  # an act to come, not this document's
    ),
    (
        "Sau 5 năm triển khai thực hiện Kết luận số 49-KL/TW, công tác khuyến học có nhiều "
        "chuyển biến.",
        [("Kết luận", "reviews")],
    ),
    (
        "Thực hiện Quyết định số 1373/QĐ-TTg ngày 30/7/2021 của Thủ tướng Chính phủ phê duyệt Đề "
        "án “Xây dựng xã hội học tập giai đoạn 2021 - 2030” (sau đây gọi tắt là Đề án 1373), Ủy "
        "ban nhân dân tỉnh ban hành Kế hoạch.",
        [("Quyết định", "implements"), ("Đề án", "implements")],
    ),
    (
        "Ban Thường vụ Huyện ủy đã chỉ đạo các chi bộ triển khai thực hiện Kết luận số 49-KL/TW "
        "đến cán bộ, đảng viên.",
        [("Kết luận", "mentions")],  # narrated: someone's act
    ),
    (  # a list after a yardstick, items split by ";": the cue carries to every item
        "Các xã xây dựng mô hình học tập theo Quyết định số 677/QĐ-TTg ngày 03/6/2022 của Thủ "
        "tướng Chính phủ; Thông tư số 24/2023/TT-BGDĐT ngày 11/12/2023 của Bộ Giáo dục và Đào "
        "tạo; Thông tư số 25/2023/TT-BGDĐT ngày 27/12/2023.",
        [
            ("Quyết định", "guided_by"),
            ("Thông tư số 24", "guided_by"),
            ("Thông tư số 25", "guided_by"),
        ],
    ),
    (  # a list item that opens with the document's long name keeps the list's cue
        "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19/6/2015; Luật sửa "
        "đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
        "phương số 47/2019/QH14 ngày 22/11/2019;",
        [("Luật Tổ chức chính quyền địa phương số 77", "based_on"), ("Luật", "based_on")],
    ),
    (  # "(theo …)" names the basis of what stands before it
        "- Đánh giá kết quả thực hiện Đề án xây dựng xã hội học tập giai đoạn 2005 - 2010 (theo "
        "Quyết định số 112/2005/QĐ-TTg ngày 18/5/2005) và giai đoạn 2012 - 2020 (theo Quyết "
        "định số 89/QĐ-TTg ngày 09/01/2013).",
        [("Quyết định số 112", "reviews"), ("Quyết định số 89", "reviews")],
    ),
    (  # the other document's verb after its issuer: its relation, not the citing one's
        "Tiếp tục thực hiện Kế hoạch số 96-KH/TU ngày 12/8/2019 của Ban Thường vụ Tỉnh ủy thực "
        "hiện Kết luận số 49-KL/TW của Ban Bí thư.",
        [("Kế hoạch", "continues"), ("Kết luận", "mentions", "implements")],
    ),
    (
        "Qua 15 năm thực hiện Chỉ thị số 11-CT/TW, nhận thức của cấp ủy được nâng lên.",
        [("Chỉ thị", "reviews")],
    ),
    (  # "kết quả" alone is no relation; "kết quả thực hiện" takes stock
        "Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện Quyết định số 89/QĐ-TTg như sau: năm "
        "2018 đã sơ kết; kết quả được tổng hợp tại Báo cáo số 98/BC-UBND ngày 12/6/2018.",
        [("Quyết định", "reviews"), ("Báo cáo", "mentions")],
    ),
    (  # who promulgated a plan is named, not approved by the citing document
        "Gắn phong trào với các mục tiêu của Đề án ban hành kèm theo Quyết định số 677/QĐ-TTg "
        "ngày 03/6/2022. Điều 1. Ban hành kèm theo Quyết định này Kế hoạch số 52/KH-PGDĐT.",
        [("Quyết định", "mentions"), ("Kế hoạch", "approves")],
    ),
    (  # a straight-quoted title ends at its closing quote
        "Thực hiện Công văn số 3425/BGDĐT-GDTX ngày 14/8/2020 của Bộ Giáo dục và Đào tạo về "
        'việc tổng kết Đề án "Xây dựng xã hội học tập giai đoạn 2012 - 2020", Ủy ban nhân dân '
        "tỉnh báo cáo kết quả thực hiện Quyết định số 89/QĐ-TTg như sau:",
        [("Công văn", "implements"), ("Quyết định", "reviews")],
    ),
    (  # "quán triệt" narrates dissemination; a yardstick "đối chiếu với tiêu chí tại"
        "Các chi bộ tổ chức quán triệt Kết luận 49-KL/TW đến đảng viên. Đối chiếu với tiêu chí "
        "tại Thông tư số 44/2014/TT-BGDĐT, xã tự đánh giá đạt.",
        [("Kết luận", "mentions"), ("Thông tư", "guided_by")],
    ),
    (  # OCR'd as the scans are: "Căn cứ" → "Can ctr", "thực hiện" → "thuc hién"
        "Can ctr Luat T6 chtrc chinh quyén dia phuong s6 77/2015/QH13 ngay 19/6/2015;\n"
        "Thuc hién Ké hoach s6 45-KH/TU ngay 05/3/2020 cua Ban Thuong vu Tinh uy.",
        [("Luat", "based_on"), ("Ké hoach", "implements")],
    ),
    (  # a decision by which someone acted is no yardstick; rules followed in an act are
        "Ban Chỉ đạo xã được kiện toàn theo Quyết định số 07/QĐ-UBND ngày 08/01/2025; năm 2023 "
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 12 tập thể, 26 cá nhân theo Quyết định số "
        "3417/QĐ-UBND. Khen thưởng học sinh giỏi theo Quy chế số 02/QC-HKH của Hội.",
        [
            ("Quyết định số 07", "mentions"),
            ("Quyết định số 3417", "mentions"),
            ("Quy chế", "guided_by"),
        ],
    ),
    (  # an opening "Triển khai …" keeps the mention after a bare "theo"
        "2. Triển khai mô hình “Công dân học tập” theo Quyết định số 387/QĐ-TTg ngày 25/3/2022.",
        [("Quyết định", "implements")],
    ),
    (  # a verb after "và" is the citing document's again, not the previous title's
        "Kế hoạch này thay thế Kế hoạch số 23/KH-UBND ngày 06/3/2024 của Ủy ban nhân dân xã và "
        "bãi bỏ Quyết định số 41/QĐ-UBND ngày 11/4/2024 về ban hành Quy chế phối hợp.",
        [("Kế hoạch", "replaces"), ("Quyết định", "replaces")],
    ),
    (  # a capitalised "Thực hiện" opening a line ends the title before it (OCR'd, no blank line)
        "BAO CAO\ntong két 15 nam thuc hién Chi thi sé 11-CT/TW ngay 13/4/2007\ncua B6 Chinh tri"
        " vé cong tac khuyén hoc,\nxay dung xa hdi hoc tap\nThuc hién Cong van so 412-CV/TU ngay "
        "17/01/2022 cia Ban Thuong vu Tinh ty, Ban Thuong vy Huyén uy bao cao nhu sau:",
        [("Chi thi", "reviews"), ("Cong van", "implements")],
    ),
    (  # a verb right after a plan's number is that plan's title: it implements the decision
        "Ủy ban nhân dân huyện đã ban hành Kế hoạch số 85/KH-UBND triển khai Quyết định số "
        "387/QĐ-TTg trên địa bàn.",
        [("Kế hoạch", "mentions"), ("Quyết định", "mentions", "implements")],
    ),
    (  # another body's issuance narrated: the plan it issued carries out the list
        "Thực hiện Kết luận số 49-KL/TW và Kế hoạch số 61-KH/TU, Ban Thường vụ Tỉnh ủy đã ban "
        "hành Kế hoạch số 168-KH/TU. Thực hiện Kế hoạch số 45-KH/TU ngày 05/3/2020 của Ban "
        "Thường vụ Tỉnh ủy, Ủy ban nhân dân huyện báo cáo như sau:",
        [
            ("Kết luận", "mentions", "implements"),
            ("Kế hoạch số 61", "mentions", "implements"),
            ("Kế hoạch số 168", "mentions"),
            ("Kế hoạch số 45", "implements"),
        ],
    ),
    (  # a task the document sets opens with "Chỉ đạo …"; one narrated has its subject
        "2. Chỉ đạo Ủy ban nhân dân huyện triển khai có hiệu quả Quyết định số 677/QĐ-TTg.\n"
        "Ban Thường vụ Huyện ủy đã chỉ đạo triển khai Kết luận số 49-KL/TW đến các chi bộ.",
        [("Quyết định", "implements"), ("Kết luận", "mentions")],
    ),
    (  # "chủ trì sơ kết" (OCR'd "chi tri so két") narrates an act
        "Nam 2020, Ban Tuyén giao Huyén uy chi tri so két 1 nam thuc hién Ké hoach sé 128-KH/HU.",
        [("Ké hoach", "mentions")],
    ),
    (  # a cue before a list a colon introduces applies to every item
        "2. Đẩy mạnh thực hiện có hiệu quả: Quyết định số 1373/QĐ-TTg ngày 30/7/2021 của Thủ "
        "tướng Chính phủ; Quyết định số 387/QĐ-TTg ngày 25/3/2022; Kế hoạch số 704/KH-UBND.",
        [
            ("Quyết định số 1373", "implements"),
            ("Quyết định số 387", "implements"),
            ("Kế hoạch", "implements"),
        ],
    ),
    (  # "gắn với" joins another document to the task
        "1. Tiếp tục thực hiện Kết luận số 49-KL/TW của Ban Bí thư; gắn với Chỉ thị số "
        "14/CT-TTg của Thủ tướng Chính phủ.",
        [("Kết luận", "continues"), ("Chỉ thị", "continues")],
    ),
    (  # results against a plan's targets; "và N năm thực hiện" takes stock too
        "Sau 8 năm thực hiện Đề án 89 và 6 năm thực hiện Đề án 281, các mục tiêu chủ yếu của "
        "Kế hoạch số 68/KH-UBND đều đạt; tổng số hội viên vượt chỉ tiêu Kế hoạch số 98-KH/HU.",
        [
            ("Đề án 89", "reviews"),
            ("Đề án 281", "reviews"),
            ("Kế hoạch số 68", "reviews"),
            ("Kế hoạch số 98", "reviews"),
        ],
    ),
    (  # rules followed, named by what promulgates them
        "Ban Chỉ đạo hoạt động theo Quy chế ban hành kèm theo Quyết định số 1877/QĐ-UBND.",
        [("Quyết định", "guided_by")],
    ),
    (  # a proposal to replace is no replacing; a supervision under a decision is an act
        "Đề nghị Ban Thường vụ Tỉnh ủy ban hành chỉ thị mới thay thế Kế hoạch số 82-KH/TU. "
        "Ủy ban Kiểm tra giám sát chuyên đề tại 8 đảng bộ xã theo Quyết định số 112-QĐ/UBKTHU.",
        [("Kế hoạch", "mentions"), ("Quyết định", "mentions")],
    ),
    (  # "Trên cơ sở A, … ban hành C": C rests on A; "Trên cơ sở đó, … ban hành D" names D
        "Trên cơ sở Kế hoạch số 45/KH-UBND ngày 10/6/2013 của UBND tỉnh thực hiện Đề án 89, "
        "UBND huyện ban hành Kế hoạch số 68/KH-UBND. Trên cơ sở đó, Ban Thường vụ Huyện ủy "
        "ban hành Kế hoạch số 35-KH/HU.",
        [
            ("Kế hoạch số 45", "mentions", "based_on"),
            ("Đề án", "mentions", "implements"),
            ("Kế hoạch số 68", "mentions"),
            ("Kế hoạch số 35", "mentions"),
        ],
    ),
    (  # "Quán triệt A, … ban hành B": B carries A out; narrated spreading is a mention
        "Quán triệt Chỉ thị số 11-CT/TW ngày 13/4/2007 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy "
        "đã ban hành Chỉ thị số 24-CT/TU. Các chi bộ tổ chức quán triệt Kết luận số 49-KL/TW.",
        [
            ("Chỉ thị số 11", "mentions", "implements"),
            ("Chỉ thị số 24", "mentions"),
            ("Kết luận", "mentions"),
        ],
    ),
    # In a report, "Thực hiện X, …" opening a sentence: results of carrying X out review
    # it, a body's act only names it, the report's own verb or a task it sets carries it out.
    (
        "BÁO CÁO\nKết quả công tác khuyến học năm 2023\n\n"
        "Thực hiện Công văn số 85/SGDĐT-GDTX ngày 02/11/2023 của Sở Giáo dục và Đào tạo, Phòng "
        "Giáo dục và Đào tạo huyện báo cáo như sau:\n\n"
        "Thực hiện Quyết định số 489/QĐ-UBND ngày 05/5/2021 của UBND tỉnh, đến nay toàn huyện có "
        "21.400 hộ đạt danh hiệu Gia đình học tập.\n\n"
        "Triển khai Kế hoạch số 17/KH-UBND ngày 10/3/2022, Hội Khuyến học huyện đã chỉ đạo các chi "
        "hội đăng ký thi đua; năm 2023 có 4.120 người được công nhận.\n\n"
        "II. NHIỆM VỤ NĂM 2024\n\n"
        "1. Triển khai có hiệu quả Thông tư số 24/2023/TT-BGDĐT; phấn đấu có 80% hộ đạt danh hiệu.",
        [
            ("Công văn", "implements"),
            ("Quyết định", "reviews"),
            ("Kế hoạch", "mentions"),
            ("Thông tư", "implements"),
        ],
    ),
    (  # a target to come is no result
        "BÁO CÁO\n\nTriển khai Quyết định số 677/QĐ-TTg ngày 03/6/2022, phấn đấu đến năm 2025 có "
        "70% dòng họ đạt danh hiệu học tập.",
        [("Quyết định", "implements")],
    ),
    (  # the years of carrying a document out, "triển khai" alone included
        "Sau 4 năm triển khai Quyết định số 387/QĐ-TTg, nhận thức của người dân được nâng lên.",
        [("Quyết định", "reviews")],
    ),
    (  # a report tells of another's approval or replacement: it approves, replaces nothing
        "BÁO CÁO\n\nNgay sau khi Thủ tướng Chính phủ phê duyệt Đề án 281/QĐ-TTg, huyện xây dựng "
        "kế hoạch. Ban Chỉ đạo được kiện toàn tại Quyết định số 310/QĐ-UBND, thay thế Quyết "
        "định số 85/QĐ-UBND.",
        [
            ("Đề án", "mentions"),
            ("Quyết định số 310", "mentions"),
            ("Quyết định số 85", "mentions"),
        ],
    ),
    (  # "và các" still lists; "theo tiêu chuẩn tại" is a yardstick
        "Triển khai có hiệu quả Quyết định số 1373/QĐ-TTg và các Thông tư số 24/2023/TT-BGDĐT. "
        "Tỷ lệ biết chữ được tính theo tiêu chuẩn tại Nghị định số 20/2014/NĐ-CP.",
        [("Quyết định", "implements"), ("Thông tư", "implements"), ("Nghị định", "guided_by")],
    ),
    (  # a quoted name is one phrase: the cue before it reaches the next item of the list
        "BÁO CÁO\nTổng kết 5 năm thực hiện Chương trình “Đẩy mạnh phong trào học tập suốt đời "
        "trong gia đình, dòng họ, cộng đồng giai đoạn 2020 - 2025” và Quyết định số "
        "1245/QĐ-UBND của Ủy ban nhân dân tỉnh",
        [("Quyết định", "reviews")],
    ),
    (  # the targets a plan makes concrete are governed by its opening verb
        "KẾ HOẠCH\n1. Cụ thể hóa các mục tiêu của Quyết định số 1373/QĐ-TTg và Kết luận số "
        "49-KL/TW phù hợp với điều kiện của tỉnh.",
        [("Quyết định", "implements"), ("Kết luận", "implements")],
    ),
    (  # a title ends where the sentence's own subject and verb begin after a comma
        "Căn cứ Kế hoạch số 56/KH-UBND ngày 02/3/2022 của UBND huyện về xây dựng xã hội học tập "
        "giai đoạn 2021 - 2030, Ủy ban nhân dân huyện báo cáo kết quả 2 năm thực hiện Quyết định "
        "số 1373/QĐ-TTg như sau:",
        [("Kế hoạch", "based_on"), ("Quyết định", "reviews")],
    ),
    (  # a title's verb up to six words after its issuer: "ban hành Kế hoạch thực hiện …"
        "- Tiếp tục thực hiện Quyết định số 489/QĐ-TTg ngày 08/4/2020 của Thủ tướng Chính phủ "
        "ban hành Kế hoạch thực hiện Kết luận số 49-KL/TW.",
        [("Quyết định", "continues"), ("Kết luận", "mentions", "implements")],
    ),
    (  # "được phê duyệt tại": another's approval of a third thing
        "Gắn việc học tập của người lao động với Chương trình chuyển đổi số được phê duyệt tại "
        "Quyết định số 749/QĐ-TTg.",
        [("Quyết định", "mentions")],
    ),
    (  # a scan's page number between blank lines ends no clause
        "Quy khuyén hoc duoc quan ly theo quy dinh tai Thong tu sé\n\n3\n\n41/2012/TT-BTC.",
        [("41/2012", "guided_by")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=lambda x: str(x)[:40])
def test_relations_from_the_governing_clause(text: str, expected: list[tuple]) -> None:
    refs = find_references(text)
    assert len(refs) == len(expected), [r.surface for r in refs]
    for r, (lead, citing, *subject) in zip(refs, expected, strict=True):
        assert r.surface.startswith(lead), r.surface
        assert cited_relation(r) == citing, (r.surface, r.relation, r.subject)
        if subject:
            assert r.relation == subject[0] and r.subject is not None


def test_cue_span_is_the_deciding_words() -> None:
    text = "Việc hỗ trợ kinh phí thực hiện theo quy định tại Thông tư số 96/2008/TT-BTC."
    (r,) = find_references(text)
    assert r.relation == "guided_by"
    assert r.cue_start is not None and r.cue_end is not None
    assert text[r.cue_start : r.cue_end] == "theo quy định tại"


def test_one_relation_per_pair_by_precedence() -> None:
    assert PRECEDENCE[0] == "replaces" and PRECEDENCE[-1] == "mentions"
    assert pair_relation(["mentions", "implements", "reviews"]) == "reviews"
    assert pair_relation(["guided_by", "mentions"]) == "guided_by"
    assert pair_relation([]) == "mentions"
