/** The empty workflow: one workflow task and nothing else, the limit an order is measured against. */
export async function benchEmpty(): Promise<void> {}
