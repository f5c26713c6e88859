"""About: what the tool is, how it scores, the Protocol's text, and where work is stored."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from checklist import legal_basis
from checklist.ui import resources
from checklist.ui.results import method

FALLBACK = """
OPSC Gap Check is a self-assessment aid for ministry drafters, lawyers, national human rights
institutions and international organisations. It compares a State's criminal law with the
Optional Protocol to the Convention on the Rights of the Child on the sale of children, child
prostitution and child pornography and with the Committee on the Rights of the Child's
consistent recommendations. It is not legal advice.
"""


def render() -> None:
    about = resources.about_text()
    if about is None:
        st.title("About and method", anchor=False)
    st.markdown(about or FALLBACK)
    st.subheader("How the score is calculated", anchor=False)
    method(resources.methodology())
    st.subheader("Legal basis of each item", anchor=False)
    st.caption(
        "For every item: the strength of the obligation and why, the Protocol's words, the "
        "Committee's observations cited and what counts as covered (also in docs/legal-basis.md)."
    )
    with st.expander("Show the legal basis of every item"):
        st.markdown(legal_basis.render_markdown(resources.checklist(), resources.methodology()))
    st.subheader("The Optional Protocol", anchor=False)
    protocol = resources.protocol()
    st.caption(protocol.source)
    for article in protocol.articles:
        with st.expander(f"Article {article.number}"):
            for paragraph in article.paragraphs:
                st.markdown(paragraph)
    st.subheader("Where your work is stored", anchor=False)
    url = sa.engine.make_url(resources.store().url).render_as_string(hide_password=True)
    st.markdown(
        "Every answer is saved the moment you give it, in this database (set the "
        "`OPSC_DB_URL` environment variable to use another one):"
    )
    st.code(url, language=None)
