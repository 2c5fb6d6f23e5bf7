"""Read a script file's text into its sections (ScriptDraft), line by line.

Every problem is collected with its line number, so an editor fixes them all in
one go (ScriptError). Lines are kept as written; speakers are resolved to
voices from the header's presenters. The format is described in script_file.py.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from ..models import Alternate, Article, EarlierStory, LeftOutStory, Presenter, Story
from ..speech.normalize import normalize_for_speech
from .script_draft import KINDS, SECTIONS, Block, Line, ScriptDraft, ScriptError

_LABEL = re.compile(r"^\[(?P<kind>[A-Za-z-]+)(?:\s+(?P<name>[^\]]+?))?\]\s*(?P<text>.*)$")
_ALTERNATE = re.compile(r"^//\s*(?P<rank>\d+)\.\s+(?P<text>\S.*)$")
_FIELD = re.compile(r"^(?P<key>[a-z][a-z ]*?):\s*(?P<value>.*)$")
_FROM = re.compile(r"^(?P<outlet>[^<]*?)\s*(?:<(?P<link>[^<>]*)>)?\s*(?:,\s*(?P<published>\d{4}-\d\d-\d\d\S*))?$")
_EARLIER = re.compile(r"^(?P<headline>.*?)\s*\((?P<date>\d{4}-\d\d-\d\d), episode (?P<episode>[^()\s]+)\)$")
_TARGET = re.compile(r"^(?P<minutes>\d+(?:\.\d+)?)\s*min$")
STORY_FIELDS = ("from", "update of", "read by", "left out")


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
        block["update_of"] = _earlier(value)
        if block["update_of"] is None:
            reader.problem(number, "update of: write the earlier headline, then (date, episode id)")
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
    if not any(character.isalnum() for character in normalize_for_speech(text)):
        reader.problem(number, "this line has no words to say; write the words, or delete the line")
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
    first = reader.hosts[0].voice if reader.hosts else ""
    blocks = [_block(reader, raw, first) for raw in reader.sections["Stories"]]
    left = [_block(reader, raw, first, left_out=True) for raw in reader.sections["Left out"]]
    if not title or day is None or not reader.hosts:
        return None
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
