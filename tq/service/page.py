"""The review page: an editor pastes or uploads the two texts, reads the findings as the HTML report shows them,
and accepts, rejects or edits each suggestion; decisions go to the store as they are made (tq.service.store).

Rendered on the server with Jinja (autoescape on: article text is only ever text) from the stored report; the
page's script is a static file, so the Content-Security-Policy can forbid every inline script and style.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .store import Review, ReviewEntry
from ..report.html import finding_id, target_pieces
from ..types import SEVERITIES, Finding, Pair

STATIC = {"review.js": "text/javascript", "review.css": "text/css"}  # what /static/ serves, and report.css below
_FINDING_FIELDS = ("category", "severity", "start", "end", "message", "check", "confidence", "suggestion",
                   "source_start", "source_end", "fix_origin")


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader

    return Environment(loader=PackageLoader("tq.service", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)


def pairs_of(report: dict) -> list[Pair]:
    """The stored report's pairs as tq.types objects again, so the page highlights them as the HTML report does."""
    return [Pair(p["index"], p["source"], p["target"], tuple(p["src_ids"]), tuple(p["tgt_ids"]), p["src_offset"],
                 p["tgt_offset"], score=p["score"], low_confidence=p["low_confidence"],
                 findings=[Finding(**{k: f[k] for k in _FINDING_FIELDS}, also=tuple(f["also"])) for f in p["findings"]])
            for p in report["pairs"]]


def review_url(review_id: str) -> str:
    """Where a review's page is served (the API hands it out; the list page links to it)."""
    return f"/reviews/{review_id}"


def render_home() -> str:
    return _environment().get_template("home.html.j2").render()


def render_review(review: Review) -> str:
    pairs, views, number = pairs_of(review.report), [], 0
    for pair in pairs:
        items = []
        for n, finding in enumerate(pair.findings):
            decision = review.decisions.get(number, {})
            items.append({"number": number, "id": finding_id(pair, n), "f": finding, "text": pair.target[finding.start:finding.end],
                          "status": decision.get("status", "open"), "edited": decision.get("text")})
            number += 1
        views.append({"pair": pair, "number": pair.index + 1, "pieces": target_pieces(pair), "findings": items})
    counts = review.report["summary"]["counts"]
    return _environment().get_template("review.html.j2").render(
        review=review, pairs=views, counts=[(s, counts.get(s, 0)) for s in reversed(SEVERITIES)],
        report=review.report, total=number)


def render_reviews(entries: list[ReviewEntry], total: int, keep_days: int, max_reviews: int) -> str:
    """The page listing the reviews (ids, dates and counts only: no article text)."""
    from datetime import datetime, timezone

    def shown(seconds: float | None) -> str | None:
        return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    rows = [{**entry.to_dict(), "url": review_url(entry.id), "created_shown": shown(entry.created),
             "expires_shown": shown(entry.expires)} for entry in entries]
    return _environment().get_template("reviews.html.j2").render(reviews=rows, total=total, keep_days=keep_days,
                                                                 max_reviews=max_reviews)


def static_response(name: str):
    """One of the page's own files; a name outside the list is a 404 (no path a client names is ever read)."""
    from fastapi.responses import Response

    from .api import ApiError

    if name == "report.css":
        data = resources.files("tq.report").joinpath("templates/report.css").read_bytes()
        return Response(data, media_type="text/css", headers={"Cache-Control": "no-cache"})
    if name not in STATIC:
        raise ApiError(404, f"no static file {name!r}")
    data = resources.files("tq.service").joinpath(f"static/{name}").read_bytes()
    return Response(data, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})
