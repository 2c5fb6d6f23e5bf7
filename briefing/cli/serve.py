"""`briefing serve`: serve the episode library on this machine."""
from __future__ import annotations

from pathlib import Path

import typer


def serve(
    output: Path = typer.Option(
        "output", "--output", "-o", help="The output folder of briefing generate, holding feed.xml and episodes/."
    ),
    host: str = typer.Option(
        "127.0.0.1", help="Address to listen on. The default is reachable from this machine only; "
        "0.0.0.0 listens on every address of this machine. A library made without --base-url gets feed "
        "URLs for the address each device used."
    ),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on; 0 picks a free one."),
) -> None:
    """Serve the episode library: the web page and the podcast feed, for listening on this machine."""
    import logging

    from ..episodes import FEED, PAGE
    from ..publish.hosts import WILDCARDS
    from ..publish.serve import base_url_of, make_server

    server = make_server(output, host, port)
    url = base_url_of(server)
    chosen_port = server.server_address[1]
    if host in WILDCARDS:
        url = f"http://127.0.0.1:{chosen_port}/"
    typer.echo(f"Serving {output} at {url}")
    typer.echo(f"  page: {url}{PAGE}")
    typer.echo(f"  feed: {url}{FEED}")
    print_subscribe_notes(output, host, url, chosen_port)
    typer.echo("Press Ctrl-C to stop.", err=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        with server:
            server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=True)


def print_subscribe_notes(output: Path, host: str, url: str, port: int) -> None:
    """Where other devices subscribe (for 0.0.0.0), or why the feed on disk points elsewhere."""
    from ..episodes import FEED
    from ..publish.hosts import WILDCARDS, machine_addresses
    from ..publish.update import LOCAL_BASE_URL, read_feed_base_url

    feed_base = read_feed_base_url(output)
    if host in WILDCARDS and feed_base in (None, LOCAL_BASE_URL):
        addresses = [f"[{a}]" if ":" in a else a for a in machine_addresses()]
        if addresses:
            typer.echo("Subscribe from other devices on your network with:")
        for address in addresses:
            typer.echo(f"  http://{address}:{port}/{FEED}")
    if feed_base is None:
        typer.echo(f"There is no {FEED} in {output} yet; run briefing generate to make one.", err=True)
    elif feed_base not in (url, LOCAL_BASE_URL):
        typer.echo(
            f"Note: {FEED} points podcast apps at {feed_base}; to subscribe here, "
            f"re-run briefing generate with --base-url {url} (or without --base-url)",
            err=True,
        )
