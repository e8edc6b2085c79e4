"""HTML and Markdown articles (tq.markup): checked as their plain text, findings placed and fixes written in the markup.

The demo article is built as HTML (a <h1> headline, <p> paragraphs, a link whose href has an entity, <em>, entities
for the apostrophes, a comment, a script) and as Markdown; both must give the plain text's findings, and tq fix must
give the plain text's fixes with every tag untouched. One fix ("RussiaUkraine" -> "Russia-Ukraine") is made to cross
a tag on purpose: it is not written and is left for an editor.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import tq
from tq.cli import main
from tq.fixes import apply
from tq.markup import read_markup
from tq.read import read_document
from tq.segment import segment
from tq.types import Document, TqError

from conftest import MODELS_OFF

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "us-uk-putin-talks"
IT, EN = DEMO / "it.txt", DEMO / "en.txt"
HREF = "https://example.org/x?a=1&b=2"
LINKED = {"en": "The latest news about the war in Ukraine", "it": "Le ultime notizie sulla guerra in Ucraina"}
EMPHASISED = {"en": "Times of London", "it": "Times di Londra"}
ACROSS = "RussiaUkraine"  # its fix crosses the tag put inside it


def as_html(text: str, language: str) -> str:
    blocks = []
    for number, block in enumerate(text.strip("\n").split("\n\n")):
        body = html.escape(block, quote=False).replace("’", "&rsquo;").replace("«", "&laquo;")
        body = body.replace(LINKED[language], f'<a href="{html.escape(HREF)}">{LINKED[language]}</a>')
        body = body.replace(EMPHASISED[language], f"<em>{EMPHASISED[language]}</em>")
        body = body.replace(ACROSS, "<b>Russia</b>Ukraine")
        tag = "h1" if number == 0 else "p"
        blocks.append(f'<{tag} class="body">{body}</{tag}>')
    return ("<!DOCTYPE html>\n<html><head><title>Demo</title><style>p { margin: 0 }</style></head>\n<body>\n"
            "<!-- exported by the CMS -->\n" + "\n".join(blocks) + "\n<script>var seen = '<p>not text</p>';</script>\n</body></html>\n")


def as_markdown(text: str, language: str) -> str:
    blocks = []
    for number, block in enumerate(text.strip("\n").split("\n\n")):
        body = block.replace("’", "&rsquo;")
        body = body.replace(LINKED[language], f'[{LINKED[language]}]({HREF} "More")')
        body = body.replace(EMPHASISED[language], f"*{EMPHASISED[language]}*")
        body = body.replace(ACROSS, "**Russia**Ukraine")
        blocks.append(("# " if number == 0 else "") + body)
    return "\n\n".join(blocks) + "\n"


def strip_html(markup: str) -> str:
    """Text of an HTML fragment, by a regex: independent of tq.markup."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def tags(markup: str) -> list[str]:
    return re.findall(r"<[^>]*>", markup)


def markdown_syntax(markup: str) -> list[str]:
    """Headings, emphasis, link brackets and destinations: what a fix must leave alone."""
    return re.findall(r"^#+ |\*+|\[|\]\([^)]*\)", markup, re.M)


def findings(report) -> list[tuple[str, str, str, str]]:
    return sorted((f.check, f.category, f.severity, pair.target[f.start:f.end]) for pair, f in report.findings)


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("markup")
    paths = {"text": (IT, EN)}
    for kind, build, suffix in (("html", as_html, ".html"), ("markdown", as_markdown, ".md")):
        for language, plain in (("it", IT), ("en", EN)):
            (folder / f"{language}{suffix}").write_text(build(plain.read_text("utf-8"), language), "utf-8")
        paths[kind] = (folder / f"it{suffix}", folder / f"en{suffix}")
    return paths


@pytest.fixture(scope="module")
def checked(articles):
    return {kind: tq.check(*paths, **MODELS_OFF) for kind, paths in articles.items()}


@pytest.fixture(scope="module")
def fixed(articles):
    return {kind: tq.fix(*paths, **MODELS_OFF) for kind, paths in articles.items()}


# --- the map ---------------------------------------------------------------------------------------------------

def spans(mapped) -> list[tuple[str, str]]:
    return [(char, mapped.source[start:end]) for char, start, end in zip(mapped.text, mapped.starts, mapped.ends)]


def test_entities_decode_to_their_character_and_map_to_the_whole_entity():
    mapped = read_markup("<p>AT&amp;T&nbsp;costs &euro;5, it&#8217;s &#x2019; AT&T</p>", "html")
    assert mapped.text == "AT&T\xa0costs €5, it’s ’ AT&T"
    assert ("&", "&amp;") in spans(mapped) and ("\xa0", "&nbsp;") in spans(mapped) and ("€", "&euro;") in spans(mapped)
    assert ("’", "&#8217;") in spans(mapped) and ("’", "&#x2019;") in spans(mapped)
    assert spans(mapped)[-4:] == [("A", "A"), ("T", "T"), ("&", "&"), ("T", "T")]  # not an entity: plain characters
    assert mapped.span(11, 13) == (mapped.source.index("&euro;"), mapped.source.index("&euro;") + 7)
    start = mapped.text.index("it’s")
    assert mapped.edit_span(start, start + 4) is not None  # a whole entity may be replaced
    assert mapped.apply([(start, start + 4, "it is")]).count("it is") == 1


