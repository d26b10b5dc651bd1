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
from dataclasses import replace
from typing import Any

from answers.candidates import DEFAULT_K, CandidateFinder, as_typed, dense
from answers.model import Candidate
from answers.question import (
    Question,
    Words,
    local_cover,
    word_positions,
)
from answers.typed import (
    Typed,
    answer_spans,
)
from index.errors import BadQuery
from index.models import Answer, Citation, Figure, Hit, Requirement
from index.search import MAX_QUERY_CHARS
from vntext.normalize import fold, nfc

MAX_ANSWER_CHARS = 600
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


class Answerer(CandidateFinder):
    """Answers questions from an index, quoting the raw source files.

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
        model: the fitted scoring model (default: ``answers/answer_model.json``).
    """

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
        row = best.cells

        def column(t: Typed) -> float:
            """How well the header of a table cell's column names what was asked."""
            if row is None:
                return 0.0
            label = set(Words.of(row.label_at(best.start + t.start), False).items)
            return sum(w.weight for w in q.terms if w.word in label) / q.mass

        scored = [
            (column(t), local_cover(q.terms, words, [p]), -i, t)
            for i, (p, t) in enumerate(zip(positions, asked, strict=True))
        ]
        prefer = {"deadline": "deadline", "date": "date", "figure": "figure"}.get(q.qtype or "")
        if prefer:
            scored = [s for s in scored if s[3].kind == prefer] or scored
        *_, t = max(scored, key=lambda s: (s[0], s[1], s[2]))
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
        if row.actor and dense(row.actor) not in dense(text):
            text = f"{reading(row.actor)}: {text}"
        if row.deadline_text and dense(row.deadline_text) not in dense(text):
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
                names = ", ".join(as_typed(question, n) for n in q.entities.names)
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
