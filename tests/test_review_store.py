"""The review store does not grow forever (issue 27): reviews expire after ``--keep-days``, ``--max-reviews`` caps
them, and a client lists and deletes them. A deleted review's text must be gone from the SQLite file and its
write-ahead log, not only from the answers: the tests read the files' bytes.

First the store alone with a clock the test moves; then a real `tq serve` over HTTP, restarted with its clock
run ahead (the hidden ``--clock-offset-days``) to expire what it made.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import MODELS_OFF
from serving import serving

httpx = pytest.importorskip("httpx", reason="the service tests need httpx (pip install -e '.[test]')")
pytest.importorskip("fastapi", reason="the service needs fastapi (pip install -e '.[serve]')")

from tq.service.store import DATABASE_NAME, DAY_S, NotFound, ReviewStore, StoreFull  # noqa: E402

TOKEN = "s3cret-token-for-tests-0123456789"


def _texts(place: str) -> dict[str, str]:
    """A short article about ``place`` (a name no other text has) with two findings: a repeated word and a number."""
    return {"source": f"Il sindaco di {place} ha inaugurato ieri il nuovo ponte sul fiume. "
                      "La cerimonia è durata 2 ore e ha attirato 300 persone.",
            "translation": f"The mayor of {place} opened the the new bridge over the river yesterday. "
                           "The ceremony lasted 3 hours and drew 300 people."}


def _phrases(place: str) -> list[bytes]:
    """What must not stay in the file once the review about ``place`` is deleted: its name and each text's words."""
    texts = _texts(place)
    return [place.encode(), texts["source"][:40].encode(), texts["translation"][:40].encode()]


def _stored(data: Path) -> bytes:
    """Every byte of the store: the SQLite file, its write-ahead log and shared-memory index."""
    files = sorted(data.glob(DATABASE_NAME + "*"))
    assert any(path.name == DATABASE_NAME for path in files), files
    return b"".join(path.read_bytes() for path in files)


def _assert_kept(data: Path, place: str) -> None:
    stored = _stored(data)
    for phrase in _phrases(place):
        assert phrase in stored, phrase


def _assert_gone(data: Path, place: str) -> None:
    stored = _stored(data)
    for phrase in _phrases(place):
        assert phrase not in stored, phrase
    wal = data / (DATABASE_NAME + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # the log was checkpointed and truncated


# ---------------------------------------------------------------- the store alone, with a clock the test moves

class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float) -> None:
        self.now += days * DAY_S


@pytest.fixture(scope="module")
def made() -> tuple[dict, list]:
    """One checked report and its baseline, made once (a check takes a second)."""
    import tq
    from tq.accepted import baseline_rows

    texts = _texts("Roccafiorita")
    report = tq.check(texts["source"], texts["translation"], **MODELS_OFF)
    return report.to_dict(), baseline_rows(report.pairs, report.tgt_lang)


def _quick(store: ReviewStore, place: str, made: tuple[dict, list]) -> str:
    """A review whose texts name ``place`` (the report is one made earlier: the store does not read it)."""
    texts = _texts(place)
    return store.create(texts["source"], texts["translation"], *made)


def test_expired_reviews_are_deleted_lazily_and_leave_no_text(tmp_path, made):
    clock = Clock()
    store = ReviewStore(tmp_path, keep_days=30, clock=clock)
    old = _quick(store, "Vallecrosia", made)
    store.decide(old, 0, "edited", "Castelmezzano bridge")
    clock.advance(20)
    young = _quick(store, "Pietrapertosa", made)
    _assert_kept(tmp_path, "Vallecrosia")
    assert b"Castelmezzano bridge" in _stored(tmp_path)
    clock.advance(10.001)  # the first is now past 30 days, the second 10 days old
    assert [entry.id for entry in store.entries()] == [young]  # a listing purges first
    with pytest.raises(NotFound):
        store.get(old)
    _assert_gone(tmp_path, "Vallecrosia")
    assert b"Castelmezzano bridge" not in _stored(tmp_path)  # the editor's text went with the review
    _assert_kept(tmp_path, "Pietrapertosa")
    clock.advance(20)
    with pytest.raises(NotFound):  # a read purges too: an expired review is never served
        store.get(young)
    _assert_gone(tmp_path, "Pietrapertosa")


