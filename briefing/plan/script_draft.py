"""The sections of a script file (ScriptDraft) and the Script they read.

A script file (script_file.py) holds the opening lines, the stories in order
(each with its credits, its lines and its alternates), the sign-off and the
stories left out. This module turns a Script into those sections and back:
lines are normalized for the ear, and the pause after each is set by where it
sits, as the planner sets it (plan/script.py), so a script written and read
back is the same Script the planner made.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..errors import BriefingError
from ..models import LeftOutStory, Presenter, Script, Segment, Story
from ..speech.normalize import normalize_for_speech
from .script import PAUSE_AFTER_SENTENCE_MS, PAUSE_AFTER_TRANSITION_MS, STORY_GAP_MS

SECTIONS = ("Opening", "Stories", "Sign-off", "Left out")
KINDS = ("intro", "rundown", "transition", "handover", "sentence", "outro")
"""Segment kinds a line may name in its label, `[kind Name]`."""
STORY_KINDS = ("transition", "sentence")
"""Kinds that belong to their story (and its clip); the others sit between stories."""


class ScriptError(BriefingError):
    """A script file that cannot be used: every problem, each with its line number."""

    exit_code = 2

    def __init__(self, source: str, problems: Sequence[tuple[int, str]]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem: `script.md:12: what is wrong, and what to do`."""
        return [f"{self.source}:{number}: {message}" if number else f"{self.source}: {message}"
                for number, message in self.problems]


@dataclass(frozen=True)
class Line:
    """One spoken line as the file holds it: who says it, of what kind, as written."""

    kind: str
    display: str
    speaker: str
    """The voice that says it."""
    number: int = 0
    """Its line number in the file, for messages (0 if it was not read from one)."""


@dataclass(frozen=True)
class Block:
    """One story as the file holds it: its credits, its lines and its alternates."""

    story: Story
    """Headline, credits and alternates; `sentences` is filled from `lines` when read."""
    lines: tuple[Line, ...]
    reader: str
    """The voice that reads the story's transition and sentences unless a line names another."""
    left_out: LeftOutStory | None = None
    """Why the story is not read, for a block under # Left out."""
    number: int = 0


@dataclass(frozen=True)
class ScriptDraft:
    """The file's content, section by section: what an editor moves, cuts and rewrites."""

    title: str
    date: date
    hosts: tuple[Presenter, ...]
    target_minutes: float | None
    opening: tuple[Line, ...]
    stories: tuple[Block, ...]
    sign_off: tuple[Line, ...]
    left_out: tuple[Block, ...] = ()


def script_draft(script: Script) -> ScriptDraft:
    """The file's sections for a script: its segments grouped into opening, stories and sign-off.

    A line between two stories (a handover) goes with the story after it, so it
    moves with the story that follows it."""
    first = script.hosts[0].voice if script.hosts else ""
    lines = [Line(s.kind, s.display, s.speaker or first) for s in script.segments]
    indices = [s.story_index for s in script.segments]
    told = [i for i, index in enumerate(indices) if index is not None]
    if not told:
        return ScriptDraft(script.title, script.date, script.hosts, script.target_minutes, tuple(lines), (), ())
    opening, sign_off = tuple(lines[:told[0]]), tuple(lines[told[-1] + 1:])
    owned: dict[int, list[Line]] = {i: [] for i in range(len(script.stories))}
    waiting: list[Line] = []
    for line, index in zip(lines[told[0]:told[-1] + 1], indices[told[0]:told[-1] + 1]):
        if index is None:
            waiting.append(line)
        else:
            owned[index] += [*waiting, line]
            waiting = []
    blocks = tuple(Block(story, tuple(owned[i]), _reader(owned[i], first)) for i, story in enumerate(script.stories))
    left = tuple(Block(item.story, tuple(Line("sentence", s, first) for s in item.story.sentences), first, item)
                 for item in script.left_out)
    return ScriptDraft(script.title, script.date, script.hosts, script.target_minutes, opening, blocks, sign_off, left)


def _reader(lines: Sequence[Line], default: str) -> str:
    return next((line.speaker for line in lines if line.kind == "sentence"), default)


def draft_script(draft: ScriptDraft, source: str = "script", *, keep: Collection[str] = ()) -> Script:
    """The Script the draft reads: every line normalized for the ear (`keep`: words left for the
    lexicon), pauses set by where each line sits; ScriptError names lines with nothing to say."""
    segments: list[Segment] = []
    problems: list[tuple[int, str]] = []
    lines: list[tuple[Line, int | None]] = [(line, None) for line in draft.opening]
    for number, block in enumerate(draft.stories):
        lines += [(line, number if line.kind in STORY_KINDS else None) for line in block.lines]
    lines += [(line, None) for line in draft.sign_off]
    for position, (line, index) in enumerate(lines):
        text = normalize_for_speech(line.display, keep=keep)
        if not any(character.isalnum() for character in text):
            problems.append((line.number, "this line has no words to say; write the words, or delete the line"))
        segments.append(Segment(kind=line.kind, text=text, display=line.display,
                                pause_after_ms=_pause(line.kind, index, lines[position + 1:]),
                                story_index=index, speaker=line.speaker))
    if problems:
        raise ScriptError(source, problems)
    stories = tuple(told_story(block) for block in draft.stories)
    left_out = tuple(replace(block.left_out, story=told_story(block)) for block in draft.left_out
                     if block.left_out is not None)
    return Script(title=draft.title, date=draft.date, segments=tuple(segments), stories=stories, hosts=draft.hosts,
                  left_out=left_out, target_minutes=draft.target_minutes)


def _pause(kind: str, index: int | None, rest: Sequence[tuple[Line, int | None]]) -> int:
    """The silence after a line, as the planner sets it (plan/script.py): a breath after a
    sentence, a story's gap after its last sentence and after the opening, none at the end."""
    if not rest:
        return 0
    if kind == "sentence":
        last = not any(i == index and line.kind == "sentence" for line, i in rest)
        return STORY_GAP_MS if last else PAUSE_AFTER_SENTENCE_MS
    if kind in ("transition", "handover"):
        return PAUSE_AFTER_TRANSITION_MS
    if kind == "intro":
        return PAUSE_AFTER_SENTENCE_MS if rest[0][0].kind == "intro" else STORY_GAP_MS
    if kind == "outro":
        return PAUSE_AFTER_SENTENCE_MS
    return STORY_GAP_MS


def told_story(block: Block) -> Story:
    """The block's story with the sentences its lines now read."""
    return replace(block.story, sentences=tuple(line.display for line in block.lines if line.kind == "sentence"))


def spoken_lines(draft: ScriptDraft) -> Iterator[Line]:
    """Every line the draft reads, in order."""
    yield from draft.opening
    for block in draft.stories:
        yield from block.lines
    yield from draft.sign_off
