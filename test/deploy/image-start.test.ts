/**
 * The default (cpu) image, built without a Docker engine: every stage the target needs is replayed
 * from the Dockerfile itself in a temporary directory that stands for the stage's root filesystem
 * (WORKDIR, ENV, ARG, COPY from the context as .dockerignore leaves it or from an earlier stage, and
 * RUN). Then the ENTRYPOINT starts with the image's environment, /v2/health/ready answers 200, the
 * HEALTHCHECK passes, and SIGTERM ends the process with exit 0. A change to the Dockerfile that
 * breaks the start (a file not copied, a dev-only dependency needed at run time, a wrong entrypoint,
 * a bad ENV value) fails here. Slow: two `npm ci` and a TypeScript build (about a minute).
 *
 * RUN steps run on the host, so only steps known to stay inside the stage directory are replayed:
 * `npm ci|run|prune ...`, and `rm -rf` / `test -f|-d` on relative paths. Any other step fails the
 * test, to be taught here, rather than run on this machine.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { until } from '../fakes.js';
import { type DockerStage, ROOT, readDockerfile, readDockerignore, stageEnv, stagesFor } from './dockerfile.js';

const run = promisify(execFile);
const SAFE_PATH = /^(?!\/)(?!.*\.\.)[\w@./-]+$/;

/** Throws unless every `&&`-joined command of a RUN step is one this test may run on the host. */
function assertReplayable(command: string): void {
  for (const part of command.split('&&').map((p) => p.trim())) {
    const [program, ...words] = part.split(/\s+/);
    const ok =
      (program === 'npm' && /^(ci|run|prune)$/.test(words[0] ?? '')) ||
      (program === 'rm' && words[0] === '-rf' && words.length > 1 && words.slice(1).every((w) => SAFE_PATH.test(w))) ||
      (program === 'test' && /^-[fd]$/.test(words[0] ?? '') && words.length === 2 && SAFE_PATH.test(words[1] ?? ''));
    if (!ok) throw new Error(`image-start.test.ts cannot replay RUN step '${part}': teach it, if it is safe`);
  }
}

/** Replays one stage into `<root>/<stage name>`; returns its working directory there. */
async function replayStage(
  stage: DockerStage,
  root: string,
  replayed: ReadonlySet<string>,
  ignored: (path: string) => boolean,
): Promise<string> {
  const fsRoot = join(root, stage.name);
  if (replayed.has(stage.base)) await cp(join(root, stage.base), fsRoot, { recursive: true, verbatimSymlinks: true });
  await mkdir(fsRoot, { recursive: true });
  let workdir = '/';
  const env: Record<string, string> = {};
  const inStage = (path: string) => join(fsRoot, posix.resolve(workdir, path));
  for (const step of stage.steps) {
    switch (step.keyword) {
      case 'WORKDIR':
        workdir = posix.resolve(workdir, step.args[0] ?? '/');
        await mkdir(inStage('.'), { recursive: true });
        break;
      case 'ENV':
      case 'ARG':
        Object.assign(env, step.properties);
        break;
      case 'COPY': {
        const sources = step.args.slice(0, -1);
        const dest = step.args.at(-1) ?? '.';
        const from = step.flags.from;
        for (const source of sources) {
          const src = from ? join(root, from, source) : join(ROOT, source);
          assert.ok(existsSync(src), `line ${step.line}: COPY source ${source} does not exist`);
          const isDir = (await readdir(src).catch(() => null)) !== null;
          const target =
            !isDir && (dest.endsWith('/') || sources.length > 1) ? posix.join(dest, basename(source)) : dest;
          await cp(src, inStage(target), {
            recursive: true,
            verbatimSymlinks: true,
            filter: (path) => from !== undefined || !ignored(path),
          });
        }
        break;
      }
      case 'RUN': {
        assertReplayable(step.text);
        // A clean environment, as in a build container: no CI variables (ONNXRUNTIME_NODE_INSTALL),
        // no npm_config_* of the npm running this test. HOME keeps the npm cache: offline-capable.
        await run('sh', ['-c', step.text], {
          cwd: inStage('.'),
          env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_prefer_offline: 'true', ...env },
          maxBuffer: 64 * 1024 * 1024,
        });
        break;
      }
      case 'USER':
      case 'EXPOSE':
      case 'HEALTHCHECK':
      case 'ENTRYPOINT':
      case 'CMD':
      case 'LABEL':
        break; // image metadata
      default:
        throw new Error(`line ${step.line}: image-start.test.ts cannot replay ${step.keyword}`);
    }
  }
  return inStage('.');
}

test('the default image builds from the Dockerfile, starts, is ready, passes its HEALTHCHECK and drains on SIGTERM', {
  timeout: 10 * 60_000,
}, async () => {
  const dockerfile = readDockerfile();
  const target = dockerfile.stages.at(-1) as DockerStage;
  const root = await mkdtemp(join(tmpdir(), 'tbgan-image-'));
  let child: ChildProcess | undefined;
  try {
    let appDir = '';
    const ignored = readDockerignore();
    const replayed = new Set<string>();
    for (const stage of stagesFor(dockerfile, target.name)) {
      appDir = await replayStage(stage, root, replayed, ignored);
      replayed.add(stage.name);
    }

    // The runtime stage holds what it should and no development tooling.
    assert.deepStrictEqual((await readdir(appDir)).sort(), ['dist', 'models', 'node_modules', 'package.json', 'proto']);
    for (const dev of ['typescript', 'tsx', '@biomejs', 'supertest'])
      assert.ok(!existsSync(join(appDir, 'node_modules', dev)), `${dev} is a dev dependency`);

    const entrypoint = target.steps.filter((s) => s.keyword === 'ENTRYPOINT').at(-1)?.exec ?? [];
    const cmd = target.steps.filter((s) => s.keyword === 'CMD').at(-1)?.exec ?? [];
    const healthcheck = target.steps.filter((s) => s.keyword === 'HEALTHCHECK').at(-1)?.exec ?? [];
    const exe = (argv: string[]) => (argv[0] === 'node' ? process.execPath : (argv[0] as string));
    // The image's environment; only the listen address differs (port 0: tests run side by side).
    const env = {
      PATH: process.env.PATH,
      ...stageEnv(target),
      TBGAN_HTTP_HOST: '127.0.0.1',
      TBGAN_HTTP_PORT: '0',
      TBGAN_ENCODE_THREADS: '1',
    };
    const argv = [...entrypoint, ...cmd];
    child = spawn(exe(argv), argv.slice(1), { cwd: appDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const logs: { msg: string; port?: number; model?: string }[] = [];
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) logs.push(JSON.parse(line));
    });
    const exited = once(child, 'exit');
    await until(() => logs.some((l) => l.msg === 'http listening') || child?.exitCode !== null, 120_000);
    const port = logs.find((l) => l.msg === 'http listening')?.port;
    assert.ok(port, `the server did not start: ${JSON.stringify(logs)}`);
    const url = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${url}/v2/health/ready`)).status === 200, 120_000);
    assert.equal(logs.find((l) => l.model !== undefined)?.model, 'tbgan-256', 'serves the embedded default model');

    const check = await run(exe(healthcheck), healthcheck.slice(1), {
      cwd: appDir,
      env: { ...env, TBGAN_HTTP_PORT: String(port) },
    }).then(
      () => 0,
      (e: { code?: number }) => e.code ?? 1,
    );
    assert.equal(check, 0, 'HEALTHCHECK passes');

    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  } finally {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  }
});
