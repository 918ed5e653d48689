# The app (worker + HTTP API) for docker-compose: Temporal and Postgres come from their own
# containers through TEMPORAL_ADDRESS and DATABASE_URL, so no embedded server starts here.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
EXPOSE 3000
USER node
CMD ["node", "--import", "tsx", "scripts/start.ts"]
