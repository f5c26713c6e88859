"""The authentic English text of the Protocol, shipped as data (``content/protocol.yaml``).

The app shows each article from it, and the loader checks every quote in the checklist
against it, with the same folding as ``shared/tools/quote_check.py``: whitespace, curly quotes
and dashes are folded, case is ignored, and "..." splits a quote into parts found separately.
"""

from __future__ import annotations

import re
from functools import cached_property

from pydantic import BaseModel, ConfigDict

_ELLIPSIS = re.compile(r"\[\.\.\.\]|\.\.\.|\u2026")


def fold(text: str) -> str:
    for curly, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, plain)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


class Protocol(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    source: str
    preamble: list[str]
    articles: list[Article]

    def article(self, number: int) -> Article:
        for article in self.articles:
            if article.number == number:
                return article
        raise KeyError(number)

    @cached_property
    def _folded(self) -> str:
        parts = [self.title, *self.preamble]
        for article in self.articles:
            parts.append(f"Article {article.number}")
            parts.extend(article.paragraphs)
        return fold(" ".join(parts))

    def contains(self, quote: str) -> bool:
        """True when every part of ``quote`` (split at ellipses) is verbatim Protocol text."""
        parts = [fold(p).strip(" .,;:") for p in _ELLIPSIS.split(quote)]
        parts = [p for p in parts if p]
        return bool(parts) and all(p in self._folded for p in parts)

    def articles_cited(self, treaty_ref: str) -> list[Article]:
        """The articles a reference such as "art. 3(1)(a), 4(2)" points at, in order."""
        numbers = [
            int(n) for n in re.findall(r"(?:art(?:icles?|s?\.)?\s*|,\s*|and\s+)(\d+)", treaty_ref)
        ]
        seen: list[int] = []
        for n in numbers:
            if n not in seen and any(a.number == n for a in self.articles):
                seen.append(n)
        return [self.article(n) for n in seen]
