/** The HTTP API: express, routes declared once in the registry, JSON errors of one shape. */
import express, { type Express, type RequestHandler } from 'express';
import pinoHttp from 'pino-http';
import type { Deps } from '../services/deps';
import { authMiddleware } from './auth';
import { consoleRouter } from './console';
import { errorBody, errorHandler, notFoundHandler } from './errors';
import { ApiRegistry } from './registry';
import { ambassadorsRoutes } from './routes/ambassadors';
import { clicksRoutes } from './routes/clicks';
import { consoleReadRoutes } from './routes/console';
import { customersRoutes } from './routes/customers';
import { healthRoutes } from './routes/health';
import { ordersRoutes } from './routes/orders';
import { withdrawalsRoutes } from './routes/withdrawals';
import { reconciliationRoutes } from './routes/reconciliation';

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
  reconciliationRoutes(api, deps);
  return api;
}

/** Seconds a client is told to wait (Retry-After) while this API stops. */
const RETRY_AFTER_SECONDS = 5;

/** Stops intake: from now on every request is 503 with Retry-After (and the connection closes),
 * so a load balancer moves to another replica while this one drains. */
export function stopIntake(app: Express): void {
  app.locals.draining = true;
}

const intake: RequestHandler = (req, res, next) => {
  if (!req.app.locals.draining) return next();
  res.set({ 'Retry-After': String(RETRY_AFTER_SECONDS), Connection: 'close' });
  res.status(503).json(errorBody('shutting_down', `this API is stopping; retry in ${RETRY_AFTER_SECONDS} s (another replica may answer at once)`));
};

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(intake);
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
