import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, DEFAULTS, flagName, loadConfig, SETTINGS } from './config.js';

test('defaults: HTTP 8080, gRPC 8081, the embedded model, the CPU provider', () => {
  const config = loadConfig({});
  assert.equal(config.http.port, 8080);
  assert.equal(config.grpc.port, 8081);
  assert.equal(config.model.dir, 'models/tbgan-256');
  assert.equal(config.engine.executionProvider, 'cpu');
  assert.deepEqual(config, DEFAULTS);
});

test('environment variables and flags set values; flags win; the result is frozen', () => {
  const config = loadConfig(
    { TBGAN_HTTP_PORT: '9000', TBGAN_EP: 'cuda', TBGAN_BATCH_MAX_DELAY_MS: '5', PATH: '/bin' },
    ['--http-port', '9100', '--batch-max-size=32', '--model-dir', '/models/x'],
  );
  assert.equal(config.http.port, 9100);
  assert.equal(config.engine.executionProvider, 'cuda');
  assert.equal(config.batch.maxDelayMs, 5);
  assert.equal(config.batch.maxBatchSize, 32);
  assert.equal(config.model.dir, '/models/x');
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.batch));
});

test('reports every problem at once, unknown names included', () => {
  assert.throws(
    () =>
      loadConfig(
        {
          TBGAN_HTTP_PORT: '99999',
          TBGAN_EP: 'tpu',
          TBGAN_BATCH_MAX_SIZE: '1.5',
          TBGAN_TYPO: '1',
          TBGAN_MODEL_DIR: ' ',
        },
        ['--nope', '1', '--grpc-port'],
      ),
    (e: ConfigError) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems.sort(), [
        '--grpc-port: needs a value',
        '--nope: unknown flag',
        'TBGAN_BATCH_MAX_SIZE="1.5": must be an integer in [1, 1024]',
        'TBGAN_EP="tpu": must be one of cpu, cuda, tensorrt, webgpu',
        'TBGAN_HTTP_PORT="99999": must be an integer in [0, 65535]',
        'TBGAN_MODEL_DIR=" ": must not be empty',
        'TBGAN_TYPO: unknown setting',
      ]);
      return true;
    },
  );
});

test('cross-field rules', () => {
  assert.throws(() => loadConfig({ TBGAN_GRPC_PORT: '8080' }), /must differ from TBGAN_HTTP_PORT/);
  assert.throws(() => loadConfig({ TBGAN_GRPC_TLS_CERT_FILE: 'cert.pem' }), /give both or neither/);
  assert.throws(
    () => loadConfig({ TBGAN_REQUEST_TIMEOUT_MS: '700000' }),
    /must not exceed TBGAN_MAX_REQUEST_TIMEOUT_MS/,
  );
});

test('every setting has a unique env name, a flag and a path into the defaults', () => {
  assert.equal(new Set(SETTINGS.map((s) => s.env)).size, SETTINGS.length);
  for (const s of SETTINGS) {
    assert.match(s.env, /^TBGAN_[A-Z0-9_]+$/);
    assert.match(flagName(s.env), /^--[a-z0-9-]+$/);
    const [section, key] = s.path.split('.') as [string, string | undefined];
    const value =
      key === undefined
        ? (DEFAULTS as unknown as Record<string, unknown>)[section]
        : (DEFAULTS as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
    assert.notEqual(value, undefined, s.path);
  }
});
