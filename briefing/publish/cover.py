"""The show's square cover image, drawn with Pillow; no font files or network needed.

Apple Podcasts asks for a square RGB JPEG or PNG of 1400 to 3000 px a side;
we draw 3000 px so it stays sharp on large screens. The same title always
gives the same bytes.
"""
from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

COVER_SIZE_PX = 3000
"""Apple Podcasts artwork: 1400x1400 minimum, 3000x3000 maximum."""

BACKGROUND = (20, 33, 61)
ACCENT = (252, 163, 17)
TEXT = (255, 255, 255)
MUTED = (190, 200, 220)


def render_cover(title: str, size_px: int = COVER_SIZE_PX) -> bytes:
    """PNG bytes of a square cover: the show title over a row of waveform bars."""
    image = Image.new("RGB", (size_px, size_px), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = size_px // 10
    _draw_waveform(draw, size_px, margin)
    _draw_title(draw, title, size_px, margin)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _draw_waveform(draw: ImageDraw.ImageDraw, size_px: int, margin: int) -> None:
    bars = 24
    width = size_px - 2 * margin
    step = width / bars
    bar_width = step * 0.55
    middle = size_px * 0.70
    tallest = size_px * 0.16
    for i in range(bars):
        # A fixed, speech-like envelope: deterministic, no randomness.
        level = 0.25 + 0.75 * abs(math.sin(i * 0.9) * math.cos(i * 0.37))
        half = tallest * level / 2
        left = margin + i * step
        draw.rounded_rectangle(
            (left, middle - half, left + bar_width, middle + half),
            radius=bar_width / 2,
            fill=ACCENT,
        )


def _draw_title(draw: ImageDraw.ImageDraw, title: str, size_px: int, margin: int) -> None:
    width = size_px - 2 * margin
    font_px = size_px // 7
    lines = _wrap(draw, title.strip() or "News Briefing", font_px, width)
    while font_px > size_px // 20 and (len(lines) > 3 or _widest(draw, lines, font_px) > width):
        font_px = int(font_px * 0.85)
        lines = _wrap(draw, title, font_px, width)
    font = ImageFont.load_default(size=font_px)
    y = margin
    for line in lines[:3]:
        draw.text((margin, y), line, font=font, fill=TEXT)
        y += int(font_px * 1.15)
    small = ImageFont.load_default(size=size_px // 28)
    draw.text((margin, size_px - margin - size_px // 28), "the news, read aloud", font=small, fill=MUTED)


def _widest(draw: ImageDraw.ImageDraw, lines: list[str], font_px: int) -> float:
    font = ImageFont.load_default(size=font_px)
    return max((draw.textlength(line, font=font) for line in lines), default=0.0)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font_px: int, width: int) -> list[str]:
    font = ImageFont.load_default(size=font_px)
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
