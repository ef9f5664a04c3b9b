# A stand-in for the Mailpit image: an SMTP sink (aiosmtpd) on 1025 that keeps every message and
# answers the part of Mailpit's HTTP API the compose test reads (GET /api/v1/messages) on 8025.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG AIOSMTPD_VERSION=1.4.6
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -f /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && python3 -m venv /opt/mailsink \
    && /opt/mailsink/bin/pip install --no-cache-dir --disable-pip-version-check \
       "aiosmtpd==${AIOSMTPD_VERSION}"
COPY mailsink.py /opt/mailsink/mailsink.py
COPY mailpit /mailpit
EXPOSE 1025 8025
CMD ["/opt/mailsink/bin/python", "/opt/mailsink/mailsink.py"]
