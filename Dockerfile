# syntax=docker/dockerfile:1
# Production image: gunicorn serving the app, static files collected at build time (WhiteNoise).

# --- Front-end assets: Bootstrap and htmx from the npm registry ---------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# devDependencies (axe-core) are only for the tests.
RUN npm ci --no-audit --no-fund --omit=dev

# --- Application --------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs pango and harfbuzz; IPAex Gothic renders Japanese in PDFs and charts;
# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-ipaexfont-gothic gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --user-group app

WORKDIR /app

# Dependencies first (from pyproject.toml alone), so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN pip install --no-deps -e .

# Translations and static files are built into the image. The key is for the build only.
RUN SECRET_KEY=build-only-not-secret DEBUG=false python manage.py compilemessages -v 0 \
        --ignore=node_modules --ignore=staticfiles \
    && SECRET_KEY=build-only-not-secret DEBUG=false STATIC_MANIFEST=true \
        python manage.py collectstatic --noinput -v 0

# The code stays root-owned and read-only for the app user.
USER app
# Build matplotlib's font cache once (it includes the Japanese font) instead of on first request.
RUN python -c "import matplotlib.font_manager"

ENV PORT=8000 \
    BIND_HOST=0.0.0.0 \
    REQUIRE_SECRET_KEY=true \
    STATIC_MANIFEST=true
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
