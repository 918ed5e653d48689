/** The HTTP API: express, routes declared once in the registry, JSON errors of one shape. */
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { Deps } from '../services/deps';
import { authMiddleware } from './auth';
import { consoleRouter } from './console';
import { errorHandler, notFoundHandler } from './errors';
import { ApiRegistry } from './registry';
import { ambassadorsRoutes } from './routes/ambassadors';
import { clicksRoutes } from './routes/clicks';
import { consoleReadRoutes } from './routes/console';
import { customersRoutes } from './routes/customers';
import { healthRoutes } from './routes/health';
import { ordersRoutes } from './routes/orders';
import { withdrawalsRoutes } from './routes/withdrawals';

/** The API is built from the same dependencies as the services. */
export type ApiDeps = Deps;

export function buildRegistry(deps: ApiDeps): ApiRegistry {
  const api = new ApiRegistry();
  healthRoutes(api, deps);
  ambassadorsRoutes(api, deps);
  customersRoutes(api, deps);
  clicksRoutes(api, deps);
  ordersRoutes(api, deps);
  consoleReadRoutes(api, deps);
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
  app.use(consoleRouter());
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
