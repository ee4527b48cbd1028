# The forum as it runs in production: migrate, then serve with uvicorn workers. The image has no
# embedded PostgreSQL (the `embedded` extra): it always talks to the server DATABASE_URL names.
FROM python:3.11-slim
# PYTHONPATH: the forum runs from /app, where its templates, static files and migrations are.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY forum ./forum
RUN pip install --no-cache-dir .
COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN useradd --system forum
USER forum
EXPOSE 8000
# `forum serve` migrates, prints the one-time setup address while the forum has no
# administrator, and stops cleanly on the SIGTERM that `docker stop` sends.
CMD ["sh", "-c", "exec forum serve --host 0.0.0.0 --port 8000 --workers ${WEB_WORKERS:-2}"]
