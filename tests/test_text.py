"""Word frequencies and lemmas read from tq's cache are wordfreq's and simplemma's own values."""
from __future__ import annotations

import simplemma
import wordfreq

from tq.lexicon import lemmatize
from tq.text import WORD, zipf

from conftest import CORPORA

TRICKY = ["km²", "İzmir", "ﬁnal", "naïve", "NAÏVE", "l'acqua", "don't", "co-operate", "1990s", "Biškek", "São", "ﬂow",
          "Straße", "ΑΘΗΝΑ", "Москва", "Kyiv’s", "qualcos’altro", "E", "é", "È"]


def corpus_words() -> set[tuple[str, str]]:
    found = set()
    for path in CORPORA.rglob("*.txt"):
        lang = "it" if path.name.startswith("it") or ".it." in path.name else "en"
        for match in WORD.finditer(path.read_text("utf-8")):
            for variant in (match.group(), match.group().lower(), match.group().upper(), match.group().capitalize()):
                found |= {(variant, lang), (variant, "en" if lang == "it" else "it")}
    return found | {(w, lang) for w in TRICKY for lang in ("en", "it")}


def test_zipf_values_are_wordfreqs():
    words = corpus_words()
    assert len(words) > 3000
    differ = [(w, lang) for w, lang in sorted(words) if zipf(w, lang) != wordfreq.zipf_frequency(w.replace("’", "'"), lang)]
    assert differ == []


def test_lemmas_are_simplemmas():
    words = corpus_words()
    differ = [(w, lang) for w, lang in sorted(words) if lemmatize(w, lang) != simplemma.lemmatize(w, lang=lang)]
    assert differ == []
