/** Registers custom search attributes on a namespace (idempotent); the keys come from the caller. */
import type { Connection } from '@temporalio/client';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';

const INDEXED: Partial<Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType>> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Adds the keys that are missing; answers the names added. */
export async function registerSearchAttributes(connection: Connection, namespace: string, keys: readonly SearchAttributeKey<SearchAttributeType>[]): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.fromEntries(keys.filter((k) => !have.has(k.name)).map((k) => [k.name, INDEXED[k.type]!]));
  if (Object.keys(missing).length) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return Object.keys(missing);
}
