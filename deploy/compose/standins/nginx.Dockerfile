# A stand-in for the official nginx image, from Debian's own nginx: the same paths
# (/etc/nginx/nginx.conf, conf.d, mime.types, /usr/share/nginx/html) for the app's Dockerfile.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
# Debian stable's nginx, whatever its current point release: a test stand-in only.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
    && mkdir -p /usr/share/nginx/html
CMD ["nginx", "-g", "daemon off;"]
