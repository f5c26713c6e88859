"""Altair charts of a ``Result`` (imported only by the pages that draw them)."""

from __future__ import annotations

from typing import Any

import altair as alt

from checklist.scoring import Result

BLUE = "#1b4f8a"
GREY = "#c8d0da"


def section_scores(result: Result) -> alt.Chart:
    """One horizontal bar per section: its score out of 100%, unanswered counted as 0."""
    rows: list[dict[str, Any]] = [
        {
            "Section": section.title,
            "Score": round((section.score or 0) * 100),
            "Answered": f"{section.answered} of {section.total}",
            "Label": f"{round((section.score or 0) * 100)}%  ({section.answered}/{section.total} answered)",
        }
        for section in result.sections
        if section.score is not None
    ]
    order = [row["Section"] for row in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("Section:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=["Section:N", alt.Tooltip("Score:Q", title="Score (%)"), "Answered:N"],
    )
    track = base.mark_bar(color=GREY, opacity=0.35).encode(x=alt.datum(100))
    bars = base.mark_bar(color=BLUE).encode(
        x=alt.X(
            "Score:Q",
            scale=alt.Scale(domain=[0, 100]),
            title="Score (%)",
            axis=alt.Axis(values=[0, 25, 50, 75, 100]),
        )
    )
    labels = base.mark_text(align="left", dx=4, color="#1c2330").encode(
        x="Score:Q", text=alt.Text("Label:N")
    )
    return (track + bars + labels).properties(height=max(120, 34 * len(rows)))


def score_change(rows: list[dict[str, Any]], first: str, second: str) -> alt.Chart:
    """Two bars per section: the score in each of two assessments."""
    data = [
        {"Section": row["Section"], "Assessment": label, "Score": row[label]}
        for row in rows
        for label in (first, second)
        if row[label] is not None
    ]
    return (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y(
                "Section:N",
                title=None,
                sort=[r["Section"] for r in rows],
                axis=alt.Axis(labelLimit=260),
            ),
            yOffset=alt.YOffset("Assessment:N", sort=[first, second]),
            x=alt.X(
                "Score:Q",
                scale=alt.Scale(domain=[0, 100]),
                title="Score (%)",
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            ),
            color=alt.Color(
                "Assessment:N",
                sort=[first, second],
                scale=alt.Scale(range=[GREY, BLUE]),
                legend=alt.Legend(orient="top", title=None),
            ),
            tooltip=["Section:N", "Assessment:N", alt.Tooltip("Score:Q", title="Score (%)")],
        )
        .properties(height=max(140, 46 * len(rows)))
    )
