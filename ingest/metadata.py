"""Document metadata: read from the header, overridden by ``manifest.toml`` beside the files."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import fields, replace
from difflib import SequenceMatcher
from pathlib import Path

from ingest import regexes as rx
from ingest.errors import IngestError
from ingest.models import DocMeta
from ingest.references import id_parts, parse_id, type_of
from vntext import codes, gazetteer
from vntext.dates import iso_date
from vntext.garbled import is_garbled
from vntext.normalize import MappedText, fold, nfc
from vntext.restore import readable, within_one_edit
from vntext.symbols import REF_TYPE_WORDS

HEADER_PARAGRAPHS = 12
MANIFEST_NAME = "manifest.toml"


def _lines(head: list[MappedText]) -> list[str]:
    return [line for para in head for line in para.text.split("\n") if line.strip()]


def _columns(line: str) -> list[str]:
    """Splits a header line into its columns: a TAB or a run of three spaces or more."""
    return [c.strip() for c in _COLUMN_GAP.split(line) if c.strip()]


_COLUMN_GAP = re.compile(r"\t+|\s{3,}")
# Where a number is expected, OCR reads "1" as "l", "I", "A" and "0" as "O" (issue 14).
_DIGIT_CONFUSIONS = str.maketrans({"l": "1", "I": "1", "A": "1", "O": "0", "o": "0"})
_NUMBER_TOKEN = re.compile(r"(?<![\w])[\dlIAOo]{1,5}(?=[\d.]*\s*[-/])")


def _repair_digits(text: str) -> str:
    """Reads OCR'd digits of the leading number as digits: "A32.-BC/HU" → "132-BC/HU"."""
    m = _NUMBER_TOKEN.match(text)
    if not m or not any(c.isdigit() for c in m.group()):
        return text
    fixed = m.group().translate(_DIGIT_CONFUSIONS)
    rest = re.sub(r"^\.+(?=\s*-)", "", text[m.end() :])  # "A32.-BC" → "132-BC"
    return fixed + rest


_INLINE_MARK = re.compile(r"(?<=\s)s[o6e]\s*[:;.]?\s*(?=[0-9lia]{0,2}\d{0,4}\s*[/-]\s*[a-z])")
_CITED_TYPES = "|".join(p for _, p in REF_TYPE_WORDS[:-2])  # not "Luật …" nor "QĐ"
_CITED_BEFORE = re.compile(rf"(?:{_CITED_TYPES})\s*$")


def _header_number(line: str) -> str | None:
    """Reads the document's own number from a "Số: …" line, with or without a colon."""
    f = fold(line)
    m = rx.NUMBER_MARK.search(f)
    if not m:
        # OCR may run the columns into one line ("… Hanh phic S6 24/BC-HKH Ca Mau, ngay …"):
        # a "Số" before a number with its code, unless it is a cited document's "số".
        m = next(
            (x for x in _INLINE_MARK.finditer(f) if not _CITED_BEFORE.search(f, 0, x.start())),
            None,
        )
    if not m:
        return None
    rest = _columns(line[m.end() :])
    if not rest:
        return None
    written = _repair_digits(rest[0].split(",")[0].strip())
    found = parse_id(written)
    if found and id_parts(found) is not None:
        return found
    if any(c.isdigit() for c in written):
        return _number(written)
    return None


def _date(f: str) -> tuple[str | None, re.Match[str] | None]:
    m = rx.DATE_WORDS.search(f)
    if not m:
        return None, None
    day, month, year = (g.translate(_DIGIT_CONFUSIONS_FOLDED) for g in m.groups())
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return None, None
    return iso_date(int(day), int(month), int(year)), m


_DIGIT_CONFUSIONS_FOLDED = str.maketrans({"l": "1", "i": "1", "a": "1", "o": "0"})


