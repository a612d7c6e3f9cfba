# Rongma: multi-stage build. The runtime image holds production dependencies, the bundled server,
# the bundled operations commands (npm run backup / restore / export:sql), the bundled pages and the
# migrations, and runs as the unprivileged `node` user. Node 22 LTS: Node 20 left support in April 2026
# (the code still runs on 20, which the development machines have).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY --from=build /app/migrations ./migrations
# npm run backup|restore|export:sql call scripts/build.mjs, which finds no esbuild here and runs dist/ops as built.
COPY --from=build /app/scripts/build.mjs ./scripts/build.mjs
# Holiday schedules are read at run time (a later year can be added without a rebuild).
COPY --from=build /app/server/domain/data/holidays ./server/domain/data/holidays
RUN mkdir -p /data && chown node:node /data
USER node
# The embedded database (when DATABASE_URL is unset) and the instance's files live here.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server.js"]
