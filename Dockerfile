# Builds framewatch into a small runtime image: compile once, ship only production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall applies patches/ (see patches/README.md) and bundles the review desk (web/desk)
COPY patches ./patches
COPY web ./web
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The embedded database (PGlite, used when DATABASE_URL is unset) and its socket for the CLI live here.
ENV FRAMEWATCH_DATA_DIR=/app/.data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/desk/dist ./web/desk/dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY models ./models
# The process runs as `node`, not root: give it what it writes. .data holds the embedded database;
# models/ is where `train` saves and activates models; config/ is where `feeds import` writes feeds.yaml.
RUN mkdir -p /app/.data && chown -R node:node /app/.data /app/models /app/config
USER node
# Mount a named volume here to keep the embedded database across containers (see the README, "Docker").
VOLUME ["/app/.data"]
EXPOSE 8080
ENTRYPOINT ["node", "bin/framewatch.js"]
CMD ["start"]
