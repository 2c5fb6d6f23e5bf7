"""The script as a text file a person edits: `write_script_file` and `read_script_file`.

An editor reads the draft before it airs, in any text editor or in a diff, and
changes what they like: the order of the stories, which are told, any line,
who reads each story. The file is line-oriented, so a change is one line of a
diff, and it reads as Markdown:

    title: News briefing for Thursday, November 26th, 2026
    date: 2026-11-26
    presenters: Hannah (heart), Joe (joe)
    target: 5 min

    # Opening
    [intro Hannah] Here is your briefing for Thursday, November 26th. I'm Hannah.

    # Stories

    ## Harbour Bridge reopens
    from: Wellport Herald <https://www.wellportherald.com/news/bridge>, 2026-11-25
    read by: Joe
    [handover Hannah] Over to Joe.
    [transition] First, from Wellport Herald.
    The city's Harbour Bridge reopened on Monday.
    // 4. Engineers replaced 4,800 tonnes of steel.

    # Sign-off
    [outro] That's your briefing for Thursday, November 26th.

    # Left out

    ## Council budget approved
    left out: for time
    The council approved its budget on Tuesday.

Every line that is not a comment (`//`), a heading or a story's credit line is
read, in order, exactly as written (through the same normalizer and lexicon as
a generated briefing). `// 4. text` under a story is a sentence the ranker
rated fourth and the script does not read: move it up and drop the `// 4.` to
read it. Stories under `# Left out` are not read: move one up to bring it back.
A line starting with a backslash is read as it is, without the backslash (for
a sentence that starts like a comment, a heading or a label).

Reading gives back the same `Script` type the planner makes, so `render` takes
either; writing what was read gives the same bytes. Comments other than
alternates are not kept. Problems are reported all at once, each with its line
number (ScriptError).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..errors import BriefingError
from ..files import write_atomic
from ..models import Alternate, Article, EarlierStory, LeftOutStory, Presenter, Script, Segment, Story
from ..speech.normalize import normalize_for_speech
from .script import PAUSE_AFTER_SENTENCE_MS, PAUSE_AFTER_TRANSITION_MS, STORY_GAP_MS

SECTIONS = ("Opening", "Stories", "Sign-off", "Left out")
KINDS = ("intro", "rundown", "transition", "handover", "sentence", "outro")
"""Segment kinds a line may name in its label, `[kind Name]`."""
STORY_KINDS = ("transition", "sentence")
"""Kinds that belong to their story (and its clip); the others sit between stories."""
HELP = """\
// The script of one briefing. Edit it in any editor, then make the episode with
//   briefing render THIS-FILE -o OUTPUT
// Every line is read in order, as written, except: lines starting with //, headings
// (# and ##), and a story's from:/read by:/update of:/left out: lines. [kind Name]
// names who says a presenter's line. Move a "## story" block to reorder, delete it
// or move it under "# Left out" to cut it. "// 4. text" is a sentence ranked fourth
// that is not read: move it up and remove "// 4." to read it."""
LEFT_OUT_HELP = "// Not read. Move a story's block up, under # Stories, to bring it back."
_LABEL = re.compile(r"^\[(?P<kind>[A-Za-z-]+)(?:\s+(?P<name>[^\]]+?))?\]\s*(?P<text>.*)$")
_ALTERNATE = re.compile(r"^//\s*(?P<rank>\d+)\.\s+(?P<text>\S.*)$")
_FIELD = re.compile(r"^(?P<key>[a-z][a-z ]*?):\s*(?P<value>.*)$")
_FROM = re.compile(r"^(?P<outlet>[^<]*?)\s*(?:<(?P<link>[^<>]*)>)?\s*(?:,\s*(?P<published>\d{4}-\d\d-\d\d\S*))?$")
_EARLIER = re.compile(r"^(?P<headline>.*?)\s*\((?P<date>\d{4}-\d\d-\d\d), episode (?P<episode>[^()\s]+)\)$")
_TARGET = re.compile(r"^(?P<minutes>\d+(?:\.\d+)?)\s*min$")
STORY_FIELDS = ("from", "update of", "read by", "left out")
_NEEDS_ESCAPE = re.compile(r"^(?://|#|\[|\\|(?:from|update of|read by|left out):)", re.IGNORECASE)


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