def from_header(paras: list[MappedText], timestamp: tuple[int, int, int] | None) -> DocMeta:
    """Reads số hiệu, loại, cơ quan ban hành, địa danh, tỉnh, ngày and trích yếu from the header.

    Headers come in one or two columns (TAB- or space-separated, or run together by OCR):
    issuer | quốc hiệu, then "Số: …" | "Place, ngày … tháng … năm …". The province and the
    district come from the issuer lines, the place-date line and the recipients, named
    against the gazetteer (:mod:`vntext.gazetteer`), never from this corpus.
    """
    number = doc_type = place = date = title = None
    head = paras[:HEADER_PARAGRAPHS]
    lines = _lines(head)
    for line in lines:
        if number is None:
            number = _header_number(line)
        if date is None and len(line) <= 160:
            f = fold(line)
            found, m = _date(f)
            if found and m:
                date = found
                place = _place_before(line[: m.start()])
    for i, para in enumerate(head):
        f = " ".join(fold(para.text).split())
        if doc_type is None and f.strip() in rx.DOC_TYPES:
            doc_type = rx.DOC_TYPES[f.strip()]
            if i + 1 < len(head) and len(head[i + 1].text) <= 400:
                title = " ".join(head[i + 1].text.split())
        elif doc_type is None and _one_line_title(para.text):
            doc_type, title = _one_line_title(para.text)  # type: ignore[misc]
    if doc_type is None:
        subject = _subject_line(lines)  # a Công văn: "V/v …" under its number
        if subject:
            doc_type, title = "Công văn", subject
    if doc_type is None and number is not None:
        doc_type = _type_of_number(number)
    if timestamp and date is None:
        date = iso_date(*timestamp)
    if timestamp and doc_type is None:
        doc_type = "Tin bài"  # a dated page saved from a portal: a news article
        lead = paras[0].text.split(":", 1)[0] if paras and ":" in paras[0].text[:40] else ""
        if place is None and _name_run(lead) == lead.strip():
            place = lead.strip() or None  # the dateline: "Đam Rông: Kết quả …"
    if title is None and paras:
        first = " ".join(paras[0].text.split())
        if len(first) <= 400:
            title = first
    header_issuer = _issuer_in_header(head)
    issuer = header_issuer or _issuer_in_body(paras)
    garbled = is_garbled("\n".join(p.text for p in head))
    if garbled:  # an OCR'd header: read its capitals and title as restored text
        issuer = readable(issuer, True) if issuer else None
        title = readable(title, True) if title else None
    province, district = _locality(head, issuer, place, paras)
    place = _closest_name(place, (district, province))
    if issuer:
        issuer = proper_issuer(issuer, header_issuer is not None)
    return DocMeta(number, doc_type, issuer, place, date, title, province)


def _closest_name(place: str | None, names: tuple[str | None, ...]) -> str | None:
    """Returns the unit name an OCR-garbled place stands for ("Dk Trong" → "Đức Trọng")."""
    if not place:
        return None
    if gazetteer.lookup(place):
        return place
    for name in names:
        if name and SequenceMatcher(None, fold(place), fold(name)).ratio() >= 0.7:
            return name
    return place


