"""The library's web page, index.html: episodes newest first, story clips, player, transcript.

Rendered here in Python with every value from articles escaped by
html.escape; the page's behaviour lives in static/briefing.js, which only
reads data attributes (no inline script, and the page's Content Security
Policy forbids any). Each sentence of the transcript holds its words, each
with the time the voice says it (from transcript.json), so the page can follow
the voice word by word and a click on a word plays from there. Links are
relative, so the page works at any address.
"""
from __future__ import annotations

import html
import json
from dataclasses import replace
from urllib.parse import quote, urlsplit

import webvtt

from ..episodes import COVER, EPISODES_FOLDER, FEED
from ..models import Channel, Cue, Episode, StoryTiming, TimedWord
from ..printable import clock

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; base-uri 'none'; form-action 'none'"
)


def render_page(episodes: list[Episode], *, channel: Channel, feed_url: str, cover: str = COVER) -> str:
    """The whole index.html; the newest episode's transcript starts open. `cover` is the
    cover image's file name in the library."""
    articles = "\n".join(_episode(e, open_transcript=(n == 0)) for n, e in enumerate(episodes))
    if not episodes:
        articles = '<p class="empty">No episodes yet. Run <code>briefing generate</code> to make one.</p>'
    return _PAGE.format(
        language=_e(channel.language),
        csp=_e(CONTENT_SECURITY_POLICY),
        title=_e(channel.title),
        description=_e(channel.description),
        feed_url=_e(feed_url),
        episodes=articles,
        feed=FEED,
        cover=_e(quote(cover)),
    )


def transcript_cues(episode: Episode) -> list[Cue]:
    """The episode's WebVTT cues with times in seconds, the story each belongs to, and its
    words with their times where transcript.json has them."""
    if not episode.transcript_vtt:
        return []
    try:
        captions = webvtt.read(str(episode.path(episode.transcript_vtt)))
    except (OSError, ValueError, webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError):
        return []
    cues = []
    for caption in captions.captions:
        start_s = caption.start_time.in_milliseconds() / 1000
        cues.append(
            Cue(
                start_s=start_s,
                end_s=caption.end_time.in_milliseconds() / 1000,
                # Cue text is HTML-escaped in the file (WebVTT); _e() escapes it again for the page.
                text=html.unescape(" ".join(caption.text.split())),
                story_index=_story_at(episode.stories, start_s),
                speaker=html.unescape(caption.voice) if caption.voice else None,
            )
        )
    return with_words(cues, transcript_words(episode))


