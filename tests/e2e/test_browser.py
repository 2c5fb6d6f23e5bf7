"""The library page in a real headless Chromium, served by the real server on loopback.

Drives Debian's /usr/bin/chromium with Python Playwright (never
`playwright install`). Skips when Chromium is missing, unless
BRIEFING_REQUIRE_BROWSER=1 (CI sets it), in which case it fails.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from briefing.publish.serve import start_in_thread
from briefing.publish.update import publish_library

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
SCREENSHOT = Path("/tmp/briefing-page-375px.png")


def _load_builder():
    name = "publish_library_builder"
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "fixtures" / "publish" / "library_builder.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


builder = _load_builder()
NEWER, OLDER = builder.NEWER, builder.OLDER


def _browser_missing(reason: str):
    if os.environ.get("BRIEFING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and BRIEFING_REQUIRE_BROWSER=1 requires the browser test to run.")
    pytest.skip(f"{reason}; install it with `apt-get install chromium` to run the browser test.")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _browser_missing(f"Debian's Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("Python Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A published two-episode library behind the real server; yields its base URL."""
    root = tmp_path_factory.mktemp("browser")
    output = builder.make_library(root / "output", root / "tones")
    server, url = start_in_thread(output)
    publish_library(output, base_url=url)
    yield url
    server.shutdown()
    server.server_close()