# Words of bodies' names as they are properly written, by folded spelling (longest first
# when matching). Header capitals ("UBND HUYỆN HÒA AN", OCR'd "HOI KHUYEN HOC TINH SON LA")
# come out as "Ủy ban nhân dân huyện Hòa An", "Hội Khuyến học tỉnh Sơn La".
BODY_WORDS: dict[str, str] = {
    "uy ban nhan dan": "Ủy ban nhân dân",
    "ubnd": "Ủy ban nhân dân",
    "hoi dong nhan dan": "Hội đồng nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "hoi khuyen hoc": "Hội Khuyến học",
    "huyen uy": "Huyện ủy",
    "tinh uy": "Tỉnh ủy",
    "thanh uy": "Thành ủy",
    "thi uy": "Thị ủy",
    "quan uy": "Quận ủy",
    "dang uy": "Đảng ủy",
    "dang bo": "Đảng bộ",
    "ban thuong vu": "Ban Thường vụ",
    "ban chap hanh": "Ban Chấp hành",
    "ban chi dao": "Ban Chỉ đạo",
    "ban tuyen giao": "Ban Tuyên giáo",
    "uy ban kiem tra": "Ủy ban Kiểm tra",
    "so giao duc va dao tao": "Sở Giáo dục và Đào tạo",
    "so gd&dt": "Sở Giáo dục và Đào tạo",
    "so gddt": "Sở Giáo dục và Đào tạo",
    "phong giao duc va dao tao": "Phòng Giáo dục và Đào tạo",
    "phong gd&dt": "Phòng Giáo dục và Đào tạo",
    "phong gddt": "Phòng Giáo dục và Đào tạo",
    "so lao dong - thuong binh va xa hoi": "Sở Lao động - Thương binh và Xã hội",
    "so noi vu": "Sở Nội vụ",
    "trung tam hoc tap cong dong": "Trung tâm học tập cộng đồng",
    "mat tran to quoc": "Mặt trận Tổ quốc",
    "trung uong": "Trung ương",
    "viet nam": "Việt Nam",
    "tinh": "tỉnh",
    "huyen": "huyện",
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "quan": "quận",
    "phuong": "phường",
    "xa": "xã",
}
_BODY_KEYS = sorted(BODY_WORDS, key=lambda k: -len(k.split()))


def proper_issuer(issuer: str, capitals: bool = True) -> str:
    """Writes an issuer's name as a sentence names it: body words and place names proper.

    Args:
        issuer: the name as the header gives it ("UBND HUYỆN HOẰNG HÓA", "HUYEN UY PUC TRONG").
        capitals: whether it came from the header's capitals (a name from the body text is
            already written properly and is returned as it is).
    """
    if not capitals and any(c.islower() for c in issuer):
        return issuer
    words = issuer.split()
    folded = [fold(w) for w in words]
    places = {f.start: f for f in gazetteer.find(" ".join(words))}
    offsets = []
    pos = 0
    for w in words:
        offsets.append(pos)
        pos += len(w) + 1
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = None
        for key in _BODY_KEYS:
            kw = key.split()
            n = len(kw)
            got = folded[i : i + n]
            if got == kw or (
                n >= 2  # OCR noise in one word of a known name: "HOI KHUYEN HOQC"
                and len(got) == n
                and sum(a != b for a, b in zip(got, kw, strict=True)) == 1
                and all(
                    a == b or (len(b) >= 3 and within_one_edit(a, b))
                    for a, b in zip(got, kw, strict=True)
                )
            ):
                hit = (BODY_WORDS[key], n)
                break
        if hit is None and offsets[i] in places:
            found = places[offsets[i]]
            n = len(found.unit.name.split())
            hit = (found.unit.name, n)
        if hit is None:
            w = words[i]
            hit = (w if not w.isupper() or len(w) <= 2 else w[:1] + w[1:].lower(), 1)
        out.append(hit[0])
        i += hit[1]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _place_before(before: str) -> str | None:
    """Returns the place of a place-date line from the words before "ngày"."""
    cols = _columns(before.rstrip(" ,"))
    tail = (cols[-1] if cols else before).rstrip(" ,")
    tail = tail.split(",")[0].strip()
    # OCR runs the columns together ("S6: 64/BC-HKH Son La"): the place is the name at the end.
    province, district = gazetteer.locate(tail)
    for name in (district, province):
        if name and fold(tail).endswith(fold(name)):
            return name
    named = _name_run(tail)
    if named:
        return named
    return tail if 0 < len(tail.strip()) <= 40 else None


