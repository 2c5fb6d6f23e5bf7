"""`briefing say "TEXT"`: hear one line (or a lexicon entry) without making an episode."""
from __future__ import annotations

from pathlib import Path

import typer

from ..voices import DEFAULT_VOICE
from .console import ExitCode, err, escape, fail
from .options import (
    BedDuckOption,
    BedLevelOption,
    BedOption,
    IntroOption,
    IntroOverlapOption,
    LexiconOption,
    OutroOption,
    PaceOption,
    SoundFlags,
    TransitionOption,
    VoicesDirOption,
    sound_options,
)


def say(
    text: str = typer.Argument(..., help="The words to speak, e.g. a sentence with a name to check.", show_default=False),
    voice: str = typer.Option(DEFAULT_VOICE, "--voice", "-v", help="Voice profile name (see `briefing voices`) or a .toml path."),
    output: Path = typer.Option(Path("say.mp3"), "--output", "-o", help="MP3 file to write."),
    lexicon: LexiconOption = None,
    voices_dir: VoicesDirOption = None,
    pace: PaceOption = None,
    with_sound: bool = typer.Option(
        False, "--with-sound", help="Mix the line as it sits in an episode, with the chime or the music given "
        "below (intro, bed under the line, outro), at the episode's loudness: for checking levels."),
    intro: IntroOption = None,
    outro: OutroOption = None,
    bed: BedOption = None,
    transition: TransitionOption = None,
    intro_overlap: IntroOverlapOption = None,
    bed_duck: BedDuckOption = None,
    bed_level: BedLevelOption = None,
) -> None:
    """Speak TEXT as a briefing would (normalized, with the lexicon) into an MP3, without music unless --with-sound."""
    from ..audio.line import say_in_mix, say_line, spoken_text
    from ..audio.mix import AssemblyOptions
    from ..voices import find_voice, with_pace

    if not output.parent.is_dir():
        raise fail(f"cannot write {output}: the folder {output.parent} does not exist; create it or pick another -o.")
    flags = SoundFlags(intro, outro, bed, transition, intro_overlap, bed_duck, bed_level)
    if flags.files() and not with_sound:
        raise fail("music files are mixed only with --with-sound; add it, or leave the music out.", ExitCode.USAGE)
    chosen = with_pace(find_voice(voice, voices_dir, lexicons=tuple(lexicon or ())), pace)
    spoken = spoken_text(text, chosen)
    if not spoken.strip():
        raise fail("there is nothing to say in TEXT; give the words to speak in quotes.")
    if with_sound:
        seconds = say_in_mix(text, chosen, output, AssemblyOptions(sound=sound_options(flags)))
    else:
        seconds = say_line(spoken, chosen, output)
    err().print(f"{escape(chosen.name)} read: {escape(spoken)}", soft_wrap=True)
    err().print(f"[green]Wrote[/] {escape(str(output))} ({seconds:.1f} s)")