# Writing.

def write_script_file(script: Script, path: Path) -> None:
    """Write `script` to `path` as text, atomically (an editor or the studio never sees half of it)."""
    write_atomic(Path(path), script_text(script).encode("utf-8"))


def script_text(script: Script) -> str:
    """The script as the text an editor reads (see the module docstring)."""
    return draft_text(script_draft(script))


def draft_text(draft: ScriptDraft) -> str:
    names = {host.voice: host.name for host in draft.hosts}
    first = draft.hosts[0].voice if draft.hosts else ""
    out = [f"title: {_one_line(draft.title)}", f"date: {draft.date.isoformat()}",
           "presenters: " + ", ".join(f"{h.name} ({h.voice})" if h.name != h.voice else h.voice for h in draft.hosts)]
    if draft.target_minutes:
        out.append(f"target: {draft.target_minutes:g} min")
    out += ["", HELP, "", "# Opening"]
    out += [_line_text(line, first, names) for line in draft.opening]
    out += ["", "# Stories"]
    for block in draft.stories:
        out += ["", *_block_text(block, names, several=len(draft.hosts) > 1)]
    out += ["", "# Sign-off"]
    out += [_line_text(line, first, names) for line in draft.sign_off]
    if draft.left_out:
        out += ["", "# Left out", LEFT_OUT_HELP]
        for block in draft.left_out:
            out += ["", *_block_text(block, names, several=len(draft.hosts) > 1)]
    return "\n".join(out) + "\n"


def _block_text(block: Block, names: dict[str, str], *, several: bool) -> list[str]:
    story = block.story
    out = [f"## {_one_line(story.headline)}"]
    if block.left_out is not None:
        out.append(f"left out: {left_out_reason(block.left_out)}")
    out += [f"from: {_article_text(article)}" for article in story.articles]
    if story.update_of is not None:
        out.append(f"update of: {_earlier_text(story.update_of)}")
    if several and block.left_out is None:
        out.append(f"read by: {names.get(block.reader, block.reader)}")
    out += [_line_text(line, block.reader, names, in_story=True) for line in block.lines]
    out += [f"// {alternate.rank}. {_one_line(alternate.text)}" for alternate in story.alternates]
    return out


def _line_text(line: Line, default_speaker: str, names: dict[str, str], *, in_story: bool = False) -> str:
    plain = "sentence" if in_story else None
    name = "" if line.speaker == default_speaker else " " + names.get(line.speaker, line.speaker)
    text = _one_line(line.display)
    if line.kind == plain and not name:
        return "\\" + text if _NEEDS_ESCAPE.match(text) else text
    return f"[{line.kind}{name}] {text}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _article_text(article: Article) -> str:
    outlet = (article.source or "").replace("<", "(").replace(">", ")")
    parts = [outlet] if outlet else []
    where = article.url or article.origin
    if where:
        parts.append(f"<{where}>")
    text = " ".join(parts)
    if article.published is not None:
        text += f", {_moment_text(article.published)}"
    return text


def _moment_text(moment: datetime) -> str:
    if moment.time() == time(0) and moment.utcoffset() in (None, timezone.utc.utcoffset(None)):
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes")


def _earlier_text(earlier: EarlierStory) -> str:
    return f"{_one_line(earlier.headline)} ({earlier.date.isoformat()}, episode {earlier.episode})"


def left_out_reason(left: LeftOutStory) -> str:
    """Why a story is left out, in words (the file's `left out:` line)."""
    if left.reason == "topic":
        return f'on the excluded topic "{left.topic}"'
    if left.reason == "told" and left.told_in is not None:
        return f"told before, nothing new since: {_earlier_text(left.told_in)}"
    return "by the editor" if left.reason == "editor" else "for time"


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


# Reading.

