/**
 * The typed API clients: openapi-fetch over the types generated from the API's OpenAPI document
 * (openapi.d.ts, scripts/openapi-types.ts), so a page cannot ask for a path, a parameter or a
 * field the API does not have. One client per role adds its bearer token; a 401 signs the role
 * out. openapi-react-query gives the hooks (useQuery, useMutation) typed by path.
 */
import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { paths } from './openapi';
import { getToken, setToken, type Role } from '../session';

export type { paths };

/** The API's one error shape: {error: {code, message, details}}. */
export interface ApiError {
  error: { code: string; message: string; details: unknown };
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
  }
  get code(): string {
    return this.body?.error.code ?? `http_${this.status}`;
  }
}

function auth(role: Role): Middleware {
  return {
    onRequest({ request }) {
      const token = getToken(role);
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) setToken(role, null);
      if (!response.ok) {
        const body = (await response.clone().json().catch(() => undefined)) as ApiError | undefined;
        throw new ApiFailure(response.status, body);
      }
      return response;
    },
  };
}

function clients(role: Role) {
  const fetchClient = createFetchClient<paths>({ baseUrl: window.location.origin });
  fetchClient.use(auth(role));
  return { fetch: fetchClient, query: createQueryClient(fetchClient) };
}

export const ambassadorApi = clients('ambassador');
export const opsApi = clients('ops');

/** The JSON answer of a GET path (its 200 response). */
export type Answer<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer J } } } } } ? J : never;