def test_nested_inline_tags_add_nothing_and_spans_never_include_them():
    source = "<p>a <a href='x?a=1&amp;b=2'><em><b>link</b></em></a> here</p>"
    mapped = read_markup(source, "html")
    assert mapped.text == "a link here"
    start, end = mapped.span(2, 6)
    assert source[start:end] == "link"
    start, end = mapped.span(2, 11)
    assert source[start:end] == "link</b></em></a> here"  # begins and ends on text
    assert mapped.edit_span(2, 6) == (source.index("link"), source.index("link") + 4)
    assert mapped.edit_span(2, 11) is None and mapped.edit_span(0, 3) is None  # across tags
    assert mapped.apply([(2, 6, "<link> & co")]) == "<p>a <a href='x?a=1&amp;b=2'><em><b>&lt;link&gt; &amp; co</b></em></a> here</p>"


def test_blocks_and_br_end_sentences_and_whitespace_collapses():
    mapped = read_markup("<h1>Title</h1>\n<p>one two<br>three\n   four<br/>five</p><ul><li>six</li><li>seven</li></ul>", "html")
    assert mapped.text == "Title\n\none two\n\nthree four\n\nfive\n\nsix\n\nseven"
    sentences = segment(Document(mapped.text, "en"))
    assert [s.text for s in sentences] == ["Title", "one two", "three four", "five", "six", "seven"]
    space = mapped.text.index("three") + 5
    assert spans(mapped)[space] == (" ", "\n   ")  # one space for the whole run
    assert mapped.span(space + 1, space + 1)[0] == mapped.source.index("four")


def test_comments_scripts_styles_and_head_are_dropped():
    source = ("<html><head><title>Not body</title><style>p {}</style><script>var a = '<p>x</p>';</script>\n<body>"
              "<!-- a <p>comment</p> --><p>Body <script>hidden()</script>text.</p><template><p>later</p></template></body></html>")
    assert read_markup(source, "html").text == "Body text."
    assert read_markup("<head><title>T</title><meta charset=utf-8><body><p>Shown.</p>", "html").text == "Shown."


def test_html_the_two_parsers_read_differently_is_refused(monkeypatch):
    import tq.markup

    monkeypatch.setattr(tq.markup, "_lxml_text", lambda source: "something else")
    with pytest.raises(TqError, match="reads differently to two parsers"):
        read_markup("<p>Some text.</p>", "html", "page.html")


def test_markdown_map():
    source = ('# Head *x*\n\nA [link](http://x?a=1&b=2 "title y") and \\*esc\\* &amp; &#8217; `co de`\nnext  \n'
              "line ![alt](i.png) <b>raw</b> <http://a.b>.\n\n> quote\n> more\n\n- one\n- two\n\n```\ncode\n```\n")
    mapped = read_markup(source, "markdown")
    assert mapped.text == "Head x\n\nA link and *esc* & ’ co de next\n\nline raw http://a.b.\n\nquote more\n\none\n\ntwo"
    assert ("*", "\\*") in spans(mapped) and ("&", "&amp;") in spans(mapped) and ("’", "&#8217;") in spans(mapped)
    assert all(char == part for char, part in spans(mapped) if len(part) == 1 and char != " ")
    start = mapped.text.index("link")
    assert mapped.apply([(start, start + 4, "a_b")]).startswith('# Head *x*\n\nA [a\\_b](http://x?a=1&b=2 "title y")')
    head = mapped.text.index("Head x")
    assert mapped.edit_span(head, head + 6) is None  # across the emphasis


def test_read_document_takes_markup_from_the_suffix_or_the_argument(tmp_path):
    page = tmp_path / "page.HTM"
    page.write_text("<p>One &amp; two.</p>", "utf-8")
    document = read_document(page, "en")
    assert document.text == "One & two." and document.markup is not None and document.markup.kind == "html"
    assert read_document(page, "en", markup="text").text == "<p>One &amp; two.</p>"
    assert read_document("<p>One &amp; two.</p>", "en").markup is None  # a str is plain unless told
    assert read_document(b"*One* two.", "en", markup="markdown").text == "One two."
    (tmp_path / "empty.html").write_text("<p><!-- nothing --></p>", "utf-8")
    with pytest.raises(TqError, match="holds no text"):
        read_document(tmp_path / "empty.html", "en")
    with pytest.raises(TqError, match="unknown markup"):
        read_document("x", "en", markup="rtf")  # type: ignore[arg-type]