def test_purge_at_open_and_keep_forever(tmp_path, made):
    clock = Clock()
    forever = ReviewStore(tmp_path, keep_days=0, clock=clock)  # 0: kept until deleted
    review = _quick(forever, "Sperlonga", made)
    clock.advance(10_000)
    assert forever.purge() == 0 and forever.get(review).id == review
    assert forever.entries()[0].expires is None
    ReviewStore(tmp_path, keep_days=30, clock=clock)  # a store opened with a retention purges at once
    _assert_gone(tmp_path, "Sperlonga")


def test_entries_newest_first_with_counts(tmp_path, made):
    clock = Clock()
    store = ReviewStore(tmp_path, keep_days=30, clock=clock)
    first = _quick(store, "Bagnoregio", made)
    clock.advance(1)
    second = _quick(store, "Civita", made)
    store.decide(first, 1, "rejected")
    store.decide(first, 0, "accepted")
    store.decide(first, 0, "open")  # undone: not decided
    entries = store.entries()
    assert [e.id for e in entries] == [second, first]
    findings = len(made[1])
    assert findings == 2 and [(e.findings, e.decided) for e in entries] == [(findings, 0), (findings, 1)]
    row = entries[1].to_dict()
    assert row["created"] == "2025-06-15T15:06:40Z" and row["expires"] == "2025-07-15T15:06:40Z"
    assert [e.id for e in store.entries(limit=1)] == [second]


def test_cap_and_delete(tmp_path, made):
    store = ReviewStore(tmp_path, max_reviews=2)
    first = _quick(store, "Montefalco", made)
    _quick(store, "Spello", made)
    with pytest.raises(StoreFull, match="full"):
        store.ensure_room()
    with pytest.raises(StoreFull):
        _quick(store, "Bevagna", made)
    _assert_kept(tmp_path, "Montefalco")
    store.delete(first)
    _assert_gone(tmp_path, "Montefalco")
    _assert_kept(tmp_path, "Spello")
    with pytest.raises(NotFound):
        store.delete(first)
    _quick(store, "Bevagna", made)  # room again
    assert store.count() == 2


def test_a_file_from_before_the_findings_column(tmp_path, made):
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    db.executescript("CREATE TABLE reviews (id TEXT PRIMARY KEY, created REAL NOT NULL, source TEXT NOT NULL, "
                     "translation TEXT NOT NULL, markup TEXT NOT NULL, report TEXT NOT NULL, baseline TEXT NOT NULL);")
    db.execute("INSERT INTO reviews VALUES ('old', 1, 'a', 'b', 'text', ?, ?)", (json.dumps(made[0]), json.dumps(made[1])))
    db.commit()
    db.close()
    store = ReviewStore(tmp_path)
    assert [(e.id, e.findings) for e in store.entries()] == [("old", len(made[1]))]
    _quick(store, "Norcia", made)
    assert store.count() == 2


# ---------------------------------------------------------------- a real server over HTTP

