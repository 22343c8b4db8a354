/**
 * `npm run convert-official -- --pkl … --uv-dict … --out …`: runs `training/scripts/convert_official.py`
 * (docs/model-package.md, "Converting the official checkpoint") with the first Python 3.9+ that can
 * import numpy, so users need not know which of their interpreters has it.
 *
 * DESIGN NOTES: `python3` on PATH is often not the one with numpy (pyenv or a venv first on PATH,
 * numpy installed with apt for /usr/bin/python3, macOS's /usr/bin/python3 without numpy). So the
 * candidates are tried in order: $TBGAN_PYTHON, python3, /usr/bin/python3, python; each is asked
 * to import numpy, and the first that can runs the converter with the user's arguments.
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The converter script, relative to this file in src/cli/ or dist/cli/. */
export const CONVERTER_SCRIPT = fileURLToPath(new URL('../../training/scripts/convert_official.py', import.meta.url));

const PROBE = 'import sys, numpy; sys.exit(0 if sys.version_info >= (3, 9) else 1)';

/** Interpreters to try, in order: $TBGAN_PYTHON first when set. */
export function pythonCandidates(env: Readonly<Record<string, string | undefined>>): string[] {
  const fallbacks = ['python3', '/usr/bin/python3', 'python'];
  return env.TBGAN_PYTHON ? [env.TBGAN_PYTHON, ...fallbacks] : fallbacks;
}

/** Whether `python` runs and imports numpy (Python 3.9+). */
export function canConvert(python: string): boolean {
  const result = spawnSync(python, ['-c', PROBE], { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

/** The first candidate that passes `probe`, or undefined. */
export function findPython(candidates: readonly string[], probe: (python: string) => boolean = canConvert) {
  return candidates.find((python) => probe(python));
}

const NO_PYTHON = `error: convert-official needs Python 3.9+ with numpy, and none of these has it: %s.
  Debian/Ubuntu: sudo apt install python3-numpy    macOS/other: pip3 install numpy
  or point TBGAN_PYTHON at an interpreter that has numpy.`;

// Run when executed directly (`npm run convert-official -- ...`).
if (import.meta.url === `file://${process.argv[1]}`) {
  const candidates = pythonCandidates(process.env);
  const python = findPython(candidates);
  if (python === undefined) {
    console.error(NO_PYTHON.replace('%s', candidates.join(', ')));
    process.exit(2);
  }
  const child = spawn(python, [CONVERTER_SCRIPT, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
