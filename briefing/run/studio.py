"""One studio session: a script file, edited from the browser, heard line by line, rendered.

The script file is the one truth: every change is read from it, applied
(plan/revise.py) and written back atomically, so a text editor and the studio
are two views of one file. Each change names the version (a hash of the file's
bytes) it was made against; a change against another version (a second tab,
an edit in a text editor) is refused, never merged silently. A line is heard
through the segment cache that render uses, spoken by an engine this session
keeps loaded, so a line heard is a line render need not speak again. Words
added to the lexicon go to the library's own lexicon.toml, which every render
into the library uses. The HTTP side is publish/studio.py.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..episodes import EPISODES_FOLDER, LEXICON
from ..errors import BriefingError
from ..files import write_atomic
from ..models import Voice
from ..plan import revise
from ..plan.script_draft import ScriptDraft, ScriptError, draft_script
from ..plan.script_file import draft_text, left_out_reason
from ..plan.script_parse import read_draft
from ..speech import Engine, load_engine
from ..speech.lexicon import load_lexicon_file, voice_lexicon
from .render import RenderRequest, estimated_seconds, render_script, script_voices

WORD = re.compile(r"^[\w][\w'’.-]{0,60}$")


class StaleVersion(BriefingError):
    """The script changed since the page read it (another tab, a text editor)."""


@dataclass
class RenderJob:
    """The render running or last run in this session, as the page polls it."""

    state: str = "idle"
    """idle, running, done or failed."""
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    episode: dict[str, Any] = field(default_factory=dict)


class StudioSession:
    """The studio's state: where the script is, the library it renders into, the engines it keeps."""

    def __init__(self, script_path: Path, request: RenderRequest, known_voices: frozenset[str]):
        self.script_path = Path(script_path)
        self.request = replace(request, script_path=self.script_path)
        self.known_voices = known_voices
        self.cache_dir = request.cache_dir or request.output_dir / ".cache" / "segments"
        self._lock = threading.Lock()
        self._engines: dict[str, Engine] = {}
        self._engine_lock = threading.Lock()
        self.job = RenderJob()

    # The file.

    def read(self) -> tuple[str, ScriptDraft]:
        """The file's version and its draft; ScriptError if it cannot be used as it stands."""
        data = self.script_path.read_bytes()
        version = hashlib.sha256(data).hexdigest()[:16]
        return version, read_draft(data.decode("utf-8", errors="replace"), self.script_path.name,
                                   voices=self.known_voices)

    def view(self) -> dict[str, Any]:
        """What the page shows: the script as it is on disk (or why it cannot be used), and the render."""
        with self._lock:
            try:
                version, draft = self.read()
            except ScriptError as error:
                data = self.script_path.read_bytes()
                return {"version": hashlib.sha256(data).hexdigest()[:16], "problems": error.lines(),
                        "script": None, "render": self.render_state()}
            voices = self.voices(draft)
            estimate = estimated_seconds(draft_script(draft, keep=_keep(voices)), voices)
            return {"version": version, "problems": [], "script": draft_json(draft, estimate),
                    "render": self.render_state()}

    def change(self, version: str, change: dict[str, Any]) -> dict[str, Any]:
        """Apply one change made against `version` and write the file; the new view."""
        with self._lock:
            current, draft = self.read()
            if version != current:
                raise StaleVersion("This script was changed elsewhere (another tab or a text editor) since this page "
                                   "showed it; your change was not saved. Reload to see the script as it is now.")
            edited = apply_change(draft, change)
            draft_script(edited, self.script_path.name, keep=_keep(self.voices(edited)))  # no line without words
            write_atomic(self.script_path, draft_text(edited).encode("utf-8"))
        return self.view()

    # Voices, hearing a line, the lexicon.

    def voices(self, draft: ScriptDraft) -> tuple[Voice, ...]:
        return script_voices(draft_script(draft), self.request)

    def speak(self, place: str) -> Path:
        """The cached WAV of the line at `place`, spoken now if the cache lacks it."""
        from ..audio.line import spoken_text
        from ..audio.synthesize import cache_path, speak_to_cache

        with self._lock:
            _, draft = self.read()
        line = _line_at(draft, place)
        voice = next(v for v in self.voices(draft) if v.name == line.speaker)
        text = spoken_text(line.display, voice)
        path = cache_path(self.cache_dir, voice, text)
        if not path.is_file():
            with self._engine_lock:
                engine = self._engines.get(voice.name) or load_engine(voice)
                self._engines[voice.name] = engine
                speak_to_cache(engine, text, path)
        return path

    def warm_up(self) -> None:
        """Load the first presenter's engine and have it speak once (hibari's first call takes
        0.5 s more than the next), so the first line heard is quick."""
        try:
            _, draft = self.read()
            voice = self.voices(draft)[0]
            with self._engine_lock:
                engine = self._engines.setdefault(voice.name, load_engine(voice))
                engine.speak("Hello.")
        except BriefingError:
            pass

    def add_word(self, word: str, say: str) -> None:
        """Add (or replace) a respelling in the library's lexicon.toml, which render and this studio use."""
        word, say = word.strip(), " ".join(say.split())
        if not WORD.match(word) or not say or any(ord(c) < 32 or ord(c) == 127 for c in say):
            raise BriefingError("Give one word as written (letters, digits, ' . -) and how to say it.")
        path = self.request.output_dir / LEXICON
        entries = {e.word: e.say for e in load_lexicon_file(path).entries if e.say} if path.is_file() else {}
        entries[word] = say
        lines = ["# Pronunciations added in briefing studio: a word as written = how to say it.", "[words]"]
        lines += [f"{json.dumps(w, ensure_ascii=False)} = {json.dumps(s, ensure_ascii=False)}"
                  for w, s in sorted(entries.items())]
        self.request.output_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))

    # Rendering.

    def start_render(self) -> bool:
        """Render the script as the file has it now, in a thread; False if one is running."""
        with self._lock:
            if self.job.state == "running":
                return False
            self.job = RenderJob(state="running", stage="prepare")
        threading.Thread(target=self._render, name="briefing-studio-render", daemon=True).start()
        return True

    def render_state(self) -> dict[str, Any]:
        job = self.job
        return {"state": job.state, "stage": job.stage, "done": job.done, "total": job.total,
                "message": job.message, "episode": job.episode}

    def _render(self) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.job.stage, self.job.done, self.job.total = stage, done, total

        try:
            with self._lock:
                _, draft = self.read()
            script = draft_script(draft, self.script_path.name)
            voices = self.voices(draft)
            engine = self._engines.get(voices[0].name) if len(voices) == 1 else None
            result = render_script(script, self.request, engine=engine, on_progress=progress)
        except BriefingError as error:
            self.job.state, self.job.message = "failed", str(error)
            return
        episode = result.episode
        self.job.episode = {
            "id": episode.id, "audio": f"/{EPISODES_FOLDER}/{episode.id}/{episode.audio_file}",
            "duration_s": episode.duration_s,
            "segments": result.segments_total, "synthesized": result.segments_synthesized,
            "stories": [{"headline": t.story.headline, "start_s": t.start_s, "end_s": t.end_s} for t in episode.stories],
            "seconds": round(sum(result.stage_seconds.values()), 2),
        }
        self.job.state = "done"