def read_script_file(path: Path, *, keep: Collection[str] = (), voices: Collection[str] | None = None) -> Script:
    """The script in the file at `path`; ScriptError lists every problem with its line number.

    `keep`: words the normalizer leaves as written (the voices' lexicons); `voices`: the
    voice profiles there are, to name an unknown one at its line (None: not checked)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScriptError(str(path), [(0, f"cannot be read ({error}); give a script written by briefing plan")]) from None
    return draft_script(read_draft(text, str(path), voices=voices), str(path), keep=keep)


def read_script_text(text: str, source: str = "script", *, keep: Collection[str] = (),
                     voices: Collection[str] | None = None) -> Script:
    """`read_script_file` for text in hand; `source` names it in messages."""
    return draft_script(read_draft(text, source, voices=voices), source, keep=keep)


def looks_like_script(text: str) -> bool:
    """Does `text` start as a script file does (title and date fields), rather than as an article?"""
    fields = [line for line in text.splitlines()[:8] if line.strip() and not line.startswith("//")]
    return len(fields) >= 2 and fields[0].startswith("title:") and fields[1].startswith("date:")


@dataclass
class _Reader:
    source: str
    voices: Collection[str] | None
    problems: list[tuple[int, str]] = field(default_factory=list)
    fields: dict[str, tuple[int, str]] = field(default_factory=dict)
    hosts: tuple[Presenter, ...] = ()
    section: str = ""
    sections: dict[str, list] = field(default_factory=lambda: {name: [] for name in SECTIONS})
    block: dict | None = None

    def problem(self, number: int, message: str) -> None:
        self.problems.append((number, message))


def read_draft(text: str, source: str = "script", *, voices: Collection[str] | None = None) -> ScriptDraft:
    """The file's sections as written, speakers resolved; ScriptError lists every problem."""
    reader = _Reader(source, voices)
    for number, raw in enumerate(text.splitlines(), 1):
        _read_line(reader, number, raw.rstrip())
    _close_block(reader)
    draft = _assemble(reader)
    if reader.problems or draft is None:
        raise ScriptError(source, sorted(reader.problems))
    return draft


def _read_line(reader: _Reader, number: int, line: str) -> None:
    stripped = line.strip()
    if not stripped:
        return
    if stripped.startswith("//"):
        alternate = _ALTERNATE.match(stripped)
        if alternate and reader.block is not None:
            reader.block["alternates"].append(Alternate(int(alternate["rank"]), alternate["text"]))
        return
    if stripped.startswith("## "):
        _open_block(reader, number, stripped[3:].strip())
        return
    if stripped.startswith("# "):
        _open_section(reader, number, stripped[2:].strip())
        return
    if not reader.section:
        _header_field(reader, number, stripped)
        return
    if reader.block is not None and not reader.block["lines"] and not stripped.startswith("\\"):
        found = _FIELD.match(stripped)
        if found and found["key"].lower() in STORY_FIELDS:
            _story_field(reader, number, found["key"].lower(), found["value"].strip())
            return
    _spoken_line(reader, number, stripped)


def _header_field(reader: _Reader, number: int, line: str) -> None:
    found = _FIELD.match(line)
    if found is None or found["key"] not in ("title", "date", "presenters", "target"):
        reader.problem(number, "the header holds title:, date:, presenters: and target: lines; "
                               "put spoken lines under # Opening, # Stories or # Sign-off")
        return
    reader.fields[found["key"]] = (number, found["value"].strip())
    if found["key"] == "presenters":
        reader.hosts = _presenters(reader, number, found["value"])


def _presenters(reader: _Reader, number: int, value: str) -> tuple[Presenter, ...]:
    hosts = []
    for item in (part.strip() for part in value.split(",")):
        named = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<voice>[^()]+)\)", item)
        voice, name = (named["voice"].strip(), named["name"].strip()) if named else (item, item)
        if not voice:
            reader.problem(number, "presenters: name each voice, e.g. presenters: Hannah (heart), Joe (joe)")
        elif reader.voices is not None and voice not in reader.voices:
            known = ", ".join(sorted(reader.voices)) or "none"
            reader.problem(number, f"no voice called {voice!r}; known voices: {known} (see `briefing voices`)")
        else:
            hosts.append(Presenter(voice, name))
    if len({h.voice for h in hosts}) < len(hosts) or len({h.name for h in hosts}) < len(hosts):
        reader.problem(number, "presenters: each voice and each name may appear once")
    return tuple(hosts)