# --- the demo as HTML and Markdown -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_markup_reads_as_the_plain_text(articles, kind):
    assert read_document(articles[kind][1], "en").text == EN.read_text("utf-8").strip("\n")


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_check_finds_what_it_finds_in_the_plain_text(checked, kind):
    assert findings(checked[kind]) == findings(checked["text"]) and findings(checked["text"])


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_each_finding_points_at_its_text_in_the_markup(articles, checked, kind):
    source = articles[kind][1].read_text("utf-8")
    report = checked[kind].to_dict()
    flagged = [f for pair in report["pairs"] for f in pair["findings"]]
    assert flagged
    for finding in flagged:
        start, end = finding["markup_start"], finding["markup_end"]
        piece = source[start:end]
        if kind == "html":
            assert strip_html(piece) == finding["text"], finding
            assert not piece.startswith("<") and not piece.endswith(">")  # text only at both ends
        else:
            assert re.sub(r"\*+", "", piece).replace("&rsquo;", "’") == finding["text"], finding
        if "<" not in piece and "&" not in piece and "*" not in piece:
            assert piece == finding["text"]
    across = next(f for f in flagged if f["text"] == ACROSS)
    assert source[across["markup_start"]:across["markup_end"]] in ("Russia</b>Ukraine", "Russia**Ukraine")


def test_plain_text_reports_have_no_markup_offsets(checked):
    assert checked["text"].translation_markup is None
    assert all("markup_start" not in f for pair in checked["text"].to_dict()["pairs"] for f in pair["findings"])


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_fix_writes_the_plain_fixes_into_the_markup_and_leaves_every_tag(articles, fixed, kind):
    plain, result = fixed["text"], fixed[kind]
    original = articles[kind][1].read_text("utf-8")
    assert result.original == original and result.diff.startswith(f"--- {articles[kind][1]}\n+++ <fixed>\n")
    # the fix across a tag is not written, and is left for an editor; every other fix is the plain text's
    assert [(f.after, f.before) for f in result.unwritable] == [
        ("Russia-Ukraine", "Russia</b>Ukraine" if kind == "html" else "Russia**Ukraine")]
    wanted = [f for f in plain.applied if f.before != ACROSS]
    assert len(wanted) == len(plain.applied) - 1 and not result.rejected
    assert [(f.before.replace("&rsquo;", "’"), f.after) for f in result.applied] == [(f.before, f.after) for f in wanted]
    for fix in result.applied:  # offsets into the markup file
        assert original[fix.start:fix.end] == fix.before and fix.line == original.count("\n", 0, fix.start) + 1
    expected = apply(plain.original, wanted)
    assert read_markup(result.text, kind).text == expected.strip("\n")
    if kind == "html":
        assert tags(result.text) == tags(original)  # every tag, attributes included, in order
        assert f'href="{html.escape(HREF)}"' in result.text
    else:
        assert markdown_syntax(result.text) == markdown_syntax(original)
    assert result.left == plain.left + 1 and ACROSS in {p.target[f.start:f.end] for p, f in result.checked.findings}
    assert result.summary() == (f"{len(wanted)} fixes applied (1 across markup, not written), "
                                f"{result.left} findings left for an editor")
    # the re-check was of the fixed markup: its findings point into the written file
    for pair, finding in result.checked.findings:
        start, end = result.checked.markup_span(pair, finding)
        assert strip_html(re.sub(r"\*+", "", result.text[start:end])) == pair.target[finding.start:finding.end]


@pytest.mark.parametrize("kind", ["html", "markdown"])
def test_a_bom_and_crlf_line_ends_survive_the_fix(articles, fixed, tmp_path, kind):
    source, translation = articles[kind]
    crlf = tmp_path / translation.name
    crlf.write_bytes(b"\xef\xbb\xbf" + translation.read_bytes().replace(b"\n", b"\r\n"))
    assert read_document(crlf, "en").text == read_document(translation, "en").text  # breaks between blocks are the reader's
    result = tq.fix(source, crlf, **MODELS_OFF)
    assert result.encoded() == b"\xef\xbb\xbf" + fixed[kind].text.replace("\n", "\r\n").encode("utf-8")


def test_cli_checks_and_fixes_html_files(articles, fixed, tmp_path, capsys):
    source, translation = articles["html"]
    before = translation.read_bytes()
    with pytest.raises(SystemExit):
        main(["check", str(source), str(translation), "--format", "json", "--lm", "none", "--mt", "none"])
    report = json.loads(capsys.readouterr().out)
    assert all("markup_start" in f for pair in report["pairs"] for f in pair["findings"])
    out = tmp_path / "en.fixed.html"
    with pytest.raises(SystemExit) as exit_:
        main(["fix", str(source), str(translation), "-o", str(out), "--lm", "none", "--mt", "none"])
    assert exit_.value.code == 0
    assert out.read_text("utf-8") == fixed["html"].text and translation.read_bytes() == before
