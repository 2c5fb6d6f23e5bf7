"""The ffmpeg binary that imageio-ffmpeg ships, and the few calls we make to it.

No system ffmpeg is needed.
"""
from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import EncodingError


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a child gets when the thread that forked it dies (linux/prctl.h)."""


@lru_cache(maxsize=1)
def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes a child process die when this process does (Linux); None elsewhere.

    A killed run must not leave ffmpeg encoding on its own. The child asks the
    kernel for SIGKILL on its parent's death, then checks the parent did not die
    before it asked. Elsewhere children are left to finish, as before.
    """
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return arm


def run_ffmpeg(args: list[str], *, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg quietly; raise EncodingError with its last error line on failure."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    if input_bytes is not None:
        command.remove("-nostdin")
    result = subprocess.run(command, input=input_bytes, capture_output=True, preexec_fn=die_with_parent())
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EncodingError(f"ffmpeg failed: {lines[-1] if lines else 'no message'}; check the audio files and disk space.")
    return result


class Encoder:
    """One ffmpeg process that takes raw PCM on its stdin while it runs, for audio that
    is still being made (mix.Assembly).

    It ends with this process without prctl: a killed run closes the pipe, and ffmpeg
    stops at the end of its input. Without a preexec_fn Python starts it with vfork,
    about 5 ms sooner from a process holding a voice model (fork copies its page
    tables), and an episode starts one for every 10 s chunk."""

    def __init__(self, args: list[str], *, error_log: Path):
        self._log = error_log
        with open(error_log, "wb") as log:
            self.process = subprocess.Popen(
                [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log,
            )

    def write(self, pcm: bytes) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(pcm)
        except (BrokenPipeError, ValueError):
            self.finish()  # raises ffmpeg's own error
            raise EncodingError("ffmpeg stopped reading audio; check the disk space.") from None

    def close_input(self) -> None:
        """No more audio: the encoder finishes on its own (`finish` waits for it)."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass

    def finish(self) -> None:
        """Close its input, wait for it to finish, and raise EncodingError with its last
        error line if it failed."""
        self.close_input()
        if self.process.wait() != 0:
            lines = self._log.read_text("utf-8", "replace").strip().splitlines() if self._log.exists() else []
            raise EncodingError(f"ffmpeg failed: {lines[-1] if lines else 'no message'}; "
                                "check the audio files and disk space.")

    def kill(self) -> None:
        self.process.kill()
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        self.process.wait()


def decode_to_pcm(data: bytes, sample_rate_hz: int) -> bytes:
    """Any audio ffmpeg reads -> 16-bit mono PCM at `sample_rate_hz`."""
    result = run_ffmpeg(
        ["-i", "pipe:0", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate_hz), "pipe:1"],
        input_bytes=data,
    )
    return result.stdout


@dataclass(frozen=True)
class Loudness:
    """EBU R128 figures of a piece of audio."""

    integrated_lufs: float
    true_peak_dbtp: float


INTERSAMPLE_MARGIN_DB = 1.0
"""How far a true peak may sit above the sample peak; speech at 22-24 kHz stays well inside it."""


def measure_loudness(path: Path, *, true_peak: bool = True) -> Loudness:
    """Integrated loudness and peak with ffmpeg's ebur128 filter (ITU-R BS.1770-4).

    ebur128 runs at the file's own rate, several times faster than loudnorm's
    192 kHz analysis. Without `true_peak` it skips the 4x oversampling (three
    times faster again) and estimates the true peak as the sample peak plus
    INTERSAMPLE_MARGIN_DB, an upper bound for speech.
    """
    result = run_ffmpeg(["-nostats", "-i", str(path), "-af", f"ebur128=peak={'true' if true_peak else 'sample'}",
                         "-f", "null", "-"])
    loudness = parse_ebur128(result.stderr, path.name)
    if not true_peak:
        loudness = Loudness(loudness.integrated_lufs, loudness.true_peak_dbtp + INTERSAMPLE_MARGIN_DB)
    return loudness


def parse_ebur128(stderr: bytes, name: str) -> Loudness:
    """The figures from the summary ffmpeg's ebur128 filter prints at the end of a run."""
    text = stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:"):]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if "Summary:" not in text or not integrated or not peak or "inf" in integrated.group(1):
        raise EncodingError(f"Could not measure the loudness of {name}; the audio may be silent or empty.")
    return Loudness(integrated_lufs=float(integrated.group(1)), true_peak_dbtp=float(peak.group(1)))


def loudness_filter(measured: Loudness, *, target_lufs: float, true_peak_dbtp: float, sample_rate_hz: int) -> str:
    """Resample, a linear gain to `target_lufs`, and a look-ahead peak limiter as a
    safety net. Levelled speech (dynamics.py) reaches it only on rare peaks."""
    gain_db = target_lufs - measured.integrated_lufs
    # A sample-peak limiter at the output rate, 0.5 dB under the true-peak ceiling,
    # since inter-sample peaks can rise a little above the samples.
    ceiling = 10 ** ((true_peak_dbtp - 0.5) / 20)
    return (f"aresample={sample_rate_hz},volume={gain_db:.2f}dB,"
            f"alimiter=limit={ceiling:.4f}:attack=2:release=50:level=false")
