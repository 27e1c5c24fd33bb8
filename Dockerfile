# Accord: one image for web (gunicorn + WhiteNoise), worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ACCORD_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

# WeasyPrint's system libraries: Pango, and HarfBuzz's subsetter (without it font subsetting
# silently falls back to a much slower path); fonts for Latin and Arabic script.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fontconfig fonts-dejavu-core fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first (cached while only the code changes).
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .

RUN useradd --create-home --uid 1000 --user-group accord \
 && mkdir -p /app/var/media /app/staticfiles \
 && chown -R accord:accord /app/var /app/staticfiles

USER accord
# Static files are collected at build time (hashed names for WhiteNoise); the secret is a throwaway
# used only by this step, never by the running containers.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret \
    python manage.py collectstatic --noinput -v 0

EXPOSE 8000
# Threads overlap the database and Redis round trips (bench/load.py measured 2 workers x 4 threads ahead of sync
# workers on 2 cores); WEB_CONCURRENCY sets the number of workers (gunicorn reads it), one or two per core.
# --reuse-port: each worker listens on its own socket and the kernel spreads the connections over them (on one
# shared socket, a proxy's few kept-alive connections can all land on one worker and leave a core idle).
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "conference.wsgi:application", "--bind", "0.0.0.0:8000", "--threads", "4", "--reuse-port", "--timeout", "60", "--access-logfile", "-"]
