"""The HTML report in a real headless Chromium: spans highlighted and visible, tooltips, filters, no script injection.

Needs a chromium binary and its chromedriver (Debian: ``apt-get install chromium chromium-driver``; ``.ci/run``
installs them). Without them these tests skip and say why.
"""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from tq.report.html import render_html, render_html_fragment

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MINOR_BACKGROUND = (255, 243, 160)  # mark.minor in the template's CSS


def _binaries() -> tuple[str, str]:
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    driver = shutil.which("chromedriver") or next((p for p in ("/usr/lib/chromium/chromedriver",) if Path(p).exists()), None)
    if not browser or not driver:
        pytest.skip("no chromium and chromedriver on PATH (Debian: apt-get install chromium chromium-driver; .ci/run does it)")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (starting it takes a second or two)."""
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _binaries()
    options = Options()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def _no_alert(driver) -> bool:
    try:
        WebDriverWait(driver, 1).until(expected_conditions.alert_is_present())
    except TimeoutException:
        return True
    driver.switch_to.alert.dismiss()
    return False


def _tip(driver):
    return driver.find_element(By.CSS_SELECTOR, ".tq-tip")


def test_demo_report_in_browser(browser, run_tq, corpus, tmp_path):
    out = tmp_path / "report.html"
    done = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", "html", "-o", out, "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    data = json.loads(run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", "json", "--fail-on", "never").stdout)
    html = out.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html  # self-contained
    browser.get(out.as_uri())
    assert _no_alert(browser)

    spans = [(pair, n, f) for pair in data["pairs"] for n, f in enumerate(pair["findings"]) if f["end"] > f["start"]]
    assert len(spans) >= 5
    for pair, n, f in spans:
        number = pair["index"] + 1
        row = browser.find_element(By.CSS_SELECTOR, f'section.pair[data-segment="{number}"]')
        marks = [m for m in row.find_elements(By.CSS_SELECTOR, ".tgt mark") if f"f{number}-{n}" in m.get_attribute("data-findings").split()]
        assert marks, f"segment {number}: no highlight for {f['check']} {f['text']!r}"
        flagged = "".join(browser.execute_script("return arguments[0].textContent", m) for m in marks)
        assert flagged == pair["target"][f["start"]:f["end"]]
        for mark in marks:
            assert mark.is_displayed()
            assert f["severity"] in mark.get_attribute("class").split() or "multi" in mark.get_attribute("class")
            assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")

    # Hover shows the message, check id and confidence; moving away hides it; keyboard focus shows it too.
    pair, n, f = spans[0]
    mark = browser.find_element(By.CSS_SELECTOR, f'mark[data-findings~="f{pair["index"] + 1}-{n}"]')
    assert not _tip(browser).is_displayed()
    ActionChains(browser).move_to_element(mark).perform()
    WebDriverWait(browser, 2).until(lambda d: _tip(d).is_displayed())
    assert f["message"] in _tip(browser).text and f["check"] in _tip(browser).text and "confidence" in _tip(browser).text
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()
    WebDriverWait(browser, 2).until(lambda d: not _tip(d).is_displayed())
    pair, n, f = spans[-1]
    mark = browser.find_element(By.CSS_SELECTOR, f'mark[data-findings~="f{pair["index"] + 1}-{n}"]')
    assert mark.get_attribute("tabindex") == "0"
    browser.execute_script("arguments[0].focus()", mark)
    WebDriverWait(browser, 2).until(lambda d: _tip(d).is_displayed())
    assert f["message"] in _tip(browser).text
    browser.execute_script("arguments[0].blur()", mark)

    # Clean pairs are collapsed: their English is in the page but not shown until opened.
    clean = [p for p in data["pairs"] if not p["findings"] and not p["low_confidence"]]
    assert clean
    row = browser.find_element(By.CSS_SELECTOR, f'section.pair[data-segment="{clean[0]["index"] + 1}"]')
    assert row.find_element(By.TAG_NAME, "details").get_attribute("open") is None
    assert not row.find_element(By.CSS_SELECTOR, ".tgt").is_displayed()

    # Screenshot: not blank, and the minor highlight colour is really painted.
    from PIL import Image

    png = browser.get_screenshot_as_png()
    (tmp_path / "report.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 100, "the screenshot is (nearly) blank"
    assert any(rgb == MINOR_BACKGROUND for _, rgb in colours)

    # Filters: unticking "minor" hides the minor-only pairs and keeps the others; a check filter keeps only its pairs.
    def visible() -> set[int]:
        return {int(s.get_attribute("data-segment")) for s in browser.find_elements(By.CSS_SELECTOR, "section.pair") if s.is_displayed()}

    everything = {p["index"] + 1 for p in data["pairs"]}
    assert visible() == everything
    browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="minor"]').click()
    expected = {p["index"] + 1 for p in data["pairs"] if not p["findings"] or any(x["severity"] != "minor" for x in p["findings"])}
    assert visible() == expected and expected != everything
    browser.find_element(By.CSS_SELECTOR, 'input[name="severity"][value="minor"]').click()
    Select(browser.find_element(By.CSS_SELECTOR, 'select[name="check"]')).select_by_value("names")
    expected = {p["index"] + 1 for p in data["pairs"] if any(x["check"] == "names" for x in p["findings"])}
    assert visible() == expected and 0 < len(expected) < len(everything)
    assert f"{len(expected)} of {len(everything)} pairs shown" in browser.find_element(By.CSS_SELECTOR, ".tq-shown").text


HOSTILE_IT = ("Il ministro ha detto che <script>alert(1)</script> non è un problema & che Tom & Jerry sono amici. "
              "Poi ha scritto <img src=x onerror=\"window.__pwned=1\"> nel comunicato ufficiale del governo.\n")
HOSTILE_EN = ("The minister said that <script>alert(1)</script> is not a problem & that Tom & Jerry dont argue. "
              "Then he wrote <img src=x onerror=\"window.__pwned=1\"> in the official government statement.\n")


def test_hostile_text_stays_text(browser, run_tq, corpus, tmp_path):
    it, en = tmp_path / "it.txt", tmp_path / "en.txt"
    it.write_text(corpus.joinpath("it.txt").read_text(encoding="utf-8") + "\n" + HOSTILE_IT, encoding="utf-8")
    en.write_text(corpus.joinpath("en.txt").read_text(encoding="utf-8") + "\n" + HOSTILE_EN, encoding="utf-8")
    out = tmp_path / "report.html"
    done = run_tq("check", it, en, "--format", "html", "-o", out, "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert "<script>alert(1)" not in out.read_text(encoding="utf-8")
    browser.get(out.as_uri())
    assert _no_alert(browser)
    assert browser.execute_script("return window.__pwned") is None
    shown = browser.find_element(By.TAG_NAME, "body").text  # the flagged pair is open, the clean one collapsed
    assert "<script>alert(1)</script>" in shown and "Tom & Jerry" in shown
    assert '<img src=x onerror="window.__pwned=1">' in browser.execute_script("return document.body.textContent")
    assert not browser.find_elements(By.CSS_SELECTOR, ".tgt img, .src img, .tgt script, .src script")
    mark = browser.find_element(By.XPATH, "//section[contains(., 'Tom & Jerry')]//mark")  # 'dont' is flagged next to it
    assert mark.text == "dont"


def test_notebook_fragment_in_browser(browser, tmp_path):
    """What Jupyter shows (Report._repr_html_): two reports on one page, each with its own working script."""
    import tq

    report = tq.check_pairs(["Il ministro ha detto <script>alert(1)</script> che Tom & Jerry non litigano mai."],
                            ["The minister said <script>alert(1)</script> that Tom & Jerry dont ever argue."], lm="none", mt="none")
    fragment = report._repr_html_()
    assert fragment.lstrip().startswith('<div class="tq-report"') and "<html" not in fragment
    page = tmp_path / "notebook.html"
    page.write_text(f"<!DOCTYPE html><meta charset=utf-8><body>{fragment}{render_html_fragment(report)}</body>", encoding="utf-8")
    browser.get(page.as_uri())
    assert _no_alert(browser)
    marks = browser.find_elements(By.CSS_SELECTOR, "mark")
    assert [m.text for m in marks] == ["dont", "dont"]
    for mark in marks:  # each fragment's script wired its own tooltip
        browser.execute_script("arguments[0].focus()", mark)
        root = mark.find_element(By.XPATH, "ancestor::div[@class='tq-report']")
        WebDriverWait(browser, 2).until(lambda d, root=root: root.find_element(By.CSS_SELECTOR, ".tq-tip").is_displayed())
    assert "<script>alert(1)</script>" in browser.find_element(By.TAG_NAME, "body").text
    assert render_html(report).startswith("<!DOCTYPE html>")
