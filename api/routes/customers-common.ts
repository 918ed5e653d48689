/** Schemas and helpers shared by the ambassador, customer, click and association routes. */
import { z } from 'zod';
import { ID_PATTERN } from '../auth';
import type { ApiDeps } from '../app';
import { LEVELS } from '../../domain/rulesets';
import { USERCODE_PATTERN } from '../../customers/ambassadors';
import { NON_ASSOCIABLE_REASONS, type NonAssociableReason } from '../../customers/identity';

export const IdSchema = z.string().regex(ID_PATTERN, 'an id is 1-128 characters: letters, digits, ".", ":", "-", starting with a letter or digit');
export const UsercodeSchema = z.string().regex(USERCODE_PATTERN, 'a usercode is 4-32 letters or digits');
export const InstantSchema = z.iso.datetime({ offset: true, message: 'an ISO-8601 instant with offset, e.g. 2024-06-01T10:30:00+08:00' });
export const LevelSchema = z.enum(LEVELS);
export const NonAssociableReasonSchema = z.enum(Object.keys(NON_ASSOCIABLE_REASONS) as [NonAssociableReason, ...NonAssociableReason[]]);

const identityValue = z.string().trim().min(1).max(200);
/** Identity attributes in plaintext: hashed (HMAC) before they are stored, never kept as given. */
export const IdentitySchema = z.strictObject({
  idDocument: identityValue.nullable().optional(),
  phone: identityValue.nullable().optional(),
  email: z.string().trim().email().max(200).nullable().optional(),
  linkedAccounts: z.array(IdSchema).max(100).optional(),
});

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
export const isoDate = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The API's clock. */
export const nowOf = (deps: ApiDeps): number => deps.now?.() ?? Date.now();

/** How far in the future a reported instant may be (clock skew between systems). */
export const CLOCK_SKEW_MS = 5 * 60_000;
