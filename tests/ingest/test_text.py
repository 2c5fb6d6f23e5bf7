"""Plain text ingest: headline, noise removal, attribution, and bad input."""
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.ingest import IngestOptions, ingest
from briefing.ingest.text import decode_text, outlet_from_url, parse_text_article


def test_sample_noise_is_stripped_and_attribution_kept(sample_article):
    article = parse_text_article(sample_article.read_text(encoding="utf-8"), str(sample_article))
    assert article.title.startswith("Putin Aims to Strengthen Cooperation with India")
    assert article.source == "NDTV"
    assert article.url.startswith("https://www.ndtv.com/world-news/vladimir-putin-india-visit")
    for noise in ("Views:", "Date & Time", "From:", "Source:", "- |", "Moscow (Russia):", "https://"):
        assert noise not in article.text
    assert article.text.startswith("During his upcoming India visit, Russian President Vladimir Putin")
    assert article.text.rstrip().endswith('hoping for the continuation of this project," Peskov said.')


def test_title_line_overrides_first_line():
    article = parse_text_article("Breaking\nTitle: Real headline\nBody sentence one. Body two.", "x.txt")
    assert article.title == "Real headline"
    assert article.text == "Body sentence one. Body two."


def test_markdown_heading_byline_and_date():
    text = "# Flood warnings issued\n\nBy Jane Doe\nPublished: 2026-11-25\n\nRivers rose **fast**. See [the map](http://x)."
    article = parse_text_article(text, "a.md")
    assert (article.title, article.author, article.published.isoformat()) == (
        "Flood warnings issued", "Jane Doe", "2026-11-25T00:00:00")
    assert article.text == "Rivers rose fast. See the map."


def test_named_source_line_wins_over_domain():
    article = parse_text_article("Head\nBody here.\nSource: Wellport Herald, https://www.wellportherald.com/a", "x")
    assert (article.source, article.url) == ("Wellport Herald", "https://www.wellportherald.com/a")


@pytest.mark.parametrize(
    "url, name",
    [("https://www.bbc.co.uk/news/x", "BBC"), ("https://edition.cnn.com/a", "CNN"),
     ("https://www.reuters.com/world/", "Reuters"), ("https://example.org/", "Example")],
)
def test_outlet_from_url(url, name):
    assert outlet_from_url(url) == name


def test_binary_bytes_are_refused_with_a_reason_and_legacy_encodings_are_decoded():
    with pytest.raises(SourceError, match="binary file"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "pic.txt")
    assert decode_text("Hello caf\u00e9".encode("latin-1"), "old.txt") == "Hello caf\u00e9"
    assert decode_text("Se\u00f1or Garc\u00eda in M\u00e1laga \u2013 \u20ac5".encode("cp1252"), "old.txt") == (
        "Se\u00f1or Garc\u00eda in M\u00e1laga \u2013 \u20ac5"
    )
    russian = "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u043f\u043e\u0441\u0435\u0442\u0438\u043b \u0433\u043e\u0440\u043e\u0434 \u0432 \u043f\u044f\u0442\u043d\u0438\u0446\u0443."
    assert decode_text(russian.encode("cp1251"), "old.txt") == russian


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def test_each_bad_input_gets_one_line_and_good_ones_still_come_through(tmp_path):
    good = _write(tmp_path, "good.txt", b"A headline\nThe first sentence is here. And a second one.")
    sources = [
        _write(tmp_path, "empty.txt", b""),
        _write(tmp_path, "binary.txt", bytes(range(256)) * 4),
        _write(tmp_path, "headline-only.txt", b"Only a headline\n- Views: 3\n"),
        str(tmp_path / "missing.txt"),
        good,
    ]
    result = ingest(sources)
    assert [a.origin for a in result.articles] == [good]
    reasons = {Path(f.source).name: f.reason for f in result.failures}
    assert set(reasons) == {"empty.txt", "binary.txt", "headline-only.txt", "missing.txt"}
    assert reasons["empty.txt"].startswith("the file is empty")
    assert "binary" in reasons["binary.txt"]
    assert "no sentences" in reasons["headline-only.txt"]
    assert "no such file" in reasons["missing.txt"]
    assert all("\n" not in str(f) for f in result.failures)


def test_folder_is_read_in_name_order_and_stdin_works(tmp_path):
    (tmp_path / "b.txt").write_text("Second\nBody two.")
    (tmp_path / "a.md").write_text("First\nBody one.")
    (tmp_path / "notes.json.bak").write_text("ignored")
    result = ingest([str(tmp_path), "-"], IngestOptions(stdin_text="Piped headline\nPiped body."))
    assert [a.title for a in result.articles] == ["First", "Second", "Piped headline"]
    assert result.articles[-1].origin == "stdin"



def test_examples_all_ingest_cleanly():
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    result = ingest([str(examples)])
    assert result.failures == ()
    assert len(result.articles) == 4
    assert all("Views:" not in a.text and "Source:" not in a.text for a in result.articles)


def test_hard_wrapped_lines_are_joined_into_sentences():
    text = ("Storm hits coast\nHigh winds brought down trees\nacross the region. Officials\n"
            "said crews would work all night.\n\nOfficials said:\n\"Stay away from fallen lines.\"")
    article = parse_text_article(text, "wrapped.txt")
    assert article.text == ("High winds brought down trees across the region. Officials said crews would work "
                            "all night.\n\nOfficials said:\n\"Stay away from fallen lines.\"")


def test_prose_starting_with_source_is_kept_and_utf16_is_read():
    line = "Source: the ministry's annual report, which said the grid was ageing badly."
    article = parse_text_article(f"Grid report\nPower cuts rose.\n{line}", "x.txt")
    assert article.source is None and article.text.endswith(line)
    assert decode_text("Head\nBody.".encode("utf-16"), "u16.txt") == "Head\nBody."
