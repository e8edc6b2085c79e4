"""The batch benchmark's archive: file names, paragraphs, pairing and attribution (no ../shared needed)."""
from __future__ import annotations

from pathlib import Path

from tq.bench.batch import safe_id, select, write_archive
from tq.bench.docs import Document


def doc(corpus: str, doc_id: str, n: int) -> Document:
    return Document(corpus, doc_id, "dev", [f"Frase {i} di {doc_id}." for i in range(n)], [f"Sentence {i} of {doc_id}." for i in range(n)])


def test_write_archive_pairs_files_by_name_in_paragraphs_of_three(tmp_path: Path):
    docs = [doc("NTREX", "bbc.381790", 7), doc("FLORES", "https://en.wikivoyage.org/wiki/Midnight_sun", 3),
            doc("FLORES", "https://en.wikinews.org/wiki/Midnight_sun/", 1)]
    ids = write_archive(docs, tmp_path)
    assert ids == ["ntrex-bbc.381790", "flores-Midnight_sun", "flores-Midnight_sun-2"]
    assert sorted(p.name for p in (tmp_path / "it").iterdir()) == sorted(p.name for p in (tmp_path / "en").iterdir()) \
        == sorted(f"{i}.txt" for i in ids)
    it = (tmp_path / "it" / "ntrex-bbc.381790.txt").read_text("utf-8")
    en = (tmp_path / "en" / "ntrex-bbc.381790.txt").read_text("utf-8")
    assert it.split("\n\n") == ["Frase 0 di bbc.381790. Frase 1 di bbc.381790. Frase 2 di bbc.381790.",
                                "Frase 3 di bbc.381790. Frase 4 di bbc.381790. Frase 5 di bbc.381790.",
                                "Frase 6 di bbc.381790.\n"]
    assert [p.count(".") for p in en.split("\n\n")] == [p.count(".") for p in it.split("\n\n")]
    assert (tmp_path / "en" / "flores-Midnight_sun-2.txt").read_text("utf-8") == "Sentence 0 of https://en.wikinews.org/wiki/Midnight_sun/.\n"
    source = (tmp_path / "SOURCE.md").read_text("utf-8")
    assert "NTREX-128" in source and "FLORES-101" in source and source.count("CC BY-SA 4.0") >= 2


def test_safe_id_and_selection_are_fixed_and_alternate_corpora():
    assert safe_id("FLORES", "https://en.wikinews.org/wiki/Bus_crash_kills_5_in_Río") == "flores-Bus_crash_kills_5_in_R-o"
    assert safe_id("NTREX", "../etc/passwd") == "ntrex-etc-passwd"
    docs = [doc("FLORES", f"f{i}", 1) for i in (3, 1, 2)] + [doc("NTREX", "n2", 1), doc("NTREX", "n1", 1)]
    assert [d.id for d in select(docs, 4)] == ["n1", "f1", "n2", "f2"]
    assert [d.id for d in select(list(reversed(docs)), 5)] == ["n1", "f1", "n2", "f2", "f3"]
    assert len(select(docs, 50)) == 5
