/**
 * Bearer tokens: ambassadors (stored only as a sha256 hash), the service token of the order and
 * identity systems, and the ops token. The logged-in customer comes from the identity gateway as
 * a signed assertion in X-Customer-Assertion (lib/tokens.ts: the customer id and an expiry under
 * an HMAC with CUSTOMER_ASSERTION_SECRET); missing, forged or expired → 401, and no click.
 */
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { BUSINESS_ID_PATTERN } from '../contracts/ids';
import type { Sql } from '../db/client';
import { findAmbassadorByTokenHash } from '../db/repositories/ambassadors';
import { hashToken, sameSecret, verifyCustomerAssertion } from '../lib/tokens';
import { nowOf } from '../services/deps';
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

const ASSERTION_PROBLEMS = {
  malformed: 'X-Customer-Assertion is not an assertion of the identity gateway (v1.<customerId>.<expiresAt>.<signature>)',
  bad_signature: 'X-Customer-Assertion is not signed by the identity gateway',
  expired: 'X-Customer-Assertion has expired: log in again',
  too_long_lived: 'X-Customer-Assertion is valid for longer than allowed (CUSTOMER_ASSERTION_MAX_TTL_SECONDS)',
} as const;

export function authMiddleware(deps: { sql: Sql; config: Config; now?: () => number }) {
  const { sql, config } = deps;
  return (kind: AuthKind): RequestHandler[] => {
    switch (kind) {
      case 'none':
        return [];
      case 'customer':
        return [
          (req, res, next) => {
            const assertion = req.header('x-customer-assertion');
            if (!assertion) {
              next(
                new HttpError(
                  401,
                  'not_logged_in',
                  'not logged in: only a logged-in customer opening the link is associated (关联) with the ambassador (R-ATTR-1); log in or register through the link',
                ),
              );
              return;
            }
            const out = verifyCustomerAssertion(config.CUSTOMER_ASSERTION_SECRET, assertion, nowOf(deps), config.CUSTOMER_ASSERTION_MAX_TTL_SECONDS * 1000);
            if (!out.ok) return next(new HttpError(401, 'invalid_customer_assertion', ASSERTION_PROBLEMS[out.problem]));
            if (!BUSINESS_ID_PATTERN.test(out.customerId)) return next(new HttpError(401, 'invalid_customer_assertion', 'the asserted customer id is not a valid id'));
            res.locals.customerId = out.customerId;
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
