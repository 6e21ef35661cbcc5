# Refund Desk's production image (README "Run it in production").
#
#   docker build -t refund-desk .                   the app: the standalone server, non-root
#   docker build -t refund-desk-tools --target tools .
#                                                   the one-shot tasks: npm run db:migrate (default),
#                                                   admin:create, providers:check, the sandbox
#
# Not built on the development machines (no container daemon there): the test that stands in for it,
# scripts/standalone.pg.test.ts, reads this file's runtime stage and starts the standalone server
# with its WORKDIR layout, ENV and CMD (README says which parts were tried that way).

ARG NODE_IMAGE=node:20-slim

# The locked dependencies, exactly (npm ci fails when package-lock.json disagrees with package.json).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# argon2's install compiles it when its prebuilt binary does not load (it crashes on some CPUs);
# the compiler stays in the build stages, the runtime image has only the result.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# `npm run build`, then the static assets and public/ copied next to server.js.
FROM deps AS build
COPY . .
RUN npm run build && node scripts/standalone.mjs prepare

# Everything the tasks beside the server need (tsx, drizzle's migrator, the sources). One-shot
# containers only; it never serves.
FROM build AS tools
CMD ["npm", "run", "db:migrate"]

# The server: Next's standalone output (its own trimmed node_modules) and nothing else.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=true \
    HOSTNAME=0.0.0.0 \
    PORT=3000
RUN groupadd --system --gid 10001 refunddesk \
 && useradd --system --uid 10001 --gid refunddesk --home-dir /app --shell /usr/sbin/nologin refunddesk \
 && mkdir -p /app/data \
 && chown refunddesk:refunddesk /app/data
# Owned by root, so the server cannot change its own code; only its caches and data/ are writable.
COPY --from=build /src/.next/standalone ./
RUN mkdir -p /app/.next/cache && chown refunddesk:refunddesk /app/.next/cache
USER refunddesk
EXPOSE 3000
# /app/data holds the signed audit checkpoints by default (AUDIT_CHECKPOINT_DIR): mount a volume.
VOLUME ["/app/data"]
# Liveness only: readiness (/api/health/ready) is for the load balancer, not for restarting.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# instrumentation.ts handles SIGTERM (NEXT_MANUAL_SIG_HANDLE): in-flight work finishes within
# SHUTDOWN_GRACE_MS (20 s), so the orchestrator's stop timeout must be longer (compose: 30 s).
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
