"""End to end: a two-presenter briefing (`--voice heart --co-host joe`) with the real voices,
checked as a listener would: the presenters take turns by story, each story's clip is
spoken by the presenter the manifest names (told apart by pitch: heart's median is near
190 Hz, joe's near 95 Hz), the VTT names the speaker of every cue, and the text
transcript holds only the words spoken."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

from briefing.audio.ffmpeg import ffmpeg_exe

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PITCH_BETWEEN_HZ = 140
"""Between joe's low male voice and heart's higher female voice."""


def median_pitch_hz(path: Path, rate: int = 16000) -> float:
    """Median fundamental frequency over the voiced 40 ms frames (autocorrelation peak in 60-400 Hz)."""
    pcm = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate),
                          "-"], capture_output=True, check=True).stdout
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frame, shortest, longest = int(0.04 * rate), rate // 400, rate // 60
    pitches = []
    for start in range(0, len(samples) - frame, frame):
        window = samples[start:start + frame] - samples[start:start + frame].mean()
        if np.sqrt(np.mean(window ** 2)) < 500:
            continue
        correlation = np.correlate(window, window, "full")[frame - 1:]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        if correlation[lag] > 0.4 * correlation[0]:
            pitches.append(rate / lag)
    return float(np.median(pitches)) if pitches else 0.0


@pytest.fixture(scope="module")
def duo(tmp_path_factory):
    output = tmp_path_factory.mktemp("duo")
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "generate", str(ROOT / "examples" / "articles"), "-o", str(output),
         "--minutes", "1.5", "--date", "2026-11-26", "--voice", "heart", "--co-host", "joe", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    manifest_path = Path(json.loads(run.stdout)["manifest"])
    return json.loads(manifest_path.read_text()), manifest_path.parent


def test_presenters_alternate_by_story_and_the_manifest_names_them(duo):
    manifest, _ = duo
    assert manifest["hosts"] == ["heart", "joe"]
    assert manifest["presenters"] == {"heart": "Hannah", "joe": "Joe"}
    hosts = [story["host"] for story in manifest["stories"]]
    assert len(hosts) >= 3
    assert hosts == [("heart", "joe")[i % 2] for i in range(len(hosts))]


def test_each_story_is_spoken_by_the_presenter_the_manifest_names(duo):
    manifest, folder = duo
    assert {story["host"] for story in manifest["stories"]} == {"heart", "joe"}
    for story in manifest["stories"]:
        pitch = median_pitch_hz(folder / story["clip"])
        heard = "heart" if pitch > PITCH_BETWEEN_HZ else "joe"
        assert heard == story["host"], (story["headline"], pitch)


def test_the_vtt_names_every_speaker_and_the_text_transcript_only_the_words(duo):
    _, folder = duo
    vtt = (folder / "transcript.vtt").read_text()
    cue_texts = [line for line in vtt.splitlines()[2:] if line and "-->" not in line and not line.isdigit()]
    assert cue_texts and all(re.fullmatch(r"<v (Hannah|Joe)>.+</v>", text) for text in cue_texts)
    assert cue_texts[0].startswith("<v Hannah>") and "I'm Hannah." in cue_texts[0]
    assert cue_texts[1].startswith("<v Joe>And I'm Joe.")
    text = (folder / "transcript.txt").read_text()
    assert "<v" not in text and "Hannah:" not in text and "Joe:" not in text
    assert "I'm Hannah." in text and "And I'm Joe." in text
    # transcript.json names the speaker of every word, as the VTT does of every cue.
    words = json.loads((folder / "transcript.json").read_text())["segments"]
    spoken_by = [re.match(r"<v (\w+)>", cue).group(1) for cue in cue_texts for _ in re.sub(r"<[^>]+>", "", cue).split()]
    assert [w["speaker"] for w in words] == spoken_by


def test_id3_credits_both_presenters(duo):
    _, folder = duo
    assert ID3(folder / "briefing.mp3")["TPE1"].text == ["Hannah", "Joe"]
