# The service under gunicorn as a non-root user; migrations run on start against DATABASE_URL.
# The editor's bpmn-js bundle is built in a throw-away node stage from the lock file (npm ci).
FROM node:20-slim AS editor-assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend ./frontend
RUN npm run --silent build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY service ./service
# Editable, so the package finds bpmn/, forms/, templates/ and migrations/ beside it in /app.
RUN pip install -e .

COPY bpmn ./bpmn
COPY forms ./forms
COPY templates ./templates
COPY translations ./translations
COPY migrations ./migrations
COPY seeds ./seeds
COPY babel.cfg ./
COPY --from=editor-assets /build/service/platform/web/static/editor ./service/platform/web/static/editor
RUN pybabel compile -d translations \
    && useradd --create-home --uid 10001 app \
    && mkdir -p /app/instance /data \
    && chown -R app:app /app/instance /data

USER app
ENV STORAGE_DIR=/data/storage \
    TIMEZONE=Asia/Almaty
EXPOSE 8000
# DATABASE_URL and SECRET_KEY come from the environment (never baked into the image).
CMD ["sh", "-c", "flask --app service db upgrade && flask --app service deploy && exec gunicorn --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-4} --access-logfile - 'service:create_app()'"]
