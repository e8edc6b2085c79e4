"""The review page in a real headless Chromium against a real `tq serve`: an editor pastes the demo, accepts
three fixes, rejects one and edits one; the decisions survive a reload and a SIGKILL of the server; the
download is exactly the translation with those edits, and the rejected findings make a baseline tq check reads.
The same review with the keyboard alone (j/k, a, r, e, u, m): the word diff of an edit shows before it is saved,
the major+ filter hides the rest and j/k skip what it hides, the progress line follows each decision.

Needs chromium and chromedriver (``.ci/run`` installs them); without them these tests skip and say why.
"""
from __future__ import annotations

import json
import re

import pytest

import tq

from conftest import DEMO, MODELS_OFF
from serving import Server
from test_html_report import browser  # noqa: F401  (the headless Chromium fixture)

httpx = pytest.importorskip("httpx")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

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


def _expected(translation: str, accepted: list[dict], edited: dict, text: str) -> str:
    """The translation with the accepted suggestions and the one edit applied (what the download must be)."""
    edits = sorted([(f["doc_start"], f["doc_end"], f["suggestion"]) for f in accepted] + [(edited["doc_start"], edited["doc_end"], text)])
    for start, end, replacement in reversed(edits):
        translation = translation[:start] + replacement + translation[end:]
    return translation


def _keys(driver, *keys: str) -> None:
    """Keys typed as a person types them: to whatever has the focus (the page's body, a finding, the edit box)."""
    ActionChains(driver).send_keys(*keys).perform()


def _current(driver) -> int | None:
    return driver.execute_script("const c = document.querySelector('li.finding.current'); return c ? Number(c.dataset.number) : null;")


def _go(driver, number: int) -> None:
    """j/k until finding ``number`` is the current one; it has the focus and is on screen."""
    for _ in range(200):
        at = _current(driver)
        if at == number:
            break
        _keys(driver, "j" if at is None or at < number else "k")
    item = driver.find_element(By.ID, f"finding-{number}")
    assert _current(driver) == number and driver.switch_to.active_element == item
    assert driver.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", item)


def _diff(driver, element) -> tuple[str, str, list[str], list[str]]:
    """A word diff read back: the text before, the text after, the deleted and the inserted pieces."""
    return tuple(driver.execute_script("""
        let before = "", after = "";
        const del = [], ins = [];
        for (const node of arguments[0].childNodes) {
          const text = node.textContent;
          if (node.nodeName === "DEL") { before += text; del.push(text); }
          else if (node.nodeName === "INS") { after += text; ins.push(text); }
          else { before += text; after += text; }
        }
        return [before, after, del, ins];""", element))


def _demo_server(tmp_path) -> tuple[str, str, Server]:
    """The demo's texts and a real `tq serve` on a fresh data folder."""
    data = tmp_path / "data"
    data.mkdir()
    return (DEMO / "it.txt").read_text("utf-8"), (DEMO / "en.txt").read_text("utf-8"), Server(data)


def _visible(driver) -> list[int]:
    return [int(li.get_attribute("data-number")) for li in driver.find_elements(By.CSS_SELECTOR, "li.finding") if li.is_displayed()]


def _wait_text(driver, element_id: str, text: str) -> None:
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, element_id).text == text)


