"""The review page in a real headless Chromium against a real `tq serve`: an editor pastes the demo, accepts
three fixes, rejects one and edits one; the decisions survive a reload and a SIGKILL of the server; the
download is exactly the translation with those edits, and the rejected findings make a baseline tq check reads.

Needs chromium and chromedriver (``.ci/run`` installs them); without them these tests skip and say why.
"""
from __future__ import annotations

import json

import pytest

import tq

from conftest import DEMO, MODELS_OFF
from serving import Server
from test_html_report import browser  # noqa: F401  (the headless Chromium fixture)

httpx = pytest.importorskip("httpx")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 120  # seconds: a check on a busy 2-core machine


def _disjoint(findings: list[dict], count: int, taken: list[dict], fixable: bool) -> list[dict]:
    """``count`` findings whose spans overlap none of ``taken`` nor each other (an edit of one span at a time)."""
    chosen: list[dict] = []
    for finding in findings:
        if fixable and finding["suggestion"] is None:
            continue
        spans = [(f["doc_start"], f["doc_end"]) for f in taken + chosen]
        if any(finding["doc_start"] < end and start < finding["doc_end"] or finding["doc_start"] == start for start, end in spans):
            continue
        chosen.append(finding)
        if len(chosen) == count:
            return chosen
    pytest.fail(f"the demo has fewer than {count} separate findings of that kind")


def _state(driver, number: int) -> str:
    return driver.find_element(By.ID, f"finding-{number}").get_attribute("data-status")


def _wait_state(driver, number: int, status: str) -> None:
    WebDriverWait(driver, 20).until(lambda d: _state(d, number) == status)


def test_review_page_decisions_survive_reload_and_sigkill(browser, tmp_path):  # noqa: F811
    source, translation = (DEMO / "it.txt").read_text("utf-8"), (DEMO / "en.txt").read_text("utf-8")
    data = tmp_path / "data"
    data.mkdir()
    server = Server(data)
    try:
        browser.get(server.url + "/")
        # paste: the textareas get the texts as a paste would give them
        browser.execute_script("document.getElementById('source').value = arguments[0];"
                               "document.getElementById('translation').value = arguments[1];", source, translation)
        browser.find_element(By.ID, "check").click()
        WebDriverWait(browser, WAIT).until(lambda d: "/reviews/" in d.current_url)
        review_id = browser.current_url.rsplit("/", 1)[1]
        findings = httpx.get(f"{server.url}/v1/reviews/{review_id}").json()["findings"]
        marks = browser.find_elements(By.CSS_SELECTOR, ".tgt mark")
        assert marks and len(browser.find_elements(By.CSS_SELECTOR, "li.finding")) == len(findings)

        accepted = _disjoint(findings, 3, [], fixable=True)
        edited = _disjoint(findings, 1, accepted, fixable=False)[0]
        rejected = next(f for f in findings if f not in accepted and f is not edited)
        for finding in accepted:
            browser.find_element(By.CSS_SELECTOR, f"#finding-{finding['number']} button[data-action=accepted]").click()
            _wait_state(browser, finding["number"], "accepted")
        browser.find_element(By.CSS_SELECTOR, f"#finding-{rejected['number']} button[data-action=rejected]").click()
        _wait_state(browser, rejected["number"], "rejected")
        item = browser.find_element(By.ID, f"finding-{edited['number']}")
        item.find_element(By.CSS_SELECTOR, "button[data-action=edit]").click()
        field = item.find_element(By.CSS_SELECTOR, "input.edit-text")
        field.clear()
        field.send_keys("an editor's words")
        item.find_element(By.CSS_SELECTOR, "button[data-action=edited]").click()
        _wait_state(browser, edited["number"], "edited")

        expected_states = {**{f["number"]: "accepted" for f in accepted}, rejected["number"]: "rejected", edited["number"]: "edited"}
        browser.refresh()
        assert {n: _state(browser, n) for n in expected_states} == expected_states
        assert sum(_state(browser, f["number"]) == "open" for f in findings) == len(findings) - 5

        edits = sorted([(f["doc_start"], f["doc_end"], f["suggestion"]) for f in accepted]
                       + [(edited["doc_start"], edited["doc_end"], "an editor's words")])
        expected = translation
        for start, end, replacement in reversed(edits):
            expected = expected[:start] + replacement + expected[end:]
        link = browser.find_element(By.ID, "download").get_attribute("href")
        assert httpx.get(link).content == expected.encode("utf-8")  # exactly the accepted edits, byte for byte elsewhere

        baseline = tmp_path / "rejected.json"
        baseline.write_bytes(httpx.get(browser.find_element(By.ID, "download-baseline").get_attribute("href")).content)
        assert [e["check"] for e in json.loads(baseline.read_text())["entries"]] == [rejected["check"]]
        left = tq.check(source, translation, baseline=baseline, **MODELS_OFF)
        assert len(left.findings) == len(findings) - 1

        server.stop(kill=True)  # SIGKILL: nothing is flushed on the way out
        server = Server(data)
        browser.get(f"{server.url}/reviews/{review_id}")
        assert {n: _state(browser, n) for n in expected_states} == expected_states
        assert httpx.get(f"{server.url}/v1/reviews/{review_id}/translation").content == expected.encode("utf-8")
    finally:
        server.stop()


def test_review_page_escapes_article_text(browser, tmp_path):  # noqa: F811
    """Markup in an article is text on the page, never markup or script (and the CSP forbids inline script)."""
    data = tmp_path / "data"
    data.mkdir()
    server = Server(data)
    try:
        source = (DEMO / "it.txt").read_text("utf-8")
        translation = (DEMO / "en.txt").read_text("utf-8").replace("Ukraine", "Ukraine <img src=x onerror=alert(1)>", 1)
        created = httpx.post(server.url + "/v1/reviews", json={"source": source, "translation": translation}, timeout=WAIT).json()
        browser.get(server.url + created["url"])
        assert "<img src=x onerror=alert(1)>" in browser.find_element(By.TAG_NAME, "body").text
        assert not browser.find_elements(By.CSS_SELECTOR, ".tgt img")
    finally:
        server.stop()
