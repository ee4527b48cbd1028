# The forum as it runs in production: migrate, then serve with uvicorn workers.
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
CMD ["sh", "-c", "forum migrate && exec uvicorn forum.main:app --host 0.0.0.0 --port 8000 --workers ${WEB_WORKERS:-2} --no-access-log --proxy-headers"]
