"""The gTTS engine: Google Translate's voice, for users who are online.

Every call here may touch the network. When Google cannot be reached the user
gets one sentence naming the offline voice to use instead.
"""
from __future__ import annotations

import io
import socket
from dataclasses import dataclass
from urllib.parse import urlparse

from ..audio.ffmpeg import decode_to_pcm
from ..errors import SynthesisError, VoiceUnavailable
from ..models import Voice
from . import Speech

OFFLINE_HINT = "use the offline voice instead with --voice heart"
SAMPLE_RATE_HZ = 24000


def _offline_message(voice: Voice, detail: str) -> str:
    return f"Voice {voice.name!r} (gTTS) could not reach Google Translate ({detail}); {OFFLINE_HINT}."


def gtts_problem(voice: Voice, *, check_network: bool = False) -> str | None:
    try:
        import gtts  # noqa: F401
    except ImportError:
        return f"Voice {voice.name!r} needs the gtts package; install it with `pip install gtts`, or {OFFLINE_HINT}."
    if check_network:
        host = f"translate.google.{voice.setting('tld', 'com')}"
        try:
            socket.create_connection((host, 443), timeout=2).close()
        except OSError as error:
            return _offline_message(voice, f"no connection to {host}: {error.strerror or error}")
    return None


@dataclass
class GttsEngine:
    voice: Voice

    @staticmethod
    def load(voice: Voice) -> GttsEngine:
        problem = gtts_problem(voice)
        if problem:
            raise VoiceUnavailable(problem)
        return GttsEngine(voice)

    def speak(self, text: str) -> Speech:
        """Ask Google for the audio (network), then decode it to PCM."""
        from gtts import gTTS, gTTSError
        from requests.exceptions import RequestException

        buffer = io.BytesIO()
        try:
            gTTS(
                text,
                lang=str(self.voice.setting("lang", "en")),
                tld=str(self.voice.setting("tld", "com")),
                slow=bool(self.voice.setting("slow", False)),
            ).write_to_fp(buffer)
        except (gTTSError, RequestException, OSError) as error:
            detail = str(error).split(". Probable cause")[0]
            host = urlparse(getattr(getattr(error, "rsp", None), "url", "") or "").hostname
            raise VoiceUnavailable(_offline_message(self.voice, detail or host or "connection failed")) from None
        except ValueError as error:
            raise SynthesisError(f"gTTS refused {text[:60]!r} ({error}); check the voice's lang setting.") from None
        return Speech(pcm=decode_to_pcm(buffer.getvalue(), SAMPLE_RATE_HZ), sample_rate_hz=SAMPLE_RATE_HZ)
