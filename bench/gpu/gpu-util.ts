/**
 * GPU-busy fraction while a benchmark phase runs: `nvidia-smi`'s `utilization.gpu` (the share of the
 * last sample period in which any kernel ran), sampled every `intervalMs`, averaged over a window.
 * Samples are stamped when their line arrives, so nvidia-smi's output must not sit in a pipe buffer:
 * it runs under `stdbuf -oL` where coreutils has it. Without nvidia-smi (CPU runs) windows read null.
 */
import { spawn, spawnSync } from 'node:child_process';

/** A running sampler. */
export interface GpuUtilSampler {
  /** Where the numbers come from: `nvidia-smi`, or `none` when it is not installed. */
  readonly source: 'nvidia-smi' | 'none';
  /** Mean busy fraction in [0, 1] of the samples taken between two `Date.now()` times (null: none). */
  window(startMs: number, endMs: number): { busyFraction: number | null; samples: number };
  stop(): void;
}

/** Options of `startGpuUtilSampler`. */
export interface GpuUtilOptions {
  deviceId?: number;
  intervalMs?: number;
}

const succeeds = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** Starts sampling the GPU's utilization, if nvidia-smi is there. */
export function startGpuUtilSampler(options: GpuUtilOptions = {}): GpuUtilSampler {
  const { deviceId = 0, intervalMs = 100 } = options;
  if (!succeeds('nvidia-smi', ['-L']))
    return { source: 'none', window: () => ({ busyFraction: null, samples: 0 }), stop() {} };
  const query = [
    'nvidia-smi',
    '-i',
    String(deviceId),
    '--query-gpu=utilization.gpu',
    '--format=csv,noheader,nounits',
    `--loop-ms=${intervalMs}`,
  ];
  const command = succeeds('stdbuf', ['--version']) ? ['stdbuf', '-oL', ...query] : query;
  const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  child.on('error', () => {}); // a sampler that dies leaves windows without samples (null), not a failed benchmark
  const samples: { atMs: number; busy: number }[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const percent = Number(line.trim());
      if (line.trim() !== '' && Number.isFinite(percent)) samples.push({ atMs: Date.now(), busy: percent / 100 });
    }
  });
  return {
    source: 'nvidia-smi',
    window(startMs, endMs) {
      const inside = samples.filter((s) => s.atMs >= startMs && s.atMs <= endMs);
      const busyFraction = inside.length === 0 ? null : inside.reduce((sum, s) => sum + s.busy, 0) / inside.length;
      return { busyFraction, samples: inside.length };
    },
    stop() {
      child.kill();
    },
  };
}
