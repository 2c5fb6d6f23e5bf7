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
    import tempfile

    from ..audio.mix import AssemblyOptions, _encode_full
    from ..audio.dynamics import even_out_pcm
    from ..audio.ffmpeg import loudness_filter, measure_loudness
    from ..speech import Speech, load_engine
    from ..speech.lexicon import voice_lexicon
    from ..speech.normalize import normalize_for_speech
    from ..audio.synthesize import engine_text, write_wav
    from ..voices import find_voice

    if not output.parent.is_dir():
        raise fail(f"cannot write {output}: the folder {output.parent} does not exist; create it or pick another -o.")
    chosen = find_voice(voice, voices_dir, lexicons=tuple(lexicon or ()))
    spoken = engine_text(chosen, normalize_for_speech(text, keep=voice_lexicon(chosen).words))
    if not spoken.strip():
        raise fail("there is nothing to say in TEXT; give the words to speak in quotes.")
    speech = load_engine(chosen).speak(spoken)
    with tempfile.TemporaryDirectory(prefix="briefing-say-") as work:
        wav = Path(work) / "say.wav"
        write_wav(wav, Speech(even_out_pcm(speech.pcm, speech.sample_rate_hz), speech.sample_rate_hz))
        # The episode's format and loudness: the same encoder settings as a briefing's MP3.
        options = AssemblyOptions()
        gain = loudness_filter(measure_loudness(wav, true_peak=False), target_lufs=options.target_lufs,
                               true_peak_dbtp=options.true_peak_dbtp, sample_rate_hz=options.sample_rate_hz)
        _encode_full(wav, output, gain, options)
    err().print(f"{escape(chosen.name)} read: {escape(spoken)}", soft_wrap=True)
    err().print(f"[green]Wrote[/] {escape(str(output))} ({speech.duration_ms / 1000:.1f} s)")
