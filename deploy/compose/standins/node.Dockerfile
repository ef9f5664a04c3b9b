# A stand-in for the official node image (Debian's own Node.js is too old for Vite 8): this
# machine's Node.js 20 and npm, copied onto the Debian base by the compose test, which puts
# `node` and `npm/` into this build's context.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && node --version && npm --version