def test_review_page_decisions_survive_reload_and_sigkill(browser, tmp_path):  # noqa: F811
    source, translation, server = _demo_server(tmp_path)
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
        field = item.find_element(By.CSS_SELECTOR, "textarea.edit-text")
        field.clear()
        field.send_keys("an editor's words")
        item.find_element(By.CSS_SELECTOR, "button[data-action=edited]").click()
        _wait_state(browser, edited["number"], "edited")

        expected_states = {**{f["number"]: "accepted" for f in accepted}, rejected["number"]: "rejected", edited["number"]: "edited"}
        browser.refresh()
        assert {n: _state(browser, n) for n in expected_states} == expected_states
        assert sum(_state(browser, f["number"]) == "open" for f in findings) == len(findings) - 5

        expected = _expected(translation, accepted, edited, "an editor's words")
        link = browser.find_element(By.ID, "download").get_attribute("href")
        assert httpx.get(link).content == expected.encode("utf-8")  # exactly the accepted edits, byte for byte elsewhere

        baseline = tmp_path / "rejected.json"
        baseline.write_bytes(httpx.get(browser.find_element(By.ID, "download-baseline").get_attribute("href")).content)
        assert [e["check"] for e in json.loads(baseline.read_text())["entries"]] == [rejected["check"]]
        left = tq.check(source, translation, baseline=baseline, **MODELS_OFF)
        assert len(left.findings) == len(findings) - 1

        server.stop(kill=True)  # SIGKILL: nothing is flushed on the way out
        server = Server(tmp_path / "data")  # the same data folder
        browser.get(f"{server.url}/reviews/{review_id}")
        assert {n: _state(browser, n) for n in expected_states} == expected_states
        assert httpx.get(f"{server.url}/v1/reviews/{review_id}/translation").content == expected.encode("utf-8")
    finally:
        server.stop()


def test_review_page_escapes_article_text(browser, tmp_path):  # noqa: F811
    """Markup in an article is text on the page, never markup or script (and the CSP forbids inline script)."""
    source, translation, server = _demo_server(tmp_path)
    try:
        translation = translation.replace("Ukraine", "Ukraine <img src=x onerror=alert(1)>", 1)
        created = httpx.post(server.url + "/v1/reviews", json={"source": source, "translation": translation}, timeout=WAIT).json()
        browser.get(server.url + created["url"])
        assert "<img src=x onerror=alert(1)>" in browser.find_element(By.TAG_NAME, "body").text
        assert not browser.find_elements(By.CSS_SELECTOR, ".tgt img")
    finally:
        server.stop()


