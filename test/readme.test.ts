import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { defaultRuleBook, ruleSetsMarkdown } from '../domain';
import { orderStatesMarkdown, reasonCodesMarkdown } from '../domain/settlement/outcome';

const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

test('README lists the default rule sets exactly as the code has them (R-ORD-9)', () => {
  expect(readme).toContain(ruleSetsMarkdown(defaultRuleBook()));
});

test('README quick start is exactly the two commands', () => {
  const quick = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(quick?.trim().split('\n')).toEqual(['npm start', 'npm test']);
});

test('README lists every order state and reason code as the code has them', () => {
  expect(readme).toContain(orderStatesMarkdown());
  expect(readme).toContain(reasonCodesMarkdown());
});
