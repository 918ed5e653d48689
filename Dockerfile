# The app (worker + HTTP API + consoles) for docker-compose: Temporal and Postgres come from their
# own containers through TEMPORAL_ADDRESS and DATABASE_URL, so no embedded server starts here.

# The consoles are built with the dev dependencies (Vite, React); only their output is kept.
FROM node:20-bookworm-slim AS consoles
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:console

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
COPY --from=consoles /app/console/dist ./console/dist
EXPOSE 3000
USER node
CMD ["node", "--import", "tsx", "scripts/start.ts"]
