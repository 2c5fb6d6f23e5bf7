"""`briefing studio SOURCE... -o output` (or a script file): edit the script in the browser, hear it, render it."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

import typer

from ..voices import DEFAULT_VOICE
from .console import ExitCode, err, escape, fail
from .options import CoHostOption, DateOption, LexiconOption, OutputOption, VoicesDirOption


def studio(
    sources: list[str] = typer.Argument(
        ..., help="A script file written by `briefing plan`, or articles and feeds to plan one from "
        "(as for `briefing generate`).", show_default=False),
    output: OutputOption = Path("output"),
    script_path: Optional[Path] = typer.Option(
        None, "--script", "-s", help="Where the script planned from SOURCE is written. "
        "[default: OUTPUT/script.md]"),
    minutes: float = typer.Option(5.0, "--minutes", "-m", min=0.5, max=120, help="Target length, when planning."),
    voice: str = typer.Option(DEFAULT_VOICE, "--voice", "-v", help="Voice profile, when planning."),
    co_host: CoHostOption = None,
    day: DateOption = None,
    lexicon: LexiconOption = None,
    voices_dir: VoicesDirOption = None,
    host: str = typer.Option("127.0.0.1", help="Address to listen on. The default is reachable from this machine "
                             "only; on any other address the page asks for the token printed here first."),
    port: int = typer.Option(8001, min=0, max=65535, help="Port to listen on; 0 picks a free one."),
    browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the studio in a web browser, if there is one."),
) -> None:
    """Edit a briefing's script in the browser: reorder, cut, rewrite, hear each line, then render and publish."""
    from ..publish.studio import make_studio_server
    from ..run.render import RenderRequest
    from ..run.studio import StudioSession
    from ..voices import list_voices

    known = frozenset(voice.name for voice in list_voices(voices_dir))
    script = _script_file(sources)
    if script is None:
        script = script_path or output / "script.md"
        _plan_into(script, sources, output, minutes=minutes, voice=voice, co_host=co_host, day=day,
                   lexicon=lexicon, voices_dir=voices_dir)
    session = StudioSession(script, RenderRequest(output_dir=output, lexicons=tuple(lexicon or ()),
                                                  voices_dir=voices_dir), known)
    server = make_studio_server(session, host, port)
    address = f"http://{'127.0.0.1' if server.open_to_all and host in ('0.0.0.0', '') else host}:{server.server_address[1]}/"
    err().print(f"Studio for {escape(str(script))} at {escape(address)}", soft_wrap=True)
    if server.open_to_all:
        err().print(f"Listening on {escape(host)}: the page asks for this token first: {server.token}", soft_wrap=True)
    err().print("Every change is saved to the script file. Press Ctrl-C to stop.")
    threading.Thread(target=session.warm_up, name="briefing-studio-voice", daemon=True).start()
    if browser:
        import webbrowser

        webbrowser.open(address)
    try:
        with server:
            server.serve_forever()
    except KeyboardInterrupt:
        err().print("Stopped.")


def _script_file(sources: list[str]) -> Path | None:
    """The script file SOURCE names, if it is one (rather than an article)."""
    from ..plan.script_file import looks_like_script

    if len(sources) != 1 or not Path(sources[0]).is_file():
        return None
    try:
        head = Path(sources[0]).read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return None
    return Path(sources[0]) if looks_like_script(head) else None


def _plan_into(script: Path, sources: list[str], output: Path, **options) -> None:
    """Plan a script from the sources into `script`, as `briefing plan` would."""
    from ..plan.script_file import write_script_file
    from ..run.pipeline import BriefingRequest, plan_episode
    from .console import warn
    from .options import parse_day

    if script.exists():
        raise fail(f"{script} exists already; open it with `briefing studio {script}`, or give another --script.",
                   ExitCode.USAGE)
    script.parent.mkdir(parents=True, exist_ok=True)
    planned = plan_episode(BriefingRequest(
        sources=tuple(sources), output_dir=output, day=parse_day(options["day"]), voice=options["voice"],
        co_host=options["co_host"], lexicons=tuple(options["lexicon"] or ()), minutes=options["minutes"],
        voices_dir=options["voices_dir"]))
    for failure in planned.failures:
        warn(str(failure))
    write_script_file(planned.script, script)
    err().print(f"[green]Wrote[/] {escape(str(script))}")
