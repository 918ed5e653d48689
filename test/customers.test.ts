/** Customers and identity: keyed hashes only, change history with instants, same-person check,
 * purchase facts, non-associable customers. */
import request from 'supertest';
import { customerFacts, recordPurchaseFacts } from '../db/repositories/customers';
import { hmacIdentity, identityChangedSince, isSamePerson } from '../db/repositories/identity';
import { classifyCustomer } from '../domain/classify';
import { utc8 } from '../domain/time';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import { joinAmbassador, uniq, type Harness } from './harness/association-fixtures';

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x));

const putCustomer = (id: string, body: Record<string, unknown>) => h.service(request(h.app).put(`/v1/customers/${id}`)).send(body);

test('R-SAME-1 identity attributes are stored only as keyed hashes (HMAC), normalized', async () => {
  const id = uniq('cust');
  const res = await putCustomer(id, { identity: { idDocument: '11010519491231002x', phone: '+86 138-1234-5678', email: 'Li.Lei@Example.COM ' } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ customerId: id, created: true });
  const rows = await ctx.sql<{ attr: string; value_hash: string }[]>`
    SELECT attr, value_hash FROM identity_attributes WHERE subject_kind = 'customer' AND subject_id = ${id} AND valid_to IS NULL ORDER BY attr`;
  const secret = ctx.config.IDENTITY_HMAC_SECRET;
  expect(rows).toEqual([
    { attr: 'email', value_hash: hmacIdentity(secret, 'email', 'li.lei@example.com') },
    { attr: 'id_document', value_hash: hmacIdentity(secret, 'id_document', '11010519491231002X') },
    { attr: 'linked_account', value_hash: hmacIdentity(secret, 'linked_account', id) }, // its own account
    { attr: 'phone', value_hash: hmacIdentity(secret, 'phone', '+8613812345678') },
  ]);
  const dump = JSON.stringify(await ctx.sql`SELECT * FROM identity_attributes`);
  for (const plain of ['1381234', 'li.lei', 'Li.Lei', '110105194912']) expect(dump).not.toContain(plain);
  // A different secret gives different hashes: they are keyed.
  expect(hmacIdentity('another-secret-0123456789', 'email', 'li.lei@example.com')).not.toBe(rows[0]?.value_hash);
});

test('R-SAME-1 the same-person check compares hashes (ID document, phone, email, linked accounts), now or at an instant', async () => {
  const amb = await joinAmbassador(h, { joinedAt: '2024-01-01T00:00:00+08:00', identity: { email: 'amb@example.com', idDocument: 'ID-777' } });
  const byEmail = uniq('cust');
  await putCustomer(byEmail, { observedAt: '2024-03-01T00:00:00+08:00', identity: { email: 'other@example.com' } });
  expect(await isSamePerson(ctx.sql, amb.id, byEmail)).toEqual({ same: false });
  // The customer changes their email to the ambassador's (case differs): same person from then on.
  const change = await h.service(request(h.app).post(`/v1/customers/${byEmail}/identity-changes`)).send({ email: 'AMB@example.com', changedAt: '2024-04-01T00:00:00+08:00' });
  expect(change.body).toEqual({ changed: ['email'] });
  expect(await isSamePerson(ctx.sql, amb.id, byEmail)).toEqual({ same: true, matchedOn: ['email'] });
  expect(await isSamePerson(ctx.sql, amb.id, byEmail, utc8('2024-03-15'))).toEqual({ same: false });
  expect(await isSamePerson(ctx.sql, amb.id, byEmail, utc8('2024-04-02'))).toEqual({ same: true, matchedOn: ['email'] });

  const byDocument = uniq('cust');
  await putCustomer(byDocument, { identity: { idDocument: 'id-777' } });
  expect(await isSamePerson(ctx.sql, amb.id, byDocument)).toEqual({ same: true, matchedOn: ['id_document'] });

  // The ambassador declares a linked account that is the customer's: linked accounts match both ways.
  const linkedByAmbassador = uniq('cust');
  await putCustomer(linkedByAmbassador, {});
  await h.service(request(h.app).post(`/v1/ambassadors/${amb.id}/identity-changes`)).send({ linkedAccounts: [linkedByAmbassador] });
  expect(await isSamePerson(ctx.sql, amb.id, linkedByAmbassador)).toEqual({ same: true, matchedOn: ['linked_account'] });
  expect(await isSamePerson(ctx.sql, amb.id, amb.accountId)).toMatchObject({ same: true, matchedOn: expect.arrayContaining(['account']) });
});

