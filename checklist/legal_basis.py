"""The legal basis of every item, as a document a lawyer can audit without reading YAML.

For each item: the obligation's strength and why (``basis``), the Protocol's words it rests
on, the Committee's observations cited (with their caution where the source paper's symbol
lacks "CO"), and what counts as covered. ``docs/legal-basis.md`` is this text
(``python -m checklist legal-basis``; a test keeps the two the same) and the About page shows
it too.
"""

from __future__ import annotations

import re

from checklist.methodology import Methodology
from checklist.schema import Checklist, ChoiceAnswer, ElementsAnswer, Item, NumberAnswer
from checklist.wording import describe_reference

# "Covered: ..." or "Covered (what 8(1)(a) requires): ...", up to "Partly" or "Not covered".
_COVERED = re.compile(
    r"Covered(?: \((?:[^()]|\([^()]*\))*\))?:\s*(.*?)(?=\s+(?:Partly|Not covered)\b|$)", re.S
)


def render_markdown(checklist: Checklist, methodology: Methodology) -> str:
    modules = {m.id: m.title for m in checklist.modules}
    lines = [
        f"# Legal basis of the checklist (version {checklist.version})",
        "",
        "Generated from the checklist content (`python -m checklist legal-basis`); do not edit "
        "by hand. For every item: how strong the obligation is and why, the words of the "
        "Protocol it rests on (quoted from the authentic English text, GA resolution 54/263, "
        "annex II), the Committee's concluding observations cited (as the source paper gives "
        "them), and what the checklist counts as covered.",
        "",
        "Strengths: "
        + "; ".join(f"**{label}**" for label in methodology.strength_labels.values())
        + ". Only mandatory and qualified obligations can make a treaty shortfall; an optional "
        '("may") measure not taken, or a Committee point not met, is never a treaty shortfall; '
        "good practice never changes the verdict.",
    ]
    for section in checklist.sections:
        lines += ["", f"## {section.title}", "", f"*{modules.get(section.module, section.module)}*"]
        for item in section.items:
            lines += ["", *_item(item, methodology)]
    return "\n".join(lines) + "\n"


def _item(item: Item, methodology: Methodology) -> list[str]:
    lines = [
        f"### {item.title} (`{item.id}`)",
        "",
        f"- **Obligation:** {item.treaty_ref} — {methodology.strength_labels[item.strength]}",
    ]
    if item.basis:
        lines.append(f"- **Why:** {_flat(item.basis)}")
    lines.append(f"- **Covered when:** {covered_threshold(item)}")
    if item.references:
        lines.append(
            "- **Committee:** " + "; ".join(describe_reference(r) for r in item.references)
        )
    lines += ["- **Protocol text:**", *(f"  > {_flat(q)}" for q in item.treaty_text)]
    return lines


def covered_threshold(item: Item) -> str:
    """What the checklist counts as covered for ``item``, in one sentence."""
    spec = item.answer
    if isinstance(spec, NumberAnswer):
        return f"the protection reaches {spec.threshold:g} {spec.unit}."
    if isinstance(spec, ChoiceAnswer):
        full = [o.label for o in spec.options if o.score >= 1]
        return f"the answer is one of: {', '.join(full)}."
    if isinstance(spec, ElementsAnswer):
        return "every conduct is covered: " + ", ".join(e.label for e in spec.elements) + "."
    found = _COVERED.search(_flat(item.guidance))
    return found.group(1).strip() if found else _flat(item.guidance)


def _flat(text: str) -> str:
    return " ".join(text.split())
