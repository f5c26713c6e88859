"""Typefaces for the PDF report, and the fallbacks a given text needs.

- Noto Sans (Latin, Greek, Cyrillic, Vietnamese): the two static instances in this folder,
  made from the variable font of the ``fontpkg-noto-sans`` package with fontTools'
  instancer (``README.md`` says how). fpdf2 takes ~6 s to instance a variable font at run
  time, so the Regular and Bold instances ship ready-made (SIL OFL 1.1, ``OFL.txt``).
- Almarai (Regular and Bold) from ``fontpkg-almarai`` for Arabic script: a sans face sized
  like Noto Sans whose letters are whole glyphs, so Arabic text extracts and searches as
  written (Noto Sans Arabic builds letters from a base and separate dots, which text
  extraction turns to noise; Amiri extracts well but sets Arabic visibly smaller).
- Noto Sans SC and KR from ``justmytype-intl-cjk`` for Chinese, Japanese and Korean. Their
  default instance is Thin, so the characters a report uses are cut out and set to Regular
  when it is rendered (~0.5 s, paid only by reports holding CJK text).

Fallback fonts are added only when a text needs them: every one added slows fpdf2 down.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGULAR = HERE / "NotoSans-Regular.ttf"
BOLD = HERE / "NotoSans-Bold.ttf"
FAMILY = "NotoSans"


@dataclass(frozen=True)
class Face:
    """A font file for fpdf2's ``add_font``: the family name to use and its style."""

    family: str
    style: str
    path: Path | None = None
    data: bytes = b""  # a font cut out at render time, to be written to a temporary file


def primary() -> list[Face]:
    return [Face(FAMILY, "", REGULAR), Face(FAMILY, "B", BOLD)]


def fallbacks(text: Iterable[str]) -> list[Face]:
    """The fallback faces needed to print ``text``, in the order fpdf2 should try them."""
    needed = {ord(c) for chunk in text for c in chunk} - _cmap(REGULAR) - _ASCII_CONTROLS
    faces: list[Face] = []
    arabic = _arabic_paths()
    if needed and arabic:
        covered = needed & _cmap(arabic[0])
        if covered:
            faces += [
                Face("Almarai", style, path) for style, path in zip(("", "B"), arabic, strict=True)
            ]
            needed -= covered
    for name in ("notosanssc", "notosanskr"):
        path = _cjk_path(name)
        if not needed or path is None:
            continue
        covered = needed & _cmap(path)
        if covered:
            faces.append(
                Face(f"Noto{name[-2:].upper()}", "", data=_cut_out(path, frozenset(covered)))
            )
            needed -= covered
    return faces


_ASCII_CONTROLS = set(range(32)) | {0x7F}


def covered(text: str) -> bool:
    """True when Noto Sans alone prints every character of ``text``."""
    if text.isascii():
        return True
    cmap = _cmap(REGULAR)
    return all(ord(c) in cmap for c in text)


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _arabic_paths() -> tuple[Path, ...]:
    """Almarai Regular and Bold, or nothing when the package is missing."""
    try:
        import fontpkg_almarai
    except ImportError:
        return ()
    folder = fontpkg_almarai.ROOT / "files"
    paths = tuple(folder / f"Almarai-{style}.ttf" for style in ("Regular", "Bold"))
    return paths if all(p.exists() for p in paths) else ()


@cache
def _cjk_path(name: str) -> Path | None:
    try:
        folder = resources.files("justmytype_intl_cjk") / "fonts" / "ofl" / name
    except ModuleNotFoundError:
        return None
    found = sorted(str(p) for p in folder.iterdir() if p.name.endswith(".ttf"))
    return Path(found[0]) if found else None


@lru_cache(maxsize=16)
def _cut_out(path: Path, chars: frozenset[int]) -> bytes:
    """A small static Regular font holding only ``chars``, from a large variable CJK font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    with TTFont(path, lazy=True) as font:
        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        if "fvar" in font:
            instancer.instantiateVariableFont(
                font, {"wght": 400}, inplace=True, static=True, updateFontNames=True
            )
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
