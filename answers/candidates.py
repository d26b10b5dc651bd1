"""The candidates of a question: every sentence unit of the passages its search retrieves,
with the features the answer model scores (:mod:`answers.model`), read per index generation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from answers.entities import (
    agrees,
    gazetteer,
    haystack,
    other_level,
    other_place,
    other_tier,
    other_year,
    shared_figure,
    undated_for,
    written_in,
    year_agrees,
)
from answers.model import AnswerModel, Candidate
from answers.question import (
    Question,
    Words,
    analyse_question,
    local_cover,
    word_pairs,
    word_positions,
)
from answers.requirements import Requirements
from answers.tables import table_row
from answers.typed import (
    answer_spans,
    asks_per_item,
    asks_point,
    counted_near,
    has_type,
    states_per_item,
    states_point,
    typed_spans,
)
from index.levels import level_of
from index.models import Hit, Requirement
from index.search import SearchIndex
from index.sentences import MAX_UNIT_CHARS, Sentences
from index.spans import RawSources, passage_rows, sentence_spans
from vntext.garbled import accents_reliable
from vntext.lexicon import (
    TYPE_WORDS,
)
from vntext.normalize import fold, has_diacritics, tokens
from vntext.restore import restore_query

MAX_SENTENCE_CHARS = MAX_UNIT_CHARS  # the sentence units stored at ingest (index/sentences.py)
DEFAULT_K = 6


def _mostly_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def as_typed(question: str, folded_name: str) -> str:
    """Returns a name as the question wrote it (folding keeps lengths)."""
    at = " ".join(fold(question).replace("-", " ").split()).find(folded_name)
    flat = " ".join(question.replace("-", " ").split())
    return flat[at : at + len(folded_name)] if at >= 0 else folded_name


def dense(text: str) -> str:
    return "".join(fold(text).split())


class CandidateFinder:
    """Finds and scores a question's candidate units in an index (:class:`Answerer`'s base).

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
            about = () if own else self._about().get(doc_id, ())
            cache[key] = haystack(*(str(d[k]) for k in keys if d.get(k)), *about)
        return cache[key]

    def _about(self) -> dict[str, tuple[str, ...]]:
        """Returns, per document, the documents it carries out, continues, reviews or
        approves, as the citation graph reads them (their surfaces and symbols): "Đề án
        1373" asked of the plan that implements it agrees with that plan's every passage."""

        def build() -> dict[str, tuple[str, ...]]:
            out: dict[str, list[str]] = {}
            rows = self.index.store.conn.execute(
                "SELECT doc_id, surface, target FROM doc_references WHERE subject IS NULL "
                "AND relation IN ('implements', 'continues', 'reviews', 'approves') ORDER BY id"
            )
            for doc_id, surface, target in rows:
                seen = out.setdefault(doc_id, [])
                for t in (surface, target):
                    if t not in seen:
                        seen.append(t)
            return {k: tuple(v) for k, v in out.items()}

        return self.index.store.cached("answers:about", build)

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

    def _row_vectors(self, labelled: list[str]) -> np.ndarray:
        """Returns passage-role vectors of table rows read with their headers (cached per
        generation: a question reads a few rows, and the same ones come back)."""
        cache: dict[str, np.ndarray] = self.index.store.cached("answers:row_vectors", dict)
        missing = sorted({t for t in labelled if t not in cache})
        if missing:
            vecs = self.index.embedder.embed(missing, is_query=False)
            for t, v in zip(missing, vecs, strict=True):
                cache[t] = np.asarray(v, dtype=np.float32)
        return np.stack([cache[t] for t in labelled])

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
            (n, t) for n in q.entities.names if has_diacritics(t := as_typed(question, n))
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
        # a table row alone is numbers; read with its columns' headers it says what it counts
        cells_of = [
            table_row(hit.text, a, b) if "\t" in t else None
            for (a, b), t in zip(spans, texts, strict=True)
        ]
        labelled_of = [c.labelled(hit.text) if c is not None else "" for c in cells_of]
        rows_at = [i for i, lab in enumerate(labelled_of) if lab]
        if rows_at:
            vecs = np.array(vecs, dtype=np.float32)
            vecs[rows_at] = self._row_vectors([labelled_of[i] for i in rows_at])
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
        per_item = asks_per_item(q.text)
        point = q.qtype == "deadline" and asks_point(q.text)
        doc = self._docs().get(hit.doc_id) or {}
        doc_level = level_of(doc.get("number"), doc.get("issuer")) if q.entities.level else None
        with_headings = hit.section + "\n" + hit.text
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
            cells = cells_of[i]
            labelled = labelled_of[i]
            if cells is not None:  # a table's row says what it counts in its header
                items += Words.of(cells.header, exact).items
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
            ok = (
                has_type(text, typed, q.qtype)
                or bool(
                    # an OCR'd unit's reading repairs what Tesseract garbled ("2.000.000 déng")
                    (read := reads[i]) is not None and has_type(read, typed_spans(read), q.qtype)
                )
                # a row's cell under "Tỷ lệ (%)" is a percentage though it is written "81,7"
                or bool(labelled and has_type(labelled, typed_spans(labelled), q.qtype))
                or bool(
                    row is not None
                    and (
                        (q.qtype == "deadline" and row.deadline_text)
                        or (q.qtype == "actor" and row.actor)
                    )
                )
            )
            deadline = row.deadline_text if row is not None else None
            if ok and point and not states_point(text, reads[i], deadline):
                ok = False  # "trước ngày nào" is not answered by "hằng năm"
            asked = answer_spans(typed, q.qtype)
            local = local_cover(q.terms, sw, word_positions(text, asked)) if asked else 0.0
            if labelled:  # each cell after its column's label
                lab_asked = answer_spans(typed_spans(labelled), q.qtype)
                lab_words = Words.of(labelled, exact)
                at = word_positions(labelled, lab_asked)
                local = max(local, local_cover(q.terms, lab_words, at))
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
                "elsewhere": 1.0 if other_place(q.entities, reads[i] or text) else 0.0,
                "other_year": 1.0 if other_year(q.entities, reads[i] or text) else 0.0,
                "undated": (
                    1.0
                    if not q.requirement
                    and undated_for(q.entities, reads[i] or text, with_headings, doc.get("date"))
                    else 0.0
                ),
                "other_level": (
                    1.0
                    if (not q.requirement and other_level(q.entities, doc_level, reads[i] or text))
                    or other_tier(q.entities, reads[i] or text)
                    else 0.0
                ),
                "shared": 1.0 if shared_figure(q.entities, reads[i] or text) else 0.0,
                "per_item": 1.0 if per_item and not states_per_item(text, reads[i]) else 0.0,
                "noun": max(
                    counted_near(q.counted if q.qtype == "figure" else (), text),
                    counted_near(q.counted if q.qtype == "figure" else (), reads[i] or ""),
                    counted_near(q.counted if q.qtype == "figure" else (), labelled)
                    if labelled
                    else 0.0,
                ),
            }
            if feats["elsewhere"] and q.counted and not q.requirement:
                # "how many" asked of one place, counted for another ("Hội Khuyến học
                # thành phố Tuy Hòa có 31.870 hội viên" for Sông Hinh): never its answer
                continue
            out.append(Candidate(hit, rank, a, b, text, reads[i], typed, row, feats, cells=cells))
        return out

    @staticmethod
    def _row_for(text: str, rows: list[Requirement]) -> Requirement | None:
        """Returns the requirement row stated by this sentence unit, if the table has one."""
        d = dense(text)
        if len(d) < 15:
            return None
        for r in rows:
            q = dense(r.citation.quote)
            if d in q or q in d:
                return r
        return None

    # --- citing -----------------------------------------------------------------------
