/**
 * Bearer tokens: ambassadors (stored only as a sha256 hash), the service token of the order and
 * identity systems, and the ops token. The logged-in customer comes from the identity gateway as
 * the X-Customer-Id header.
 */
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { BUSINESS_ID_PATTERN } from '../contracts/ids';
import type { Sql } from '../db/client';
import { findAmbassadorByTokenHash } from '../db/repositories/ambassadors';
import { hashToken, sameSecret } from '../lib/tokens';
import { HttpError } from './errors';
import type { AuthKind } from './registry';

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

export interface AuthedAmbassador {
  id: string;
  kind: 'individual' | 'enterprise';
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

export function authMiddleware(deps: { sql: Sql; config: Config }) {
  const { sql, config } = deps;
  return (kind: AuthKind): RequestHandler[] => {
    switch (kind) {
      case 'none':
        return [];
      case 'customer':
        return [
          (req, res, next) => {
            const id = req.header('x-customer-id');
            if (id !== undefined && !BUSINESS_ID_PATTERN.test(id)) {
              next(new HttpError(400, 'validation_failed', 'X-Customer-Id is not a valid customer id'));
              return;
            }
            res.locals.customerId = id;
            next();
          },
        ];
      case 'service':
      case 'ops':
      case 'service_or_ops': {
        const secrets = kind === 'service' ? [config.SERVICE_TOKEN] : kind === 'ops' ? [config.OPS_TOKEN] : [config.SERVICE_TOKEN, config.OPS_TOKEN];
        return [
          (req, _res, next) => {
            const token = bearer(req.header('authorization'));
            if (!token || !secrets.some((s) => sameSecret(token, s))) next(unauthorized(`a valid ${kind.replace('_or_', ' or ')} token is required`));
            else next();
          },
        ];
      }
      case 'ambassador':
        return [
          async (req, res, next) => {
            try {
              const token = bearer(req.header('authorization'));
              if (!token) throw unauthorized('an ambassador token is required (Authorization: Bearer ...)');
              const row = await findAmbassadorByTokenHash(sql, hashToken(token));
              if (!row) throw unauthorized('unknown or revoked ambassador token');
              res.locals.ambassador = row;
              next();
            } catch (err) {
              next(err);
            }
          },
        ];
    }
  };
}
