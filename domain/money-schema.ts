/** The zod schema of a CNY amount string (validation and the OpenAPI `pattern`): CNY_PATTERN. */
import { z } from 'zod';
import { CNY_PATTERN } from './money';

export const CnyAmountSchema = z.string().max(16).regex(CNY_PATTERN, 'a CNY amount like "99.00" (digits, at most 2 decimals)');
