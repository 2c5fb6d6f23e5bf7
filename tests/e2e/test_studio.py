"""The studio as an editor uses it: Debian's Chromium (Python Playwright), the real studio server on
loopback, the real heart voice. One rendered episode is shared; the other tests only edit."""
from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from briefing.audio.mp3 import mp3_duration_s
from briefing.plan.script_file import read_script_file, write_script_file
from briefing.publish.studio import make_studio_server
from briefing.run.pipeline import BriefingRequest, plan_episode
from briefing.run.render import RenderRequest
from briefing.run.studio import StudioSession

from .test_browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, _browser_missing

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"
EDITED = "The flood warnings now cover 23 communities along the River Tane."
SHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, as tests/e2e/test_browser.py drives it (never a downloaded browser)."""
    if not CHROMIUM.exists():
        _browser_missing(f"Debian's Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def planned(tmp_path_factory, sample_article):
    """A one-presenter plan of four stories, with the Putin story left out for time."""
    folder = tmp_path_factory.mktemp("studio")
    plan = plan_episode(BriefingRequest(sources=(str(EXAMPLES), str(sample_article)), output_dir=folder / "output",
                                        day=date(2026, 11, 26), minutes=1.5))
    return folder, plan.script


@pytest.fixture
def studio(planned, tmp_path):
    """A fresh copy of the planned script behind a running studio; yields (url, script path, output, session)."""
    folder, script = planned
    path, output = tmp_path / "script.md", folder / "output"
    write_script_file(script, path)
    session = StudioSession(path, RenderRequest(output_dir=output), frozenset({"heart", "joe"}))
    session.warm_up()
    server = make_studio_server(session, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", path, output, session
    server.shutdown()
    server.server_close()


def opened(watch: PageWatch) -> None:
    """The studio has drawn the script (or say what the page met instead)."""
    try:
        watch.page.wait_for_selector(".story", timeout=30_000)
    except Exception:
        raise AssertionError(f"the studio drew no story; the page met {watch.errors}, "
                             f"and shows: {watch.page.inner_text('body')[:300]!r}") from None


def saved(page, message: str) -> None:
    page.wait_for_function("(m) => document.getElementById('status').textContent === m", arg=message, timeout=10_000)


def headlines(page) -> list[str]:
    return [h.split(". ", 1)[1] for h in page.locator(".story h3").all_inner_texts()]


def test_an_editor_reorders_drops_edits_swaps_hears_and_renders(chromium, studio):
    url, path, output, _ = studio
    watch = PageWatch(chromium, url, viewport={"width": 1280, "height": 800})
    page = watch.page
    opened(watch)
    first, second, third, fourth = headlines(page)

    page.locator(".story").nth(0).get_by_role("button", name="Move down").click()
    saved(page, "Moved the story down.")
    assert headlines(page) == [second, first, third, fourth]

    page.locator(".story").nth(3).get_by_role("button", name="Drop").click()
    saved(page, "Dropped the story; it is under Left out.")
    assert headlines(page) == [second, first, third]
    assert fourth in page.locator("#left-out").inner_text()

    flood = page.locator(".story").nth(1)
    sentence = flood.locator(".line-sentence textarea").first
    sentence.fill(EDITED)
    sentence.press("Enter")
    saved(page, "Saved the line.")

    bridge = page.locator(".story").nth(0)
    bridge.locator("details.alternates summary").click()
    alternate = bridge.locator(".alternate").first
    swapped_in = alternate.locator("p").inner_text().split(" ", 2)[2]
    alternate.get_by_role("button", name="Swap in").click()
    saved(page, "Swapped the sentence in.")

    play = page.locator(".story").nth(1).locator(".line-sentence button.play").first
    started = time.perf_counter()
    play.click()
    page.wait_for_function("() => document.getElementById('line-audio').currentTime > 0.05", timeout=10_000)
    heard_after_s = time.perf_counter() - started
    assert page.locator("#line-audio").evaluate("a => a.src").endswith(".wav")
    assert heard_after_s < 3.0, f"a line took {heard_after_s:.2f} s to be heard"
    page.screenshot(path=str(SHOTS / "studio-1280.png"))

    page.get_by_role("button", name="Render and publish").click()
    page.wait_for_function("() => document.getElementById('progress-text').textContent.startsWith('Published')",
                           timeout=120_000)
    page.wait_for_function("() => document.getElementById('episode').currentTime > 0.5", timeout=20_000)
    assert watch.dialogs == [] and watch.errors == []
    watch.close()

    script = read_script_file(path)
    assert [s.headline for s in script.stories] == [second, first, third]
    assert script.left_out[0].story.headline == fourth
    assert EDITED in script.stories[1].sentences and swapped_in in script.stories[0].sentences

    manifest = json.loads(next(output.glob("episodes/*/episode.json")).read_text(encoding="utf-8"))
    assert [s["headline"] for s in manifest["stories"]] == [second, first, third]
    assert manifest["stories"][1]["sentences"][0] == EDITED and swapped_in in manifest["stories"][0]["sentences"]
    assert fourth in manifest["left_out"]
    folder = next(output.glob("episodes/*/"))
    transcript = (folder / "transcript.txt").read_text(encoding="utf-8")
    assert transcript.index(EDITED) > transcript.index(swapped_in)
    starts = [s["start_s"] for s in manifest["stories"]]
    assert starts == sorted(starts) and len(list(output.glob("episodes/*/"))) == 1
    for story in manifest["stories"]:
        assert mp3_duration_s(folder / story["clip"]) == pytest.approx(story["end_s"] - story["start_s"] + 0.3, abs=0.1)


def test_the_studio_works_from_the_keyboard_alone(chromium, studio):
    url, path, _, _ = studio
    watch = PageWatch(chromium, url)
    page = watch.page
    opened(watch)
    first, second = headlines(page)[:2]
    page.locator('[data-key="reader-0"], [data-key="alternates-0"]').first.focus()
    page.locator('[data-key="down-0"]').focus()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    saved(page, "Moved the story down.")
    assert headlines(page)[:2] == [second, first]
    assert page.evaluate("() => document.activeElement.dataset.key") == "down-1"  # focus follows the story
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.locator('[data-key="text-s1.1"]').focus()
    page.keyboard.press("End")
    page.keyboard.type(" Roads stay closed.")
    page.keyboard.press("Enter")
    saved(page, "Saved the line.")
    assert "Roads stay closed." in path.read_text(encoding="utf-8")
    assert watch.errors == []
    watch.close()


def test_two_tabs_never_overwrite_each_other_and_a_text_editor_is_seen(chromium, studio):
    url, path, _, _ = studio
    one, two = PageWatch(chromium, url), PageWatch(chromium, url)
    for watch in (one, two):
        opened(watch)
    one.page.locator('[data-key="down-0"]').click()
    saved(one.page, "Moved the story down.")
    after_one = path.read_bytes()
    two.page.locator('[data-key="drop-0"]').click()
    two.page.wait_for_selector("#alert:not([hidden])")
    assert "changed elsewhere" in two.page.locator("#alert").inner_text()
    assert path.read_bytes() == after_one
    two.page.get_by_role("button", name="Reload the script").click()
    two.page.wait_for_function("() => document.getElementById('alert').hidden")
    assert headlines(two.page) == headlines(one.page)

    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("[transition]"))
    lines[first] = "[transition] We begin."  # as a text editor would
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one.page.reload()
    one.page.wait_for_selector(".story")
    assert one.page.locator('[data-key="text-s0.0"]').input_value() == "We begin."
    one.close()
    two.close()


def test_the_studio_reads_well_on_a_phone(chromium, studio):
    url, _, _, _ = studio
    watch = PageWatch(chromium, url, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = watch.page
    opened(watch)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    smallest = page.evaluate("() => Math.min(...[...document.querySelectorAll('button.play')]"
                             ".map(b => b.getBoundingClientRect().height))")
    assert smallest >= 44
    page.screenshot(path=str(SHOTS / "studio-390.png"))
    assert watch.errors == []
    watch.close()
