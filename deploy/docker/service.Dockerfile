# syntax=docker/dockerfile:1.7
# One Dockerfile for the four Python services; compose passes which one to build:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=user-service \
#     --build-arg PACKAGE=user_service --build-arg PORT=8000 .
# The base image is an argument so the images build on any Debian-like Python 3.11+ image.
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
ARG SERVICE
ARG UV_VERSION=0.13.9
# A slow or flaky link to the package index is retried rather than failing the build (uv's own
# defaults: 3 retries, 30 s per read).
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_HTTP_RETRIES=8 \
    UV_HTTP_TIMEOUT=120
WORKDIR /src
# A build behind a TLS-inspecting proxy passes its CA bundle as the secret `ca_bundle`; it is
# used for these downloads only and never lands in an image layer.
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -f /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && python3 -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"
# The workspace's manifests first: the dependency layer is rebuilt only when they change.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY user-service/pyproject.toml user-service/
COPY event-service/pyproject.toml event-service/
COPY booking-service/pyproject.toml booking-service/
COPY notification-service/pyproject.toml notification-service/
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -f /run/secrets/ca_bundle ]; then export SSL_CERT_FILE=/run/secrets/ca_bundle; fi \
    && /opt/uv/bin/uv sync --frozen --no-dev --no-editable --package "${SERVICE}" \
       --no-install-workspace
COPY shared/ shared/
COPY ${SERVICE}/ ${SERVICE}/
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -f /run/secrets/ca_bundle ]; then export SSL_CERT_FILE=/run/secrets/ca_bundle; fi \
    && /opt/uv/bin/uv sync --frozen --no-dev --no-editable --package "${SERVICE}"

FROM ${BASE_IMAGE} AS runtime
ARG PACKAGE
ARG PORT
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SERVICE_PACKAGE=${PACKAGE} \
    PORT=${PORT} \
    FORWARDED_ALLOW_IPS=127.0.0.1
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --create-home app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=2)"]
# The app factory, without uvicorn's Server banner, on the h11 parser whose buffer limit refuses a
# request head over 64 KiB (tools/devstack's SERVER_OPTIONS, the same). X-Forwarded-For is taken
# only from FORWARDED_ALLOW_IPS (uvicorn reads it; set it to the proxy's address), so a client on
# a published port cannot forge its address. `exec` makes uvicorn PID 1, so it gets the runtime's
# SIGTERM and shuts down cleanly.
CMD ["sh", "-c", "exec uvicorn \"${SERVICE_PACKAGE}.main:create_app\" --factory --host 0.0.0.0 --port \"${PORT}\" --no-server-header --http h11 --h11-max-incomplete-event-size 65536 --proxy-headers"]