test('R-SAME-1 every identity change is kept with its instant (for R-SAME-2); first values and repeats are not changes', async () => {
  const amb = await joinAmbassador(h, { joinedAt: '2024-01-01T00:00:00+08:00', identity: { phone: '13900000001' } });
  const id = uniq('cust');
  await putCustomer(id, { observedAt: '2024-06-10T00:00:00+08:00', identity: { phone: '13700000001', email: 'c@example.com' } });
  const since = utc8('2024-06-01');
  expect(await identityChangedSince(ctx.sql, { ambassadorId: amb.id, customerId: id, sinceMs: since })).toEqual({ changed: false, changes: [] });

  // Repeating the same snapshot changes nothing.
  expect((await putCustomer(id, { observedAt: '2024-06-20T00:00:00+08:00', identity: { phone: '137-0000-0001' } })).body.identityChanged).toEqual([]);

  await h.service(request(h.app).post(`/v1/customers/${id}/identity-changes`)).send({ phone: '13700000002', changedAt: '2024-07-01T00:00:00+08:00' });
  await h.service(request(h.app).post(`/v1/ambassadors/${amb.id}/identity-changes`)).send({ email: null, phone: '13900000009', changedAt: '2024-07-05T00:00:00+08:00' });
  const out = await identityChangedSince(ctx.sql, { ambassadorId: amb.id, customerId: id, sinceMs: since });
  expect(out).toEqual({
    changed: true,
    changes: [
      { subject: 'customer', attr: 'phone', at: utc8('2024-07-01') },
      { subject: 'ambassador', attr: 'phone', at: utc8('2024-07-05') },
    ],
  });
  expect((await identityChangedSince(ctx.sql, { ambassadorId: amb.id, customerId: id, sinceMs: utc8('2024-07-02') })).changes).toHaveLength(1);
  // Removing a value is a change too.
  await h.service(request(h.app).post(`/v1/customers/${id}/identity-changes`)).send({ email: null, changedAt: '2024-08-01T00:00:00+08:00' });
  expect((await identityChangedSince(ctx.sql, { ambassadorId: amb.id, customerId: id, sinceMs: utc8('2024-07-10') })).changes).toEqual([
    { subject: 'customer', attr: 'email', at: utc8('2024-08-01') },
  ]);
});

test('R-ATTR-7 non-associable customers are recorded with the reason; a bad reason is a 400', async () => {
  const id = uniq('cust');
  const res = await putCustomer(id, { nonAssociableReason: 'ppl_reported', observedAt: '2024-06-01T00:00:00+08:00' });
  expect(res.body.nonAssociableReason).toBe('ppl_reported');
  const [row] = await ctx.sql<{ non_associable_reason: string; non_associable_at: Date }[]>`SELECT non_associable_reason, non_associable_at FROM customers WHERE id = ${id}`;
  expect(row).toEqual({ non_associable_reason: 'ppl_reported', non_associable_at: new Date(utc8('2024-06-01')) });
  // Omitting the field keeps it; null clears it.
  expect((await putCustomer(id, {})).body.nonAssociableReason).toBe('ppl_reported');
  expect((await putCustomer(id, { nonAssociableReason: null })).body.nonAssociableReason).toBeNull();

  const bad = await putCustomer(id, { nonAssociableReason: 'friend_of_sales' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].path).toBe('body.nonAssociableReason');
  expect((await putCustomer('bad id!', {})).status).toBe(400);
  expect((await request(h.app).put(`/v1/customers/${id}`).send({})).status).toBe(401);
});

test('R-SAME-1 purchase facts make customers new or old; a same-person account with paid history counts (R-CUST-1, R-CUST-4)', async () => {
  const fresh = uniq('cust');
  await putCustomer(fresh, { identity: { phone: '13600000001' } });
  const rs = ctx.deps.ruleBook.at(utc8('2024-07-01'));
  expect(classifyCustomer(await customerFacts(ctx.sql, fresh), utc8('2024-07-01'), rs).type).toBe('new');
  expect(await customerFacts(ctx.sql, uniq('unknown'))).toEqual({
    firstPaidPurchaseAt: null,
    lastConsumptionAt: null,
    sameEntityHasPaidHistory: false,
    payAsYouGoBeforeFirstPurchase: false,
  });

  // Orders this system sees update the facts; repeats and older facts keep the earliest purchase.
  await recordPurchaseFacts(ctx.sql, fresh, { paidPurchaseAtMs: utc8('2024-08-01') });
  await recordPurchaseFacts(ctx.sql, fresh, { paidPurchaseAtMs: utc8('2024-09-01') });
  await recordPurchaseFacts(ctx.sql, fresh, { paidPurchaseAtMs: utc8('2024-08-01') });
  expect(await customerFacts(ctx.sql, fresh)).toMatchObject({ firstPaidPurchaseAt: utc8('2024-08-01'), lastConsumptionAt: utc8('2024-09-01') });

  // Another account of the same person (shared phone) now has paid history.
  const twin = uniq('cust');
  await putCustomer(twin, { identity: { phone: '136-0000-0001' } });
  expect(await customerFacts(ctx.sql, twin)).toMatchObject({ firstPaidPurchaseAt: null, sameEntityHasPaidHistory: true });

  // Pay-as-you-go before any paid purchase (R-CUST-4).
  const payg = uniq('cust');
  await recordPurchaseFacts(ctx.sql, payg, { paygUseAtMs: utc8('2024-05-01') });
  expect((await customerFacts(ctx.sql, payg)).payAsYouGoBeforeFirstPurchase).toBe(true);
  await recordPurchaseFacts(ctx.sql, payg, { paidPurchaseAtMs: utc8('2024-04-01') });
  expect((await customerFacts(ctx.sql, payg)).payAsYouGoBeforeFirstPurchase).toBe(false);

  // Facts reported by the identity system through the API.
  const reported = await putCustomer(uniq('cust'), { facts: { firstPaidPurchaseAt: '2023-01-01T00:00:00+08:00', lastConsumptionAt: '2023-02-01T00:00:00+08:00' } });
  expect(reported.body.facts).toMatchObject({ firstPaidPurchaseAt: new Date(utc8('2023-01-01')).toISOString(), lastConsumptionAt: new Date(utc8('2023-02-01')).toISOString() });
});
