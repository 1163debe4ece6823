// The log scanner that closes scripts/test.sh must itself find what it looks for, and must not
// cry wolf at masked numbers, timestamps or hashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../lib/server.mjs';

function scan(text) {
  const file = join(mkdtempSync(join(tmpdir(), 'yw-scan-')), 'server.log');
  writeFileSync(file, text);
  return spawnSync('node', [join(root, 'tests/privacy/scan-logs.mjs'), file], { encoding: 'utf8' });
}

test('a full ID number or mobile number in a log is found', () => {
  assert.equal(scan('req 1 POST /api/v1/auth/login 401 user 34052419800101001X\n').status, 1);
  assert.equal(scan('sent to 13800138000\n').status, 1);
  assert.equal(scan('upgraded 11010519491231002x\n').status, 1);
});

test('masked numbers, timestamps, hashes and invalid check characters are not findings', () => {
  const clean = [
    '2026-11-29T10:00:00.000Z req 5dc3c3ce-1 POST /api/v1/auth/register 201 5123us',
    'person 3405**********001X mobile 138****5678 at 1764410000000',
    'hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'not an id 340524198001010011',
  ].join('\n');
  const r = scan(clean);
  assert.equal(r.status, 0, r.stdout);
});
