/**
 * The workflow-ID grammar: every workflow ID is built and read here, nowhere else.
 *
 *   primary   <kind>:<key>                      order:o-1   customer:c-9   withdrawal:wd_3f
 *   derived   <kind>:<key>/<part>[/<part>...]   (a workflow that belongs to a primary one)
 *
 * A key is a business ID: letters, digits and `. _ : -`, at most 128, starting with a letter or a
 * digit (BUSINESS_ID_PATTERN, also the API's ID pattern). `/` is not in that alphabet, so no key
 * can produce a derived ID, and a derived ID names its parent and its parts unambiguously, however
 * many `:` the key holds (an order ID `x:refund:r` is just a key).
 */

export const BUSINESS_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** What BUSINESS_ID_PATTERN allows, for messages. */
export const BUSINESS_ID_RULE = 'letters, digits and . _ : - (at most 128, starting with a letter or digit)';

export const WORKFLOW_KINDS = ['order', 'customer', 'withdrawal', 'simulation', 'reconciliation', 'delivery'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

const PART_PATTERN = /^[a-z][a-z0-9-]{0,31}$|^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export class InvalidWorkflowIdError extends Error {}

/** `<kind>:<key>[/<part>...]`; throws InvalidWorkflowIdError for a key or part outside the grammar. */
export function workflowId(kind: WorkflowKind, key: string, ...parts: string[]): string {
  if (!BUSINESS_ID_PATTERN.test(key)) throw new InvalidWorkflowIdError(`not a business ID (${BUSINESS_ID_RULE}): ${JSON.stringify(key)}`);
  for (const p of parts) if (!PART_PATTERN.test(p)) throw new InvalidWorkflowIdError(`not a workflow-ID part: ${JSON.stringify(p)}`);
  return [`${kind}:${key}`, ...parts].join('/');
}

/** The kind, key and parts of a workflow ID, or null when it is not in the grammar. */
export function parseWorkflowId(id: string): { kind: WorkflowKind; key: string; parts: string[] } | null {
  const [head, ...parts] = id.split('/');
  const colon = head!.indexOf(':');
  if (colon < 0) return null;
  const kind = head!.slice(0, colon) as WorkflowKind;
  const key = head!.slice(colon + 1);
  if (!WORKFLOW_KINDS.includes(kind) || !BUSINESS_ID_PATTERN.test(key) || !parts.every((p) => PART_PATTERN.test(p))) return null;
  return { kind, key, parts };
}

export const orderWorkflowId = (orderId: string): string => workflowId('order', orderId);
export const customerWorkflowId = (customerId: string): string => workflowId('customer', customerId);
export const withdrawalWorkflowId = (withdrawalId: string): string => workflowId('withdrawal', withdrawalId);