def _create_over_http(server, place: str) -> dict:
    response = httpx.post(server.url + "/v1/reviews", json=_texts(place), headers=server.auth, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def _one_line_error(response, status: int, fragment: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and fragment in body["error"], body


def test_retention_over_http_after_a_restart(tmp_path):
    with serving(tmp_path, "--keep-days", "30") as server:
        old = _create_over_http(server, "Gradara")
        listed = httpx.get(server.url + "/v1/reviews").json()
        assert [row["id"] for row in listed["reviews"]] == [old["id"]] and listed["keep_days"] == 30
        row = listed["reviews"][0]
        assert row["created"].endswith("Z") and row["findings"] == old["findings"] == 2 and row["decided"] == 0
    _assert_kept(tmp_path, "Gradara")
    with serving(tmp_path, "--keep-days", "30", "--clock-offset-days", "29") as server:  # 29 days on: still kept
        assert [row["id"] for row in httpx.get(server.url + "/v1/reviews").json()["reviews"]] == [old["id"]]
    with serving(tmp_path, "--keep-days", "30", "--clock-offset-days", "31") as server:  # 31 days on: gone at start-up
        _assert_gone(tmp_path, "Gradara")
        assert httpx.get(server.url + "/v1/reviews").json()["reviews"] == []
        _one_line_error(httpx.get(f"{server.url}/v1/reviews/{old['id']}"), 404, "no review")
        _one_line_error(httpx.get(f"{server.url}/reviews/{old['id']}"), 404, "no review")


def test_list_delete_cap_and_page_behind_the_token(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    data = tmp_path / "data"
    data.mkdir()
    with serving(data, "--token-file", str(token_file), "--max-reviews", "2", token=TOKEN) as server:
        auth = server.auth
        first = _create_over_http(server, "Torrechiara")
        second = _create_over_http(server, "Fontanellato")
        full = httpx.post(server.url + "/v1/reviews", json=_texts("Soragna"), headers=auth, timeout=120)
        _one_line_error(full, 507, "full")
        assert httpx.put(f"{server.url}/v1/reviews/{first['id']}/findings/1", json={"status": "rejected"},
                         headers=auth).status_code == 200

        for method, route in [("GET", "/v1/reviews"), ("DELETE", f"/v1/reviews/{first['id']}"), ("GET", "/reviews")]:
            for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"}):
                _one_line_error(httpx.request(method, server.url + route, headers=headers), 401, "token")
        listed = httpx.get(server.url + "/v1/reviews", headers=auth)
        assert listed.status_code == 200
        body = listed.json()
        assert body["total"] == 2 and body["max_reviews"] == 2 and body["keep_days"] == 30
        assert [(r["id"], r["findings"], r["decided"], r["url"]) for r in body["reviews"]] == [
            (second["id"], 2, 0, second["url"]), (first["id"], 2, 1, first["url"])]  # newest first

        page = httpx.get(server.url + "/reviews", headers=auth)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert f'href="/reviews/{first["id"]}"' in page.text and f'href="/reviews/{second["id"]}"' in page.text
        assert "<script" not in page.text and "Torrechiara" not in page.text  # a list of ids: no article text
        for route in ("/", first["url"]):
            assert 'href="/reviews"' in httpx.get(server.url + route, headers=auth).text

        _assert_kept(data, "Torrechiara")
        deleted = httpx.delete(f"{server.url}/v1/reviews/{first['id']}", headers=auth)
        assert deleted.status_code == 204 and deleted.content == b""
        _assert_gone(data, "Torrechiara")
        _assert_kept(data, "Fontanellato")
        _one_line_error(httpx.delete(f"{server.url}/v1/reviews/{first['id']}", headers=auth), 404, "no review")
        _one_line_error(httpx.get(f"{server.url}/v1/reviews/{first['id']}", headers=auth), 404, "no review")
        assert [r["id"] for r in httpx.get(server.url + "/v1/reviews", headers=auth).json()["reviews"]] == [second["id"]]
        _create_over_http(server, "Soragna")  # room again

        schema = httpx.get(server.url + "/openapi.json", headers=auth).json()
        assert "507" in schema["paths"]["/v1/reviews"]["post"]["responses"]
        assert "204" in schema["paths"]["/v1/reviews/{review_id}"]["delete"]["responses"]
        assert "get" in schema["paths"]["/v1/reviews"]
        _one_line_error(httpx.get(server.url + "/v1/reviews?limit=0", headers=auth), 422, "limit")
