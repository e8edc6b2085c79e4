"""Calibrated severities: what a check's finding means, measured on the error suite.

Each check proposes a severity from its own evidence (a similarity, an LM
surprise, a rule). Those scales differ from check to check, so ``tq bench
detect --calibrate`` measures every (check, proposed severity) on the
development split of the error suite (:mod:`tq.bench.errorsuite`) and maps it to the
severity it earns:

- it may be **critical** only if it fires on at most ``CLEAN_BUDGET["critical"]``
  of clean professional translations (the suite's clean pairs and the pairs of
  the development half of ``tq bench docs``'s articles), **major** only within
  the major budget;
- it is **promoted** when what it catches is mostly corruptions of a higher
  severity and it stays within that severity's clean budget.

The result ships as ``tq/data/calibration.json`` (the operating points and the
counts behind them) and is applied to every report; ``calibrate=False``
gives the checks' raw severities.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .types import SEVERITIES as SEVERITY_ORDER, SEVERITY_RANK, Pair

CALIBRATION_FILE = Path(__file__).parent / "data" / "calibration.json"
# Share of clean pairs (the error suite's and those of clean professional articles) on which a (check,
# severity) may fire and still mean that severity. A gate is judged by articles: with about seven checks
# able to say critical, 0.2% each keeps a 16-sentence article free of false criticals nine times in ten.
CLEAN_BUDGET = {"critical": 0.002, "major": 0.005, "minor": 1.0}
PROMOTE_SHARE = 0.75   # share of a check's catches that must be of the higher severity
MIN_EVIDENCE = 5       # catches needed before a check is promoted


@lru_cache(maxsize=None)
def _shipped(path: Path = CALIBRATION_FILE) -> dict:
    """The calibration file, read once per process ({} when none ships)."""
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def load_calibration(path: Path = CALIBRATION_FILE) -> dict[str, dict[str, str]]:
    """{check id: {proposed severity: calibrated severity}}; empty when no calibration ships."""
    return _shipped(path).get("severity", {})


def calibration_id(path: Path = CALIBRATION_FILE) -> str:
    """For the report signature: which suite the shipped severities were measured on."""
    suite = _shipped(path).get("suite")
    if not suite:
        return "none"
    return f"suite-v{suite.get('version')}-seed{suite.get('seed')}-n{suite.get('sentences')}"


def apply_calibration(pairs: Iterable[Pair], mapping: Mapping[str, Mapping[str, str]]) -> None:
    """Replace each finding's severity by its calibrated one (in place)."""
    for pair in pairs:
        for finding in pair.findings:
            finding.severity = mapping.get(finding.check, {}).get(finding.severity, finding.severity)


def derive_calibration(clean_fires: Mapping[tuple[str, str], int], n_clean: int,
                       catches: Mapping[tuple[str, str], Mapping[str, int]]) -> tuple[dict, dict]:
    """Severity map and its evidence from development-split counts.

    ``clean_fires[(check, severity)]``: clean pairs where the check proposed that severity;
    ``catches[(check, severity)][corruption severity]``: corruptions it caught at that severity
    (only corruptions of the check's own branch, accuracy or fluency: a spelling check that
    fires on a sentence left in Italian is not evidence that spelling errors are critical).
    """
    mapping: dict[str, dict[str, str]] = {}
    evidence: dict[str, dict[str, dict]] = {}
    for check, proposed in sorted(set(clean_fires) | set(catches)):
        fired = clean_fires.get((check, proposed), 0)
        caught = dict(catches.get((check, proposed), {}))
        rate = fired / n_clean if n_clean else 0.0
        allowed = [s for s in SEVERITY_ORDER if fired <= max(1, CLEAN_BUDGET[s] * n_clean) or CLEAN_BUDGET[s] >= 1.0]
        severity = proposed
        total = sum(caught.values())
        for higher in reversed(SEVERITY_ORDER):
            if SEVERITY_RANK[higher] <= SEVERITY_RANK[proposed] or higher not in allowed:
                continue
            at_least = sum(n for s, n in caught.items() if SEVERITY_RANK[s] >= SEVERITY_RANK[higher])
            if total >= MIN_EVIDENCE and at_least >= PROMOTE_SHARE * total:
                severity = higher
                break
        while severity not in allowed:  # demote until the clean budget holds
            severity = SEVERITY_ORDER[SEVERITY_ORDER.index(severity) - 1]
        evidence.setdefault(check, {})[proposed] = {"calibrated": severity, "clean_fires": fired,
                                                    "clean_rate": round(rate, 4), "catches": caught}
    for check, levels in evidence.items():
        ceiling = "critical"  # a weaker proposal never ends above a stronger one of the same check
        for proposed in reversed(SEVERITY_ORDER):
            if proposed in levels:
                levels[proposed]["calibrated"] = min(levels[proposed]["calibrated"], ceiling, key=SEVERITY_RANK.__getitem__)
                ceiling = levels[proposed]["calibrated"]
                if ceiling != proposed:
                    mapping.setdefault(check, {})[proposed] = ceiling
    return mapping, evidence


def write_calibration(mapping: dict, evidence: dict, meta: dict, path: Path = CALIBRATION_FILE) -> None:
    payload = {"generated_by": "tq bench detect --calibrate", **meta, "clean_budget": CLEAN_BUDGET,
               "promote_share": PROMOTE_SHARE, "severity": mapping, "evidence": evidence}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8")
    _shipped.cache_clear()