class PageWatch:
    """Opens the page and records what a user must never meet: dialogs, console errors, failed loads."""

    def __init__(self, browser, url: str, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def close(self):
        self.context.close()


def episode(id_: str) -> str:
    return f"[id='episode-{id_}']"


def current_cue_index(page, episode_id: str) -> int:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' .cue')]
                     .findIndex(el => el.classList.contains('is-current'))""",
        episode(episode_id),
    )


def test_story_button_plays_its_clip_and_the_transcript_follows(browser, site):
    watch = PageWatch(browser, site)
    page = watch.page
    newer = episode(NEWER.id)
    button = page.locator(f"{newer} button.play").nth(1)
    button.click()
    page.wait_for_function(
        "(sel) => document.querySelector(sel + ' audio.clip-audio').currentTime > 0.6", arg=newer, timeout=10_000
    )
    clip = page.locator(f"{newer} audio.clip-audio")
    assert clip.evaluate("a => a.src").endswith(f"/episodes/{NEWER.id}/clips/02-story-2.mp3")
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text().startswith("Pause")
    assert page.locator(f"{newer} .now-playing").inner_text() == "Playing story: Markets rise on rate hopes"

    # The clip starts at 3.5 s in the episode, so the highlight is on story 2's cues and moves on.
    first = current_cue_index(page, NEWER.id)
    assert page.locator(f"{newer} .cue.is-current").get_attribute("data-story") == "2"
    page.wait_for_function(
        "([sel, first]) => [...document.querySelectorAll(sel + ' .cue')]"
        ".findIndex(el => el.classList.contains('is-current')) > first",
        arg=[newer, first],
        timeout=10_000,
    )
    assert watch.dialogs == [] and watch.errors == []
    watch.close()


def test_clicking_a_sentence_seeks_the_full_episode_there(browser, site):
    watch = PageWatch(browser, site)
    page = watch.page
    newer = episode(NEWER.id)
    cue = page.locator(f"{newer} .cue").nth(2)
    assert cue.locator(".text").inner_text() == "First sentence three."
    cue.click()
    assert current_cue_index(page, NEWER.id) == 2
    audio = page.locator(f"{newer} audio.episode-audio")
    assert 2.5 <= audio.evaluate("a => a.currentTime") < 3.5  # the cue runs 2.5-3.5 s
    page.wait_for_function(
        "(sel) => [...document.querySelectorAll(sel + ' .cue')]"
        ".findIndex(el => el.classList.contains('is-current')) > 2",
        arg=newer,
        timeout=10_000,
    )
    assert audio.evaluate("a => !a.paused && a.currentTime >= 3.5")
    assert page.locator(f"{newer} .cue.is-current").get_attribute("aria-current") == "true"
    assert watch.dialogs == [] and watch.errors == []
    watch.close()


SPOKEN_INDEX = """(sel) => [...document.querySelectorAll(sel + ' .word')]
                     .findIndex(el => el.classList.contains('is-spoken'))"""


def test_the_spoken_word_is_lit_as_the_episode_plays_and_a_click_on_a_word_plays_from_it(browser, site):
    watch = PageWatch(browser, site)
    page = watch.page
    newer = episode(NEWER.id)
    audio = page.locator(f"{newer} audio.episode-audio")
    audio.evaluate("a => { a.currentTime = 0.4; return a.play(); }")
    page.wait_for_function(f"(sel) => ({SPOKEN_INDEX})(sel) >= 0", arg=newer, timeout=10_000)
    first = page.evaluate(SPOKEN_INDEX, newer)
    page.wait_for_function(f"([sel, first]) => ({SPOKEN_INDEX})(sel) > first + 1", arg=[newer, first], timeout=10_000)
    # The lit word is the one the player is in, and it is in the lit sentence.
    lit = page.evaluate("""(sel) => {
        const word = document.querySelector(sel + ' .word.is-spoken');
        const now = document.querySelector(sel + ' audio.episode-audio').currentTime;
        return word && [parseFloat(word.dataset.start), parseFloat(word.dataset.end), now,
                        word.closest('.cue').classList.contains('is-current')];
    }""", newer)
    assert lit and lit[0] - 0.05 <= lit[2] < lit[1] + 0.3 and lit[3]

    word = page.locator(f"{newer} .cue").nth(4).locator(".word").nth(2)
    assert word.inner_text() == "two."  # "Second sentence two."
    start = float(word.get_attribute("data-start"))
    word.click()
    assert start <= audio.evaluate("a => a.currentTime") < start + 0.5
    page.wait_for_function("""(sel) => {
        const lit = document.querySelector(sel + ' .word.is-spoken');
        return lit && lit.closest('li') === document.querySelectorAll(sel + ' .cues > li')[4];
    }""", arg=newer, timeout=10_000)
    assert page.locator(f"{newer} .cue.is-current").get_attribute("data-start") == f"{builder.cues_of(NEWER)[4][0]:.3f}"
    assert watch.dialogs == [] and watch.errors == []
    watch.close()


def test_a_story_plays_from_the_keyboard(browser, site):
    watch = PageWatch(browser, site)
    page = watch.page
    newer = episode(NEWER.id)
    page.locator(f"{newer} .downloads a").last.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('data-clip')")
    assert focused == f"episodes/{NEWER.id}/clips/01-story-1.mp3"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(sel) => document.querySelector(sel + ' audio.clip-audio').currentTime > 0.3", arg=newer, timeout=10_000
    )
    button = page.locator(f"{newer} button.play").first
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    page.wait_for_function("(sel) => document.querySelector(sel + ' audio.clip-audio').paused", arg=newer)
    assert button.get_attribute("aria-pressed") == "false"
    assert watch.dialogs == [] and watch.errors == []
    watch.close()


def test_a_hostile_headline_is_shown_as_text(browser, site):
    watch = PageWatch(browser, site)
    page = watch.page
    headline = page.locator(f"{episode(OLDER.id)} .story .headline").first
    assert headline.text_content() == builder.HOSTILE_HEADLINE
    assert page.evaluate("() => document.querySelectorAll('script').length") == 1
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.errors == []
    watch.close()


def test_nothing_overflows_a_375px_phone_screen(browser, site):
    watch = PageWatch(browser, site, viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    page = watch.page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
              .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > window.innerWidth + 0.5)
              .map(el => el.tagName + '.' + el.className)"""
    )
    assert overflowing == []
    smallest_button = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('button.play')].map(b => b.getBoundingClientRect().height))"
    )
    assert smallest_button >= 44  # WCAG 2.5.5 target size
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert watch.errors == []
    watch.close()
