import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonWithBase64 } from './responses.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const inline = (body: unknown, payloads: Uint8Array[]) => {
  let i = 0;
  const fill = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fill);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === 'data' && x === '' ? Buffer.from(payloads[i++] as Uint8Array).toString('base64') : fill(x),
      ]),
    );
  };
  return JSON.stringify(fill(body));
};

test('jsonWithBase64 writes what JSON.stringify writes with the base64 inline', () => {
  const payloads = [
    bytes(),
    bytes(0),
    bytes(255, 254),
    bytes(1, 2, 3, 4, 5),
    new Uint8Array(1000).map((_, i) => i * 7),
  ];
  const tricky = [
    'plain',
    '"data":""',
    '\\"data\\":\\"\\"',
    'quote " backslash \\ newline \n tab \t',
    'ünïcödé ✓ 😀',
    '\u0000\u001f',
  ];
  const body = {
    model: { name: tricky[1], version: tricky[4] },
    faces: payloads.map((_, i) => ({
      index: i,
      note: tricky[i % tricky.length],
      artifacts: [{ output: 'texture', data: '' }],
    })),
  };
  const out = jsonWithBase64(body, payloads);
  assert.equal(out.toString('utf8'), inline(body, payloads));
  assert.deepEqual(JSON.parse(out.toString('utf8')).model, body.model);
});

test('jsonWithBase64 refuses a body whose empty data fields do not match the payloads', () => {
  assert.throws(() => jsonWithBase64({ data: '' }, []), /1 empty data fields for 0 payloads/);
  assert.throws(() => jsonWithBase64({ a: 1 }, [bytes(1)]), /0 empty data fields for 1 payloads/);
});

test('jsonWithBase64 fills payloads that are views into a larger buffer with their own bytes only', () => {
  const backing = new Uint8Array([9, 9, 1, 2, 3, 9, 9]);
  const out = JSON.parse(jsonWithBase64({ data: '' }, [backing.subarray(2, 5)]).toString('utf8'));
  assert.equal(out.data, Buffer.from([1, 2, 3]).toString('base64'));
});
