/**
 * The real process, as `npm start` runs it (the embedded default model, configuration from the
 * environment): it becomes ready, serves, and on SIGTERM loses no accepted request and exits 0.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { until } from '../fakes.js';
import { checkHealth, collect, createFaceClient } from '../grpc-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; grpcAddress: string; logs: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      TBGAN_HTTP_PORT: '0',
      TBGAN_GRPC_PORT: '0',
      TBGAN_HTTP_HOST: '127.0.0.1',
      TBGAN_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const logs: string[] = [];
  let port = 0;
  let grpcPort = 0;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      logs.push(line);
      const entry = JSON.parse(line) as { msg: string; port?: number };
      if (entry.msg === 'http listening') port = entry.port as number;
      if (entry.msg === 'grpc listening') grpcPort = entry.port as number;
    }
  });
  await until(() => port > 0 && grpcPort > 0, 60_000);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/v2/health/ready`)).status === 200, 60_000);
  return { child, url, grpcAddress: `127.0.0.1:${grpcPort}`, logs };
}

test('SIGTERM: every accepted request, REST and gRPC, completes, then the process exits 0', async () => {
  // A batch waits up to 2 s to fill, so every request below is queued (admitted), none running, when SIGTERM comes.
  const { child, url, grpcAddress, logs } = await startProcess({
    TBGAN_BATCH_MAX_SIZE: '32',
    TBGAN_BATCH_MAX_DELAY_MS: '2000',
  });
  assert.equal(await checkHealth(grpcAddress, 'tbgan.v1.FaceGenerator'), 'SERVING');
  const client = createFaceClient(grpcAddress);
  const grpcCall = collect(client.generate({ seed: 1, count: 4, outputs: [{ output: 'OUTPUT_KIND_TEXTURE' }] }));
  assert.ok(
    logs.some((l) => l.includes('UNTRAINED')),
    'says plainly that the default model is untrained',
  );
  const body = JSON.stringify({ seed: 1, count: 4, outputs: ['texture'] });
  // each response is read as it arrives, as separate clients would
  const post = async () => {
    const r = await fetch(`${url}/v1/faces:generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: r.status, faces: ((await r.json()) as { faces?: unknown[] }).faces?.length };
  };
  const accepted = Array.from({ length: 4 }, post);
  await until(async () => /tbgan_queue_depth 20\b/.test(await (await fetch(`${url}/metrics`)).text()), 10_000);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.deepEqual(
    await Promise.all(accepted),
    Array.from({ length: 4 }, () => ({ status: 200, faces: 4 })),
  );
  const grpcResult = await grpcCall;
  client.close();
  assert.equal(grpcResult.status.code, 0);
  assert.equal(grpcResult.messages.length, 4);
  const [code] = await exited;
  assert.equal(code, 0);
  assert.ok(logs.some((l) => l.includes('"msg":"stopped"') && l.includes('"finished":true')));
});
