"""hibari's G2P reading its tables a key at a time (speech/g2p_store.py) says every word as
hibari's own G2P, with its dictionaries loaded whole, does."""
from __future__ import annotations

import re
from pathlib import Path

from briefing.speech.g2p_store import StoredTable, stored_asset

ROOT = Path(__file__).resolve().parents[2]


def example_sentences() -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples" / "articles").iterdir()))
    text = re.sub(r"<[^>]+>", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]


def test_the_stored_g2p_reads_every_sentence_as_hibari_does(tmp_path, monkeypatch, heart):
    from hibari import g2p as g2p_module

    from briefing.speech import hibari

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    stored = hibari.cached_g2p(heart)
    assert isinstance(stored.lexicon.golds.d, StoredTable) and isinstance(stored.tagger.weights, StoredTable)
    whole = g2p_module.G2P()
    sentences = [*example_sentences(), "I read the record live; they'd read it to you in 2026, 3.5% up, at 10:30."]
    assert len(sentences) > 40
    assert [stored(s) for s in sentences] == [whole(s) for s in sentences]
    assert sorted(p.name.split("-")[1] for p in (tmp_path / "briefing" / "models").glob("*.sqlite")) == [
        "lexicon_us_gold.json.gz", "lexicon_us_silver.json.gz", "tagger.json.gz", "tokenizer_exceptions.json"]


def test_a_table_answers_get_and_in_like_a_dict(tmp_path):
    source = tmp_path / "table.json"
    source.write_text("{}")
    data = {f"w{i}": ({"NN": i} if i % 2 else f"p{i}") for i in range(20_000)} | {"none": None}
    table = stored_asset(source, lambda: data, tmp_path / "cache")
    assert isinstance(table, StoredTable)
    for key in ("w1", "w2", "w19999", "none", "absent"):
        assert table.get(key) == data.get(key)
        assert table.get(key, "default") == data.get(key, "default")
        assert (key in table) == (key in data)


def test_small_tables_are_plain_and_a_new_source_replaces_the_old_copy(tmp_path):
    source = tmp_path / "model.json"
    source.write_text("1")
    cache = tmp_path / "cache"
    data = {"tags": ["NN", "VB"], "weights": {f"f{i}": {"NN": 1.5} for i in range(10_000)}}
    model = stored_asset(source, lambda: data, cache)
    assert model["tags"] == ["NN", "VB"] and model["weights"].get("f9") == {"NN": 1.5}
    source.write_text("2")  # a new version of the package
    stored_asset(source, lambda: data, cache)
    assert len(list(cache.glob("hibari-model.json-*.sqlite"))) == 1


def test_an_unwritable_cache_reads_the_data_whole(tmp_path):
    source = tmp_path / "table.json"
    source.write_text("{}")
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    data = {f"w{i}": i for i in range(20_000)}
    assert stored_asset(source, lambda: data, blocked / "cache") is data

