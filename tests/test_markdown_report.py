"""The Markdown report as a real CommonMark + GFM renderer (markdown-it-py) shows it: diffs as <s>/<strong>, article text literal."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import tq
from tq.report.markdown import render_markdown

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is not installed (pip install -e '.[test]')")


def _renderer():
    """CommonMark with GFM's tables and strikethrough; raw HTML allowed, as on GitHub (so escaping must hold)."""
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _Sides(HTMLParser):
    """Text before and after a rendered diff: before skips <strong> (insertions), after skips <s>/<del> (deletions)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.before: list[str] = []
        self.after: list[str] = []
        self.deleted: list[str] = []
        self.inserted: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if "strong" in self.stack:
            self.inserted.append(data)
        else:
            self.before.append(data)
        if "s" in self.stack or "del" in self.stack:
            self.deleted.append(data)
        else:
            self.after.append(data)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("␣", " ")).strip()


@pytest.fixture(scope="module")
def demo_report(corpus):
    return tq.check(Path(corpus / "it.txt"), Path(corpus / "en.txt"), lm="none", mt="none")


def test_demo_diffs_render_as_deletions_and_insertions(demo_report):
    markdown = render_markdown(demo_report)
    md = _renderer()
    html = md.render(markdown)
    assert "**" not in html and "~~" not in html and "\\" not in html  # every delimiter and escape was consumed
    assert html.count("<table>") == sum(1 for p in demo_report.pairs if p.findings)
    with_suggestion = [p for p in demo_report.pairs if p.suggestion]
    lines = [line for line in markdown.splitlines() if line.startswith("- **Suggestion:** ")]
    assert len(lines) == len(with_suggestion) >= 5
    for pair, line in zip(with_suggestion, lines):
        sides = _Sides()
        sides.feed(md.renderInline(line.removeprefix("- **Suggestion:** ")))
        # the struck-through and bold parts rebuild both sentences: nothing lost, nothing left as markup
        assert _flat("".join(sides.before)) == _flat(pair.target), line
        assert _flat("".join(sides.after)) == _flat(pair.suggestion), line
        assert sides.deleted or sides.inserted, line
    deleted = " ".join(re.findall(r"<s>(.*?)</s>", html))
    inserted = " ".join(re.findall(r"<strong>(.*?)</strong>", html))
    for word in ("dont", "RussiaUkraine", "Anthony", "Kiev"):
        assert word in deleted
    for word in ("don’t", "Russia-Ukraine", "Antony", "Kyiv", "—", "the Defense"):
        assert word in inserted


HOSTILE_IT = "Il ministro ha scritto <script>alert(1)</script> & *grassetto* _corsivo_ [link](http://x.it) `codice` | tubo ~~no~~."
HOSTILE_EN = "The minister dont wrote <script>alert(1)</script> & *bold* _italic_ [link](http://x.it) `code` | pipe ~~no~~."


def test_article_text_never_becomes_markup():
    report = tq.check_pairs([HOSTILE_IT], [HOSTILE_EN], lm="none", mt="none", verify_languages=False)
    assert report.pairs[0].findings and report.pairs[0].suggestion  # 'dont': a table row and a suggestion line
    html = _renderer().render(render_markdown(report))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<em>" not in html and "<a " not in html and "<code>code</code>" not in html
    text = unescape(re.sub(r"<[^>]+>", "", html))
    for literal in ("*bold* _italic_ [link](http://x.it) `code` | pipe ~~no~~.", "<script>alert(1)</script> & *bold*"):
        assert literal in text
    assert "<s>dont</s><strong>don’t</strong>" in html
    assert html.count("<tr>") == 1 + len(report.pairs[0].findings)  # the pipe in the text did not split the table
