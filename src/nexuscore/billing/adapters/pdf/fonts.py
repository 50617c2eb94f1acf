"""The embedded fonts: Noto Sans (Latin with Vietnamese, Greek, Cyrillic, Devanagari).

fpdf2's core fonts are Latin-1 only and raise on a customer named in any other script; an
embedded TrueType font renders what it covers and is subset into the PDF. The regular face is
the Noto Sans wheel's variable font at its default instance (regular weight); the bold face is
cut from it by scripts/build_pdf_fonts.py and committed (cutting it per request takes seconds).
A character bold lacks falls back to the regular face; one neither face has (Chinese, Tamil:
no maintained wheel ships such a font) is drawn as U+FFFD rather than silently dropped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg
from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_FAMILY = "NotoSans"
_FALLBACK_FAMILY = "NotoSansFallback"
_BOLD_FILE = Path(__file__).resolve().parent / "font_files" / "NotoSans-Bold-subset.ttf"
REPLACEMENT = "\ufffd"


@cache
def regular_font_path() -> Path:
    return Path(fontpkg.path("Noto Sans"))


@cache
def covered_code_points() -> frozenset[int]:
    """The characters the regular face has glyphs for (the bold one falls back to it)."""
    with TTFont(regular_font_path(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """The text with each character the fonts cannot draw replaced by U+FFFD."""
    covered = covered_code_points()
    return "".join(char if ord(char) in covered or char in "\n\t" else REPLACEMENT for char in text)


def install_fonts(pdf: FPDF) -> None:
    regular = regular_font_path()
    pdf.add_font(FONT_FAMILY, "", regular)
    pdf.add_font(FONT_FAMILY, "B", _BOLD_FILE)
    # Same file again under another family: fpdf2 looks fallbacks up by family.
    pdf.add_font(_FALLBACK_FAMILY, "", regular)
    pdf.set_fallback_fonts([_FALLBACK_FAMILY], exact_match=False)
    pdf.set_font(FONT_FAMILY, "", 9.5)
