"""`briefing extract`: what a user sees on stdout and stderr, and the exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from briefing.cli.extract import extract as extract_command

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))

app = typer.Typer()
app.command("extract")(extract_command)
app.command("other")(lambda: None)  # two commands, so `extract` is a subcommand as in the real CLI


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["extract", *args], input=stdin)


def test_prints_headline_metadata_and_full_text():
    result = _run(str(WEB / "news-page.html"), "--no-cache")
    assert result.exit_code == 0
    assert result.stderr == ""
    expected = EXPECTED["news-page.html"]
    assert result.stdout == "\n".join(
        [
            "# Storm Elena forces evacuation of 12,000 on Kestrel coast",
            "Source: The Coastal Ledger",
            "Author: Priya Raman",
            "Published: 2025-12-02T09:15:00+00:00",
            "URL: https://www.coastalledger.example/news/2025/12/02/storm-elena-evacuation",
            "Language: English (en)",
            "Briefing: read",
            "",
            *expected["body"],
            "",
        ]
    )


def test_json_output_and_failure_lines_exit_3(web, tmp_path):
    missing = web.url("/missing.html")
    result = _run(web.url("/atom.xml"), missing, web.url("/report.pdf"), "--json", "--cache-dir", str(tmp_path))
    assert result.exit_code == 3
    records = json.loads(result.stdout)
    assert [sorted(r) for r in records] == [
        ["author", "language", "left_out", "published", "source", "text", "title", "url"]] * 3
    assert [(r["language"], r["left_out"]) for r in records] == [("en", None)] * 3
    assert records[0]["title"] == "Port workers vote to accept new pay deal, ending strike threat"
    assert records[0]["published"] == "2025-12-02T10:05:00+00:00"
    assert records[0]["source"] == "Meridian Wire"
    assert result.stderr.splitlines() == [
        f"{missing}: the server answered 404 Not Found; check the address",
        (f"{web.url('/report.pdf')}: is a PDF document (application/pdf), not a web page, feed or text; "
        "give the address of an article page or a feed"),
    ]
    assert any(tmp_path.iterdir())


def test_nothing_usable_exits_1(dead_url):
    result = _run(dead_url, "--no-cache", "--timeout", "1")
    assert result.exit_code == 1
    assert json.loads(_run(dead_url, "--no-cache", "--json").stdout) == []
    assert result.stderr.splitlines() == [
        f"{dead_url}: nothing answered at this address (connection refused); check the address or try again later"
    ]


def test_max_per_feed_and_since(web):
    one = _run(web.url("/atom.xml"), "--max-per-feed", "1", "--no-cache", "--json")
    assert [r["title"] for r in json.loads(one.stdout)] == ["Port workers vote to accept new pay deal, ending strike threat"]
    everything = _run(web.url("/atom.xml"), "--since", "36500d", "--no-cache", "--json")
    assert len(json.loads(everything.stdout)) == 3
    recent = _run(web.url("/atom.xml"), "--since", "1h", "--no-cache")
    assert recent.exit_code == 1
    assert recent.stderr == "no articles found in the sources (check --since and --max-per-feed)\n"


def test_bad_since_is_a_usage_error():
    result = _run(str(WEB / "rdf.xml"), "--since", "yesterday")
    assert result.exit_code == 2
    shown = " ".join(result.stderr.replace("│", " ").split())
    assert "Invalid value for '--since': 'yesterday' is not a duration; write it like 24h, 90m, 2d or 1w" in shown


def test_reads_stdin():
    result = _run("-", "--no-cache", stdin="Piped headline\nA piped body sentence. And one more.\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Piped headline\nSource: unknown\nAuthor: unknown\nPublished: unknown\nURL: none\n")


def test_every_option_has_help():
    command = typer.main.get_command(app).commands["extract"]
    assert all(param.help for param in command.params)


HOSTILE = Path(__file__).resolve().parents[1] / "hostile" / "fixtures"


def test_articles_in_other_languages_are_listed_with_their_language_and_why_a_briefing_leaves_them_out():
    page = WEB / "portuguese-page.html"
    result = _run(str(page), str(HOSTILE / "arabic.txt"), str(WEB / "breaking-short.html"), "--json", "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert [(r["title"], r["language"], r["left_out"]) for r in records] == [
        ("Porto de Santos retoma operações após greve de dois dias", "pt",
         "is in Portuguese, not English; the voices read English only"),
        (records[1]["title"], "ar", "is written in Arabic script, not English; the voices read English only"),
        ("Ferry captain arrested after Kestrel harbour collision", "en", None),
    ]
    assert records[0]["text"].startswith("Os trabalhadores do Porto de Santos voltaram ao trabalho")
    text = _run(str(page), "--no-cache")
    assert text.stdout.splitlines()[5:7] == [
        "Language: Portuguese (pt)", "Briefing: left out (is in Portuguese, not English; the voices read English only)"]


def test_a_briefing_still_names_each_article_it_leaves_out_on_one_line():
    from briefing.ingest import ingest

    page = WEB / "portuguese-page.html"
    result = ingest([str(page), str(WEB / "breaking-short.html")])
    assert [a.title for a in result.articles] == ["Ferry captain arrested after Kestrel harbour collision"]
    assert [str(f) for f in result.failures] == [
        f"{page}: is in Portuguese, not English; the voices read English only, so it was left out"]
