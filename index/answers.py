"""Extractive, cited question answering: the sentence or two of the corpus that answer.

The question retrieves passages with hybrid search; every sentence of those passages
is scored by how much of the question it covers (words weighted by rarity, on the
diacritic-folded form so questions typed without accents and OCR'd reports match),
with the document title and section as context. When even the best sentence covers
too little of the question, the answer is ``None``: nothing is invented.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.errors import BadQuery
from index.models import Answer, Citation, Hit
from index.search import MAX_QUERY_CHARS, SearchIndex
from index.spans import RawSources, passage_rows, sentence_spans
from ingest.text import fold, has_diacritics, nfc, tokens

MAX_ANSWER_CHARS = 600
MAX_SENTENCE_CHARS = 400
DEFAULT_K = 6
MAX_K = 20
# The corpus does not answer a question when its best sentence, with the document's
# title and section, holds less than this share of the question's (rarity-weighted)
# words, or scores below MIN_SCORE, or holds under MIN_SENTENCE_COVER of its rarer
# words. Set on eval/questions.jsonl (eval/answers_bench.py): answered questions
# score >= 0.55 with support >= 0.59, questions about other things <= 0.35.
MIN_SUPPORT = 0.55
MIN_SCORE = 0.45
MIN_SENTENCE_COVER = 0.3
# Weights of the sentence score: the question's words the document's own title and
# section do not already hold (the "focus"), their pairs, the share the context holds,
# and the words just before a figure or date the question asks for.
W_WORDS = 0.5
W_PAIRS = 0.3
W_CONTEXT = 0.15
W_LOCAL = 0.3

# Question words and function words, with diacritics. A question typed with
# accents is filtered on its accented words, so "cơ quan" keeps "cơ" while "có" goes.
_STOP = {
    "ai", "gì", "nào", "đâu", "mấy", "không", "chưa", "sao", "hãy", "vậy",
    "là", "có", "và", "của", "các", "những", "một", "thì", "mà", "ở", "tại", "cho",
    "với", "về", "từ", "đến", "để", "được", "đã", "sẽ", "đang", "trong", "này", "đó",
    "hay", "hoặc", "bị", "nên", "rằng", "thế", "như", "nhé", "ạ", "vào", "ra", "bằng",
}  # fmt: skip
_STOP_PAIRS = {
    ("bao", "nhiêu"), ("bao", "giờ"), ("thế", "nào"), ("như", "thế"), ("khi", "nào"),
    ("vì", "sao"), ("tại", "sao"), ("là", "gì"), ("làm", "gì"),
}  # fmt: skip
# Folded, "đang" is "đảng" and "đó" is "độ": those stay content words.
_STOP_FOLDED = {fold(w) for w in _STOP} - {"dang", "do", "bang", "ra"}
_STOP_PAIRS_FOLDED = {(fold(a), fold(b)) for a, b in _STOP_PAIRS}
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_DATE = re.compile(
    r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b|ngay\s+\d{1,2}\s+thang\s+\d{1,2}"
    r"|thang\s+\d{1,2}\s*(?:nam|/)\s*\d{4}|\bnam\s+(?:19|20)\d\d\b"
)
_ASKS_QUANTITY = re.compile(
    r"\bbao nhieu\b|\bmay\b(?! tinh)|\bso luong\b|\bty le\b|\bti le\b|\bso \w+ (?:la|dat)\b"
)
_ASKS_DATE = re.compile(
    r"\b(?:ngay|nam|thang|khi|luc) nao\b|\bbao gio\b|\bthoi han\b|\bhan chot\b|\btruoc ngay\b"
    r"|\bthoi gian nao\b"
)

NO_ANSWER = (
    "Không tìm thấy câu trả lời cho câu hỏi này trong các văn bản đã lập chỉ mục, nên "
    "không đưa ra câu trả lời. Các đoạn văn gần nhất được liệt kê kèm theo; hãy hỏi cụ "
    "thể hơn (tên văn bản, địa phương, chỉ tiêu) hoặc dùng chức năng tìm kiếm."
)
NO_RAW = (
    "Không đọc được tệp nguồn (đã bị xóa hoặc đã thay đổi sau khi lập chỉ mục) nên không "
    "trích dẫn được nguyên văn; hãy chạy lại `tracuu ingest`."
)


@dataclass(frozen=True)
class _Term:
    """A content word of the question: folded, as typed (lower-case), and its weight."""

    word: str
    exact: str | None  # None when the question was typed without diacritics
    weight: float


@dataclass(frozen=True)
class _Question:
    terms: list[_Term]
    bigrams: list[tuple[str, str, float]]
    quantity: bool
    date: bool

    @property
    def mass(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0


@dataclass(frozen=True)
class _Scored:
    score: float
    support: float
    cover: float
    hit: Hit
    start: int
    end: int


def _idf(index: SearchIndex) -> tuple[int, Counter[str]]:
    """Returns the passage count and the document frequency of folded words (per generation)."""

    def count() -> tuple[int, Counter[str]]:
        df: Counter[str] = Counter()
        rows = passage_rows(index.store)
        for r in rows:
            df.update(set(tokens(r.section + " " + r.text)))
        return len(rows), df

    return index.store.cached("answers:idf", count)


def _weight(word: str, n: int, df: Counter[str]) -> float:
    # BM25's idf (Robertson & Spärck Jones), floored so frequent words still count a little.
    d = df.get(word, 0)
    return max(0.05, math.log(1 + (n - d + 0.5) / (d + 0.5)))


def analyse_question(question: str, n: int, df: Counter[str]) -> _Question:
    """Returns the question's content words with weights, and what kind of answer it wants."""
    accented = has_diacritics(question)
    raw_words = [w.lower() for w in _WORD.findall(nfc(question))]
    raw_words = _expand(raw_words if accented else [fold(w) for w in raw_words], accented)
    words = [fold(w) for w in raw_words]
    keys = raw_words if accented else words
    stop_pairs = _STOP_PAIRS if accented else _STOP_PAIRS_FOLDED
    stop = _STOP if accented else _STOP_FOLDED
    drop = [False] * len(words)
    for i in range(len(keys) - 1):
        if (keys[i], keys[i + 1]) in stop_pairs:
            drop[i] = drop[i + 1] = True
    for i, k in enumerate(keys):
        if k in stop:
            drop[i] = True
    seen: dict[str, _Term] = {}
    for w, r, d in zip(words, raw_words, drop, strict=True):
        if not d and w not in seen:
            seen[w] = _Term(w, r if accented else None, _weight(w, n, df))
    bigrams = []
    for i in range(len(words) - 1):
        if not drop[i] and not drop[i + 1]:
            a, b = words[i], words[i + 1]
            bigrams.append((a, b, (seen[a].weight + seen[b].weight) / 2))
    folded = " ".join(words)
    return _Question(
        terms=list(seen.values()),
        bigrams=bigrams,
        quantity=bool(_ASKS_QUANTITY.search(folded)),
        date=bool(_ASKS_DATE.search(folded)),
    )


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def accents_reliable(text: str) -> bool:
    """Tells whether ``text`` keeps its diacritics (not an OCR'd scan that lost them).

    Clean Vietnamese carries a diacritic on ~88% of its syllables; the OCR'd reports
    of the corpus on under 30%.
    """
    letters = [w for w in _WORD.findall(text.lower()) if not w.isdigit()]
    if len(letters) < 8:
        return True
    return sum(fold(w) != w for w in letters) / len(letters) >= 0.5


