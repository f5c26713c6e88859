# Sourced by scripts/run-app and scripts/test: make .venv and install the project into it.
# Re-installs only when pyproject.toml changed since the last install (stamp file).
# The extras to install come from OPSC_EXTRAS, never from the caller's arguments: those belong
# to the caller (run-app passes them to Streamlit, test to pytest).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
EXTRAS="${OPSC_EXTRAS:-}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "OPSC Gap Check needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
STAMP=".venv/.installed${EXTRAS:+-$EXTRAS}"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
# An install with extras (e.g. the test tools) also satisfies a plain install.
installed() { for stamp in "$STAMP" ${EXTRAS:-.venv/.installed-*}; do
  [ "$(cat "$stamp" 2>/dev/null)" = "$WANT" ] && return 0; done; return 1; }
if ! installed; then
  echo "Installing OPSC Gap Check${EXTRAS:+ with $EXTRAS tools} into .venv ..." >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$WANT" > "$STAMP"
fi
