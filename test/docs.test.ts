/** The README stays true: its configuration table is exactly the settings the code reads. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULTS, flagName, SETTINGS } from '../src/config.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README configuration table lists every setting, its flag and its default', () => {
  const rows = README.split('\n').filter((l) => /^\| `TBGAN_[A-Z0-9_]+` \|/.test(l));
  const documented = rows.map((r) => r.split('|').map((c) => c.trim()));
  assert.deepEqual(documented.map((c) => c[1]?.replaceAll('`', '')).sort(), SETTINGS.map((s) => s.env).sort());
  for (const cells of documented) {
    const env = cells[1]?.replaceAll('`', '') as string;
    const setting = SETTINGS.find((s) => s.env === env);
    assert.ok(setting);
    assert.equal(cells[2], `\`${flagName(env)}\``, env);
    const [section, key] = setting.path.split('.') as [string, string | undefined];
    const value =
      key === undefined
        ? (DEFAULTS as unknown as Record<string, unknown>)[section]
        : (DEFAULTS as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
    if (setting.path === 'encode.threads') continue; // depends on the machine: documented as a rule
    assert.equal(cells[3], value === '' ? '(empty)' : `\`${value}\``, env);
    assert.equal(cells[4], setting.unit, env);
  }
});

test('the README quick start is exactly the two commands', () => {
  const block = README.split('## Quick start')[1]?.split('```')[1] ?? '';
  const commands = block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l && l !== 'bash');
  assert.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm test']);
});
