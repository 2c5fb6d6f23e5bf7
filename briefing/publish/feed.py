"""The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, made with feedgen.

feedgen's podcast extension writes the itunes: tags; a small extension here
adds what feedgen lacks: podcast:guid, podcast:updateFrequency, podcast:transcript
(text, word-timed JSON, WebVTT), podcast:chapters, podcast:soundbite (each story),
podcast:alternateEnclosure (the rendition for smart speakers), podcast:person,
and itunes:explicit as "true"/"false" (Apple's current spelling; feedgen only
knows yes/no/clean). Standards followed:

- Apple Podcasts RSS requirements (podcasters.apple.com/support/823):
  channel title, description, itunes:image (1400-3000 px square),
  language, itunes:category, itunes:explicit; per episode title, enclosure
  (url, exact length in bytes, type), guid.
- Podcasting 2.0 namespace, https://podcastindex.org/namespace/1.0
  (podcast-namespace/docs/1.0.md): guid, updateFrequency, transcript, chapters,
  soundbite, alternateEnclosure, person.

The output is deterministic: lastBuildDate is the newest episode's creation
time, not the clock.
"""
from __future__ import annotations

import html
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from ..episodes import AUDIO_TYPE, CHAPTERS, COVER, EPISODES_FOLDER, FEED, PAGE
from ..models import Channel, Episode, Story, StoryTiming
from ..printable import clock
from .page import presenters_line, transcript_cues

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""UUIDv5 namespace for podcast:guid, fixed by the Podcasting 2.0 guid tag spec."""

CHAPTERS_TYPE = "application/json+chapters"
SOUNDBITE_S = (15.0, 120.0)
"""The namespace's soundbite guidance: "between 15 and 120 seconds"; a shorter story gets none, a
longer one its first sentences up to 120 s."""
SOUNDBITE_TITLE_CHARS = 128
"""The namespace: a soundbite's title is "no more than 128 characters"."""
FREQUENCY_RULES = {"daily": ("Daily", "FREQ=DAILY"), "weekdays": ("Weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
                   "weekly": ("Weekly", "FREQ=WEEKLY")}
"""podcast:updateFrequency's label and RFC 5545 rule for each word a show file takes."""
DESCRIPTION_MAX_BYTES = 4000
"""Apple Podcasts: an episode description holds at most 4000 bytes."""


def episode_url(base_url: str, episode: Episode, relative: str) -> str:
    """Absolute URL of a file in an episode folder, percent-encoded."""
    return base_url + quote(f"{EPISODES_FOLDER}/{episode.id}/{relative}")


def podcast_guid(feed_url: str) -> str:
    """The show's podcast:guid: UUIDv5 of the feed URL without scheme and trailing slashes (per spec)."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def episode_guid(episode: Episode) -> str:
    """A stable per-episode GUID from the episode id, so apps never download an episode twice.

    It does not depend on the base URL: moving the feed keeps every GUID.
    """
    return f"briefing-episode-{episode.id}"


def render_feed(episodes: list[Episode], *, channel: Channel, base_url: str, cover: str = COVER) -> bytes:
    """The feed.xml bytes for these episodes (newest first), with URLs under `base_url`;
    `cover` is the cover image's file name in the library."""
    feed_url = base_url + FEED
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.register_extension("podcastindex", _PodcastIndexChannel, _PodcastIndexItem)

    generator.title(channel.title)
    # feedgen uses the last link as the RSS <link>, so the page goes last.
    generator.link(href=feed_url, rel="self", type="application/rss+xml")
    generator.link(href=channel.link or base_url + PAGE, rel="alternate")
    generator.description(channel.description)
    generator.language(channel.language)
    generator.generator("briefing")
    generator.image(url=base_url + quote(cover), title=channel.title, link=channel.link or base_url + PAGE)
    if episodes:
        generator.lastBuildDate(max(e.created for e in episodes if e.created))
    else:
        generator.lastBuildDate(datetime(1970, 1, 1, tzinfo=timezone.utc))

    itunes = generator.podcast
    itunes.itunes_author(channel.author)
    itunes.itunes_image(base_url + quote(cover))
    itunes.itunes_category(channel.category)
    itunes.itunes_summary(channel.description)
    itunes.itunes_type("episodic")
    if channel.email:
        itunes.itunes_owner(name=channel.author, email=channel.email)
    generator.podcastindex.guid = podcast_guid(feed_url)
    generator.podcastindex.explicit = channel.explicit
    if channel.update_frequency:
        generator.podcastindex.frequency = FREQUENCY_RULES.get(
            channel.update_frequency, (channel.update_frequency, channel.update_frequency.upper()))

    for episode in episodes:
        _add_episode(generator, episode, channel=channel, base_url=base_url)

    return generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _add_episode(generator: FeedGenerator, episode: Episode, *, channel: Channel, base_url: str) -> None:
    entry = generator.add_entry(order="append")
    entry.title(episode.title)
    entry.guid(episode_guid(episode), permalink=False)
    entry.link(href=f"{base_url}{PAGE}#episode-{episode.id}")
    entry.pubDate(episode.created)
    entry.content(story_list_html(episode), type="CDATA")
    entry.enclosure(episode_url(base_url, episode, episode.audio_file), str(episode.audio_bytes), AUDIO_TYPE)
    entry.podcast.itunes_duration(round(episode.duration_s))
    entry.podcast.itunes_episode_type("full")
    entry.podcast.itunes_author(channel.author)

    extra = entry.podcastindex
    if episode.transcript_text:
        extra.transcripts.append((episode_url(base_url, episode, episode.transcript_text), "text/plain", None))
    if episode.transcript_json:
        extra.transcripts.append((episode_url(base_url, episode, episode.transcript_json), "application/json", None))
    if episode.transcript_vtt:
        # Last, so parsers that keep one transcript (podcastparser) keep the timed one.
        extra.transcripts.append((episode_url(base_url, episode, episode.transcript_vtt), "text/vtt", "captions"))
    extra.language = channel.language
    if len(episode.hosts) > 1:
        extra.hosts = [host.name for host in episode.hosts]
    if episode.stories:
        extra.chapters = episode_url(base_url, episode, CHAPTERS)
    extra.soundbites = soundbites(episode)
    if episode.alexa:
        extra.alternate = (episode_url(base_url, episode, episode.alexa.file), episode.alexa.bytes,
                           episode.alexa.bitrate_kbps * 1000)


def soundbites(episode: Episode) -> list[tuple[float, float, str]]:
    """(start, duration, title) of each story's soundbite: the whole story when it lasts 15 to
    120 s; its sentences up to 120 s when it lasts longer (the last that ends in time, by the
    transcript); none for a shorter story."""
    shortest, longest = SOUNDBITE_S
    ends = [cue.end_s for cue in transcript_cues(episode)] if any(
        t.end_s - t.start_s > longest for t in episode.stories) else []
    bites = []
    for timing in episode.stories:
        length = _bite_length(timing, ends, longest)
        if length >= shortest:
            bites.append((round(timing.start_s, 3), round(length, 3), timing.story.headline[:SOUNDBITE_TITLE_CHARS]))
    return bites


def _bite_length(timing: StoryTiming, cue_ends: list[float], longest: float) -> float:
    length = timing.end_s - timing.start_s
    if length <= longest:
        return length
    inside = [end for end in cue_ends if timing.start_s < end <= timing.start_s + longest]
    return max(inside, default=timing.start_s + longest) - timing.start_s


def story_list_html(episode: Episode) -> str:
    """Show notes: the stories in order, with start time, sources and links, as the small HTML Apple allows.

    Apple Podcasts takes <p>, <ol>, <li> and <a> in a CDATA description of
    at most 4000 bytes; stories that do not fit are counted instead. Each
    headline links to its story's first article; with several articles, each
    outlet's name links to its own. Every headline, name and URL is
    HTML-escaped, so markup in an article shows as text in every app (and "]]>"
    can never end the CDATA early).
    """
    if not episode.stories:
        return "<p>No stories in this briefing.</p>"
    head = f"<p>{len(episode.stories)} {'story' if len(episode.stories) == 1 else 'stories'} in this briefing"
    if len(episode.hosts) > 1:
        head += f", presented by {html.escape(presenters_line(episode))}"
    head += ":</p>"
    items: list[str] = []
    for number, timing in enumerate(episode.stories):
        item = f"<li>{clock(timing.start_s)} {_story_note(timing.story)}</li>"
        rest = len(episode.stories) - number
        if len((head + "".join(items) + item).encode()) + len(f"</ol><p>and {rest} more</p>") > DESCRIPTION_MAX_BYTES:
            return f"{head}<ol>{''.join(items)}</ol><p>and {rest} more</p>"
        items.append(item)
    return f"{head}<ol>{''.join(items)}</ol>"


def _story_note(story: Story) -> str:
    """"Update: <a>Headline</a> (<a>NDTV</a>, <a>Reuters</a>)": headline and credits, linked."""
    web_urls = [u for u in story.urls if _is_web(u)]
    headline = html.escape(story.headline)
    if web_urls:
        headline = f'<a href="{html.escape(web_urls[0])}">{headline}</a>'
    if story.update_of is not None:
        headline = f"Update: {headline}"
    linked = {a.source: a.url for a in reversed(story.articles) if a.source and a.url and _is_web(a.url)}
    several = len(set(linked.values())) > 1
    names = [
        f'<a href="{html.escape(linked[name])}">{html.escape(name)}</a>' if several and name in linked
        else html.escape(name)
        for name in story.sources
    ]
    return f"{headline} ({', '.join(names)})" if names else headline


def _is_web(url: str) -> bool:
    return url.startswith(("http://", "https://"))


class _PodcastIndexChannel(BaseExtension):
    """Channel tags feedgen lacks: podcast:guid, podcast:updateFrequency and a true/false itunes:explicit."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.explicit = False
        self.frequency: tuple[str, str] | None = None
        """(label, RFC 5545 rule)."""

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        explicit = xml_elem(f"{{{ITUNES_NS}}}explicit", channel)
        explicit.text = "true" if self.explicit else "false"
        if self.guid:
            guid = xml_elem(f"{{{PODCAST_NS}}}guid", channel)
            guid.text = self.guid
        if self.frequency:
            label, rule = self.frequency
            xml_elem(f"{{{PODCAST_NS}}}updateFrequency", channel, rrule=rule).text = label
        return rss_feed


class _PodcastIndexItem(BaseEntryExtension):
    """Item tags feedgen lacks: podcast:transcript (one per format), podcast:chapters,
    podcast:soundbite (one per story), podcast:alternateEnclosure (the rendition for smart
    speakers) and podcast:person (each presenter, as a host)."""

    def __init__(self) -> None:
        self.transcripts: list[tuple[str, str, str | None]] = []
        self.chapters: str | None = None
        self.language: str | None = None
        self.hosts: list[str] = []
        self.soundbites: list[tuple[float, float, str]] = []
        self.alternate: tuple[str, int, int] | None = None
        """(URL, bytes, bits per second)."""

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, item):
        for url, mime_type, rel in self.transcripts:
            transcript = xml_elem(f"{{{PODCAST_NS}}}transcript", item, url=url, type=mime_type)
            if self.language:
                transcript.attrib["language"] = self.language
            if rel:
                transcript.attrib["rel"] = rel
        if self.chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item, url=self.chapters, type=CHAPTERS_TYPE)
        for start, duration, title in self.soundbites:
            xml_elem(f"{{{PODCAST_NS}}}soundbite", item, startTime=f"{start:.3f}", duration=f"{duration:.3f}").text = title
        if self.alternate:
            url, length, bitrate = self.alternate
            alternate = xml_elem(f"{{{PODCAST_NS}}}alternateEnclosure", item, type=AUDIO_TYPE, length=str(length),
                                 bitrate=str(bitrate), title="For smart speakers (Alexa: -14 LUFS)")
            xml_elem(f"{{{PODCAST_NS}}}source", alternate, uri=url)
        for name in self.hosts:
            xml_elem(f"{{{PODCAST_NS}}}person", item, role="host").text = name
        return item
