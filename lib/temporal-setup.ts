/** Custom search attributes the workflows set, so ops can filter in the Temporal UI. */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const SEARCH_ATTRIBUTES = {
  CustomerId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  AmbassadorId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  OrderState: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** Registers the attributes that are missing (idempotent). */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).filter(([k]) => !have.has(k)));
  if (Object.keys(missing).length) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return Object.keys(missing);
}
