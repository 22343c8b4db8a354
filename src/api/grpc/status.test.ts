import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ERROR_CODES, ServiceError, UnavailableError } from '../../errors.js';
import { GRPC_STATUS, toGrpcStatus } from './status.js';

test('every error code maps to the gRPC status of the same name', () => {
  for (const code of ERROR_CODES) assert.equal(GRPC_STATUS[code], status[code], code);
});

test('the field leads the details and goes in the tbgan-field trailer', () => {
  const s = toGrpcStatus(new ServiceError('INVALID_ARGUMENT', 'must be a number in (0, 1]', { field: 'truncation' }));
  assert.equal(s.code, status.INVALID_ARGUMENT);
  assert.equal(s.details, 'truncation: must be a number in (0, 1]');
  assert.deepEqual(s.metadata.getMap(), { 'tbgan-field': 'truncation' });
});

test('UNAVAILABLE carries its retry hint in ms, also as gRFC A6 pushback', () => {
  const s = toGrpcStatus(new UnavailableError('queue full', 1234.5));
  assert.equal(s.code, status.UNAVAILABLE);
  assert.deepEqual(s.metadata.getMap(), { 'retry-after-ms': '1235', 'grpc-retry-pushback-ms': '1235' });
});

test('INTERNAL says only "internal error"', () => {
  const s = toGrpcStatus(ServiceError.from(new Error('kernel exploded at 0xdeadbeef')));
  assert.deepEqual([s.code, s.details], [status.INTERNAL, 'internal error']);
});
