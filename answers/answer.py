"""Extractive, cited question answering: the sentence, clause or list item that answers.

The question retrieves passages with hybrid search. Every sentence unit of those
passages (sentences, list items, clauses of over-long sentences) is a candidate, scored
by what generalises across documents:

- meaning: the embedding model's cosine of the question (query role) and the
  candidate (passage role; an OCR'd one in its restored reading);
- words: the share of the question's content words (rarity-weighted; the one list of
  function words and abbreviations in :mod:`vntext.lexicon`) the candidate, its
  neighbour and its document's title and section hold, on folded and restored text;
- answer type: the question asks for a figure, percentage, amount, date, deadline,
  actor or list (:mod:`answers.typed`) and the candidate holds one — years and document
  numbers are no figures; a question that asks "bao nhiêu", "mấy", "tỷ lệ", "ngày nào"
  in so many words is never answered by a unit without a number (a date), and a number
  should count what is asked ("8.275 hội viên", not "28 thành viên": ``noun``);
- entity agreement: a place, name or document the question names must be the
  candidate's document's own or be in its passage (:mod:`answers.entities`) — letter for
  letter in a clean passage when typed with diacritics ("Đức Trọng" is not "giáo dục
  trong"); candidates that disagree are dropped, and with none left the answer is
  ``None``; a unit about another place ("thành phố Tuy Hòa có …" for the province) is
  marked (``elsewhere``).

Weights fitted on the ``dev`` questions (``eval/fit_answers.py``, in
``answers/answer_model.json``) rank a question's candidates against each other and give the
best one a confidence (:class:`AnswerModel`); below the threshold calibrated on ``dev``'s
unanswerable questions the answer is ``None``: nothing is invented. A requirement
question ("who must report by when") chosen on a sentence the requirements table holds is
answered from that row (actor, action, deadline).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from answers.entities import (
    agrees,
    gazetteer,
    haystack,
    other_place,
    other_year,
    written_in,
    year_agrees,
)
from answers.model import AnswerModel, Candidate
from answers.question import (
    Question,
    Words,
    analyse_question,
    counted_cover,
    local_cover,
    word_pairs,
    word_positions,
)
from answers.requirements import Requirements
from answers.typed import (
    answer_spans,
    counted_near,
    has_type,
    typed_spans,
)
from index.errors import BadQuery
from index.models import Answer, Citation, Figure, Hit, Requirement
from index.search import MAX_QUERY_CHARS, SearchIndex
from index.sentences import MAX_UNIT_CHARS, Sentences
from index.spans import RawSources, passage_rows, sentence_spans
from vntext.garbled import accents_reliable
from vntext.lexicon import (
    TYPE_WORDS,
)
from vntext.normalize import fold, has_diacritics, nfc, tokens
from vntext.restore import restore_query

MAX_ANSWER_CHARS = 600


MAX_SENTENCE_CHARS = MAX_UNIT_CHARS  # the sentence units stored at ingest (index/sentences.py)


DEFAULT_K = 6


MAX_K = 20


NO_ANSWER = (
    "Không tìm thấy câu trả lời cho câu hỏi này trong các văn bản đã lập chỉ mục, nên "
    "không đưa ra câu trả lời. Các đoạn văn gần nhất được liệt kê kèm theo; hãy hỏi cụ "
    "thể hơn (tên văn bản, địa phương, chỉ tiêu) hoặc dùng chức năng tìm kiếm."
)


NO_AGREEMENT = (
    "Không tìm thấy câu trả lời về {names} trong các văn bản đã lập chỉ mục: những đoạn "
    "gần nhất nói về địa phương hoặc văn bản khác, nên không đưa ra câu trả lời (không lấy "
    "số liệu của nơi khác)."
)


NO_RAW = (
    "Không đọc được tệp nguồn (đã bị xóa hoặc đã thay đổi sau khi lập chỉ mục) nên không "
    "trích dẫn được nguyên văn; hãy chạy lại `tracuu ingest`."
)


RESTORED_NOTE = (
    "Văn bản nguồn là bản quét (OCR) bị mất dấu; câu trả lời là bản đọc do máy khôi phục "
    "dấu, trích dẫn giữ nguyên văn bản gốc."
)


def _mostly_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _as_typed(question: str, folded_name: str) -> str:
    """Returns a name as the question wrote it (folding keeps lengths)."""
    at = " ".join(fold(question).replace("-", " ").split()).find(folded_name)
    flat = " ".join(question.replace("-", " ").split())
    return flat[at : at + len(folded_name)] if at >= 0 else folded_name


def _dense(text: str) -> str:
    return "".join(fold(text).split())


class Answerer:
    """Answers questions from an index, quoting the raw source files.

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
        model: the fitted scoring model (default: ``answers/answer_model.json``).
    """

    def __init__(self, index: SearchIndex, root: Path, model: AnswerModel | None = None) -> None:
        self.index = index
        self.root = Path(root)
        self.raw = RawSources(root, index.store.index_dir)
        self.model = model or AnswerModel.load()
        self.requirements = Requirements(index, root)
        self.units = Sentences(index.store)

    # --- per-generation data ----------------------------------------------------------
    def _docs(self) -> dict[str, dict[str, Any]]:
        store = self.index.store
        return store.cached("documents", lambda: {d["doc_id"]: d for d in store.documents()})

    def _sha(self, doc_id: str) -> str | None:
        doc = self._docs().get(doc_id)
        return None if doc is None else doc["sha256"]

    def _idf(self) -> tuple[int, Counter[str]]:
        """Returns the passage count and the document frequency of folded words."""

        def count() -> tuple[int, Counter[str]]:
            df: Counter[str] = Counter()
            rows = passage_rows(self.index.store)
            for r in rows:
                df.update(set(tokens(r.section + " " + r.text)))
            return len(rows), df

        return self.index.store.cached("answers:idf", count)

    def _places(self) -> frozenset[str]:
        store = self.index.store

        def build() -> frozenset[str]:
            texts = [
                t
                for doc_id, t in store.conn.execute("SELECT doc_id, clean_text FROM documents")
                if not self.index.readings.garbled(doc_id)
            ]
            return gazetteer(self._docs().values(), texts)

        return store.cached("answers:places", build)

    def _context(self, doc_id: str) -> str:
        """Returns what a document says about itself: title, number, issuer, place."""
        d = self._docs().get(doc_id) or {}
        keys = ("title", "number", "doc_type", "issuer", "place", "province")
        return " \n".join(str(d[k]) for k in keys if d.get(k))

    def _doc_hay(self, doc_id: str, own: bool = False) -> str:
        """Returns the document's metadata for entity tests (``own``: without its province)."""
        cache: dict[tuple[str, bool], str] = self.index.store.cached("answers:doc_hay", dict)
        key = (doc_id, own)
        if key not in cache:
            d = self._docs().get(doc_id) or {}
            keys = ("title", "number", "doc_type", "issuer", "place") + (
                () if own else ("province",)
            )
            cache[key] = haystack(*(str(d[k]) for k in keys if d.get(k)))
        return cache[key]

    def _requirements_by_passage(self) -> dict[str, list[Requirement]]:
        def build() -> dict[str, list[Requirement]]:
            out: dict[str, list[Requirement]] = {}
            for r in self.requirements.all():
                out.setdefault(r.citation.passage_id, []).append(r)
            return out

        return self.index.store.cached(f"answers:requirements:{self.root}", build)

    def _vectors(self, hit: Hit, spans: Sequence[tuple[int, int]], texts: list[str]) -> np.ndarray:
        """Returns passage-role vectors of units the index has not stored (cached per generation).

        Only for an index whose sentence units are missing (index/sentences.py stores them
        at ingest, and ``ensure`` fills an older index).
        """
        cache: dict[tuple[str, int, int], np.ndarray] = self.index.store.cached(
            "answers:unit_vectors", dict
        )
        missing = [i for i, (a, b) in enumerate(spans) if (hit.passage_id, a, b) not in cache]
        if missing:
            vecs = self.index.embedder.embed([texts[i] for i in missing], is_query=False)
            for i, v in zip(missing, vecs, strict=True):
                a, b = spans[i]
                cache[(hit.passage_id, a, b)] = np.asarray(v, dtype=np.float32)
        return np.stack([cache[(hit.passage_id, a, b)] for a, b in spans])

    # --- candidates and features ------------------------------------------------------
    def candidates(
        self, question: str, k: int = DEFAULT_K
    ) -> tuple[Question, list[Hit], list[Candidate], int]:
        """Returns the analysed question, the passages read, the agreeing candidates with
        their features, and how many candidates the entity test dropped."""
        hits = self.index.search(question, k=k).hits
        n, df = self._idf()
        q = analyse_question(question, n, df, self._places())
        if not hits:
            return q, hits, [], 0
        restored = question if q.accented else restore_query(question, self.index.restorer())
        qvec = self.index.query_vector(restored)  # the one the search just embedded
        reqs = self._requirements_by_passage() if q.requirement else {}
        out: list[Candidate] = []
        dropped = 0
        # names as typed, when typed with diacritics: a clean passage must write them so
        typed_names = [
            (n, t) for n in q.entities.names if has_diacritics(t := _as_typed(question, n))
        ]
        for rank, hit in enumerate(hits):
            passage_hay = haystack(hit.text, hit.section, hit.reading)
            own = self._doc_hay(hit.doc_id, own=True)
            doc_hay = self._doc_hay(hit.doc_id)
            if not agrees(q.entities, doc_hay, passage_hay, own) or (
                typed_names
                and not self.index.readings.passage_garbled(hit.doc_id, hit.text)
                and any(
                    f" {n} " not in doc_hay and not written_in(t, hit.section + "\n" + hit.text)
                    for n, t in typed_names
                )
            ):
                dropped += 1
                continue
            doc = self._docs().get(hit.doc_id) or {}
            year_ok = year_agrees(
                q.entities, doc.get("date"), self._doc_hay(hit.doc_id) + passage_hay
            )
            out.extend(self._passage_candidates(q, hit, rank, len(hits), qvec, reqs, year_ok))
        if out:
            best_cos = max(c.features["cos"] for c in out)
            best_cover = max(c.features["cover"] for c in out)
            for c in out:
                c.features["cos_gap"] = c.features["cos"] - best_cos
                c.features["cover_gap"] = c.features["cover"] - best_cover
            for c, p in zip(out, self.model.probs([c.features for c in out]), strict=True):
                c.score = self.model.score(c.features)
                c.prob = p
        return q, hits, out, dropped

    def _passage_candidates(
        self,
        q: Question,
        hit: Hit,
        rank: int,
        n_hits: int,
        qvec: np.ndarray,
        reqs: dict[str, list[Requirement]],
        year_ok: bool,
    ) -> list[Candidate]:
        readings = self.index.readings
        garbled = readings.passage_garbled(hit.doc_id, hit.text)
        exact = q.accented and not garbled and accents_reliable(hit.text)
        units = self.units.for_passages([hit.passage_id])
        if units:
            spans = [(u.start, u.end) for u in units]
        else:
            spans = sentence_spans(hit.text, MAX_SENTENCE_CHARS)
        if not spans:
            return []
        texts = [hit.text[a:b] for a, b in spans]
        reads = [readings.read(t) if garbled else None for t in texts]
        if units:
            vecs = self.units.vectors[[u.row for u in units]]
        else:
            vecs = self._vectors(hit, spans, [r or t for r, t in zip(reads, texts, strict=True)])
        cos = vecs @ np.asarray(qvec, dtype=np.float32)
        context = Words.of(
            self._context(hit.doc_id) + "\n" + hit.section,
            exact,
            readings.read(hit.section) if garbled else None,
        )
        ctx_set = set(context.items)
        ctx_bi = word_pairs(context.items)
        terms = {t.word: t for t in q.terms}
        in_ctx = {t.word for t in q.terms if context.key(t) in ctx_set}
        # the place or body the question names, when it is the document's own, is settled
        # by agreement: it is asked of no sentence ("… tỉnh Sơn La" of the Sơn La report)
        own = self._doc_hay(hit.doc_id, own=True)
        settled = {w for n in q.entities.names if f" {n} " in own for w in n.split()}
        focus = (
            [t for t in q.terms if t.word not in in_ctx]
            or [t for t in q.terms if t.word not in settled]
            or q.terms
        )
        focus_mass = sum(t.weight for t in focus) or 1.0
        pairs = [(terms[a], terms[b], w) for a, b, w in q.bigrams]
        focus_pairs = [
            (x, y, w) for x, y, w in pairs if (context.key(x), context.key(y)) not in ctx_bi
        ]
        pair_mass = sum(w for _, _, w in focus_pairs) or 1.0
        rare = [t for t in focus if t.weight >= 1.0]
        rare_mass = sum(t.weight for t in rare)
        words = [Words.of(t, exact, r) for t, r in zip(texts, reads, strict=True)]
        p_set = {w for ws in words for w in ws.items}
        p_bi = {b for ws in words for b in word_pairs(ws.items)}
        title = Words.of(hit.doc_title or "", exact)
        title_words = set(title.items)
        passage_reqs = reqs.get(hit.passage_id, [])
        # A province asked about as a whole must be the document's own, or be named in
        # the unit itself: a district's report names its province in passing.
        provinces = [p for p in q.entities.provinces if f" {p} " not in own]
        type_words = TYPE_WORDS.get(q.qtype or "", frozenset())
        out = []
        for i, (a, b) in enumerate(spans):
            text = texts[i]
            if provinces:
                unit = haystack(text, reads[i])
                if not all(f" {p} " in unit for p in provinces):
                    continue
            sw = words[i]
            row = self._row_for(text, passage_reqs) if passage_reqs else None
            items = list(sw.items)
            if row is not None and row.actor:
                items += Words.of(row.actor, exact).items
            s_set = set(items)
            typed = typed_spans(text)
            if type_words and answer_spans(typed, q.qtype):
                s_set |= {sw.key(t) for t in q.terms if t.word in type_words}
            prev = set(words[i - 1].items) if i else set()
            uni = 0.0
            for t in focus:
                key = sw.key(t)
                uni += t.weight * (
                    1.0 if key in s_set else 0.5 if key in prev else 0.2 if key in p_set else 0
                )
            s_bi = word_pairs(items)
            bi = 0.0
            for x, y, w in focus_pairs:
                pair = (sw.key(x), sw.key(y))
                bi += w * (1.0 if pair in s_bi else 0.2 if pair in p_bi else 0.0)
            found = sum(t.weight for t in q.terms if t.word in in_ctx or sw.key(t) in s_set | prev)
            cover_rare = (
                sum(t.weight for t in rare if sw.key(t) in s_set | prev) / rare_mass
                if rare
                else 1.0
            )
            if q.needs and not any(t.kind in q.needs for t in typed):
                continue  # "bao nhiêu" answered without a number is no answer
            ok = has_type(text, typed, q.qtype) or bool(
                row is not None
                and (
                    (q.qtype == "deadline" and row.deadline_text)
                    or (q.qtype == "actor" and row.actor)
                )
            )
            asked = answer_spans(typed, q.qtype)
            local = local_cover(q.terms, sw, word_positions(text, asked)) if asked else 0.0
            heading = (
                (b - a < 30 and not typed) or _mostly_caps(text) or text.rstrip("*_ ").endswith(":")
            )
            restates = bool(s_set) and len(s_set & title_words) / len(s_set) > 0.8
            req_ok = (
                row is not None
                and q.requirement
                and (q.qtype != "actor" or bool(row.actor))
                and (q.qtype != "deadline" or bool(row.deadline_text))
            )
            feats = {
                "cos": float(cos[i]),
                "cover": uni / focus_mass,
                "support": found / q.mass,
                "rare": cover_rare,
                "pairs": bi / pair_mass if focus_pairs else uni / focus_mass,
                "type_ok": 1.0 if (q.qtype and ok) else 0.0,
                "type_missing": 1.0 if (q.qtype and not ok) else 0.0,
                "local": local,
                "rank": 1.0 - rank / max(1, n_hits),
                "heading": 1.0 if heading else 0.0,
                "title": 1.0 if restates else 0.0,
                "year_ok": 1.0 if year_ok else 0.0,
                "req": 1.0 if req_ok else 0.0,
                "counted": counted_cover(q.counted, items),
                "elsewhere": 1.0 if other_place(q.entities, reads[i] or text) else 0.0,
                "other_year": 1.0 if other_year(q.entities, reads[i] or text) else 0.0,
                "noun": max(
                    counted_near(q.counted if q.qtype == "figure" else (), text),
                    counted_near(q.counted if q.qtype == "figure" else (), reads[i] or ""),
                ),
            }
            if feats["elsewhere"] and q.counted and not q.requirement:
                # "how many" asked of one place, counted for another ("Hội Khuyến học
                # thành phố Tuy Hòa có 31.870 hội viên" for Sông Hinh): never its answer
                continue
            out.append(Candidate(hit, rank, a, b, text, reads[i], typed, row, feats))
        return out

    @staticmethod
    def _row_for(text: str, rows: list[Requirement]) -> Requirement | None:
        """Returns the requirement row stated by this sentence unit, if the table has one."""
        d = _dense(text)
        if len(d) < 15:
            return None
        for r in rows:
            q = _dense(r.citation.quote)
            if d in q or q in d:
                return r
        return None

    # --- citing -----------------------------------------------------------------------
    def cite(self, hit: Hit, a: int, b: int) -> Citation | None:
        """Returns the citation of ``hit.text[a:b]`` with its exact raw quote, or ``None``."""
        found = self.raw.cite(hit, self._sha(hit.doc_id), a, b)
        if found is None:
            return None
        reading = self.index.readings.reading(hit.doc_id, found.quote, hit.text)
        return replace(found, reading=reading, restored=reading is not None)

    def _figure(self, q: Question, best: Candidate) -> Figure | None:
        """Returns the span of the best candidate that is what was asked, in raw offsets."""
        asked = answer_spans(best.spans, q.qtype)
        if not asked:
            return None
        words = Words.of(best.text, False, best.reading)
        positions = word_positions(best.text, asked)
        scored = [
            (local_cover(q.terms, words, [p]), -i, t)
            for i, (p, t) in enumerate(zip(positions, asked, strict=True))
        ]
        prefer = {"deadline": "deadline", "date": "date", "figure": "figure"}.get(q.qtype or "")
        if prefer:
            scored = [s for s in scored if s[2].kind == prefer] or scored
        _, _, t = max(scored, key=lambda s: (s[0], s[1]))
        a, b = best.start + t.start, best.start + t.end
        hit = best.hit
        span = self.raw.locate(
            hit.source, self._sha(hit.doc_id), hit.char_start, hit.char_end, hit.text, a, b
        )
        raw = self.raw.raw(hit.source, self._sha(hit.doc_id))
        if span is None or raw is None:
            return None
        return Figure(raw[span[0] : span[1]], span[0], span[1])

    # --- answering --------------------------------------------------------------------
    def _compose(self, q: Question, best: Candidate, ranked: list[Candidate]) -> list[Candidate]:
        """Returns the units of the answer: the best one, plus the neighbours it needs."""
        same = sorted(
            (c for c in ranked if c.hit.passage_id == best.hit.passage_id), key=lambda c: c.start
        )
        idx = next(i for i, c in enumerate(same) if c.start == best.start)
        chosen = [best]
        lead_in = best.text.rstrip("*_ ").endswith(":")
        following = [c for c in same[idx + 1 :] if c.end - best.start <= MAX_ANSWER_CHARS]
        if lead_in:
            items = 6 if q.qtype == "list" else 1
            chosen.extend(following[:items])
        elif following and best.end - best.start < 120 and following[0].prob >= 0.6 * best.prob:
            chosen.append(following[0])
        return chosen

    @staticmethod
    def _row_answer(row: Requirement, sentence: str, reading: Any) -> str:
        """Writes a requirement row as an answer: its sentence, with the actor when the
        sentence leaves it to its heading ("5.6. Phòng Nội vụ" over "- Chủ trì …"), and
        the deadline when the sentence leaves it out."""
        text = " ".join(sentence.split())
        if row.actor and _dense(row.actor) not in _dense(text):
            text = f"{reading(row.actor)}: {text}"
        if row.deadline_text and _dense(row.deadline_text) not in _dense(text):
            text += f" (thời hạn: {reading(row.deadline_text)})"
        return text

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
        q, hits, ranked, dropped = self.candidates(question, k)

        def done(
            answer: str | None,
            message: str | None,
            cites: list[Citation],
            conf: float,
            figure: Figure | None = None,
        ) -> Answer:
            took = round((time.perf_counter() - t0) * 1000, 2)
            return Answer(
                question, answer, message, cites, hits, round(conf, 4), "extractive", took,
                figure, q.qtype,
            )  # fmt: skip

        if not q.terms or not ranked:
            if dropped and q.entities.names:
                names = ", ".join(_as_typed(question, n) for n in q.entities.names)
                return done(None, NO_AGREEMENT.format(names=names), [], 0.0)
            return done(None, NO_ANSWER, [], 0.0)
        ranked.sort(key=lambda c: -c.score)
        best = ranked[0]
        if best.prob < self.model.threshold:
            return done(None, NO_ANSWER, [], best.prob)
        chosen = self._compose(q, best, ranked)
        reading = self.index.readings.read if best.reading is not None else (lambda s: s)
        if best.requirement is not None and best.features.get("req"):
            answer = self._row_answer(best.requirement, " ".join(c.shown for c in chosen), reading)
        else:
            answer = " ".join(" ".join(c.shown.split()) for c in chosen)
        if len(answer) > MAX_ANSWER_CHARS:
            answer = answer[: MAX_ANSWER_CHARS - 1].rstrip() + "…"
        cites: list[Citation] = []
        message = RESTORED_NOTE if any(c.reading is not None for c in chosen) else None
        for c in chosen:
            cite = self.cite(c.hit, c.start, c.end)
            if cite is None:
                # No exact quote without the raw file: say so rather than cite loosely.
                message = NO_RAW
            elif cite not in cites:
                cites.append(cite)
        figure = self._figure(q, best) if cites else None
        return done(answer, message, cites, best.prob, figure)


def training_rows(
    answerer: Answerer, question: str, expect: list[str], k: int = DEFAULT_K
) -> list[dict[str, Any]]:
    """Returns one row per candidate: its features and whether it holds the expected terms.

    Used by ``eval/fit_answers.py`` on ``dev`` questions only.
    """
    _, _, cands, _ = answerer.candidates(question, k)
    want = [" ".join(fold(e).split()) for e in expect]
    rows = []
    for c in cands:
        texts = [" ".join(fold(c.text).split())]
        if c.reading:
            texts.append(" ".join(fold(c.reading).split()))
        if c.requirement is not None:
            row = Answerer._row_answer(c.requirement, c.text, lambda s: s)
            texts.append(" ".join(fold(row).split()))
        label = bool(want) and any(all(w in t for w in want) for t in texts)
        rows.append({"features": dict(c.features), "label": int(label)})
    return rows


__all__ = ["Answerer", "training_rows"]
