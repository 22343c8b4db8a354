/**
 * The Dockerfile without a Docker engine: a lint (dockerfile-utils, the Dockerfile language server's
 * validator) and the rules the images must keep (issue 6). image-start.test.ts replays the build.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validate } from 'dockerfile-utils';
import { DEFAULTS, loadConfig } from '../../src/config.js';
import {
  createDockerignore,
  type DockerStage,
  parseDockerfile,
  ROOT,
  readDockerfile,
  readDockerignore,
  stageEnv,
  stageNamed,
} from './dockerfile.js';

const TEXT = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERFILE = readDockerfile();
const RUNTIME_STAGES = ['cpu', 'gpu'] as const;

function lint(text: string): string[] {
  return validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

const last = (stage: DockerStage, keyword: string) => stage.steps.filter((s) => s.keyword === keyword).at(-1);

test('the Dockerfile lints clean, warnings included', () => {
  assert.deepStrictEqual(lint(TEXT), []);
});

test('the lint catches the mistakes it is there for', () => {
  const broken = TEXT.replace('AS deps-gpu', 'AS deps')
    .replace('ENTRYPOINT ["node", "dist/main.js"]', "ENTRYPOINT ['node', 'dist/main.js']")
    .replace('--start-period=300s', '--start-period=300')
    .replace('COPY --from=deps /app', 'COPY --form=deps /app');
  const problems = lint(broken).join('\n');
  for (const expected of [
    /duplicate name deps/,
    /JSON array but is using single quotes/,
    /missing unit in duration 300/,
    /Unknown flag: form/,
  ])
    assert.match(problems, expected);
});

test('multi-stage, with the targets cpu and gpu; cpu is the default (the last stage)', () => {
  const names = DOCKERFILE.stages.map((s) => s.name);
  assert.ok(names.includes('gpu'), `stages: ${names.join(', ')}`);
  assert.equal(names.at(-1), 'cpu');
  assert.equal(new Set(names).size, names.length);
});

test('every base image is pinned by a tag or digest, never latest', () => {
  const stageNames = new Set(DOCKERFILE.stages.map((s) => s.name));
  for (const { name, base } of DOCKERFILE.stages) {
    if (stageNames.has(base)) continue;
    const [ref = '', digest] = base.split('@');
    const tag = ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref.slice(ref.lastIndexOf(':') + 1) : undefined;
    assert.ok(tag !== undefined || digest !== undefined, `stage ${name}: '${base}' has no tag`);
    assert.notEqual(tag, 'latest', `stage ${name}: '${base}'`);
  }
});

test('runtime stages run Node in exec form as a numeric non-root user, with a HEALTHCHECK', () => {
  for (const name of RUNTIME_STAGES) {
    const stage = stageNamed(DOCKERFILE, name);
    const user = last(stage, 'USER')?.args[0] ?? 'root';
    assert.match(user, /^[1-9]\d*(:\d+)?$/, `${name}: USER ${user} (numeric, so runAsNonRoot can verify it)`);
    const entrypoint = last(stage, 'ENTRYPOINT');
    assert.deepStrictEqual(entrypoint?.exec, ['node', 'dist/main.js'], `${name}: exec-form ENTRYPOINT`);
    for (const cmd of stage.steps.filter((s) => s.keyword === 'CMD'))
      assert.ok(cmd.exec, `${name}: CMD on line ${cmd.line} is in shell form`);
    const healthchecks = stage.steps.filter((s) => s.keyword === 'HEALTHCHECK');
    assert.equal(healthchecks.length, 1, `${name}: one HEALTHCHECK`);
    assert.deepStrictEqual(healthchecks[0]?.exec, ['node', 'dist/cli/healthcheck.js']);
    // the same 5-minute allowance for a model load as the Kubernetes startupProbe
    assert.ok(Number.parseInt(healthchecks[0]?.flags['start-period'] ?? '0', 10) >= 300);
    const exposed = stage.steps.filter((s) => s.keyword === 'EXPOSE').flatMap((s) => s.args.map(Number));
    assert.deepStrictEqual(exposed, [DEFAULTS.http.port, DEFAULTS.grpc.port]);
  }
});

test('the entrypoint and healthcheck are files the TypeScript build emits', () => {
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    compilerOptions: { rootDir: string; outDir: string };
  };
  for (const name of RUNTIME_STAGES) {
    const stage = stageNamed(DOCKERFILE, name);
    for (const exec of [last(stage, 'ENTRYPOINT')?.exec, last(stage, 'HEALTHCHECK')?.exec]) {
      const script = exec?.[1] ?? '';
      assert.ok(script.startsWith(`${build.compilerOptions.outDir}/`), script);
      const source = script
        .replace(build.compilerOptions.outDir, build.compilerOptions.rootDir)
        .replace(/\.js$/, '.ts');
      assert.ok(existsSync(join(ROOT, source)), `${script} comes from ${source}`);
    }
  }
});

test('runtime stages get production dependencies only, installed with .npmrc in place', () => {
  for (const name of RUNTIME_STAGES) {
    const stage = stageNamed(DOCKERFILE, name);
    const copied = stage.steps.filter((s) => s.keyword === 'COPY' && s.args.some((a) => a.endsWith('node_modules')));
    assert.equal(copied.length, 1, `${name}: node_modules comes from one stage`);
    const from = stageNamed(DOCKERFILE, copied[0]?.flags.from ?? '');
    const steps = from.steps.map((s) => `${s.keyword} ${s.text}`);
    const install = steps.findIndex((s) => /^RUN npm ci\b/.test(s));
    assert.match(steps[install] ?? '', /^RUN npm ci --omit=dev\b/, `${from.name}: a production install`);
    const npmrc = steps.findIndex((s) => /^COPY .*\.npmrc/.test(s));
    assert.ok(npmrc >= 0 && npmrc < install, `${from.name}: .npmrc is copied before the install`);
    assert.ok(!stage.steps.some((s) => s.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(s.text)));
  }
});

test('the gpu image: CUDA + cuDNN runtime base, CUDA providers installed, TBGAN_EP=cuda', () => {
  const gpu = stageNamed(DOCKERFILE, 'gpu');
  assert.match(gpu.base, /^nvidia\/cuda:\d+\.\d+(\.\d+)?-cudnn-runtime-/);
  const deps = stageNamed(DOCKERFILE, gpu.steps.find((s) => s.args.includes('/app/node_modules'))?.flags.from ?? '');
  assert.equal(stageEnv(deps).ONNXRUNTIME_NODE_INSTALL, 'cuda12');
  assert.equal(stageEnv(gpu).TBGAN_EP, 'cuda');
  assert.equal(stageEnv(stageNamed(DOCKERFILE, 'cpu')).TBGAN_EP, undefined);
});

test('the TBGAN_* variables the images set are known settings with valid values', () => {
  for (const name of RUNTIME_STAGES) {
    const env = Object.fromEntries(
      Object.entries(stageEnv(stageNamed(DOCKERFILE, name))).filter(([k]) => k.startsWith('TBGAN_')),
    );
    assert.doesNotThrow(() => loadConfig(env), `${name}: ${JSON.stringify(env)}`);
  }
});

test('.dockerignore keeps local state out and lets in everything the Dockerfile copies', () => {
  const ignored = readDockerignore();
  const sources = DOCKERFILE.stages.flatMap((s) =>
    s.steps.filter((c) => c.keyword === 'COPY' && !c.flags.from).flatMap((c) => c.args.slice(0, -1)),
  );
  for (const source of new Set(sources)) {
    assert.ok(existsSync(join(ROOT, source)), `${source} exists`);
    assert.ok(!ignored(join(ROOT, source)), `${source} is not ignored`);
  }
  for (const local of ['node_modules/express', 'dist/main.js', '.git', 'models/tbgan-256/.cache/x.onnx', 'test/out'])
    assert.ok(ignored(join(ROOT, local)), `${local} is ignored`);
  assert.ok(!ignored(join(ROOT, 'models/tbgan-256/weights.safetensors')));
});

test('the .dockerignore matcher follows Docker: globs, **, parents, last match wins', () => {
  const ignored = createDockerignore('# comment\n*.log\n**/cache\nmodels/*/.cache\ndocs\n!docs/keep.md\n');
  const table: [string, boolean][] = [
    ['a.log', true],
    ['src/a.log', false],
    ['cache', true],
    ['src/x/cache/file', true],
    ['models/m/.cache/g.onnx', true],
    ['models/m/weights', false],
    ['docs/api.md', true],
    ['docs/keep.md', false],
  ];
  assert.deepStrictEqual(
    table.map(([p]) => [p, ignored(p)]),
    table,
  );
});

test('parseDockerfile reads stages, flags, exec forms and ENV', () => {
  const parsed = parseDockerfile(
    'ARG BASE=node:20-slim\nFROM $BASE AS a\nENV X=1 Y=two\nFROM a AS b\nCOPY --from=a /app ./app\nCMD ["node", "x.js"]\nHEALTHCHECK --interval=5s CMD ["true"]\n',
  );
  assert.deepStrictEqual(
    parsed.stages.map((s) => ({ name: s.name, base: s.base })),
    [
      { name: 'a', base: 'node:20-slim' },
      { name: 'b', base: 'a' },
    ],
  );
  const [copy, cmd, healthcheck] = parsed.stages[1]?.steps ?? [];
  assert.deepStrictEqual([copy?.flags, copy?.args], [{ from: 'a' }, ['/app', './app']]);
  assert.deepStrictEqual(
    [cmd?.exec, healthcheck?.exec, healthcheck?.flags],
    [['node', 'x.js'], ['true'], { interval: '5s' }],
  );
  assert.deepStrictEqual(stageEnv(parsed.stages[0] as DockerStage), { X: '1', Y: 'two' });
});