def _one_line_title(text: str) -> tuple[str, str] | None:
    """Reads "BÁO CÁO KẾT QUẢ …" (a title on the type's line) as type and title."""
    line = " ".join(text.split())
    if len(line) > 300 or any(c.islower() for c in line):
        return None
    f = fold(line)
    for key, name in rx.DOC_TYPES.items():
        if f.startswith(key + " ") and len(f) > len(key) + 8:
            rest = line[len(key) :].strip(" :-")
            return name, rest[:1] + rest[1:].lower()
    return None


def _subject_line(lines: list[str]) -> str | None:
    """Reads a Công văn's subject: "V/v …" and the left-column lines that continue it."""
    for i, line in enumerate(lines[:12]):
        for col in _columns(line):
            m = rx.SUBJECT_LINE.match(fold(col))
            if not m:
                continue
            words = [col[m.end() :]]
            for nxt in lines[i + 1 : i + 4]:
                cols = _columns(nxt)
                first = cols[0] if cols else ""
                if not first or first.rstrip().endswith(":") or first[:1].isupper():
                    break
                words.append(first)
            subject = " ".join(" ".join(words).split())
            return subject[:1].upper() + subject[1:] if subject else None
    return None


def _type_of_number(number: str) -> str | None:
    """Returns the type a document's own number names: "214/KH-UBND" → "Kế hoạch".

    A number whose first code is a body ("1815/UBND-TH", "736/PGDĐT-GDTX") is a Công văn's.
    """
    parts = id_parts(number)
    if parts is None:
        return None
    if parts.code in codes.TYPE_CODES:
        return type_of(number)
    return "Công văn" if codes.is_known(parts.code) else None


def _locality(
    head: list[MappedText], issuer: str | None, place: str | None, paras: list[MappedText]
) -> tuple[str | None, str | None]:
    """Reads the province and the district from the header, else from the whole text.

    The issuer lines and their superior ("ĐẢNG BỘ TỈNH LÂM ĐỒNG / HUYỆN ỦY ĐỨC TRỌNG") come
    first, then the place-date line, then the province most named in the text (recipients
    such as "Sở GD&ĐT Cao Bằng").
    """
    top: list[str] = []
    for para in head:
        if fold(para.text).strip() in rx.DOC_TYPES:
            break
        for line in para.text.split("\n"):
            cut = rx.MOTTO.search(fold(line))
            top.append(line[: cut.start()] if cut else _columns(line)[0] if line.strip() else "")
    province, district = gazetteer.locate(" ; ".join(t for t in top if t.strip()))
    if issuer and province is None:
        province, district = gazetteer.locate(issuer)
    if place:
        p2, d2 = gazetteer.locate(place)
        if province is None:
            province = p2
        if district is None and (p2 == province or p2 is None):
            district = d2
    if province is None:
        text = "\n".join(p.text for p in paras)
        counts = Counter(f.unit.name for f in gazetteer.find(text) if f.unit.level == "province")
        if counts:
            province = counts.most_common(1)[0][0]
    return province, district


def _number(text: str) -> str:
    """Trims a số hiệu to its code: "64/BC-HKH Son La" → "64/BC-HKH"."""
    tokens = text.strip(" .,").split()
    kept = tokens[:1]
    for tok in tokens[1:]:
        if not any(c.isdigit() or c in "/-" for c in tok):
            break
        kept.append(tok)
    return " ".join(kept).strip(" .,")


def _name_run(text: str) -> str:
    """Returns the trailing words written as a name ("Sơn La", not "SƠN LA" or "ngày")."""
    words: list[str] = []
    for w in reversed(text.split()):
        if not w[:1].isupper() or (len(w) > 1 and w.isupper()) or not w.isalpha():
            break
        words.insert(0, w)
    return " ".join(words) if 0 < len(words) <= 5 else ""


def _upper_run(text: str) -> str:
    """Returns the leading words of ``text`` written in capitals."""
    words = []
    for w in text.split():
        if any(c.islower() for c in w):
            break
        words.append(w)
    return " ".join(words).strip(" ,.;:-")


