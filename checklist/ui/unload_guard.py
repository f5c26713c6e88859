"""Warn before the page is closed or refreshed while a text field holds uncommitted text.

Streamlit commits a text field when it loses focus or on Ctrl+Enter; until then the text
lives only in the browser. Streamlit shows its "Press ... to apply" (or "to submit form")
instructions exactly while a field holds such text, so the guard asks the browser to confirm leaving while they are on
the page. The component's iframe is replaced on reruns, so the listener is installed in the
page itself (a script element in the parent document), once per browser tab.
"""

from __future__ import annotations

import streamlit as st

_LISTENER = """
window.addEventListener("beforeunload", (event) => {
  const pending = document.querySelector('[data-testid="InputInstructions"]');
  if (pending && /to apply|to submit/.test(pending.textContent)) {
    event.preventDefault();
    event.returnValue = "unsaved";
  }
});
"""

_SCRIPT = f"""
<script>
const host = window.parent;
if (!host.document.getElementById("opsc-unload-guard")) {{
  const script = host.document.createElement("script");
  script.id = "opsc-unload-guard";
  script.textContent = {_LISTENER!r};
  host.document.head.appendChild(script);
}}
</script>
"""


def install() -> None:
    st.iframe(_SCRIPT, height=1)
