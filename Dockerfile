# The team server's image: the app with its PostgreSQL driver and sign-in (the "server" extra),
# run as an unprivileged user. compose.yaml builds and runs it beside PostgreSQL; see
# docs/deploy.md. The local single-user mode does not use it (./scripts/run-app).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY checklist ./checklist
COPY reports ./reports
RUN pip install ".[server]"
COPY app.py ./
COPY .streamlit/config.toml ./.streamlit/config.toml

RUN useradd --create-home --uid 10001 opsc
USER opsc

# A team server: sign-in required (its settings in /app/.streamlit/secrets.toml, mounted).
ENV OPSC_TEAM_MODE=1
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"
# Inside the container it listens on every interface; compose.yaml publishes it on the
# host's loopback only, for the TLS reverse proxy in front of it.
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0", \
     "--server.port", "8501", "--browser.gatherUsageStats", "false"]
