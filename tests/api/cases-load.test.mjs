// `yiwang demo --cases N` (src/cases/load.c): synthetic cases written through the cases module's
// own functions, as the inbox benchmark needs them. On a fresh server's database: N cases with
// valid, unique serial numbers, the mix of states the loader promises, open tasks exactly where
// a case is open, a second run that adds nothing, an audit chain that still verifies, and a
// scoped clerk's inbox over them that shows only their department's tasks, earliest due first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, binary, root } from '../lib/server.mjs';
import { sql } from '../lib/persons.mjs';
import { bootstrapAdmin, createStaff } from '../lib/staff.mjs';

const N = 2000;
let srv;

function demo(...args) {
  return execFileSync(binary, ['demo', '--data', srv.data, '--db', srv.db, ...args], {
    encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const one = (q) => sql(srv, q)[0][0];

// ISO 7064 MOD 11-2 over the 20 digits (R-CASE-001).
function serialCheck(digits) {
  let p = 0;
  for (const d of digits) p = ((p + Number(d)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

before(async () => {
  srv = await startServer();
  assert.match(demo('--cases', String(N)), new RegExp(`演示办件：新建 ${N}、已有 0`));
});

after(async () => {
  await srv?.stop();
});

test('N cases with valid, unique serial numbers of their county and day', () => {
  const rows = sql(srv, "SELECT serial, division_code, submitted_on, applicant_kind, applicant_id, " +
    "applicant_name, filed_by FROM cases");
  assert.equal(rows.length, N);
  const seen = new Set();
  for (const [serial, division, day, kind, id, name, by] of rows) {
    assert.match(serial, /^\d{6}-\d{8}-\d{6}-[0-9X]$/);
    assert.equal(serial.slice(0, 6), division.slice(0, 6));
    assert.equal(serial.slice(7, 15), day);
    assert.equal(serialCheck(serial.replace(/-/g, '').slice(0, 20)), serial.slice(-1), serial);
    assert.ok(!seen.has(serial), `serial ${serial} twice`);
    seen.add(serial);
    // Synthetic applicants, plainly named as such.
    assert.equal(kind, 'person');
    assert.match(id, /^p_demo_\d+$/);
    assert.match(name, /^演示申请人\d+$/);
    assert.equal(by, 'system:demo');
  }
  // Submitted within the last year, and never after today (China Standard Time).
  const today = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10).replace(/-/g, ''));
  for (const [, , day] of rows) {
    assert.ok(Number(day) <= today && Number(day) > today - 10100, day);
  }
});

test('the mix of states, and open tasks only where a case is open', () => {
  const by = Object.fromEntries(sql(srv, 'SELECT state, count(*) FROM cases GROUP BY state')
    .map(([s, n]) => [s, Number(n)]));
  const share = (s) => (by[s] || 0) / N;
  assert.ok(Math.abs(share('completed') - 0.80) < 0.04, JSON.stringify(by));
  assert.ok(Math.abs(share('submitted') - 0.06) < 0.02, JSON.stringify(by));
  assert.ok(Math.abs(share('accepted') + share('review') - 0.10) < 0.03, JSON.stringify(by));
  assert.ok(Math.abs(share('supplement') - 0.03) < 0.015, JSON.stringify(by));
  assert.ok(share('suspended') > 0.002 && share('suspended') < 0.025, JSON.stringify(by));
  const online = Number(one("SELECT count(*) FROM cases WHERE channel = 'online'")) / N;
  assert.ok(Math.abs(online - 0.7) < 0.04, `online ${online}`);

  // Open tasks belong to open cases that wait on a department, and each such case has one.
  assert.equal(one("SELECT count(*) FROM case_tasks t JOIN cases c ON c.id = t.case_id WHERE t.state = 'open' " +
    "AND c.state NOT IN ('submitted', 'accepted', 'review', 'suspended')"), '0');
  assert.equal(one("SELECT count(*) FROM cases c WHERE c.state IN ('submitted', 'accepted', 'review', 'suspended') " +
    "AND NOT EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = c.id AND t.state = 'open')"), '0');
  // The task carries its case's state (the inbox filters on it without a join).
  assert.equal(one("SELECT count(*) FROM case_tasks t JOIN cases c ON c.id = t.case_id WHERE t.case_state <> c.state"), '0');
  // A submitted case waits for pre-review; an accepted one for review, with a due day unless the
  // calendar does not reach it; a paused one has none.
  assert.equal(one("SELECT count(*) FROM case_tasks WHERE case_state = 'submitted' AND stage <> 'pre_review'"), '0');
  assert.equal(one("SELECT count(*) FROM case_tasks WHERE case_state IN ('accepted', 'review') AND stage = 'pre_review'"), '0');
  assert.equal(one("SELECT count(*) FROM cases WHERE state IN ('supplement', 'suspended') AND (due_on IS NOT NULL OR paused_since IS NULL)"), '0');
  assert.equal(one("SELECT count(*) FROM case_tasks WHERE case_state = 'suspended' AND due_on IS NOT NULL"), '0');
  assert.ok(Number(one("SELECT count(*) FROM case_tasks WHERE case_state = 'submitted' AND due_on IS NOT NULL")) > 0);
  // Tasks of a process's other departments are in those departments' divisions.
  assert.equal(one("SELECT count(*) FROM case_tasks t WHERE t.state = 'open' AND t.division_code IS NULL"), '0');
  // One trail entry per case, one audit entry per write of 2,000.
  assert.equal(one("SELECT count(*) FROM case_trail"), String(N));
  assert.equal(one("SELECT count(*) FROM audit_log WHERE action = 'case.load'"), '1');
});

test('a second run adds nothing; a larger N tops up; the audit chain verifies', () => {
  assert.match(demo('--cases', String(N)), new RegExp(`演示办件：新建 0、已有 ${N}`));
  assert.equal(one('SELECT count(*) FROM cases'), String(N));
  assert.match(demo('--cases', String(N + 10)), new RegExp(`演示办件：新建 10、已有 ${N}`));
  assert.equal(one('SELECT count(*) FROM cases'), String(N + 10));
  assert.equal(one('SELECT count(DISTINCT serial) FROM cases'), String(N + 10));
  assert.equal(one("SELECT count(*) FROM audit_log WHERE action = 'case.load'"), '2');
  assert.match(execFileSync(binary, ['audit', 'verify', '--data', srv.data, '--db', srv.db], { encoding: 'utf8' }),
    /audit chain ok/);
});

test('bad usage: --cases that is not a count', () => {
  assert.throws(() => demo('--cases', 'lots'), (err) => err.status === 2 && /--cases/.test(err.stderr));
  assert.throws(() => demo('--cases', '-5'), (err) => err.status === 2 && /--cases/.test(err.stderr));
});

test('a scoped clerk\'s inbox: their department\'s tasks only, earliest due first, page after page', async () => {
  const region = JSON.parse(readFileSync(join(root, 'data', 'demo', 'departments.json'), 'utf8'));
  const zwfw = region.departments.find((d) => d.key === 'city.zwfw');
  const admin = await bootstrapAdmin(srv, { departmentName: zwfw.name, departmentUscc: zwfw.uscc, division: '341300' });
  const [[dept]] = sql(srv, "SELECT department_id FROM case_tasks WHERE state = 'open' AND division_code = '341302' " +
    "AND stage = 'pre_review' AND role = 'window_clerk' GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1");
  const clerk = await createStaff(admin, { username: 'load_clerk', name: '窗口人员', department_id: dept,
    roles: [{ role: 'window_clerk', department_id: dept, division_code: '341302' }] });
  const want = Number(one(`SELECT count(*) FROM case_tasks WHERE state = 'open' AND department_id = '${dept}' ` +
    "AND role = 'window_clerk' AND stage IN ('pre_review', 'deliver')"));
  assert.ok(want >= 2, `only ${want} open tasks in the clerk's department`);
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 50; page++) {
    const res = await clerk.get(`/api/v1/inbox?limit=5${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assert.equal(res.status, 200, res.text);
    if (page === 0) {
      const total = Object.values(res.body.counts).reduce((a, b) => a + b, 0);
      assert.equal(total, want, JSON.stringify(res.body.counts));
    }
    for (const t of res.body.items) {
      assert.equal(t.department.id, dept);
      assert.equal(t.role, 'window_clerk');
      seen.push(t);
    }
    cursor = res.body.next_cursor;
    if (!cursor) break;
  }
  assert.equal(seen.length, want);
  assert.equal(new Set(seen.map((t) => t.id)).size, want, 'no task twice across pages');
  const key = (t) => t.due_on ?? '9999-99-99';
  for (let i = 1; i < seen.length; i++)
    assert.ok(key(seen[i - 1]) <= key(seen[i]), `${key(seen[i - 1])} before ${key(seen[i])}`);
  // A clerk of a department of another county sees that department's tasks, none of these.
  const [[dept2]] = sql(srv, "SELECT department_id FROM case_tasks WHERE state = 'open' AND division_code = '341321' " +
    "AND stage = 'pre_review' AND role = 'window_clerk' GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1");
  const other = await createStaff(admin, { username: 'load_clerk2', name: '另一窗口人员', department_id: dept2,
    roles: [{ role: 'window_clerk', department_id: dept2, division_code: '341321' }] });
  const res = await other.get('/api/v1/inbox?limit=100');
  assert.equal(res.status, 200, res.text);
  assert.ok(res.body.items.length > 0);
  assert.deepEqual([...new Set(res.body.items.map((t) => t.department.id))], [dept2]);
});
