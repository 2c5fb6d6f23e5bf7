"""An editor's changes to a script's sections (ScriptDraft), one small function each.

Move a story, drop it (it goes under Left out, to be brought back), bring one
back, rewrite, add or delete a line, swap a sentence for an alternate, change who
reads a story. Each returns a new draft; the studio writes it to the script file.

After a change of order, cast or story count, the presenter lines the editor
has not touched follow it (`reword`): a line still worded as the planner would
word it for the old arrangement (plan/script.py's `Lines`) is worded again for
the new one, so "And finally" stays on the last story, the count and the
rundown stay true and handovers name the right presenter. A line the editor
rewrote is left as written.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..errors import BriefingError
from ..models import Alternate, LeftOutStory
from .people import find_people, name_in_full
from .script import RUNDOWN_MIN_STORIES, RUNDOWN_STORIES, Lines, _related, spoken_headline
from .script_draft import Block, Line, ScriptDraft, told_story

Slots = dict[tuple[str, str | int], str]
"""What the planner would say, by place: ("intro", 0), ("rundown", 0), ("handover", story),
("transition", story), ("outro", 1)..."""


class EditError(BriefingError):
    """A change that cannot be made (a story left without a sentence, a line that is not there)."""


def move_story(draft: ScriptDraft, index: int, to: int) -> ScriptDraft:
    stories = list(draft.stories)
    _check(0 <= index < len(stories) and 0 <= to < len(stories), "There is no such story to move.")
    stories.insert(to, stories.pop(index))
    return reword(draft, replace(draft, stories=tuple(stories)))


def drop_story(draft: ScriptDraft, index: int) -> ScriptDraft:
    """Put story `index` under Left out (by the editor), with its sentences, to be brought back."""
    _check(0 <= index < len(draft.stories), "There is no such story to drop.")
    _check(len(draft.stories) > 1, "This is the only story left; a briefing needs one.")
    block = draft.stories[index]
    sentences = tuple(line for line in block.lines if line.kind == "sentence")
    story = replace(block.story, sentences=tuple(line.display for line in sentences))
    dropped = Block(story, sentences, block.reader, LeftOutStory(story, "editor"))
    stories = draft.stories[:index] + draft.stories[index + 1:]
    return reword(draft, replace(draft, stories=stories, left_out=(dropped, *draft.left_out)))


def restore_story(draft: ScriptDraft, index: int) -> ScriptDraft:
    """Bring left-out story `index` back as the last story, read by the presenter whose turn it is."""
    _check(0 <= index < len(draft.left_out), "There is no such left-out story.")
    block = draft.left_out[index]
    voices = [host.voice for host in draft.hosts]
    last = draft.stories[-1].reader if draft.stories else voices[0]
    reader = voices[(voices.index(last) + 1) % len(voices)] if last in voices else voices[0]
    lines = tuple(replace(line, speaker=reader) for line in block.lines if line.kind == "sentence")
    back = Block(block.story, lines, reader)
    left = draft.left_out[:index] + draft.left_out[index + 1:]
    return reword(draft, replace(draft, stories=(*draft.stories, back), left_out=left))


def set_reader(draft: ScriptDraft, index: int, voice: str) -> ScriptDraft:
    """Story `index` read by `voice`: its transition and sentences (lines naming another voice stay)."""
    _check(0 <= index < len(draft.stories), "There is no such story.")
    _check(voice in {host.voice for host in draft.hosts}, f"There is no presenter {voice!r} in this script.")
    block = draft.stories[index]
    lines = tuple(replace(line, speaker=voice) if line.speaker == block.reader and line.kind in ("transition", "sentence")
                  else line for line in block.lines)
    return reword(draft, _with_block(draft, index, replace(block, lines=lines, reader=voice)))


def edit_line(draft: ScriptDraft, place: tuple[str, int, int], text: str) -> ScriptDraft:
    """Rewrite the line at `place` ((part, story, line): part is opening, story or sign_off); an
    empty text deletes it."""
    text = " ".join(text.split())
    part, story, number = place
    if part == "story":
        block = _block(draft, story)
        _check(0 <= number < len(block.lines), "There is no such line.")
        lines = list(block.lines)
        if text:
            lines[number] = replace(lines[number], display=text)
        else:
            lines.pop(number)
            _check(any(line.kind == "sentence" for line in lines),
                   "A story needs a sentence; drop the story instead of deleting its last one.")
        return _with_block(draft, story, replace(block, lines=tuple(lines)))
    _check(part in ("opening", "sign_off"), "There is no such line.")
    section = list(getattr(draft, part))
    _check(0 <= number < len(section), "There is no such line.")
    if text:
        section[number] = replace(section[number], display=text)
    else:
        section.pop(number)
    return replace(draft, opening=tuple(section)) if part == "opening" else replace(draft, sign_off=tuple(section))


def add_line(draft: ScriptDraft, index: int, text: str) -> ScriptDraft:
    """A sentence of the editor's own at the end of story `index`."""
    text = " ".join(text.split())
    _check(bool(text), "Write the line to add.")
    block = _block(draft, index)
    return _with_block(draft, index, replace(block, lines=(*block.lines, Line("sentence", text, block.reader))))


