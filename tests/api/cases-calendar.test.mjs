// R-CASE-026 (src/cases/catchup.c, docs/cases.md "The calendar's end"): a due day the calendar
// could not count when it was set is counted at the server's next start, when a new build brings a
// calendar that reaches it. Here the case's and its open tasks' due days are taken away in the
// database, as a limit running past the calendar's end leaves them, and the server is restarted
// on the same data: the running case gets its due days back (the same ones), with an audit entry
// and no trail entry; a suspended case (paused on purpose) is not touched; a second start with
// nothing to count writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, sql } from '../lib/persons.mjs';

let srv, admin, clerk, deptAdmin, itemCode;
const ids = {};

const one = (q) => sql(srv, q)[0]?.[0];
const caseRow = (id) => sql(srv, `SELECT due_on, version FROM cases WHERE id = '${id}'`)[0];
const openTaskDue = (id) => sql(srv, `SELECT COALESCE(due_on, 0) FROM case_tasks WHERE case_id = '${id}' AND state = 'open' ORDER BY id`).map((r) => r[0]);

function staffCall(who) {
  return async (method, path, body) => {
    const h = { cookie: who.cookie, 'x-csrf-token': who.csrf };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(srv.url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  };
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  admin = await bootstrapAdmin(srv);
  const d = await admin.post('/api/v1/departments', { name: '埇桥区市场监督管理局', uscc: makeUscc('341302'),
    division_code: '341302', parent_id: admin.department_id });
  assert.equal(d.status, 201, d.text);
  const dept = d.body.department;
  const role = (r) => ({ role: r, department_id: dept.id, division_code: '341302' });
  clerk = await createStaff(admin, { username: 'clerk.cal', name: '窗口', department_id: dept.id, roles: [role('window_clerk')] });
  deptAdmin = await createStaff(admin, { username: 'admin.cal', name: '部门管理员', department_id: dept.id, roles: [role('dept_admin')] });
  const it = await admin.post('/api/v1/items', { basic_code: '000104201000', department_id: dept.id, name: '食品经营许可',
    online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1], statutory_limit: 20,
    promised_limit: 10, charged: false, in_hall: true, aliases: [], materials: [] });
  assert.equal(it.status, 201, it.text);
  itemCode = it.body.item.code;
  assert.equal((await admin.post(`/api/v1/items/${itemCode}/publish`, { version: 1 })).status, 200);
  const A = await registerSession(srv.url, newPerson('张三'));
  const C = staffCall(clerk), M = staffCall(deptAdmin);
  for (const key of ['running', 'suspended']) {
    const res = await A.call('POST', '/api/v1/cases', { body: { item_code: itemCode, submit: true, delivery: { method: 'electronic' } } });
    assert.equal(res.status, 201, res.text);
    const acc = await C('POST', `/api/v1/cases/${res.body.id}/actions/accept`, {});
    assert.equal(acc.status, 200, acc.text);
    ids[key] = res.body.id;
  }
  const sus = await M('POST', `/api/v1/cases/${ids.suspended}/actions/suspend`, { reason: '等待现场核查' });
  assert.equal(sus.status, 200, sus.text);
});

after(async () => {
  await srv?.stop();
});

test('a start counts the due days the calendar can now count, once', async () => {
  const [due, version] = caseRow(ids.running);
  const taskDue = openTaskDue(ids.running);
  assert.ok(Number(due) > 0 && taskDue.every((t) => Number(t) > 0), 'counted at acceptance');
  const suspended = caseRow(ids.suspended);
  const audit = () => Number(one("SELECT count(*) FROM audit_log WHERE action = 'case.recompute'"));
  const trail = () => Number(one('SELECT count(*) FROM case_trail'));
  const trailBefore = trail();

  // as a limit past the calendar's end leaves them
  sql(srv, `UPDATE cases SET due_on = NULL WHERE id = '${ids.running}'`);
  sql(srv, `UPDATE case_tasks SET due_on = NULL WHERE case_id = '${ids.running}' AND state = 'open'`);
  srv = await srv.restart();

  assert.deepEqual(caseRow(ids.running), [due, String(Number(version) + 1)]);
  assert.deepEqual(openTaskDue(ids.running), taskDue);
  assert.deepEqual(caseRow(ids.suspended), suspended, 'a paused clock has no due day on purpose');
  assert.equal(audit(), 1);
  assert.equal(one("SELECT actor FROM audit_log WHERE action = 'case.recompute'"), 'system:calendar');
  assert.equal(trail(), trailBefore, 'nothing happened to the application');
  // the case reads as before, its clock running
  const read = await staffCall(clerk)('GET', '/api/v1/cases/' + ids.running);
  assert.equal(read.status, 200, read.text);
  assert.ok(read.body.limits.due_on && read.body.limits.days_left !== null, JSON.stringify(read.body.limits));

  srv = await srv.restart();
  assert.equal(audit(), 1, 'a start with nothing to count writes nothing');
});
