/** The HTTP API: express, routes declared once in the registry, JSON errors of one shape. */
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Sql } from '../db/client';
import type { RuleBook } from '../domain/rulesets';
import { authMiddleware } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { ApiRegistry } from './registry';
import { healthRoutes } from './routes/health';
import { associationsRoutes } from './routes/associations';
import { ordersRoutes } from './routes/orders';
import { withdrawalsRoutes } from './routes/withdrawals';

export interface ApiDeps {
  sql: Sql;
  client: Client;
  config: Config;
  logger: Logger;
  ruleBook: RuleBook;
  /** The API's clock (epoch ms); Date.now when absent (tests align it with the time-skipping server). */
  now?: () => number;
}

export function buildRegistry(deps: ApiDeps): ApiRegistry {
  const api = new ApiRegistry();
  healthRoutes(api, deps);
  associationsRoutes(api, deps);
  ordersRoutes(api, deps);
  withdrawalsRoutes(api, deps);
  return api;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' } }));
  app.use(express.json({ limit: deps.config.API_BODY_LIMIT }));
  const api = buildRegistry(deps);
  const doc = api.openapi({
    title: 'Ambassador settlement API',
    version: '1.0.0',
    description: 'Referral associations, order settlement, yunqi ledger and withdrawals.',
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  app.use(api.router(authMiddleware(deps)));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
