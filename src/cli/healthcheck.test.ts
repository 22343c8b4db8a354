import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { createFakeEngine, startTestServer } from '../../test/fakes.js';
import { checkReady, readinessUrl } from './healthcheck.js';

test('the readiness URL uses loopback for wildcard listen addresses and the address itself otherwise', () => {
  const urls = [
    { host: '0.0.0.0', port: 8080 },
    { host: '::', port: 8080 },
    { host: '10.1.2.3', port: 9000 },
    { host: 'fd00::1', port: 9000 },
  ].map(readinessUrl);
  assert.deepStrictEqual(urls, [
    'http://127.0.0.1:8080/v2/health/ready',
    'http://[::1]:8080/v2/health/ready',
    'http://10.1.2.3:9000/v2/health/ready',
    'http://[fd00::1]:9000/v2/health/ready',
  ]);
});

test('ready once the server is warm, not ready while draining or when nothing listens', async () => {
  const { server, url, stop } = await startTestServer({}, createFakeEngine());
  try {
    assert.equal(await checkReady(`${url}/v2/health/ready`), true);
    const stopped = server.shutdown('test');
    assert.equal(await checkReady(`${url}/v2/health/ready`), false);
    await stopped;
    assert.equal(await checkReady(`${url}/v2/health/ready`), false);
  } finally {
    await stop();
  }
});

test('a server that accepts but never answers is not ready after the timeout', async () => {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    assert.equal(await checkReady(`http://127.0.0.1:${port}/v2/health/ready`, 100), false);
  } finally {
    silent.close();
  }
});
