"""`briefing say "TEXT"`: hear one line (or a lexicon entry) without making an episode."""
from __future__ import annotations

from pathlib import Path

import typer

from ..voices import DEFAULT_VOICE
from .console import err, escape, fail
from .options import LexiconOption, VoicesDirOption


def say(
    text: str = typer.Argument(..., help="The words to speak, e.g. a sentence with a name to check.", show_default=False),
    voice: str = typer.Option(DEFAULT_VOICE, "--voice", "-v", help="Voice profile name (see `briefing voices`) or a .toml path."),
    output: Path = typer.Option(Path("say.mp3"), "--output", "-o", help="MP3 file to write."),
    lexicon: LexiconOption = None,
    voices_dir: VoicesDirOption = None,
) -> None:
    """Speak TEXT as a briefing would (normalized, with the lexicon) into an MP3."""
    from ..audio.line import say_line, spoken_text
    from ..voices import find_voice

    if not output.parent.is_dir():
        raise fail(f"cannot write {output}: the folder {output.parent} does not exist; create it or pick another -o.")
    chosen = find_voice(voice, voices_dir, lexicons=tuple(lexicon or ()))
    spoken = spoken_text(text, chosen)
    if not spoken.strip():
        raise fail("there is nothing to say in TEXT; give the words to speak in quotes.")
    seconds = say_line(spoken, chosen, output)
    err().print(f"{escape(chosen.name)} read: {escape(spoken)}", soft_wrap=True)
    err().print(f"[green]Wrote[/] {escape(str(output))} ({seconds:.1f} s)")
