"""`briefing summarize PATH`: print an article's best sentences, verbatim and in order."""
from __future__ import annotations

import json
import sys

import typer


def summarize(
    path: str = typer.Argument(..., help="An article as a .txt or .md file (headline on the first line), or - for stdin."),
    sentences: int = typer.Option(3, "--sentences", "-n", min=1, help="How many sentences to choose."),
    json_output: bool = typer.Option(
        False, "--json", help='Print {"title": ..., "sentences": [...]} as JSON instead of one sentence per line.'
    ),
) -> None:
    """Print the sentences a briefing would read from one article, in article order."""
    from ..errors import SourceError
    from ..ingest import IngestOptions, ingest, read_stdin
    from ..plan.rank import summarize as choose

    stdin_text = read_stdin(sys.stdin.buffer) if path == "-" else None
    result = ingest([path], IngestOptions(stdin_text=stdin_text))
    if result.failures:
        failure = result.failures[0]
        raise SourceError(failure.source, failure.reason)
    if len(result.articles) > 1:
        raise SourceError(path, f"holds {len(result.articles)} articles; name one article file")
    article = result.articles[0]
    chosen = [r.text for r in choose(article, sentences)]
    if json_output:
        typer.echo(json.dumps({"title": article.title, "sentences": chosen}, ensure_ascii=False, indent=2))
    else:
        for sentence in chosen:
            typer.echo(sentence)