def swap_alternate(draft: ScriptDraft, index: int, number: int, alternate: int) -> ScriptDraft:
    """Read story `index`'s alternate in place of its line `number`; the line read before becomes an
    alternate (rank 0: it was in the script, not ranked against the others)."""
    block = _block(draft, index)
    _check(0 <= number < len(block.lines) and block.lines[number].kind == "sentence", "There is no such sentence.")
    _check(0 <= alternate < len(block.story.alternates), "There is no such alternate.")
    lines = list(block.lines)
    chosen = block.story.alternates[alternate]
    alternates = list(block.story.alternates)
    alternates[alternate] = Alternate(0, lines[number].display)
    lines[number] = replace(lines[number], display=chosen.text)
    story = replace(block.story, alternates=tuple(alternates))
    return _with_block(draft, index, replace(block, story=story, lines=tuple(lines)))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise EditError(message)


def _block(draft: ScriptDraft, index: int) -> Block:
    _check(0 <= index < len(draft.stories), "There is no such story.")
    return draft.stories[index]


def _with_block(draft: ScriptDraft, index: int, block: Block) -> ScriptDraft:
    return replace(draft, stories=(*draft.stories[:index], block, *draft.stories[index + 1:]))


# Presenter lines that follow the arrangement.

def planned_lines(draft: ScriptDraft) -> Slots:
    """The presenter lines the planner would write for this draft's stories, readers and hosts,
    by place (plan/script.py's Lines, in the order write_script calls it)."""
    lines, hosts = Lines(draft.date), {host.voice: host for host in draft.hosts}
    stories = [told_story(block) for block in draft.stories]
    readers = [hosts.get(block.reader, draft.hosts[0]) for block in draft.stories]
    slots: Slots = {}
    if len(draft.hosts) == 2:
        slots[("intro", 0)], slots[("intro", 1)] = lines.greeting(draft.hosts, len(stories))
    else:
        slots[("intro", 0)] = lines.intro(len(stories))
    if len(stories) >= RUNDOWN_MIN_STORIES:
        people = [find_people(story.sentences) for story in stories[:RUNDOWN_STORIES]]
        shown = name_in_full((spoken_headline(s.headline, p), p) for s, p in zip(stories, people))
        slots[("rundown", 0)] = lines.rundown(shown)
    for i, story in enumerate(stories):
        if i > 0 and readers[i] != readers[i - 1]:
            slots[("handover", story.headline)] = lines.handover(i, readers[i - 1], readers[i])
        related = i > 0 and _related(stories[i - 1], story)
        slots[("transition", story.headline)] = lines.transition(i, len(stories), story, related)
    if len(draft.hosts) == 2 and stories:
        last = readers[-1]
        other = next(host for host in draft.hosts if host != last)
        slots[("outro", 0)], slots[("outro", 1)] = lines.sign_off(last, other)
    else:
        slots[("outro", 0)] = lines.outro()
    return slots


