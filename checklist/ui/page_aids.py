"""What the page asks of the browser, beyond Streamlit's own widgets: a visible keyboard
focus (WCAG 2.4.7), a skip link to the first unanswered question (WCAG 2.4.1), landing on the
question a link from the results points to, and answer-first layout on phone-width screens.

The script runs in a same-origin component iframe and acts on the page itself; the iframe is
replaced on reruns, so anything lasting (the skip link) is created in the page, once.
"""

from __future__ import annotations

import json

import streamlit as st

_STYLE = """
<style>
:focus-visible { outline: 3px solid #0b57d0 !important; outline-offset: 2px !important; }
.opsc-skip { position: fixed; left: -9999px; top: 0.5rem; z-index: 1000000;
  background: #ffffff; color: #0b3d91; padding: 0.6rem 1rem; border: 2px solid #0b57d0;
  border-radius: 0.4rem; font-weight: 600; }
.opsc-skip:focus { left: 0.5rem; }
@media (max-width: 640px) {
  /* on a phone the answer comes first; the question text and guidance follow it */
  div[class*="st-key-item-"] div[data-testid="stHorizontalBlock"] { flex-direction: column-reverse; }
  div[data-testid="stVegaLiteChart"] { min-height: 320px; }
}
</style>
"""

_SCRIPT = """
<script>
const host = window.parent;
const doc = host.document;
const target = %(target)s;
const land = %(land)s;
function firstField(el) {
  return el && el.querySelector("input:not([disabled]), textarea, button, [tabindex='0']");
}
function goTo(selector) {
  const el = selector ? doc.querySelector(selector) : null;
  if (!el) return false;
  el.scrollIntoView({block: "start"});
  const field = firstField(el);
  if (field) field.focus({preventScroll: true});
  return true;
}
host.__opscSkipTarget = target;
if (!doc.getElementById("opsc-skip")) {
  const link = doc.createElement("a");
  link.id = "opsc-skip";
  link.className = "opsc-skip";
  link.href = "#";
  link.textContent = "Skip to the first unanswered question";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    let tries = 0;  // the page may still be drawing the question
    const timer = host.setInterval(() => {
      const done = goTo(host.__opscSkipTarget) || (++tries > 20 && goTo('[data-testid="stMain"]'));
      if (done || tries > 20) host.clearInterval(timer);
    }, 100);
  });
  doc.body.insertBefore(link, doc.body.firstChild);
}
if (land) {
  let tries = 0;
  const timer = host.setInterval(() => {
    if (goTo(land) || ++tries > 50) host.clearInterval(timer);
  }, 100);
}
if (host.innerWidth < 640) {
  const close = doc.querySelector(
    '[data-testid="stSidebar"][data-collapsed="false"] [data-testid="stSidebarCollapseButton"] button'
  );
  if (close && %(close_sidebar)s) close.click();
}
</script>
"""


def item_selector(item_id: str) -> str:
    """The CSS selector of an item's container (Streamlit's class for the key ``item:ID``)."""
    return ".st-key-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in f"item:{item_id}")


def style() -> None:
    st.html(_STYLE)


def install(skip_to: str = "", land_on: str = "", close_sidebar: bool = False) -> None:
    """Point the skip link at ``skip_to`` (an item ID), land on ``land_on`` now, and on a
    narrow screen close the sidebar (after a section was picked in it)."""
    values = {
        "target": json.dumps(item_selector(skip_to) if skip_to else ""),
        "land": json.dumps(item_selector(land_on) if land_on else ""),
        "close_sidebar": "true" if close_sidebar else "false",
    }
    st.iframe(_SCRIPT % values, height=1)
