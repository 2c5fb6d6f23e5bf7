"""`briefing init` and `briefing run`: show files on the command line, one line per problem,
the exit code over all shows. Runs that would synthesize are in tests/e2e/test_daily_show.py."""
from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from briefing.cli import ExitCode, app
from briefing.cli.run import overall_exit_code
from briefing.run.show_file import load_show

runner = CliRunner()


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_init_writes_an_example_show_that_run_can_read(tmp_path):
    path = tmp_path / "morning.toml"
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {path}" in one_line(result.output)
    assert load_show(path).channel.title == "Morning Brief"


def test_init_never_overwrites_a_file(tmp_path):
    path = tmp_path / "morning.toml"
    path.write_text("mine")
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == ExitCode.USAGE
    assert one_line(result.output) == f"error: {path} already exists; give another name, or edit that file."
    assert path.read_text() == "mine"


def test_a_bad_show_file_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "morning.toml"
    path.write_text('sources = ["news"]\nminutes = "ten"\n')
    result = runner.invoke(app, ["run", str(path), "--json"])
    assert result.exit_code == ExitCode.USAGE
    assert f"error: {path}: key 'minutes' must be a number, not 'ten'." in one_line(result.stderr)
    [record] = json.loads(result.stdout)
    assert record["show"] == "morning" and record["episode"] is None and record["exit_code"] == 2


def test_a_show_with_a_bad_co_host_fails_clearly_and_the_others_still_run(tmp_path):
    (tmp_path / "duo.toml").write_text('sources = ["news"]\nvoice = "joe"\nco_host = "joe"\n')
    (tmp_path / "broken.toml").write_text('sources = "news"\n')
    (tmp_path / "twin.toml").write_text('sources = ["news"]\noutput = "duo"\n')
    result = runner.invoke(app, ["run", *(str(tmp_path / n) for n in ("broken.toml", "duo.toml", "twin.toml")),
                                 "--json"])
    assert result.exit_code == ExitCode.USAGE  # a show file that cannot be used wins
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert "key 'sources' must be a list" in errors[0]
    assert "publishes to" in one_line(result.stderr) and "give each show its own output folder" in one_line(result.stderr)
    assert ("The co-host 'joe' is the same voice as the presenter; choose another voice for --co-host"
            ) in one_line(result.stderr)
    records = json.loads(result.stdout)
    assert [(r["show"], r["exit_code"]) for r in records] == [("broken", 2), ("duo", 1), ("twin", 2)]
    assert "none made" in result.stderr  # the summary table


def test_output_with_several_shows_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["run", "a.toml", "b.toml", "-o", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "give --output with one show file only" in one_line(result.output)


def test_a_show_whose_every_story_is_excluded_makes_nothing(news_site, tmp_path):
    path = tmp_path / "harbor.toml"
    path.write_text(f'sources = ["{news_site.feed_url}"]\n')
    result = runner.invoke(app, ["run", str(path), "--exclude", "harbor", "--no-cache", "--date", "2026-11-25"])
    assert result.exit_code == ExitCode.NOTHING_MADE
    assert ("error: Nothing new to tell: 4 stories are on an excluded topic, so no episode was made."
            in one_line(result.stderr))
    assert "on the excluded topic 'harbor'" in result.stderr


def test_generate_takes_topics_too(news_site, tmp_path):
    result = runner.invoke(app, ["generate", news_site.feed_url, "-o", str(tmp_path), "--no-cache",
                                 "--exclude", "harbor", "--exclude", "island"])
    assert result.exit_code == ExitCode.NOTHING_MADE
    assert "4 stories are on an excluded topic" in one_line(result.stderr)


def test_a_topic_without_words_is_a_usage_error():
    result = runner.invoke(app, ["generate", "x.txt", "--exclude", "!!"])
    assert result.exit_code == ExitCode.USAGE
    assert "The topic '!!' has no words to match" in one_line(result.output)


def test_the_exit_code_over_all_shows():
    OK, PARTIAL, NONE, USAGE = ExitCode.OK, ExitCode.PARTIAL, ExitCode.NOTHING_MADE, ExitCode.USAGE
    assert overall_exit_code([OK, OK]) == OK
    assert overall_exit_code([OK, PARTIAL]) == PARTIAL
    assert overall_exit_code([OK, NONE]) == PARTIAL
    assert overall_exit_code([NONE, NONE]) == NONE
    assert overall_exit_code([OK, USAGE]) == USAGE


def test_run_help_documents_its_exit_codes():
    result = runner.invoke(app, ["run", "--help"])
    text = one_line(result.output)
    assert "3 some episode was made but some input or show failed" in text
    assert "2 usage error (a show file that cannot be used, a --cache that cannot be used, --ray without Ray installed)" in text



def test_ray_without_ray_installed_is_one_line_and_exit_2(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a))
    (tmp_path / "morning.toml").write_text('sources = ["news"]\n')
    result = runner.invoke(app, ["run", str(tmp_path / "morning.toml"), "--ray", "local"])
    assert result.exit_code == ExitCode.USAGE
    assert one_line(result.stderr) == ("error: --ray needs Ray, which is not installed; install it with "
                                       "`pip install 'briefing[ray]'`.")
    assert not (tmp_path / "morning").exists()


def test_a_cache_url_that_cannot_be_used_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "morning.toml").write_text('sources = ["news"]\n')
    result = runner.invoke(app, ["run", str(tmp_path / "morning.toml"), "--cache", "nosuchprotocol://bucket/x"])
    assert result.exit_code == ExitCode.USAGE
    assert one_line(result.stderr) == "error: --cache nosuchprotocol://bucket/x: Protocol not known: nosuchprotocol"


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed")
def test_a_ray_address_where_nothing_listens_is_one_line_and_exit_1(tmp_path, dead_url):
    (tmp_path / "morning.toml").write_text('sources = ["news"]\n')
    address = dead_url.removeprefix("http://").split("/")[0]
    result = runner.invoke(app, ["run", str(tmp_path / "morning.toml"), "--ray", address])
    assert result.exit_code == ExitCode.NOTHING_MADE
    assert one_line(result.stderr) == (f"error: --ray {address}: cannot connect to a Ray cluster there (Connection "
                                       "refused); start its head with `ray start --head`, or give --ray local to try "
                                       "Ray on this machine.")
