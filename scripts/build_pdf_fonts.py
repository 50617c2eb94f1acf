"""Make the bold face the billing PDFs embed, from the Noto Sans wheel (run after upgrading it).

Noto Sans ships as one variable font. Its default instance is the regular weight, which fpdf2
embeds straight from the wheel; a bold instance must be cut with fontTools' instancer, which
takes tens of seconds on the whole font: far too slow per request. So the bold face is cut
once here, subset to the scripts bold text uses on our documents (Latin with Vietnamese,
Greek, Cyrillic, punctuation, currency signs), and committed; any other character in bold
falls back to the regular face at render time.

    .venv/bin/python scripts/build_pdf_fonts.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

TARGET = Path(__file__).resolve().parents[1] / "src/nexuscore/billing/adapters/pdf/font_files"
RANGES = [(0x20, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0xFFFD, 0xFFFD)]


def main() -> None:
    source = Path(fontpkg.path("Noto Sans"))
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for low, high in RANGES for code in range(low, high + 1)])
    subsetter.subset(font)
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, weight in (("Regular", 400), ("Bold", 700)):
        face = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=False)
        face.save(TARGET / f"NotoSans-{name}-subset.ttf")
        print(f"wrote {TARGET / f'NotoSans-{name}-subset.ttf'} from {source}")
    shutil.copy(source.parent.parent / "LICENSE", TARGET / "OFL.txt")


if __name__ == "__main__":
    main()