def _keep(voices: tuple[Voice, ...]) -> frozenset[str]:
    return frozenset().union(*(voice_lexicon(v).words for v in voices))


def apply_change(draft: ScriptDraft, change: dict[str, Any]) -> ScriptDraft:
    """One change as the page sends it: {"op": "move", "story": 2, "to": 1}, and so on."""
    op = change.get("op")
    try:
        if op == "move":
            return revise.move_story(draft, int(change["story"]), int(change["to"]))
        if op == "drop":
            return revise.drop_story(draft, int(change["story"]))
        if op == "restore":
            return revise.restore_story(draft, int(change["left"]))
        if op == "reader":
            return revise.set_reader(draft, int(change["story"]), str(change["voice"]))
        if op == "edit":
            return revise.edit_line(draft, _place(str(change["line"])), str(change["text"]))
        if op == "add":
            return revise.add_line(draft, int(change["story"]), str(change["text"]))
        if op == "swap":
            _, story, number = _place(str(change["line"]))
            return revise.swap_alternate(draft, story, number, int(change["alternate"]))
    except (KeyError, TypeError, ValueError):
        pass
    raise revise.EditError(f"The studio does not know the change {op!r} as sent; reload the page.")


def _place(line_id: str) -> tuple[str, int, int]:
    """("story", 2, 3) for "s2.3"; ("opening", 0, 1) for "o1"; ("sign_off", 0, 0) for "e0"."""
    found = re.fullmatch(r"(?:s(\d+)\.(\d+)|([oe])(\d+))", line_id)
    if found is None:
        raise ValueError(line_id)
    if found[1] is not None:
        return "story", int(found[1]), int(found[2])
    return ("opening" if found[3] == "o" else "sign_off"), 0, int(found[4])


def _line_at(draft: ScriptDraft, line_id: str) -> revise.Line:
    part, story, number = _place(line_id)
    lines = draft.stories[story].lines if part == "story" else getattr(draft, part)
    if not 0 <= number < len(lines):
        raise revise.EditError("There is no such line; reload the page.")
    return lines[number]


def draft_json(draft: ScriptDraft, estimated_s: float) -> dict[str, Any]:
    """The draft as the page renders it; each line with the id changes name it by."""
    def line(line_id: str, item: revise.Line) -> dict[str, Any]:
        return {"id": line_id, "kind": item.kind, "speaker": item.speaker, "text": item.display}

    return {
        "title": draft.title, "date": draft.date.isoformat(), "estimated_s": estimated_s,
        "target_s": round(draft.target_minutes * 60, 1) if draft.target_minutes else None,
        "hosts": [{"voice": h.voice, "name": h.name} for h in draft.hosts],
        "opening": [line(f"o{i}", item) for i, item in enumerate(draft.opening)],
        "stories": [{
            "headline": block.story.headline, "reader": block.reader, "sources": list(block.story.sources),
            "origins": [Path(a.origin).name for a in block.story.articles if a.origin and not a.url],
            "urls": list(block.story.urls), "update": block.story.update_of is not None,
            "lines": [line(f"s{i}.{j}", item) for j, item in enumerate(block.lines)],
            "alternates": [{"rank": a.rank, "text": a.text} for a in block.story.alternates],
        } for i, block in enumerate(draft.stories)],
        "sign_off": [line(f"e{i}", item) for i, item in enumerate(draft.sign_off)],
        "left_out": [{"headline": block.story.headline, "sources": list(block.story.sources),
                      "reason": left_out_reason(block.left_out) if block.left_out else "for time",
                      "sentences": [item.display for item in block.lines]} for block in draft.left_out],
    }
