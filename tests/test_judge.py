"""The severity judge: evidence per finding, the exported model, the bands, and its place in reports."""
from __future__ import annotations

import json

import numpy as np
import pytest

import tq
from tq.judge import JUDGE_FILE, Judge, check_features, evidence_matrix, finding_evidence, judge_id, judge_pairs, load_judge
from tq.types import Finding, Pair


def _pair() -> Pair:
    pair = Pair(0, "Il ministro non ha confermato la notizia.", "The minister has confirmed the news.", (0,), (0,),
                similarity=0.8, word_coverage=0.9)
    pair.findings = [Finding("accuracy/mistranslation", "critical", 4, 12, "m", "antonym", 0.7),
                     Finding("fluency/spelling", "minor", 13, 16, "m", "non-word", 0.6, also=("fluency",))]
    return pair


def test_evidence_reads_the_pair_the_span_and_the_other_checks():
    pair = _pair()
    evidence = finding_evidence(pair, pair.findings[0])
    assert evidence["is:antonym"] == 1.0 and evidence["severity"] == 3.0 and evidence["coverage"] == 0.9
    assert evidence["cosine"] == -1.0 and evidence["flip"] == -1.0  # no encoder given: missing, not guessed
    assert evidence["pair_has:non-word"] == 1.0 and evidence["pair_has:fluency"] == 1.0  # merged checks count too
    assert evidence["span_words"] == 1.0 and evidence["has_lm"] == 0.0 and evidence["surprisal"] == -1.0
    names = check_features(["antonym", "non-word"])
    X = evidence_matrix([evidence], names)
    assert X.shape == (1, len(names)) and X[0, names.index("is:non-word")] == 0.0


def _logistic(features, coef_rows, bands) -> Judge:
    n = len(features)
    return Judge({"features": list(features), "bands": bands,
                  "model": {"kind": "logistic", "mean": [0.0] * n, "scale": [1.0] * n, "coef": coef_rows, "intercept": [0.0] * 4}})


def test_bands_set_severity_and_the_probability_of_an_error_sets_confidence():
    features = check_features(["antonym", "non-word"])
    rows = [[0.0] * len(features) for _ in range(4)]
    rows[3][features.index("is:antonym")] = 6.0    # an antonym finding: critical very likely
    judge = _logistic(features, rows, {"critical": 0.5, "major": 0.5})
    pair = _pair()
    pair.findings[0].severity = "major"
    judge_pairs([pair], judge=judge)
    assert pair.findings[0].severity == "critical" and pair.findings[0].confidence > 0.9


def test_the_judge_moves_a_severity_one_level_at_most_and_leaves_form_rules_alone():
    features = check_features(["antonym", "non-word"])
    rows = [[0.0] * len(features) for _ in range(4)]
    rows[0][features.index("is:antonym")] = 6.0   # the judge is sure the antonym finding is no error
    rows[3][features.index("is:non-word")] = 6.0   # and sure the non-word is critical
    pair = _pair()
    judge_pairs([pair], judge=_logistic(features, rows, {"critical": 0.5, "major": 0.5}))
    antonym, non_word = pair.findings
    assert antonym.severity == "major" and antonym.confidence < 0.1  # critical, one level down, no further
    assert non_word.severity == "minor" and non_word.confidence == 0.6  # a spelling rule keeps its own


def test_exported_trees_reproduce_scikit_learn():
    pytest.importorskip("sklearn")
    from tq.bench.judge import fit_trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6)).astype(np.float32).astype(np.float64)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5) + (X[:, 2] > 1.0)
    exported = fit_trees(X, y)  # raises if the numpy evaluation differs from scikit-learn's
    judge = Judge({"features": [f"f{i}" for i in range(6)], "bands": {"critical": 0.5, "major": 0.5}, "model": exported})
    p = judge.probabilities(X)
    assert np.allclose(p.sum(axis=1), 1.0) and (p.argmax(axis=1) == y).mean() > 0.8


def test_the_shipped_judge_names_its_training_and_reaches_the_signature():
    payload = json.loads(JUDGE_FILE.read_text("utf-8"))
    assert payload["model"]["kind"] in ("trees", "logistic") and set(payload["bands"]) == {"critical", "major"}
    assert "dev" in payload["trained_on"]["suite"] and payload["signature"] == judge_id()
    report = tq.check_pairs(["Il ponte è lungo 120 metri."], ["The bridge is 210 metres long."], lm="none", mt="none")
    assert f"judge:{judge_id()}" in report.signature
    raw = tq.check_pairs(["Il ponte è lungo 120 metri."], ["The bridge is 210 metres long."], lm="none", mt="none", calibrate=False)
    assert "judge:off" in raw.signature


