"""The fitted answer model: the features of a candidate unit, how candidates are ranked
against each other and when the best one is refused (``answer_model.json``, written by
``eval/fit_answers.py`` from the ``dev`` questions).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from answers.tables import Row
from answers.typed import Typed
from index.models import Hit, Requirement

MODEL_FILE = Path(__file__).with_name("answer_model.json")


FEATURES = (
    "cos",
    "cos_gap",
    "cover",
    "cover_gap",
    "support",
    "rare",
    "pairs",
    "type_ok",
    "type_missing",
    "local",
    "rank",
    "heading",
    "title",
    "year_ok",
    "req",
    "noun",
    "elsewhere",
    "other_year",
    "other_level",
    "shared",
    "per_item",
    "undated",
)


@dataclass
class Candidate:
    """A sentence unit of a retrieved passage, with its features and probability."""

    hit: Hit
    rank: int
    start: int  # in hit.text
    end: int
    text: str
    reading: str | None
    spans: list[Typed]
    requirement: Requirement | None = None
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0  # its rank among the question's candidates
    prob: float = 0.0  # the confidence that it answers
    cells: Row | None = None  # the table row it is, with its columns' headers

    @property
    def shown(self) -> str:
        """What a person reads: a table row with its headers ("Năm 2017-2018; Số lớp
        170; …"), the restored reading of an OCR'd source, else the text."""
        if self.cells is not None:
            return self.cells.labelled(self.hit.text) + "."
        return self.reading if self.reading is not None else self.text


@dataclass(frozen=True)
class AnswerModel:
    """How candidates are ranked and when the best one is refused, fitted on ``dev``.

    Two stages over the standardised :data:`FEATURES` ``z`` of a question's candidates:

    - **rank**: a score ``s = coef · z``, fitted so that a softmax over one question's
      candidates puts its mass on the ones that answer (what counts is how a candidate
      compares with the others of the same question: "names another district" matters
      only when a candidate that does not is there);
    - **confidence**: a logistic regression, fitted on each question's best-ranked
      candidate, over its ``z``, its score ``s`` and its margin over the next; the answer
      is refused when the best candidate's confidence is below ``threshold``.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    confidence: tuple[float, ...]  # over z, then score and margin
    intercept: float
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerModel:
        """Reads the fitted model (eval/fit_answers.py writes it)."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnswerModel:
        """Builds the model from its JSON form."""
        return cls(
            tuple(d["features"]),
            tuple(d["mean"]),
            tuple(d["scale"]),
            tuple(d["coef"]),
            tuple(d["confidence"]),
            float(d["intercept"]),
            float(d["threshold"]),
        )

    def standard(self, x: dict[str, float]) -> list[float]:
        """Returns the standardised features of a candidate."""
        return [
            (x.get(name, 0.0) - m) / (s or 1.0)
            for name, m, s in zip(self.features, self.mean, self.scale, strict=True)
        ]

    def score(self, x: dict[str, float]) -> float:
        """Returns a candidate's ranking score (only its order among others matters)."""
        return sum(c * v for c, v in zip(self.coef, self.standard(x), strict=True))

    def probs(self, xs: Sequence[dict[str, float]]) -> list[float]:
        """Returns, for each of one question's candidates, the probability that it is the
        answer: its confidence given its score and its margin over the best other one."""
        zs = [self.standard(x) for x in xs]
        scores = [sum(c * v for c, v in zip(self.coef, z, strict=True)) for z in zs]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        out = []
        for i, z in enumerate(zs):
            other = order[1] if order[0] == i and len(order) > 1 else order[0]
            margin = scores[i] - scores[other] if other != i else MARGIN_ALONE
            row = [*z, scores[i], margin]
            t = self.intercept + sum(c * v for c, v in zip(self.confidence, row, strict=True))
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t)))))
        return out


# The margin of a question's only candidate: as if the next one were far behind.
MARGIN_ALONE = 5.0