def _issuer_in_header(head: list[MappedText]) -> str | None:
    """Reads the issuing body from the capitals at the top left of an official document.

    A second line that starts a body's name ("UBND TỈNH X" / "SỞ GIÁO DỤC") is the
    issuer under its superior; one that does not ("HỘI KHUYẾN HỌC" / "TỈNH SƠN LA")
    continues the first. The number line, the type line or a one-line title ends the block.
    An issuer that names no place takes its superior's ("UBND TỈNH NGHỆ AN" / "SỞ GIÁO DỤC
    VÀ ĐÀO TẠO" → "SỞ GIÁO DỤC VÀ ĐÀO TẠO tỉnh Nghệ An").
    """
    issuer: str | None = None
    superior: str | None = None
    for para in head:
        f = fold(para.text)
        if f.strip() in rx.DOC_TYPES or _one_line_title(para.text):
            break
        done = False
        for line in para.text.split("\n"):
            if rx.NUMBER_MARK.match(fold(line)):
                done = True
                break
            cut = rx.MOTTO.search(fold(line))
            name = _upper_run(line[: cut.start()] if cut else _columns(line)[0] if line else "")
            letters = [c for c in name if c.isalpha()]
            if len(letters) < 3:
                continue
            if rx.ISSUER_START.match(fold(name)):
                superior, issuer = issuer, name
            elif issuer is not None and len(issuer) + len(name) < 120:
                issuer = f"{issuer} {name}"
        if done:
            break
    if issuer is None:
        return None
    issuer = " ".join(issuer.split())
    if superior and gazetteer.locate(issuer) == (None, None):
        province, district = gazetteer.locate(superior)
        if district:
            unit = gazetteer.lookup(district, "district")
            kind = unit[0].kind.lower() if unit else "huyện"
            issuer = f"{issuer} {kind} {district}"
        elif province:
            issuer = f"{issuer} tỉnh {province}"
    return issuer


def _issuer_in_body(paras: list[MappedText]) -> str | None:
    """Finds a body named as the subject of "báo cáo", "xây dựng kế hoạch" … early in the text."""
    text = "\n".join(p.text for p in paras[:HEADER_PARAGRAPHS])[:4000]
    for m in rx.ISSUER_IN_BODY.finditer(fold(text)):
        name = text[m.start(1) : m.end(1)]
        # After the body's kind, only place words and capitalised names: "Ủy ban nhân
        # dân huyện Hòa An", not "Huyện ủy đã chỉ đạo UBND huyện".
        extra = name.split()[_kind_words(fold(name)) :]
        if extra and fold(extra[-1]) in _PLACE_WORDS and fold(extra[-1]) != "uy":
            continue  # "Hội khuyến học huyện" names no one
        if all(w[:1].isupper() or fold(w) in _PLACE_WORDS for w in extra):
            return name[:1].upper() + name[1:]
    return None


_PLACE_WORDS = {"huyen", "tinh", "xa", "thanh", "pho", "thi", "tran", "quan", "phuong", "uy"}


def _kind_words(folded: str) -> int:
    """Returns how many words the body's kind takes ("uy ban nhan dan" = 4)."""
    m = rx.ISSUER_IN_BODY_KIND.match(folded)
    return len(m.group().split()) if m else 1


def load_manifest(directory: Path) -> dict[str, dict]:
    """Reads ``manifest.toml`` in ``directory``: one table per file name."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"{path}: not valid TOML ({exc})") from exc
    return {nfc(k): v for k, v in data.items() if isinstance(v, dict)}


def merge(auto: DocMeta, override: dict | None) -> DocMeta:
    """Returns ``auto`` with the manifest's values put over it."""
    if not override:
        return auto
    known = {f.name for f in fields(DocMeta)}
    values = {k: nfc(str(v)) for k, v in override.items() if k in known and v not in (None, "")}
    return replace(auto, **values)