def test_reports_carry_the_judges_severities_unless_switched_off():
    judge = load_judge()
    source, target = ["Il ponte è lungo 120 metri."], ["The bridge is 210 metres long."]
    raw = tq.check_pairs(source, target, lm="none", mt="none", calibrate=False)
    judged = tq.check_pairs(source, target, lm="none", mt="none")
    assert raw.findings, "the number check should flag 210 for 120"
    expected = [f for _, f in raw.findings]
    from tq.models import get_encoder

    judge_pairs(raw.pairs, judge=judge, encoder=get_encoder())
    assert [(f.check, f.severity, f.confidence) for _, f in judged.findings] == [(f.check, f.severity, f.confidence) for f in expected]


def test_detect_bench_scores_a_tiny_suite():
    """Detection, false flags and pairwise accuracy on hand-made cases, through the real checks."""
    from tq.bench.detect import evaluate, judged, run_checks
    from tq.bench.errorsuite import Case

    source, clean = "Il ponte, costruito nel 1932, è lungo 120 metri.", "The bridge, built in 1932, is 120 metres long."
    bad = "The bridge, built in 1932, is 210 metres long."
    cases = [Case("T:1:clean", "T", "d", 1, "test", source, clean, clean, "clean", "", "none", 0, 0),
             Case("T:1:number", "T", "d", 1, "test", source, clean, bad, "number", "accuracy/mistranslation", "critical", 30, 33)]
    pairs = run_checks(cases, lm="none")
    result = evaluate(cases, judged(pairs, None))
    assert result.by_kind["number"].span == 1 and result.by_kind["number"].major_span == 1
    assert result.by_kind["number"].pairwise == 1 and result.false_major == 0 and result.clean == 1
    assert result.auc("number") == 1.0  # the one clean pair ranks above the one corrupted pair
    features = check_features(["numbers"])
    quiet = _logistic(features, [[0.0] * len(features)] * 4, {"critical": 0.9, "major": 0.9})  # every label 1/4: minor
    kept = evaluate(cases, judged(pairs, quiet))
    assert kept.by_kind["number"].span == 1  # a rule (a number that differs) keeps its own severity whatever the judge says


def test_the_detect_bench_leaves_a_repairs_severity_to_the_repair_stage_as_the_pipeline_does():
    """tq.pipeline judges the checks' findings before the repair stage makes its finding; so does the bench."""
    from tq.bench.detect import judged

    features = check_features(["fluency"])
    pair = _pair()
    repair = Finding("fluency/grammar", "major", 4, 12, "garbled English", "fluency", 0.7, "x", fix_origin="lm")
    word = Finding("fluency/grammar", "major", 20, 24, "out of place", "fluency", 0.7)
    pair.findings = [repair, word]
    sure_no_error = [[0.0] * len(features) for _ in range(4)]
    sure_no_error[0][features.index("is:fluency")] = 6.0
    out = judged({"p": pair}, _logistic(features, sure_no_error, {"critical": 0.5, "major": 0.5}))["p"]
    by_message = {f.message: f.severity for f in out.findings}
    assert by_message == {"garbled English": "major", "out of place": "minor"}


def test_the_judge_may_raise_a_negation_finding_but_never_lower_it():
    features = check_features(["negation"])
    pair = _pair()
    pair.findings = [Finding("accuracy/mistranslation", "major", 4, 12, "m", "negation", 0.7)]
    sure_no_error = [[0.0] * len(features) for _ in range(4)]
    sure_no_error[0][features.index("is:negation")] = 6.0
    judge_pairs([pair], judge=_logistic(features, sure_no_error, {"critical": 0.5, "major": 0.5}))
    assert pair.findings[0].severity == "major"
    sure_critical = [[0.0] * len(features) for _ in range(4)]
    sure_critical[3][features.index("is:negation")] = 6.0
    pair.findings = [Finding("accuracy/mistranslation", "major", 4, 12, "m", "negation", 0.7)]
    judge_pairs([pair], judge=_logistic(features, sure_critical, {"critical": 0.5, "major": 0.5}))
    assert pair.findings[0].severity == "critical"


def test_the_candidate_is_chosen_on_development_rows_alone():
    """Development merit: serious corruptions' findings kept major or above, less the clean text flagged so."""
    from tq.bench.judge import Example, development_merit

    def row(label: int, key: str) -> Example:
        return Example({"severity": 2.0, "is:lexical-omission": 1.0}, label, "doc", "dev", "suite", key)

    rows = [row(2, ""), row(3, ""), row(0, "none|suite|a"), row(0, "none|suite|b")]
    units = {"none|suite": 2}
    bands = {"critical": 0.9, "major": 0.5}
    sure = np.array([[0.0, 0.1, 0.8, 0.1], [0.0, 0.0, 0.1, 0.9], [0.9, 0.1, 0.0, 0.0], [0.9, 0.1, 0.0, 0.0]])
    loose = np.array([[0.0, 0.1, 0.8, 0.1], [0.0, 0.0, 0.1, 0.9], [0.1, 0.1, 0.8, 0.0], [0.9, 0.1, 0.0, 0.0]])
    assert development_merit(sure, rows, bands, units) == pytest.approx(1.0)
    assert development_merit(loose, rows, bands, units) == pytest.approx(0.5)  # one of the two clean pairs flagged
