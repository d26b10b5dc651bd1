"""The requirements table, deadlines view and exports without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from answers.requirements import Requirements
from index.errors import BadQuery
from index.search import SearchIndex
from tests.conftest import ROOT
from ui.requirements_tab import (
    deadlines_html,
    export_files,
    parse_date,
    requirements_table,
    select,
)


@pytest.fixture(scope="module")
def found(corpus_index: SearchIndex) -> list:  # type: ignore[type-arg]
    return Requirements(corpus_index, ROOT).all()


def test_dates_are_read_as_typed_and_bad_ones_refused() -> None:
    assert parse_date("31/3/2017") == parse_date("2017-03-31") == "2017-03-31"
    assert parse_date("  ") is None
    for bad in ("31/13/2017", "mai", "2017/31/03"):
        with pytest.raises(BadQuery):
            parse_date(bad)


def test_sorting_and_ranges_use_the_deadline(found: list) -> None:  # type: ignore[type-arg]
    dated = [r.deadline for r in found if r.deadline]
    assert len(dated) >= 3
    by_date = select(found, None, None, "deadline")
    assert [r.deadline for r in by_date[: len(dated)]] == sorted(dated)
    assert all(r.deadline is None for r in by_date[len(dated) :])
    latest = select(found, None, None, "deadline_desc")
    assert latest[0].deadline == max(dated)
    lo, hi = sorted(dated)[0], sorted(dated)[len(dated) // 2]
    kept = select(found, lo, hi, "doc")
    assert kept and all(r.deadline and lo <= r.deadline <= hi for r in kept)


def test_table_and_deadlines_link_every_row_to_its_span(found: list) -> None:  # type: ignore[type-arg]
    html = requirements_table(found)
    assert html.count("<tr>") == len(found) + 1
    assert html.count('class="tracuu-open"') == len(found)
    assert 'data-label="Thời hạn"' in html  # the phone's card labels
    timed = [r for r in found if r.deadline or r.deadline_text]
    assert deadlines_html(found).count('class="tracuu-open"') == len(timed)


def test_exports_are_csv_and_an_excel_workbook(found: list) -> None:  # type: ignore[type-arg]
    from openpyxl import load_workbook

    csv_path, xlsx_path = map(Path, export_files(found))
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    sheet = load_workbook(xlsx_path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Chủ thể" and len(rows) == len(found) + 1
    assert {r[1] for r in rows[1:]} == {r.action for r in found}
