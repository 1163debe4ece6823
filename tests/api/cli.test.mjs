// The command line as an operator meets it: help, refusals with clear messages and exit codes,
// idempotent migrations, and audit verification. SQLite only: the PostgreSQL paths are the
// same code and are exercised by the other suites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../lib/server.mjs';

function yiwang(...args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'yw-cli-'));
const sql = (dir, q) => execFileSync('sqlite3', [join(dir, 'yiwang.db'), q], { encoding: 'utf8' });

test('version and help', () => {
  assert.match(yiwang('version').out, /^yiwang \d+\.\d+\.\d+/);
  for (const cmd of [['serve'], ['migrate'], ['audit', 'verify']]) {
    const r = yiwang(...cmd, '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: yiwang/);
    assert.match(r.out, /--data/);
  }
  assert.equal(yiwang().code, 2);
  assert.equal(yiwang('frobnicate').code, 2);
});

test('a bad flag is refused with exit code 2 and a message naming it', () => {
  const r = yiwang('serve', '--lisen', '127.0.0.1:1');
  assert.equal(r.code, 2);
  assert.match(r.err, /--lisen/);
  const bad = yiwang('serve', '--listen', '127.0.0.1:99999');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /listen/);
  const db = yiwang('migrate', '--db', 'mysql://x');
  assert.equal(db.code, 2);
});

test('a data folder that is not a usable folder is refused with exit code 3', () => {
  const dir = tmp();
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  const r = yiwang('serve', '--listen', '127.0.0.1:0', '--data', file);
  assert.equal(r.code, 3);
  assert.match(r.err, /数据目录/);
  rmSync(dir, { recursive: true, force: true });
});

test('an unreachable database is refused with exit code 4', () => {
  const r = yiwang('serve', '--listen', '127.0.0.1:0', '--data', tmp(),
    '--db', 'postgresql://nobody@127.0.0.1:1/none?connect_timeout=2');
  assert.equal(r.code, 4);
  assert.match(r.err, /数据库/);
});

test('migrate twice changes nothing; a newer schema is refused with exit code 5', () => {
  const dir = tmp();
  const first = yiwang('migrate', '--data', dir);
  assert.equal(first.code, 0, first.err);
  const before = sql(dir, 'SELECT version, applied_at FROM schema_migrations ORDER BY version');
  const second = yiwang('migrate', '--data', dir);
  assert.equal(second.code, 0);
  assert.equal(second.out, first.out);
  assert.equal(sql(dir, 'SELECT version, applied_at FROM schema_migrations ORDER BY version'), before);

  sql(dir, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)");
  const serve = yiwang('serve', '--listen', '127.0.0.1:0', '--data', dir);
  assert.equal(serve.code, 5);
  assert.match(serve.err, /999|新/);
  rmSync(dir, { recursive: true, force: true });
});

test('audit verify passes on a whole chain and names a forged entry', () => {
  const dir = tmp();
  assert.equal(yiwang('migrate', '--data', dir).code, 0);
  const ok = yiwang('audit', 'verify', '--data', dir);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /audit chain ok/);
  sql(dir, "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, prev_hash, hash) " +
    "VALUES (1, 0, 'mallory', 'case.approve', 'case', '1', '" + '0'.repeat(64) + "', '" + 'f'.repeat(64) + "')");
  const bad = yiwang('audit', 'verify', '--data', dir);
  assert.equal(bad.code, 6);
  assert.match(bad.out, /BROKEN at entry 1/);
  rmSync(dir, { recursive: true, force: true });
});

test('settings come from the config file, then the environment, then the flags', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'yiwang.conf'), 'listen = 127.0.0.1:bogus\n');
  const fromFile = yiwang('migrate', '--data', dir);
  assert.equal(fromFile.code, 2);
  assert.match(fromFile.err, /yiwang\.conf 第 1 行/);
  writeFileSync(join(dir, 'yiwang.conf'), 'log-level = warn\n');
  assert.equal(yiwang('migrate', '--data', dir).code, 0);
  rmSync(dir, { recursive: true, force: true });
});