def reword(before: ScriptDraft, after: ScriptDraft) -> ScriptDraft:
    """`after` with each presenter line that `before` had as planned worded as planned for `after`;
    planned lines no longer wanted are removed, and newly wanted ones added where none is."""
    old, new = planned_lines(before), planned_lines(after)
    speakers = _slot_speakers(after, new)

    def follow(slot: tuple[str, str | int], line: Line | None) -> Line | None:
        if line is not None and line.display != old.get(slot):
            return line  # the editor's own words
        if slot not in new:
            return None
        return Line(slot[0], new[slot], speakers(slot), line.number if line else 0)

    opening = _section(after.opening, ("intro", "rundown"), follow)
    sign_off = _section(after.sign_off, ("outro",), follow)
    stories = tuple(_story_lines(block, follow) for block in after.stories)
    return replace(after, opening=opening, sign_off=sign_off, stories=stories)


def _section(lines: tuple[Line, ...], kinds: tuple[str, ...],
             follow: Callable[[tuple[str, str | int], Line | None], Line | None]) -> tuple[Line, ...]:
    counts: dict[str, int] = {}
    out: list[Line] = []
    for line in lines:
        if line.kind not in kinds:
            out.append(line)
            continue
        slot = (line.kind, counts.get(line.kind, 0))
        counts[line.kind] = slot[1] + 1
        kept = follow(slot, line)
        if kept is not None:
            out.append(kept)
    for kind in kinds:  # lines the new arrangement wants that the section lacks (a rundown, a second intro)
        position = len(out) if kind != "intro" else sum(1 for line in out if line.kind == "intro")
        for number in range(counts.get(kind, 0), 2):
            added = follow((kind, number), None)
            if added is not None:
                out.insert(position, added)
                position += 1
    return tuple(out)


def _story_lines(block: Block, follow: Callable[[tuple[str, str | int], Line | None], Line | None]) -> Block:
    headline = block.story.headline
    lines: list[Line] = []
    seen: set[str] = set()
    for line in block.lines:
        if line.kind in ("handover", "transition") and line.kind not in seen:
            seen.add(line.kind)
            kept = follow((line.kind, headline), line)
            if kept is not None:
                lines.append(kept)
        else:
            lines.append(line)
    for kind, position in (("transition", 0), ("handover", 0)):  # the handover goes before the transition
        if kind not in seen and (added := follow((kind, headline), None)) is not None:
            lines.insert(position, added)
    return replace(block, lines=tuple(lines))


def _slot_speakers(draft: ScriptDraft, planned: Slots) -> Callable[[tuple[str, str | int]], str]:
    """Who says a planned line at each place: the greeting and sign-off in turn, the rundown by the
    second presenter, a story's transition by its reader, a handover by whoever the line names last."""
    voices = [host.voice for host in draft.hosts]
    readers = {block.story.headline: block.reader for block in draft.stories}
    order = [block.reader for block in draft.stories]

    def speaker(slot: tuple[str, str | int]) -> str:
        kind, key = slot
        if kind in ("transition",) and isinstance(key, str):
            return readers[key]
        if kind == "handover" and isinstance(key, str):
            headline_order = [block.story.headline for block in draft.stories]
            i = headline_order.index(key)
            previous, reader = order[i - 1], order[i]
            return reader if planned.get(slot, "").startswith("Thank") else previous
        if len(voices) == 2 and kind == "intro":
            return voices[int(key)]
        if len(voices) == 2 and kind == "rundown":
            return voices[1]
        if len(voices) == 2 and kind == "outro" and order:
            last = order[-1]
            return last if key == 0 else next(v for v in voices if v != last)
        return voices[0]

    return speaker
