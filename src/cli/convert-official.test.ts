import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CONVERTER_SCRIPT, canConvert, findPython, pythonCandidates } from './convert-official.js';

test('tries $TBGAN_PYTHON first, then python3, /usr/bin/python3 and python', () => {
  assert.deepStrictEqual(pythonCandidates({}), ['python3', '/usr/bin/python3', 'python']);
  assert.deepStrictEqual(pythonCandidates({ TBGAN_PYTHON: '/opt/py/bin/python' }), [
    '/opt/py/bin/python',
    'python3',
    '/usr/bin/python3',
    'python',
  ]);
});

test('picks the first interpreter that can import numpy', () => {
  const asked: string[] = [];
  const probe = (python: string) => {
    asked.push(python);
    return python === '/usr/bin/python3';
  };
  assert.equal(findPython(['python3', '/usr/bin/python3', 'python'], probe), '/usr/bin/python3');
  assert.deepStrictEqual(asked, ['python3', '/usr/bin/python3']);
  assert.equal(
    findPython(['a', 'b'], () => false),
    undefined,
  );
  assert.equal(canConvert('/nonexistent/python3'), false);
});

const python = findPython(pythonCandidates({}));
test('npm run convert-official runs the Python converter with the arguments given', {
  skip: python === undefined && 'no Python 3.9+ with numpy here',
}, () => {
  const cli = new URL('./convert-official.ts', import.meta.url).pathname;
  const help = spawnSync(process.execPath, ['--import', 'tsx', cli, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^usage: convert-official .*--pkl PKL/s);
  const bad = spawnSync(
    process.execPath,
    ['--import', 'tsx', cli, '--pkl', '/nonexistent.pkl', '--out', '/nonexistent/out'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /nonexistent\.pkl: cannot read the checkpoint .*\nnothing was written\./);
  assert.ok(CONVERTER_SCRIPT.endsWith('training/scripts/convert_official.py'));
});