def test_review_page_with_the_keyboard_alone(browser, tmp_path):  # noqa: F811
    source, translation, server = _demo_server(tmp_path)
    try:
        created = httpx.post(server.url + "/v1/reviews", json={"source": source, "translation": translation}, timeout=WAIT).json()
        findings = httpx.get(f"{server.url}/v1/reviews/{created['id']}").json()["findings"]
        total = len(findings)
        browser.get(server.url + created["url"])
        assert browser.find_element(By.ID, "progress").text == f"0 of {total} decided"
        assert {kbd.text for kbd in browser.find_elements(By.CSS_SELECTOR, "#keys kbd")} >= {*"jkareum", "Enter", "Esc"}

        accepted = _disjoint(findings, 3, [], fixable=True)
        edited = next(f for f in _disjoint(findings, total - 3, accepted, fixable=False) if len(f["text"].split()) >= 2)
        rejected = next(f for f in findings if f not in accepted and f is not edited)
        decided = 0
        for finding in accepted:
            _go(browser, finding["number"])
            preview = browser.find_element(By.CSS_SELECTOR, f"#finding-{finding['number']} .accept-diff")
            assert preview.is_displayed()  # what the accept changes, before it is pressed
            before, after, deleted, inserted = _diff(browser, preview)
            assert (before, after) == (finding["text"], finding["suggestion"]) and (deleted or inserted)
            _keys(browser, "a")
            _wait_state(browser, finding["number"], "accepted")
            decided += 1
            _wait_text(browser, "progress", f"{decided} of {total} decided")

        _go(browser, rejected["number"])
        _keys(browser, "r")
        _wait_state(browser, rejected["number"], "rejected")
        _wait_text(browser, "progress", f"{decided + 1} of {total} decided")
        _keys(browser, "u")  # undo: back to open, and the count with it
        _wait_state(browser, rejected["number"], "open")
        _wait_text(browser, "progress", f"{decided} of {total} decided")
        _keys(browser, "r")
        _wait_state(browser, rejected["number"], "rejected")
        decided += 1

        # edit: replace the flagged text's last word; the diff shows it struck and the new words marked, unsaved
        number, flagged = edited["number"], edited["text"]
        last = re.search(r"\S+(?=\s*$)", flagged)
        text = flagged[:last.start()] + "editor's words" + flagged[last.end():]
        _go(browser, number)
        item = browser.find_element(By.ID, f"finding-{number}")
        _keys(browser, "e")
        field = item.find_element(By.CSS_SELECTOR, "textarea.edit-text")
        assert field.is_displayed() and browser.switch_to.active_element == field
        ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
        _keys(browser, text)  # j, k, a, r, e, u typed here are text, not shortcuts
        diff = item.find_element(By.CSS_SELECTOR, ".edit-diff")
        assert diff.is_displayed()
        before, after, deleted, inserted = _diff(browser, diff)
        assert (before, after) == (flagged, text)
        assert deleted == [last.group()] and inserted == ["editor's words"]
        assert [d.text for d in diff.find_elements(By.TAG_NAME, "del")] == [last.group()]
        assert _state(browser, number) == "open" and _current(browser) == number  # nothing saved yet
        assert browser.find_element(By.ID, "progress").text == f"{decided} of {total} decided"
        _keys(browser, Keys.ENTER)
        _wait_state(browser, number, "edited")
        decided += 1
        _wait_text(browser, "progress", f"{decided} of {total} decided")
        assert not field.is_displayed() and browser.switch_to.active_element == item

        # Escape leaves an edit unsaved: the box closes, the finding stays open, its text as it was
        other = next(f for f in findings if _state(browser, f["number"]) == "open")
        _go(browser, other["number"])
        other_field = browser.find_element(By.CSS_SELECTOR, f"#finding-{other['number']} textarea.edit-text")
        kept = other_field.get_attribute("value")
        _keys(browser, "e", "ignored words", Keys.ESCAPE)
        assert not other_field.is_displayed() and other_field.get_attribute("value") == kept
        assert _state(browser, other["number"]) == "open" and _current(browser) == other["number"]

        # major+ only: minor findings hidden, the count line says so, j/k skip them
        major_plus = [f["number"] for f in findings if f["severity"] in ("major", "critical")]
        assert 0 < len(major_plus) < total
        _keys(browser, "m")
        assert _visible(browser) == major_plus
        shown = [li for li in browser.find_elements(By.CSS_SELECTOR, "li.finding") if li.is_displayed()]
        assert {li.get_attribute("data-severity") for li in shown} <= {"major", "critical"}
        assert browser.find_element(By.ID, "shown").text == f"showing {len(major_plus)} of {total} findings"
        assert not browser.find_element(By.CSS_SELECTOR, "#filters input[value=minor]").is_selected()
        visited = []
        for _ in range(len(major_plus) + 1):
            _keys(browser, "j")
            visited.append(_current(browser))
        assert set(visited) <= set(major_plus) and visited == sorted(visited) and visited[-1] == major_plus[-1]
        backwards = []
        for _ in range(len(major_plus) - 1):
            _keys(browser, "k")
            backwards.append(_current(browser))
        assert backwards == major_plus[-2::-1]
        assert browser.find_element(By.ID, "progress").text == f"{decided} of {total} decided"
        _keys(browser, "m")
        assert _visible(browser) == [f["number"] for f in findings]
        Select(browser.find_element(By.ID, "filter-check")).select_by_value(edited["check"])
        assert _visible(browser) == [f["number"] for f in findings if f["check"] == edited["check"]]
        assert browser.find_element(By.ID, "shown").text == f"showing {len(_visible(browser))} of {total} findings"

        assert httpx.get(f"{server.url}/v1/reviews/{created['id']}").json()["decisions"]  # saved on the server
        link = browser.find_element(By.ID, "download").get_attribute("href")
        assert httpx.get(link).content == _expected(translation, accepted, edited, text).encode("utf-8")
    finally:
        server.stop()
