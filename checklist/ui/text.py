"""Showing user text safely: never as HTML, never as live markdown.

Jurisdictions, notes and excerpts come from users and from uploaded files. Streamlit renders
markdown (links, images that load remote addresses, colours, LaTeX) in most elements, so user
text is either escaped here before it goes into markdown, or shown with ``st.text``.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")


# Streamlit turns bare addresses into live links even when their characters are escaped: a
# word joiner (U+2060, invisible) after "://" and "www" and before "@" keeps them plain text.
_LINKISH = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """``text`` as literal characters in Streamlit markdown (one line, no markup, no links)."""
    flat = _LINKISH.sub(WORD_JOINER, " ".join(str(text).split()))
    return _SPECIAL.sub(r"\\\1", flat)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"
