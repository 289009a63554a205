# The portal's image: web (gunicorn), Celery worker and beat all run from it (docker-compose.yml).

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# WeasyPrint (the letter of a joint position as PDF) needs Pango and HarfBuzz's subsetter.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt
COPY --from=assets /app/node_modules node_modules
COPY . .
# collectstatic imports the settings, which need a secret key; this one exists only in this step.
RUN SECRET_KEY=nur-fuer-collectstatic-beim-bau-des-images-nicht-geheim-0123456789 \
    python manage.py collectstatic --no-input -v 0 \
 && useradd --system --no-create-home --uid 10001 kooperation \
 && mkdir -p /app/var && chown kooperation /app/var
USER kooperation
EXPOSE 8000
CMD ["gunicorn", "kooperation.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
