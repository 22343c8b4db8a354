import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Expression, labelVector } from './labels.js';
import type { Manifest } from './manifest.js';

const OURS: Manifest['labels'] = {
  names: ['neutral', 'happiness', 'sadness', 'anger', 'fear', 'disgust', 'surprise'],
  neutral: 'neutral',
  scale: [1, 1, 1, 1, 1, 1, 1],
  default: [1, 0, 0, 0, 0, 0, 0],
};
const OFFICIAL_LIKE: Manifest['labels'] = {
  names: ['class0', 'class1', 'class2', 'class3', 'class4', 'class5', 'class6'],
  neutral: null,
  scale: [10, 10, 10, 10, 5, 3, 10],
  default: [0, 0, 0, 0, 0, 0, 0],
};

test('forms label vectors from names, blends, intensity and raw vectors', () => {
  const table: [Manifest['labels'], Expression | undefined, number | undefined, number[]][] = [
    [OURS, undefined, undefined, [1, 0, 0, 0, 0, 0, 0]],
    [OURS, 'happiness', undefined, [0, 1, 0, 0, 0, 0, 0]],
    [OURS, 'happiness', 0.25, [0.75, 0.25, 0, 0, 0, 0, 0]],
    [OURS, { anger: 3, fear: 1 }, undefined, [0, 0, 0, 0.75, 0.25, 0, 0]],
    [OURS, { anger: 1, fear: 1 }, 0.5, [0.5, 0, 0, 0.25, 0.25, 0, 0]],
    [OURS, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], undefined, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]],
    [OFFICIAL_LIKE, 'class5', undefined, [0, 0, 0, 0, 0, 3, 0]],
    [OFFICIAL_LIKE, 'class4', 0.5, [0, 0, 0, 0, 2.5, 0, 0]],
    [OFFICIAL_LIKE, undefined, undefined, [0, 0, 0, 0, 0, 0, 0]],
  ];
  for (const [labels, expression, intensity, expected] of table) {
    assert.deepEqual(
      Array.from(labelVector(labels, expression, intensity)),
      Array.from(Float32Array.from(expected)),
      JSON.stringify([expression, intensity]),
    );
  }
});

test('refuses bad expressions with the field at fault', () => {
  const table: [Expression | undefined, number | undefined, string, RegExp][] = [
    ['grumpy', undefined, 'expression', /unknown expression 'grumpy'; this model has: neutral, happiness/],
    [{ happiness: 1, grumpy: 1 }, undefined, 'expression.grumpy', /unknown expression 'grumpy'/],
    [{ happiness: -1 }, undefined, 'expression.happiness', /blend weights must be finite numbers >= 0/],
    [{ happiness: Number.NaN }, undefined, 'expression.happiness', /finite/],
    [{ happiness: 0 }, undefined, 'expression', /must not all be zero/],
    [{}, undefined, 'expression', /at least one expression/],
    [[1, 2, 3], undefined, 'expression', /a raw label vector needs 7 numbers, got 3/],
    [[0, 0, 0, 0, 0, 0, Number.POSITIVE_INFINITY], undefined, 'expression[6]', /finite number/],
    [[0, 0, 0, 0, 0, 0, 0], 0.5, 'intensity', /raw label vector is used as is/],
    ['happiness', 1.5, 'intensity', /intensity must be a number in \[0, 1\]/],
    ['happiness', Number.NaN, 'intensity', /intensity must be a number in \[0, 1\]/],
    [undefined, 0.5, 'intensity', /intensity needs an expression/],
  ];
  for (const [expression, intensity, field, message] of table) {
    assert.throws(
      () => labelVector(OURS, expression, intensity),
      (e: Error & { code?: string; field?: string }) => {
        assert.equal(e.code, 'INVALID_ARGUMENT');
        assert.equal(e.field, field, JSON.stringify(expression));
        assert.match(e.message, message);
        return true;
      },
    );
  }
});
