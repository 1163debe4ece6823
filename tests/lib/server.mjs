// Starts a real yiwang server for a test file: its own data folder, its own database (a fresh
// PostgreSQL database when YW_TEST_DB is a postgres URI, else SQLite in the data folder) and a
// port the kernel picked. stop() fails the test if the server did not exit cleanly, which is
// how AddressSanitizer and LeakSanitizer findings in the server reach the test report.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.YW_BIN || join(root, 'build', 'asan', 'yiwang');
// The built web app; a second working build (make O=…) can point at its own copy.
export const webDist = process.env.YW_WEB || join(root, 'web', 'dist');

// A fresh database per server keeps test files independent when node runs them in parallel.
function freshPostgres(base) {
  const name = 't_' + randomBytes(6).toString('hex');
  execFileSync('psql', [base, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
  const u = new URL(base);
  u.pathname = '/' + name;
  return { uri: u.toString(), drop: () => {
    try { execFileSync('psql', [base, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]); } catch {}
  } };
}

export function backendName() {
  const db = process.env.YW_TEST_DB || 'sqlite';
  return db.startsWith('postgres') ? 'postgres' : 'sqlite';
}

export async function startServer({ args = [], env = {} } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'yw-test-'));
  const wanted = process.env.YW_TEST_DB || 'sqlite';
  const pg = wanted.startsWith('postgres') ? freshPostgres(wanted) : null;
  const db = pg ? pg.uri : 'sqlite';
  return serveOn(data, db, pg, args, env);
}

// A server on a data folder and database: stop() ends it and removes both; restart() ends it
// and starts another on the same ones (what happens at a deployment's next start).
async function serveOn(data, db, pg, args, env) {
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--db', db,
    '--web', webDist, ...args], {
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  // scripts/test.sh keeps every server's log of the run and scans them all for personal numbers.
  const keep = process.env.YW_TEST_LOG_DIR;
  if (keep) mkdirSync(keep, { recursive: true });
  const logFile = keep ? createWriteStream(join(keep, `server-${process.pid}-${child.pid}.log`)) : null;
  child.stderr.on('data', (d) => {
    logFile?.write(d);
    stderr += d;
    if (stderr.length > 1e6) stderr = stderr.slice(-5e5);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s\n' + stderr)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited with ${code} before listening\n${stderr}`)); });
  });

  const end = async () => {
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    logFile?.end();
    if (code !== 0) throw new Error(`server exited with code ${code} signal ${signal}\n${stderr.slice(-20000)}`);
  };
  return {
    url, data, db, child,
    stderr: () => stderr,
    async stop() {
      try {
        await end();
      } finally {
        pg?.drop();
        rmSync(data, { recursive: true, force: true });
      }
    },
    async restart() {
      await end();
      return serveOn(data, db, pg, args, env);
    },
  };
}

// fetch that returns { status, headers, body (parsed JSON when it is JSON), text }.
export async function get(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  const ct = res.headers.get('content-type') || '';
  const body = ct.includes('json') && text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body, text };
}
