"""The answer scorer's weights are what eval/fit_answers.py fits from the dev rows."""

from __future__ import annotations

import json

import numpy as np

from answers.model import FEATURES, MODEL_FILE, AnswerModel
from eval.fit_answers import FEATURES_FILE, fit


def test_the_committed_model_is_refitted_from_the_committed_rows() -> None:
    questions = [
        json.loads(line) for line in FEATURES_FILE.read_text(encoding="utf-8").splitlines()
    ]
    refit = fit(questions)
    saved = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert refit["features"] == saved["features"] == list(FEATURES)
    for key in ("mean", "scale", "coef"):
        assert np.allclose(refit[key], saved[key], atol=1e-5), key
    assert abs(refit["intercept"] - saved["intercept"]) < 1e-5
    assert abs(refit["threshold"] - saved["threshold"]) < 1e-5
    assert refit["fitted_on"] == saved["fitted_on"]


def test_only_dev_questions_were_fitted_on() -> None:
    for line in FEATURES_FILE.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        assert q["split"] == "dev" and q["set"] in ("corpus", "unseen-dev")
    model = AnswerModel.load()
    assert 0.0 < model.threshold < 1.0


def test_a_candidate_is_less_sure_beside_an_equal_rival_than_alone() -> None:
    # The confidence reads the margin over the best other candidate: two equal units of
    # one question leave it undecided, one unit well ahead of the rest does not.
    model = AnswerModel.load()
    first = json.loads(FEATURES_FILE.read_text(encoding="utf-8").splitlines()[0])
    row = dict(zip(FEATURES, first["rows"][0]["x"], strict=True))
    alone = model.probs([row])[0]
    tied = model.probs([row, dict(row)])
    assert tied[0] == tied[1] < alone
    weaker = {**row, "cover": row["cover"] - 0.5, "cos": row["cos"] - 0.05}
    ahead, behind = model.probs([row, weaker])
    assert model.score(row) > model.score(weaker) and behind < ahead
