/**
 * gRPC over TLS: with TBGAN_GRPC_TLS_CERT_FILE and _KEY_FILE set, a client trusting the certificate
 * is served and a plaintext client is not. The fixture is a self-signed localhost certificate
 * (test/fixtures/tls, valid until 2126), for tests only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { credentials, status } from '@grpc/grpc-js';
import { createFakeEngine, startTestServer } from '../fakes.js';
import { collect, createFaceClient, unary } from '../grpc-client.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));

test('serves TLS with the configured certificate and key; plaintext clients are refused', async () => {
  const { grpcAddress, stop } = await startTestServer(
    { TBGAN_GRPC_TLS_CERT_FILE: fixture('localhost.crt'), TBGAN_GRPC_TLS_KEY_FILE: fixture('localhost.key') },
    createFakeEngine(),
  );
  const address = grpcAddress; // 127.0.0.1, one of the certificate's names
  const secure = createFaceClient(address, credentials.createSsl(readFileSync(fixture('localhost.crt'))));
  const plain = createFaceClient(address);
  try {
    const { response } = await unary(secure.getModel.bind(secure), {});
    assert.equal(response?.model?.name, 'tiny-test');
    const { messages, status: s } = await collect(secure.generate({ seed: 1 }));
    assert.equal(s.code, status.OK);
    assert.equal(messages.length, 1);
    const refused = await unary(plain.getModel.bind(plain), {});
    assert.equal(refused.status?.code, status.UNAVAILABLE);
  } finally {
    secure.close();
    plain.close();
    await stop();
  }
});
