# A stand-in for the official mongo image: SecantusDB (MongoDB's wire protocol, from PyPI),
# behind the two commands docker-compose.yml uses of the official image, `mongod` and `mongosh`.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG SECANTUSDB_VERSION=0.7.0b3
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -f /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && python3 -m venv /opt/secantus \
    && /opt/secantus/bin/pip install --no-cache-dir --disable-pip-version-check \
       "secantusdb==${SECANTUSDB_VERSION}"
COPY mongod mongosh /usr/local/bin/
EXPOSE 27017
CMD ["mongod"]
