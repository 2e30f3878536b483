# lineage-bot: build with the dev tools, run with production dependencies only, as a non-root user.
#
#   docker build -t lineage-bot .          (podman: add --format docker, or HEALTHCHECK is dropped)
#   docker run --env-file .env -p 3000:3000 -v lineage-data:/data lineage-bot
#
# BASE names the Node.js 20 image both stages start from; pass --build-arg BASE=… to use a mirror
# or a locally built copy (scripts/verify-container.sh does that).
ARG BASE=node:20-slim

FROM ${BASE} AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when it can; without one (no access to its release
# downloads, another libc or CPU) node-gyp builds it, which needs Python, make and a C++ compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY blocks ./blocks
# Compile to dist/, then drop the dev dependencies; the native module built above is kept.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE}
ENV NODE_ENV=production \
    PORT=3000 \
    STORE_URL=sqlite:/data/lineage-bot.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY manifest.yml LICENSE ./
# The SQLite store lives on a volume owned by the runtime user (uid 1000, "node" in the official
# images). A numeric USER lets Kubernetes' runAsNonRoot check it. The CLI commands take the same
# entry point (docker run --rm IMAGE record --help), and `lineage-bot` is on the PATH.
RUN mkdir -p /data && chown 1000:1000 /data \
 && ln -s /app/bin/lineage-bot.mjs /usr/local/bin/lineage-bot
VOLUME /data
USER 1000:1000
EXPOSE 3000
# Liveness on /healthz with Node's own fetch (the slim image has no curl), in HTTP and Socket Mode
# alike. Without Slack variables the bot opens the console instead (docker run -it to try it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM itself (src/main.ts): it stops taking requests, lets the
# answers in flight finish for up to 25 s, then exits 0. Give it a stop timeout of 30 s
# (docker stop -t 30, compose stop_grace_period, Kubernetes' default grace period).
ENTRYPOINT ["node", "/app/dist/src/main.js"]
