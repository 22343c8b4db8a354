import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from '../../errors.js';
import { HTTP_STATUS } from './problems.js';

const DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** Rows of the table in docs/errors.md: code | HTTP | gRPC | when | what to do. */
function documentedRows(): { code: string; http: number; grpc: string }[] {
  return DOC.split('\n')
    .filter((line) => /^\| `[A-Z_]+` \|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim().replaceAll('`', ''));
      return { code: cells[1] as string, http: Number(cells[2]), grpc: cells[3] as string };
    });
}

test('docs/errors.md lists exactly the error codes, with the HTTP status of the table', () => {
  const rows = documentedRows();
  assert.deepEqual(rows.map((r) => r.code).sort(), [...ERROR_CODES].sort());
  for (const row of rows) {
    assert.equal(row.http, HTTP_STATUS[row.code as keyof typeof HTTP_STATUS], row.code);
    assert.equal(row.grpc, row.code, 'the gRPC status is the code of the same name');
  }
});

test('every code has a distinct HTTP status', () => {
  const statuses = Object.values(HTTP_STATUS);
  assert.equal(new Set(statuses).size, statuses.length);
});
