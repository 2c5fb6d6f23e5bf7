"""Our exception types. Library code raises these; the CLI turns them into one line."""


class BriefingError(Exception):
    """Base for every error a user can act on. The message is that one line."""


class SourceError(BriefingError):
    """An input (file, URL, feed) could not be turned into articles."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class VoiceUnavailable(BriefingError):
    """A voice profile exists but cannot speak right now (missing package, offline)."""


class SynthesisError(BriefingError):
    """The speech engine failed on a piece of text."""


class EncodingError(BriefingError):
    """ffmpeg could not encode or measure the audio."""


class NothingToSay(BriefingError):
    """No usable article remained, so no episode was made.

    Carries the failures that led here, so the user sees why each input failed.
    """

    def __init__(self, message: str, failures: tuple = ()):
        self.failures = failures
        super().__init__(message)