def _open_section(reader: _Reader, number: int, name: str) -> None:
    _close_block(reader)
    known = {section.lower(): section for section in SECTIONS}
    section = known.get(name.lower())
    if section is None:
        reader.problem(number, f"unknown section {name!r}; the sections are # {', # '.join(SECTIONS)}")
        return
    if reader.section and SECTIONS.index(section) <= SECTIONS.index(reader.section):
        reader.problem(number, f"# {section} must come after # {reader.section}, in the order "
                               f"{', '.join(SECTIONS)}")
    reader.section = section


def _open_block(reader: _Reader, number: int, headline: str) -> None:
    _close_block(reader)
    if reader.section not in ("Stories", "Left out"):
        reader.problem(number, "a story (## headline) belongs under # Stories or # Left out")
    reader.block = {"headline": headline, "number": number, "articles": [], "update_of": None, "reader": None,
                    "left_out": None, "lines": [], "alternates": []}


def _story_field(reader: _Reader, number: int, key: str, value: str) -> None:
    block = reader.block
    assert block is not None
    if key == "from":
        found = _FROM.match(value)
        published = _moment(found["published"]) if found and found["published"] else None
        if not found or (found["published"] and published is None) or not (found["outlet"] or found["link"]):
            reader.problem(number, "from: write the outlet, its link in <> and the date, "
                                   "e.g. from: NDTV <https://www.ndtv.com/story>, 2026-11-25")
            return
        link = found["link"] or None
        is_url = bool(link and "://" in link)
        block["articles"].append(Article(title=block["headline"], text="", source=found["outlet"] or None,
                                         url=link if is_url else None, origin="" if is_url else (link or ""),
                                         published=published))
    elif key == "update of":
        block["update_of"] = _earlier(value) or reader.problem(
            number, "update of: write the earlier headline, then (date, episode id)")
    elif key == "read by":
        block["reader"] = _speaker(reader, number, value)
    else:
        block["left_out"] = _left_out(value)


def _spoken_line(reader: _Reader, number: int, line: str) -> None:
    kind, name, text = "", "", line[1:] if line.startswith("\\") else line
    if not line.startswith("\\"):
        labelled = _LABEL.match(line)
        if labelled:
            kind, name, text = labelled["kind"].lower(), labelled["name"] or "", labelled["text"]
            if kind not in KINDS:
                reader.problem(number, f"unknown line kind [{labelled['kind']}]; use {', '.join(KINDS)}")
                return
    speaker = _speaker(reader, number, name) if name else ""
    if reader.block is not None:
        reader.block["lines"].append(Line(kind or "sentence", text.strip(), speaker, number))
    elif reader.section == "Stories":
        reader.problem(number, "a line under # Stories must belong to a story: start one with ## headline")
    elif reader.section == "Left out":
        reader.problem(number, "a line under # Left out must belong to a story: start one with ## headline")
    else:
        default = "intro" if reader.section == "Opening" else "outro"
        reader.sections[reader.section].append(Line(kind or default, text.strip(), speaker, number))


def _speaker(reader: _Reader, number: int, name: str) -> str:
    """The voice a presenter's name (or voice name) stands for."""
    for host in reader.hosts:
        if name in (host.name, host.voice):
            return host.voice
    for host in reader.hosts:
        if name.casefold() in (host.name.casefold(), host.voice.casefold()):
            return host.voice
    names = ", ".join(h.name for h in reader.hosts) or "none yet"
    reader.problem(number, f"no presenter called {name!r}; the presenters are {names} "
                           "(add a voice to the header's presenters: line)")
    return ""


def _close_block(reader: _Reader) -> None:
    block, reader.block = reader.block, None
    if block is not None and reader.section in ("Stories", "Left out"):
        reader.sections[reader.section].append(block)


