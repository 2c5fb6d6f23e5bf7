"""The show's square cover image, drawn with Pillow; no font files or network needed.

Apple Podcasts asks for a square RGB JPEG or PNG of 1400 to 3000 px a side;
we draw 3000 px so it stays sharp on large screens. The same title always
gives the same bytes, and the title is stored in the PNG (a tEXt chunk) so a
drawn cover can be redrawn when the show's title changes. A show's own cover
file is checked against the same rules here.
"""
from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from ..errors import BriefingError

COVER_SIZE_PX = 3000
"""Apple Podcasts artwork: 1400x1400 minimum, 3000x3000 maximum."""
COVER_MIN_PX = 1400
TITLE_KEY = "briefing-title"
"""The PNG text key that marks a cover as drawn by briefing, holding the title drawn."""


class CoverError(BriefingError):
    """A cover image that podcast apps would refuse."""

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
    info = PngImagePlugin.PngInfo()
    info.add_text(TITLE_KEY, title)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def drawn_title(path: Path) -> str | None:
    """The title a cover drawn by render_cover shows; None for any other image (or none)."""
    try:
        with Image.open(path) as image:
            title = image.info.get(TITLE_KEY) if image.format == "PNG" else None
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return title if isinstance(title, str) else None


def cover_file_name(path: Path) -> str:
    """The name a show's own cover takes in the library, cover.png or cover.jpg (podcast apps
    go by the extension); CoverError, one line, if Apple Podcasts would refuse the image."""
    try:
        with Image.open(path) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
    except FileNotFoundError:
        raise CoverError(f"The cover {path} does not exist; give a square PNG or JPEG file.") from None
    except (OSError, ValueError, Image.DecompressionBombError):
        raise CoverError(f"The cover {path} is not an image Pillow can read; give a square PNG or JPEG file.") from None
    if kind not in ("PNG", "JPEG"):
        raise CoverError(f"The cover {path} is a {kind} image; podcast apps take PNG or JPEG, so convert it.")
    if width != height:
        raise CoverError(f"The cover {path} is {width}x{height} px; a podcast cover must be square.")
    if not COVER_MIN_PX <= width <= COVER_SIZE_PX:
        raise CoverError(f"The cover {path} is {width}x{height} px; Apple Podcasts takes "
                         f"{COVER_MIN_PX}x{COVER_MIN_PX} to {COVER_SIZE_PX}x{COVER_SIZE_PX} px, so resize it.")
    if mode == "CMYK":
        raise CoverError(f"The cover {path} uses CMYK colours; Apple Podcasts takes RGB, so save it as RGB.")
    return "cover.png" if kind == "PNG" else "cover.jpg"


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
