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
from collections.abc import Collection
from datetime import datetime, time, timezone
from pathlib import Path

from ..files import write_atomic
from ..models import Article, EarlierStory, LeftOutStory, Script
from .script_draft import Block, Line, ScriptDraft, ScriptError, draft_script, script_draft
from .script_parse import read_draft

__all__ = ["ScriptDraft", "ScriptError", "looks_like_script", "read_script_file", "read_script_text",
           "script_text", "write_script_file"]

HELP = """\
// The script of one briefing. Edit it in any editor, then make the episode with
//   briefing render THIS-FILE -o OUTPUT
// Every line is read in order, as written, except: lines starting with //, headings
// (# and ##), and a story's from:/read by:/update of:/left out: lines. [kind Name]
// names who says a presenter's line. Move a "## story" block to reorder, delete it
// or move it under "# Left out" to cut it. "// 4. text" is a sentence ranked fourth
// that is not read: move it up and remove "// 4." to read it."""
LEFT_OUT_HELP = "// Not read. Move a story's block up, under # Stories, to bring it back."
_NEEDS_ESCAPE = re.compile(r"^(?://|#|\[|\\|(?:from|update of|read by|left out):)", re.IGNORECASE)


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