def transcript_words(episode: Episode) -> list[TimedWord]:
    """The words of the episode's JSON transcript, in order; none if it is missing or unreadable."""
    if not episode.transcript_json:
        return []
    try:
        document = json.loads(episode.path(episode.transcript_json).read_text(encoding="utf-8"))
        return [TimedWord(str(s["body"]), float(s["startTime"]), float(s["endTime"])) for s in document["segments"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def with_words(cues: list[Cue], words: list[TimedWord]) -> list[Cue]:
    """Each cue with its words: the next as many as its text has, if they spell it (the JSON
    transcript's words are each cue's text, word by word); from the first that do not, none."""
    timed, position = [], 0
    for cue in cues:
        written = cue.text.split()
        own = words[position:position + len(written)]
        if position < 0 or [w.text for w in own] != written:
            position = -1
            timed.append(cue)
            continue
        position += len(written)
        timed.append(replace(cue, words=tuple(own)))
    return timed


def _story_at(stories: tuple[StoryTiming, ...], seconds: float) -> int | None:
    """The number (from 1) of the story playing at `seconds`, if any."""
    for number, timing in enumerate(stories, start=1):
        if timing.start_s <= seconds < timing.end_s:
            return number
    return None


def _episode(episode: Episode, *, open_transcript: bool) -> str:
    base = f"{EPISODES_FOLDER}/{quote(episode.id)}/"
    audio = base + quote(episode.audio_file)
    story_count = len(episode.stories)
    facts = [_e(_duration_words(episode.duration_s)), f"{story_count} {'story' if story_count == 1 else 'stories'}"]
    if _long_date(episode) not in episode.title:
        facts.insert(0, f'<time datetime="{episode.date.isoformat()}">{_e(_long_date(episode))}</time>')
    if len(episode.hosts) > 1:
        facts.append(f"presented by {_e(presenters_line(episode))}")
    meta = " · ".join(facts)
    downloads = [f'<a href="{_e(audio)}" download>Download MP3</a>']
    if episode.transcript_text:
        downloads.append(f'<a href="{_e(base + quote(episode.transcript_text))}">Transcript as text</a>')
    stories = "\n".join(_story(episode, number, timing, base) for number, timing in enumerate(episode.stories, 1))
    timed = transcript_cues(episode)
    cues = "\n".join(_cue(cue) for cue in timed)
    transcript = ""
    if cues:
        choice = "a sentence, or a word," if any(cue.words for cue in timed) else "a sentence"
        transcript = (
            f'<details class="transcript"{" open" if open_transcript else ""}>\n'
            "<summary>Transcript</summary>\n"
            f'<p class="hint">Select {choice} to play from there.</p>\n'
            f'<ol class="cues">\n{cues}\n</ol>\n</details>'
        )
    anchor = _e(f"episode-{episode.id}")
    return f"""<article class="episode" id="{anchor}" data-episode aria-labelledby="{anchor}-title">
<header>
<h2 id="{anchor}-title">{_e(episode.title)}</h2>
<p class="meta">{meta}</p>
</header>
<audio class="episode-audio" controls preload="metadata" src="{_e(audio)}"></audio>
<p class="downloads">{" · ".join(downloads)}</p>
<h3>Stories</h3>
<ol class="stories">
{stories}
</ol>
<audio class="clip-audio" preload="none"></audio>
<p class="now-playing" aria-live="polite"></p>
{transcript}
</article>"""


def _story(episode: Episode, number: int, timing: StoryTiming, base: str) -> str:
    story = timing.story
    headline_id = _e(f"story-{episode.id}-{number}")
    if timing.clip:
        button = (
            f'<button type="button" class="play" data-clip="{_e(base + quote(timing.clip))}" '
            f'data-offset="{timing.start_s:.3f}" aria-describedby="{headline_id}">'
            '<span class="icon" aria-hidden="true"></span>'
            f'<span class="label">Play</span><span class="visually-hidden"> story {number}</span></button>'
        )
    else:
        button = '<span class="play-missing" aria-hidden="true"></span>'
    credit = [f'<span class="at">{clock(timing.start_s)}</span>']
    reader = _reader(episode, timing)
    if reader:
        credit.append(f'<span class="reader">read by {_e(reader)}</span>')
    if story.sources:
        credit.append(_e(", ".join(story.sources)))
    links = [
        f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(urlsplit(url).hostname or url)}</a>'
        for url in story.urls
        if url.startswith(("https://", "http://"))
    ]
    if links:
        credit.append("read at " + ", ".join(links))
    reader_attribute = f' data-reader="{_e(reader)}"' if reader else ""
    return f"""<li class="story" data-start="{timing.start_s:.3f}" data-end="{timing.end_s:.3f}"{reader_attribute}>
{button}
<div class="story-text">
<p class="headline" id="{headline_id}">{_e(story.headline)}</p>
<p class="credit">{" · ".join(credit)}</p>
</div>
</li>"""


def presenters_line(episode: Episode) -> str:
    """ "Hannah and Joe": the episode's presenters, in order."""
    names = [host.name for host in episode.hosts]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _reader(episode: Episode, timing: StoryTiming) -> str | None:
    """Who read the story, in an episode with more than one presenter."""
    if len(episode.hosts) < 2:
        return None
    return next((host.name for host in episode.hosts if host.voice == timing.host), None)


def _cue(cue: Cue) -> str:
    story = f' data-story="{cue.story_index}"' if cue.story_index is not None else ""
    speaker = f'<span class="speaker">{_e(cue.speaker)}:</span> ' if cue.speaker else ""
    text = _e(cue.text)
    if cue.words:
        text = " ".join(f'<span class="word" data-start="{w.start_s:.3f}" data-end="{w.end_s:.3f}">{_e(w.text)}</span>'
                        for w in cue.words)
    return (
        f'<li><button type="button" class="cue" data-start="{cue.start_s:.3f}" data-end="{cue.end_s:.3f}"{story}>'
        f'<span class="at">{clock(cue.start_s)}</span> {speaker}<span class="text">{text}</span>'
        '</button></li>'
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _duration_words(seconds: float) -> str:
    minutes, second = divmod(round(seconds), 60)
    return f"{minutes} min {second} s" if minutes else f"{second} s"


def _long_date(episode: Episode) -> str:
    day = episode.date
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


_PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<link rel="stylesheet" href="static/briefing.css">
<link rel="alternate" type="application/rss+xml" title="{title}" href="{feed}">
<link rel="icon" href="{cover}">
<script src="static/briefing.js" defer></script>
</head>
<body>
<a class="skip" href="#episodes">Skip to episodes</a>
<header class="show">
<img class="cover" src="{cover}" alt="" width="112" height="112">
<div>
<h1>{title}</h1>
<p>{description}</p>
<p class="subscribe">Subscribe in a podcast app with this address: <a href="{feed}"><code>{feed_url}</code></a></p>
</div>
</header>
<main id="episodes" tabindex="-1">
{episodes}
</main>
<footer><p>Made on this machine by briefing. <a href="{feed}">RSS feed</a></p></footer>
</body>
</html>
"""
