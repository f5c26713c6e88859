"""OPSC Gap Check: the Streamlit entry point (page config and navigation only)."""

import streamlit as st

st.set_page_config(page_title="OPSC Gap Check", layout="wide")
st.title("OPSC Gap Check")
st.write("The app is being built: see the issues. The checklist core works from the command line.")
