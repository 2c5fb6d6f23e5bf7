"""The show's cover art meets Apple Podcasts' artwork rules and is reproducible."""
from __future__ import annotations

import io

from PIL import Image

from briefing.publish.cover import render_cover


def test_cover_is_a_square_rgb_png_within_apples_limits():
    image = Image.open(io.BytesIO(render_cover("News Briefing")))
    assert image.format == "PNG"
    assert image.mode == "RGB"
    assert image.size == (3000, 3000)  # Apple: 1400x1400 to 3000x3000


def test_cover_is_the_same_bytes_for_the_same_title():
    assert render_cover("News Briefing") == render_cover("News Briefing")
    assert render_cover("News Briefing") != render_cover("Morning Briefing")


def test_a_long_title_is_drawn_inside_the_margins():
    image = Image.open(io.BytesIO(render_cover("An unusually long podcast title " * 4, size_px=1400)))
    background = image.getpixel((0, 0))
    margin = 1400 // 10 - 5
    for x in (0, margin // 2, 1400 - margin // 2, 1399):
        column = {image.getpixel((x, y)) for y in range(0, 1400, 7)}
        assert column == {background}
