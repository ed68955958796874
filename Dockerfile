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

# The runtime packages, pinned and hashed, from the lock (README: "Upgrading dependencies"); a layer of
# their own, so a code change does not reinstall them. setuptools, the build backend, comes from it too.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY service ./service
# Editable, so the package finds bpmn/, forms/, templates/ and migrations/ beside it in /app.
RUN pip install --no-deps --no-build-isolation -e .

COPY bpmn ./bpmn
COPY forms ./forms
COPY templates ./templates
COPY translations ./translations
COPY migrations ./migrations
COPY seeds ./seeds
COPY babel.cfg ./
COPY deploy/start-web.sh ./deploy/
COPY gunicorn.conf.py ./
COPY --from=editor-assets /build/service/platform/web/static/editor ./service/platform/web/static/editor
RUN pybabel compile -d translations \
    && useradd --create-home --uid 10001 app \
    && mkdir -p /app/instance /data \
    && chown -R app:app /app/instance /data

USER app
ENV STORAGE_DIR=/data/storage \
    TIMEZONE=Asia/Almaty
EXPOSE 8000
# DATABASE_URL and SECRET_KEY come from the environment (never baked into the image). Migrates, deploys
# bpmn/ (single school; a region's schools get it when created) and serves; MIGRATE=0 serves only.
CMD ["sh", "deploy/start-web.sh"]
