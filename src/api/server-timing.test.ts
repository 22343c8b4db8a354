import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatServerTiming, parseServerTiming } from './server-timing.js';

test('formats the phases a call reached, in order, in ms with two decimals', () => {
  assert.equal(
    formatServerTiming({ encodeMs: 9.8765, queueMs: 0.123, inferenceMs: 41 }),
    'queue;dur=0.12, inference;dur=41, encode;dur=9.88',
  );
  assert.equal(formatServerTiming({ queueMs: 3 }), 'queue;dur=3');
  assert.equal(formatServerTiming({}), '');
});

test('parses its own output and entries from other servers, skipping those without a duration', () => {
  assert.deepEqual(parseServerTiming(formatServerTiming({ queueMs: 1.5, inferenceMs: 2, encodeMs: 0 })), {
    queue: 1.5,
    inference: 2,
    encode: 0,
  });
  assert.deepEqual(parseServerTiming('cache;desc="Cache Read";dur=23.2, db;dur=53 , miss, total;desc=x'), {
    cache: 23.2,
    db: 53,
  });
  assert.deepEqual(parseServerTiming(''), {});
});
