/** Custom search attribute keys (safe to import in workflow code). */
import { defineSearchAttributeKey } from '@temporalio/common';

export const CustomerIdKey = defineSearchAttributeKey('CustomerId', 'KEYWORD');
export const AmbassadorIdKey = defineSearchAttributeKey('AmbassadorId', 'KEYWORD');
export const OrderStateKey = defineSearchAttributeKey('OrderState', 'KEYWORD');

/** Every custom search attribute the workflows set (registered by `npm start`). */
export const SEARCH_ATTRIBUTE_KEYS = [CustomerIdKey, AmbassadorIdKey, OrderStateKey] as const;
