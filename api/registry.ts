/**
 * Routes are declared once with zod schemas; the same declaration validates requests and
 * produces the OpenAPI 3.1 document, so docs and validation cannot drift.
 */
import { Router, type Request, type Response, type RequestHandler } from 'express';
import { z } from 'zod';
import { badRequest } from './errors';

/** `service_or_ops`: either the service token or the ops token (facts ops may also report). */
export type AuthKind = 'none' | 'ambassador' | 'service' | 'ops' | 'service_or_ops' | 'customer';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface Route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path: /v1/orders/:orderId */
  path: string;
  summary: string;
  tags: string[];
  auth: AuthKind;
  params?: P;
  query?: Q;
  body?: B;
  /** Extra request headers documented (and validated) e.g. Idempotency-Key. */
  headers?: AnyObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Middleware run before validation (auth, rate limits). */
  before?: RequestHandler[];
  handler: (
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; headers: Record<string, unknown> },
    req: Request,
    res: Response,
  ) => Promise<{ status: number; body: unknown; headers?: Record<string, string> } | void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRoute = Route<any, any, any>;

function issues(err: z.ZodError, where: string) {
  return err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}

const errorResponse = (description: string) => ({ description });

/** The answers every route of its kind can give, documented without each route repeating them. */
function impliedResponses(route: AnyRoute): Route<AnyObject, AnyObject, z.ZodType>['responses'] {
  const out: Route<AnyObject, AnyObject, z.ZodType>['responses'] = {};
  if (route.params || route.query || route.headers || route.body) out[400] = errorResponse('validation_failed (details: the field paths and what is wrong), or malformed JSON');
  if (route.auth !== 'none') out[401] = errorResponse('unauthorized: the credentials this route needs are missing or wrong');
  if (route.params) out[404] = errorResponse('not_found: nothing of that id');
  if (route.body) out[413] = errorResponse('body_too_large: the JSON body is larger than API_BODY_LIMIT');
  out[503] = errorResponse('shutting_down (Retry-After), or a dependency is unavailable');
  return out;
}

export class ApiRegistry {
  readonly routes: AnyRoute[] = [];

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(route: Route<P, Q, B>): void {
    this.routes.push(route as AnyRoute);
  }

  /** Mounts every route on a router, with validation; authMiddleware maps an AuthKind to a guard. */
  router(authMiddleware: (kind: AuthKind) => RequestHandler[]): Router {
    const r = Router();
    for (const route of this.routes) {
      const validate: RequestHandler = async (req, res, next) => {
        try {
          const errors: { path: string; message: string }[] = [];
          const parse = <T extends z.ZodType>(schema: T | undefined, value: unknown, where: string) => {
            if (!schema) return {};
            const out = schema.safeParse(value ?? {});
            if (!out.success) {
              errors.push(...issues(out.error, where));
              return undefined;
            }
            return out.data;
          };
          const params = parse(route.params, req.params, 'params');
          const query = parse(route.query, req.query, 'query');
          const headers = parse(route.headers, req.headers, 'headers');
          let body: unknown = {};
          if (route.body) {
            if (req.body === undefined) errors.push({ path: 'body', message: 'a JSON body is required (Content-Type: application/json)' });
            else body = parse(route.body, req.body, 'body');
          }
          if (errors.length) throw badRequest('validation_failed', 'request validation failed', errors);
          const out = await route.handler({ params, query, body, headers: headers as Record<string, unknown> }, req, res);
          if (out) {
            for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
            res.status(out.status).json(out.body);
          }
        } catch (err) {
          next(err);
        }
      };
      r[route.method](route.path, ...authMiddleware(route.auth), ...(route.before ?? []), validate);
    }
    return r;
  }

  openapi(info: { title: string; version: string; description?: string }): Record<string, unknown> {
    const toSchema = (s: z.ZodType, io: 'input' | 'output') =>
      z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const oaPath = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const parameters: unknown[] = [];
      const addParams = (obj: AnyObject | undefined, where: 'path' | 'query' | 'header') => {
        if (!obj) return;
        for (const [name, schema] of Object.entries(obj.shape)) {
          const s = schema as z.ZodType;
          parameters.push({
            name,
            in: where,
            required: where === 'path' || !s.safeParse(undefined).success,
            schema: toSchema(s, 'input'),
            ...(s.description ? { description: s.description } : {}),
          });
        }
      };
      addParams(route.params, 'path');
      addParams(route.query, 'query');
      addParams(route.headers, 'header');
      const security =
        route.auth === 'none' ? [] : route.auth === 'customer' ? [{ customerAssertion: [] }] : route.auth === 'service_or_ops' ? [{ serviceToken: [] }, { opsToken: [] }] : [{ [`${route.auth}Token`]: [] }];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries({ ...impliedResponses(route), ...route.responses })) {
        const errorShape = !r.schema && Number(status) >= 400;
        responses[status] = {
          description: r.description,
          ...(r.schema
            ? { content: { 'application/json': { schema: toSchema(r.schema, 'output') } } }
            : errorShape
              ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
              : {}),
        };
      }
      responses.default = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      (paths[oaPath] ??= {})[route.method] = {
        summary: route.summary,
        tags: route.tags,
        security,
        parameters,
        ...(route.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: {
          ambassadorToken: { type: 'http', scheme: 'bearer', description: 'token returned once when the ambassador joins' },
          serviceToken: { type: 'http', scheme: 'bearer', description: 'order and identity systems' },
          opsToken: { type: 'http', scheme: 'bearer', description: 'operations staff' },
          customerAssertion: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Customer-Assertion',
            description:
              'the logged-in customer, asserted by the identity gateway: v1.<customerId>.<expiresAt epoch seconds>.<base64url HMAC-SHA256(CUSTOMER_ASSERTION_SECRET, "v1.<customerId>.<expiresAt>")>',
          },
        },
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message', 'details'],
                properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
              },
            },
          },
        },
      },
    };
  }
}
