# A stand-in for the official postgres image, from Debian's own PostgreSQL, for machines that
# cannot pull from Docker Hub. It honours what docker-compose.yml uses of the official image:
# POSTGRES_PASSWORD, PGDATA, /docker-entrypoint-initdb.d/*.sh on first start, pg_isready.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
# Debian stable's PostgreSQL 15, whatever its current point release: a test stand-in only.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql \
    && chown postgres:postgres /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