# Abbreviations of the domain, matched in their long form on both sides.
ABBREVIATIONS = {
    "tthtcđ": "trung tâm học tập cộng đồng",
    "tthtcd": "trung tâm học tập cộng đồng",
    "cbql": "cán bộ quản lý",
    "cbccvc": "cán bộ công chức viên chức",
    "xhht": "xã hội học tập",
    "cđht": "cộng đồng học tập",
    "gd": "giáo dục",
    "đt": "đào tạo",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "gdtx": "giáo dục thường xuyên",
    "bch": "ban chấp hành",
    "lhpn": "liên hiệp phụ nữ",
    "khkt": "khuyến học khuyến tài",
    "ct": "chỉ thị",
    "kl": "kết luận",
}
_ABBR_FOLDED = {fold(k): fold(v).split() for k, v in ABBREVIATIONS.items()}
_ABBR_EXACT = {k: v.split() for k, v in ABBREVIATIONS.items()}


def _expand(words: list[str], exact: bool) -> list[str]:
    table = _ABBR_EXACT if exact else _ABBR_FOLDED
    out: list[str] = []
    for w in words:
        out.extend(table.get(w, (w,)))
    return out


@dataclass(frozen=True)
class _Words:
    """Words of a text in the form a question's terms are matched against."""

    exact: bool
    items: list[str]

    @classmethod
    def of(cls, text: str, accented_question: bool, exact: bool | None = None) -> _Words:
        if exact is None:
            exact = accented_question and accents_reliable(text)
        if exact:
            return cls(True, _expand(_WORD.findall(nfc(text).lower()), True))
        return cls(False, _expand(tokens(text), False))

    def key(self, t: _Term) -> str:
        return t.exact if self.exact and t.exact is not None else t.word