def _assemble(reader: _Reader) -> ScriptDraft | None:
    """The draft from what was read, with defaults filled in; None if the header is unusable."""
    title = reader.fields.get("title", (0, ""))[1]
    day = _date(reader.fields.get("date", (0, ""))[1])
    if not title:
        reader.problem(reader.fields.get("title", (1, ""))[0], "the header needs a title: line")
    if day is None:
        reader.problem(reader.fields.get("date", (1, ""))[0], "the header needs a date: line, YYYY-MM-DD")
    if not reader.hosts and "presenters" not in reader.fields:
        reader.problem(1, "the header needs a presenters: line, e.g. presenters: Hannah (heart)")
    target = reader.fields.get("target")
    minutes = _TARGET.match(target[1]) if target else None
    if target and minutes is None:
        reader.problem(target[0], "target: write the planned length in minutes, e.g. target: 5 min")
    if not reader.sections["Stories"]:
        reader.problem(0, "the script has no story to read; put at least one ## story under # Stories")
    if not title or day is None or not reader.hosts:
        return None
    first = reader.hosts[0].voice
    blocks = [_block(reader, raw, first) for raw in reader.sections["Stories"]]
    left = [_block(reader, raw, first, left_out=True) for raw in reader.sections["Left out"]]
    return ScriptDraft(title, day, reader.hosts, float(minutes["minutes"]) if minutes else None,
                       tuple(_with_speaker(line, first) for line in reader.sections["Opening"]), tuple(blocks),
                       tuple(_with_speaker(line, first) for line in reader.sections["Sign-off"]), tuple(left))


def _block(reader: _Reader, raw: dict, first: str, *, left_out: bool = False) -> Block:
    speaker = raw["reader"] or first
    lines = tuple(_with_speaker(line, speaker) for line in raw["lines"])
    if not any(line.kind == "sentence" for line in lines):
        where = "# Left out" if left_out else "# Left out, or delete it"
        reader.problem(raw["number"], f"the story {raw['headline']!r} has no sentence to read; "
                                      f"add one, or move it under {where}")
    articles = tuple(raw["articles"])
    dated = [a.published_utc for a in articles if a.published_utc]
    story = Story(headline=raw["headline"], sentences=tuple(line.display for line in lines if line.kind == "sentence"),
                  sources=tuple(dict.fromkeys(a.source for a in articles if a.source)),
                  urls=tuple(dict.fromkeys(a.url for a in articles if a.url)),
                  published=max(dated) if dated else None, articles=articles, update_of=raw["update_of"],
                  alternates=tuple(raw["alternates"]))
    reason = raw["left_out"] or LeftOutStory(story) if left_out else None
    return Block(story, lines, speaker, replace(reason, story=story) if reason else None, raw["number"])


def _with_speaker(line: Line, default: str) -> Line:
    return line if line.speaker else replace(line, speaker=default)


def _left_out(value: str) -> LeftOutStory | None:
    empty = Story(headline="", sentences=())
    topic = re.fullmatch(r'on the excluded topic "(?P<topic>.*)"', value)
    if topic:
        return LeftOutStory(empty, "topic", topic=topic["topic"])
    if value.startswith("told before"):
        return LeftOutStory(empty, "told", told_in=_earlier(value.split(":", 1)[-1].strip()))
    return LeftOutStory(empty, "editor" if value == "by the editor" else "time")


def _earlier(value: str) -> EarlierStory | None:
    found = _EARLIER.match(value)
    day = _date(found["date"]) if found else None
    return EarlierStory(found["episode"], day, found["headline"]) if found and day else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if len(value) == 10 else moment


# From the draft to the Script that render speaks.

def draft_script(draft: ScriptDraft, source: str = "script", *, keep: Collection[str] = ()) -> Script:
    """The Script the draft reads: every line normalized for the ear (`keep`: words left for the
    lexicon), pauses set by where each line sits; ScriptError names lines with nothing to say."""
    segments: list[Segment] = []
    problems: list[tuple[int, str]] = []
    lines = [(line, None) for line in draft.opening]
    for index, block in enumerate(draft.stories):
        lines += [(line, index if line.kind in STORY_KINDS else None) for line in block.lines]
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
    stories = tuple(block.story for block in draft.stories)
    left_out = tuple(block.left_out for block in draft.left_out if block.left_out is not None)
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


def spoken_lines(draft: ScriptDraft) -> Iterator[Line]:
    """Every line the draft reads, in order."""
    yield from draft.opening
    for block in draft.stories:
        yield from block.lines
    yield from draft.sign_off
