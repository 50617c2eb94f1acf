"""The embedded fonts: Noto Sans, from the fontpkg-noto-sans wheel.

fpdf2's core fonts are Latin-1 only and raise on a customer named in any other script; an
embedded TrueType font renders what it covers and is subset into the PDF.

Noto Sans ships as one variable font. Parsing and subsetting it costs about a second per PDF,
and cutting a bold instance from it tens of seconds, so scripts/build_pdf_fonts.py cuts a
regular and a bold face once, limited to Latin (with Vietnamese), Greek, Cyrillic,
punctuation and currency signs, and they are committed beside this module. A document with a
character beyond those (Devanagari, say) also gets the wheel's full font as a fallback; one
no face covers (Chinese, Tamil: no maintained wheel ships a font for them) is drawn as U+FFFD,
marked rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import fontpkg
from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_FAMILY = "NotoSans"
_FULL_FAMILY = "NotoSansFull"
_FILES = Path(__file__).resolve().parent / "font_files"
REGULAR_FILE = _FILES / "NotoSans-Regular-subset.ttf"
BOLD_FILE = _FILES / "NotoSans-Bold-subset.ttf"
REPLACEMENT = "\ufffd"


@cache
def full_font_path() -> Path:
    return Path(fontpkg.path("Noto Sans"))


def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def subset_code_points() -> frozenset[int]:
    """What the committed faces draw (both cover the same characters)."""
    return _cmap(REGULAR_FILE) & _cmap(BOLD_FILE)


@cache
def covered_code_points() -> frozenset[int]:
    """What some face draws: the committed ones or the wheel's full font."""
    return subset_code_points() | _cmap(full_font_path())


def printable(text: str) -> str:
    """The text with each character no face can draw replaced by U+FFFD (a tab by a space)."""
    covered = covered_code_points()
    text = text.replace("\t", " ")
    return "".join(char if ord(char) in covered or char == "\n" else REPLACEMENT for char in text)


def install_fonts(pdf: FPDF, texts: Iterable[str]) -> None:
    """Register the faces for a document whose strings are `texts`."""
    pdf.add_font(FONT_FAMILY, "", REGULAR_FILE)
    pdf.add_font(FONT_FAMILY, "B", BOLD_FILE)
    subset = subset_code_points()
    if any(ord(char) not in subset and char not in "\n\t" for text in texts for char in text):
        pdf.add_font(_FULL_FAMILY, "", full_font_path())
        pdf.set_fallback_fonts([_FULL_FAMILY], exact_match=False)
    pdf.set_font(FONT_FAMILY, "", 9.5)
