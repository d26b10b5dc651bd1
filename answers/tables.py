"""Rows of a table read with the headers of their columns.

A report's table ("Năm | Số chuyên đề | Số lớp | Người tham gia" over "2017-2018 | 190 |
170 | 10940") is extracted as tab-separated lines. A row alone names nothing it counts; read
with its table's header lines, the row says what each number is, so a question's words can
cover it ("bao nhiêu lượt người học" against "Người tham gia") and the figure asked is the
cell under the column that names it.

The header is read from the lines of the same table above the row: the tabbed lines at
the top of the table (blank lines may separate them), up to its first data row or its first
numbered row ("I  Xóa mù chữ", "1  Số người …"). A header cell left empty, or missing at the end
of a shorter header line, is the merged cell before it ("2016 | | 2017 | ": the empty cell is
2016's second column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A cell that is a number, a share or a ratio ("8.247", "66,7", "1/21", "99,5%").
_NUMBER = re.compile(r"\(?[\d][\d.,/]*\s*%?\)?")
# A year or a school year: header material, not data ("2016", "2016-2017").
_YEAR = re.compile(r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?")
# The first cell of a numbered row: "I", "II", "1", "a", "1.2".
_ROW_NUMBER = re.compile(r"(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]?", re.IGNORECASE)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _is_data(cells: list[str]) -> bool:
    """A row that holds a number other than a year, outside its first cell."""
    return any(_NUMBER.fullmatch(c) and not _YEAR.fullmatch(c) for c in cells[1:] if c)


@dataclass(frozen=True)
class Row:
    """A table row of a text: its cells' offsets and the header label of each cell."""

    start: int  # of the row's line in the text
    cells: list[tuple[int, int]]  # offsets in the text, one per tab-separated cell
    labels: list[str]  # the header words above each cell ("" when none)

    @property
    def header(self) -> str:
        """The header's words, once each, in order, without the years that head columns
        ("2016 | | 2017"): the row holds one figure for each year, none for all of them."""
        seen: list[str] = []
        for label in self.labels:
            for part in label.split():
                if part and not _YEAR.fullmatch(part) and part not in seen:
                    seen.append(part)
        return " ".join(seen)

    def label_at(self, offset: int) -> str:
        """The header label of the cell holding ``offset`` of the text ("" when none)."""
        for (a, b), label in zip(self.cells, self.labels, strict=True):
            if a <= offset < b or (a == b == offset):
                return label
        return ""

    def labelled(self, text: str) -> str:
        """The row as a sentence: each cell after its column's label ("Năm 2017-2018;
        Số chuyên đề 190; Số lớp 170; Người tham gia 10940")."""
        parts = []
        for (a, b), label in zip(self.cells, self.labels, strict=True):
            cell = text[a:b].strip()
            if cell:
                parts.append(f"{label} {cell}".strip())
        return "; ".join(parts)


def table_row(text: str, start: int, end: int) -> Row | None:
    """Returns the table row that ``text[start:end]`` is, with its header labels, or
    ``None`` when the span is no data row of a table with a header in ``text``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if end > line_end + 1 or "\t" not in text[line_start:line_end]:
        return None
    line = text[line_start:line_end]
    cells = _cells(line)
    if len([c for c in cells if c]) < 2 or not _is_data(cells):
        return None
    # the lines of the table above the row, nearest first
    above: list[str] = []
    pos = line_start
    while pos > 0:
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        prev = text[prev_start : pos - 1]
        pos = prev_start
        if not prev.strip():
            continue
        if "\t" not in prev:
            break
        above.append(prev)
    header_lines: list[list[str]] = []
    for prev in reversed(above):  # from the top of the table
        pc = _cells(prev)
        if _is_data(pc) or (pc and _ROW_NUMBER.fullmatch(pc[0])):
            break
        header_lines.append(pc)
    if not header_lines:
        return None
    labels = []
    for i in range(len(cells)):
        words = []
        for hl in header_lines:
            j = min(i, len(hl) - 1)
            while j > 0 and not hl[j]:  # an empty header cell: the merged one before it
                j -= 1
            if hl[j] and hl[j] not in words:
                words.append(hl[j])
        labels.append(" ".join(words))
    offsets = []
    at = line_start
    for raw in line.split("\t"):
        lead = len(raw) - len(raw.lstrip())
        offsets.append((at + lead, at + len(raw.rstrip())))
        at += len(raw) + 1
    return Row(line_start, offsets, labels)