# A document number ("49-KL/TW", "70/2014/QĐ-UBND") or a date is not the figure a
# "how many" question asks for.
_NOT_FIGURE = re.compile(
    r"\b\d+(?:/\d+)*\s*[-/]\s*[a-z]{1,6}(?:[-/&][a-z]{1,6})*\b|" + _DATE.pattern
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _has_figure(text: str) -> bool:
    return bool(_DIGIT.search(_NOT_FIGURE.sub(" ", fold(text))))


def _has_date(text: str) -> bool:
    f = fold(text)
    return bool(_DATE.search(f) or _YEAR.search(f))


def _mostly_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _local(q_terms: list[_Term], words: _Words, want: re.Pattern[str]) -> float:
    """Returns the best share of the terms found just before an answer-like token.

    "Chỉ thị số 11-CT/TW, ngày 13 tháng 4 năm 2007": the date follows the words
    that name what is dated; a date far from them dates something else.
    """
    mass = sum(t.weight for t in q_terms) or 1.0
    best = 0.0
    for i, w in enumerate(words.items):
        if not want.match(w):
            continue
        window = set(words.items[max(0, i - 10) : i + 3])
        best = max(best, sum(t.weight for t in q_terms if words.key(t) in window) / mass)
    return best


_NUMBER_WORD = re.compile(r"\d")


def _score_passage(
    q: _Question, hit: Hit, doc_context: str, rank_bonus: float, accented: bool
) -> list[_Scored]:
    passage = _Words.of(hit.text, accented)
    context = _Words.of(doc_context + "\n" + hit.section, accented)
    ctx_set = set(context.items)
    ctx_bi = _bigrams(context.items)
    terms = {t.word: t for t in q.terms}
    in_ctx = {t.word for t in q.terms if context.key(t) in ctx_set}
    focus = [t for t in q.terms if t.word not in in_ctx] or q.terms
    focus_mass = sum(t.weight for t in focus) or 1.0
    pairs = [(terms[a], terms[b], w) for a, b, w in q.bigrams]
    focus_pairs = [(x, y, w) for x, y, w in pairs if (context.key(x), context.key(y)) not in ctx_bi]
    pair_mass = sum(w for _, _, w in focus_pairs) or 1.0
    ctx_share = sum(terms[w].weight for w in in_ctx) / q.mass
    rare = [t for t in focus if t.weight >= 1.0]
    rare_mass = sum(t.weight for t in rare)
    p_set = set(passage.items)
    p_bi = _bigrams(passage.items)
    title_words = set(_Words.of(hit.doc_title or "", accented, passage.exact).items)

    spans = sentence_spans(hit.text, MAX_SENTENCE_CHARS)
    words = [_Words.of(hit.text[a:b], accented, passage.exact) for a, b in spans]
    out = []
    for i, (a, b) in enumerate(spans):
        text = hit.text[a:b]
        sw = words[i]
        s_set = set(sw.items)
        prev = set(words[i - 1].items) if i else set()
        uni = 0.0
        for t in focus:
            k = sw.key(t)
            uni += t.weight * (
                1.0 if k in s_set else 0.5 if k in prev else 0.2 if k in p_set else 0
            )
        s_bi = _bigrams(sw.items)
        bi = 0.0
        for x, y, w in focus_pairs:
            pair = (sw.key(x), sw.key(y))
            bi += w * (1.0 if pair in s_bi else 0.2 if pair in p_bi else 0.0)
        found = sum(t.weight for t in q.terms if t.word in in_ctx or sw.key(t) in s_set | prev)
        cover = (
            sum(t.weight for t in rare if sw.key(t) in s_set | prev) / rare_mass if rare else 1.0
        )
        score = W_WORDS * uni / focus_mass + W_CONTEXT * ctx_share
        score += W_PAIRS * (bi / pair_mass if focus_pairs else uni / focus_mass)
        if q.quantity:
            score += 0.08 if _has_figure(text) else -0.15
            score += W_LOCAL * _local(q.terms, sw, _NUMBER_WORD)
        if q.date:
            score += 0.1 if _has_date(text) else -0.1
            score += W_LOCAL * _local(q.terms, sw, _NUMBER_WORD)
        if b - a < 30 or _mostly_caps(text):
            score *= 0.6  # a heading or a bullet's lead-in, not an answer
        if s_set and len(s_set & title_words) / len(s_set) > 0.8:
            score *= 0.7  # the document's own title restated
        score += rank_bonus
        out.append(_Scored(score, found / q.mass, cover, hit, a, b))
    return out


def _compose(best: _Scored, ranked: list[_Scored]) -> list[_Scored]:
    """Returns the sentences of the answer: the best one, plus a neighbour it needs."""
    chosen = [best]
    text = best.hit.text
    same = sorted(
        (s for s in ranked if s.hit.passage_id == best.hit.passage_id),
        key=lambda s: s.start,
    )
    idx = next(i for i, s in enumerate(same) if s.start == best.start)
    nxt = same[idx + 1] if idx + 1 < len(same) else None
    lead_in = text[best.start : best.end].rstrip("*_ ").endswith(":")
    short = best.end - best.start < 120
    if (
        nxt is not None
        and (lead_in or (short and nxt.score >= 0.6 * best.score))
        and nxt.end - best.start <= MAX_ANSWER_CHARS
    ):
        chosen.append(nxt)
    return chosen


class Answerer:
    """Answers questions from an index, quoting the raw source files.

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, index: SearchIndex, root: Path) -> None:
        self.index = index
        self.raw = RawSources(root, index.store.index_dir)

    def _docs(self) -> dict[str, dict]:
        store = self.index.store
        return store.cached("documents", lambda: {d["doc_id"]: d for d in store.documents()})

    def _sha(self, doc_id: str) -> str | None:
        doc = self._docs().get(doc_id)
        return None if doc is None else doc["sha256"]

    def _context(self, doc_id: str) -> str:
        """Returns what a document says about itself: title, number, issuer, place."""
        d = self._docs().get(doc_id) or {}
        keys = ("title", "number", "doc_type", "issuer", "place", "province")
        return " \n".join(str(d[k]) for k in keys if d.get(k))

    def cite(self, hit: Hit, a: int, b: int) -> Citation | None:
        """Returns the citation of ``hit.text[a:b]`` with its exact raw quote, or ``None``."""
        span = self.raw.locate(
            hit.source, self._sha(hit.doc_id), hit.char_start, hit.char_end, hit.text, a, b
        )
        if span is None:
            return None
        raw = self.raw.raw(hit.source, self._sha(hit.doc_id))
        assert raw is not None
        return Citation(
            doc_id=hit.doc_id,
            doc_title=hit.doc_title,
            doc_number=hit.doc_number,
            source=hit.source,
            char_start=span[0],
            char_end=span[1],
            page=hit.page,
            section=hit.section,
            passage_id=hit.passage_id,
            quote=raw[span[0] : span[1]],
        )

    def ask(self, question: str, k: int = DEFAULT_K) -> Answer:
        """Answers a question with sentences quoted from the corpus.

        Args:
            question: the question, with or without diacritics.
            k: how many passages to read (1..20).

        Returns:
            The answer (``None`` when the corpus does not answer), its citations and
            the passages read.

        Raises:
            BadQuery: the question is empty or too long, or ``k`` is out of range.
        """
        t0 = time.perf_counter()
        question = " ".join(nfc(question or "").split())
        if not question:
            raise BadQuery("the question is empty; type a question about the documents")
        if len(question) > MAX_QUERY_CHARS:
            raise BadQuery(
                f"the question is {len(question)} characters; the limit is {MAX_QUERY_CHARS}"
            )
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise BadQuery(f"k must be between 1 and {MAX_K}, not {k}")
        hits = self.index.search(question, k=k).hits

        def done(
            answer: str | None, message: str | None, cites: list[Citation], conf: float
        ) -> Answer:
            took = round((time.perf_counter() - t0) * 1000, 2)
            return Answer(
                question, answer, message, cites, hits, round(conf, 4), "extractive", took
            )

        n, df = _idf(self.index)
        q = analyse_question(question, n, df)
        accented = has_diacritics(question)
        if not q.terms or not hits:
            return done(None, NO_ANSWER, [], 0.0)
        ranked: list[_Scored] = []
        for rank, h in enumerate(hits):
            ranked.extend(
                _score_passage(
                    q, h, self._context(h.doc_id), 0.05 * (1 - rank / len(hits)), accented
                )
            )
        if not ranked:
            return done(None, NO_ANSWER, [], 0.0)
        ranked.sort(key=lambda s: -s.score)
        best = ranked[0]
        if best.support < MIN_SUPPORT or best.score < MIN_SCORE or best.cover < MIN_SENTENCE_COVER:
            return done(None, NO_ANSWER, [], best.score)
        chosen = _compose(best, ranked)
        parts = [" ".join(s.hit.text[s.start : s.end].split()) for s in chosen]
        answer = " ".join(parts)
        if len(answer) > MAX_ANSWER_CHARS:
            answer = answer[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
        cites: list[Citation] = []
        message = None
        for s in chosen:
            c = self.cite(s.hit, s.start, s.end)
            if c is None:
                # No exact quote without the raw file: say so rather than cite loosely.
                message = NO_RAW
            elif c not in cites:
                cites.append(c)
        return done(answer, message, cites, best.score)
