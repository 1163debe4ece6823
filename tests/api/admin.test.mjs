// Administration over HTTP (src/identity/admin_api.c): the department tree and its rules, staff
// accounts, roles and who may grant which, disabling and resetting. Every refused change is
// checked to have written nothing: the list it would have changed reads the same afterwards.
//
// The tree the tests build under the bootstrap admin's root (宿州市数据资源管理局, 341300):
//   root ─┬─ cityAmr   宿州市市场监督管理局   341300
//         └─ yq        埇桥区政务服务中心     341302 ── yqAmr 埇桥区市场监督管理局 341302
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, binary } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, staffLogin, makeUscc, makePassword, totp } from '../lib/staff.mjs';

let srv, admin;
const dept = {};           // name → department
const member = {};         // name → logged-in client

function problem(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.code, code, res.text);
}

async function departments() {
  const res = await fetch(srv.url + '/api/v1/departments');
  assert.equal(res.status, 200);
  return (await res.json()).departments;
}

async function staffList(client = admin, query = '') {
  const res = await client.get('/api/v1/staff' + query);
  assert.equal(res.status, 200, res.text);
  return res.body.staff;
}

// A change that must be refused and leave `read()` as it was.
async function refusedUnchanged(read, call, status, code) {
  const before = JSON.stringify(await read());
  problem(await call(), status, code);
  assert.equal(JSON.stringify(await read()), before, 'nothing may be written');
}

async function newDept(name, division, parent, client = admin) {
  const res = await client.post('/api/v1/departments', { name, uscc: makeUscc(division), division_code: division,
    parent_id: parent.id });
  assert.equal(res.status, 201, res.text);
  return res.body.department;
}

before(async () => {
  srv = await startServer();
  admin = await bootstrapAdmin(srv, { departmentName: '宿州市数据资源管理局', division: '341300' });
  dept.root = { id: admin.department_id, division_code: '341300' };
});

after(async () => {
  await srv?.stop();
});

// ---- departments ---------------------------------------------------------------------------

test('departments: a tree under the root, listed publicly with division names', async () => {
  dept.cityAmr = await newDept('宿州市市场监督管理局', '341300', dept.root);
  dept.yq = await newDept('埇桥区政务服务中心', '341302', dept.root);
  dept.yqAmr = await newDept('埇桥区市场监督管理局', '341302', dept.yq);
  assert.equal(dept.yqAmr.parent_id, dept.yq.id);
  assert.equal(dept.yqAmr.division_name, '埇桥区');
  const list = await departments();        // anonymous
  assert.equal(list.length, 4);
  const yq = list.find((d) => d.id === dept.yq.id);
  assert.deepEqual({ name: yq.name, parent: yq.parent_id, division: yq.division_code },
    { name: '埇桥区政务服务中心', parent: dept.root.id, division: '341302' });
  const one = await fetch(`${srv.url}/api/v1/departments/${dept.yqAmr.id}`);
  assert.equal(one.status, 200);
  assert.equal((await one.json()).department.uscc, dept.yqAmr.uscc);
  const none = await fetch(`${srv.url}/api/v1/departments/d_nothing`);
  assert.equal(none.status, 404);
});

test('the staff roles come from the authorization table; only two need a system admin', async () => {
  const res = await fetch(srv.url + '/api/v1/roles');       // anonymous: it is public
  assert.equal(res.status, 200);
  const { roles } = await res.json();
  const clerk = roles.find((r) => r.role === 'window_clerk');
  assert.deepEqual(clerk, { role: 'window_clerk', name: '窗口人员', scope: 'dept', privileged: false });
  assert.deepEqual(roles.filter((r) => r.privileged).map((r) => r.role).sort(), ['supervisor', 'system_admin']);
  assert.ok(!roles.some((r) => r.role === 'applicant'), 'applicants are no staff role');
  assert.equal(roles.length, 9);
});

test('departments: bad input is refused with a stable code and nothing is written', async () => {
  const good = makeUscc('341302');
  const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  const post = (body) => () => admin.post('/api/v1/departments', body);
  const base = { name: '埇桥区数据资源管理局', division_code: '341302', parent_id: dept.yq.id };
  await refusedUnchanged(departments, post({ ...base, uscc: badCheck }), 400, 'BAD_USCC');
  await refusedUnchanged(departments, post({ ...base, uscc: good, division_code: '349999' }), 404, 'DIVISION_NOT_FOUND');
  await refusedUnchanged(departments, post({ ...base, uscc: good, division_code: '34x' }), 400, 'BAD_DIVISION_CODE');
  // 砀山县 (341321) is not inside 埇桥区 (341302)
  await refusedUnchanged(departments, post({ ...base, uscc: good, division_code: '341321' }), 422,
    'DIVISION_OUTSIDE_PARENT');
  await refusedUnchanged(departments, post({ ...base, uscc: good, parent_id: 'd_nobody' }), 422, 'UNKNOWN_DEPARTMENT');
  await refusedUnchanged(departments, post({ ...base, uscc: dept.cityAmr.uscc }), 409, 'USCC_TAKEN');
  await refusedUnchanged(departments, post({ uscc: good }), 400, 'BAD_PARAMETER');
  const missing = await admin.post('/api/v1/departments', { uscc: good });
  assert.deepEqual(missing.body.fields.map((f) => f.field).sort(), ['division_code', 'name']);
  // anonymous
  const anon = await fetch(srv.url + '/api/v1/departments', { method: 'POST', headers: {
    'content-type': 'application/json', 'x-csrf-token': '1' }, body: JSON.stringify({ ...base, uscc: good }) });
  assert.equal(anon.status, 401);
  assert.equal((await departments()).length, 4);
});

test('departments: rename, no loops, a division change may not strand a sub-department', async () => {
  const patch = (id, body) => () => admin.patch(`/api/v1/departments/${id}`, body);
  await refusedUnchanged(departments, patch(dept.yq.id, { parent_id: dept.yqAmr.id }), 422, 'DEPARTMENT_CYCLE');
  await refusedUnchanged(departments, patch(dept.root.id, { parent_id: dept.yqAmr.id }), 422, 'DEPARTMENT_CYCLE');
  await refusedUnchanged(departments, patch(dept.yq.id, { parent_id: dept.yq.id }), 422, 'DEPARTMENT_CYCLE');
  // 埇桥区's child sits in 341302: moving 埇桥区 to 砀山县 would leave it outside
  await refusedUnchanged(departments, patch(dept.yq.id, { division_code: '341321' }), 422, 'DIVISION_OUTSIDE_PARENT');
  await refusedUnchanged(departments, patch(dept.yqAmr.id, { division_code: '341321' }), 422, 'DIVISION_OUTSIDE_PARENT');
  const res = await admin.patch(`/api/v1/departments/${dept.yqAmr.id}`, { name: '埇桥区市场监督管理局（知识产权局）' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.department.name, '埇桥区市场监督管理局（知识产权局）');
  assert.equal(res.body.department.division_code, '341302');
  const again = await admin.patch(`/api/v1/departments/${dept.yqAmr.id}`, { name: '埇桥区市场监督管理局' });
  assert.equal(again.status, 200);
  problem(await admin.patch('/api/v1/departments/d_nothing', { name: 'x' }), 404, 'NOT_FOUND');
  // a move within the rules: 埇桥区's bureau under the city's bureau (341302 lies in 341300), and back
  const moved = await admin.patch(`/api/v1/departments/${dept.yqAmr.id}`, { parent_id: dept.cityAmr.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.department.parent_id, dept.cityAmr.id);
  assert.equal(moved.body.department.name, '埇桥区市场监督管理局');
  const back = await admin.patch(`/api/v1/departments/${dept.yqAmr.id}`, { parent_id: dept.yq.id });
  assert.equal(back.body.department.parent_id, dept.yq.id);
});

// ---- staff ----------------------------------------------------------------------------------

test('staff: created with must-change, shown without secrets; weak, duplicate or odd input refused', async () => {
  const before = await staffList();
  const post = (body) => () => admin.post('/api/v1/staff', body);
  const base = { username: 'yq.clerk', name: '窗口张', department_id: dept.yq.id };
  await refusedUnchanged(staffList, post({ ...base, password: 'short1A' }), 400, 'WEAK_PASSWORD');
  await refusedUnchanged(staffList, post({ ...base, password: 'alllowercaseletters' }), 400, 'WEAK_PASSWORD');
  await refusedUnchanged(staffList, post({ ...base, password: 'Yq.Clerk#2026' }), 400, 'WEAK_PASSWORD');  // has the user name
  await refusedUnchanged(staffList, post({ ...base, username: 'a b', password: makePassword() }), 400, 'BAD_USERNAME');
  await refusedUnchanged(staffList, post({ ...base, username: 'ab', password: makePassword() }), 400, 'BAD_USERNAME');
  await refusedUnchanged(staffList, post({ ...base, department_id: 'd_nobody', password: makePassword() }), 422,
    'UNKNOWN_DEPARTMENT');
  await refusedUnchanged(staffList, post({ ...base, username: 'admin', password: makePassword() }), 409, 'USERNAME_TAKEN');

  const made = await admin.post('/api/v1/staff', { ...base, password: makePassword() });
  assert.equal(made.status, 201, made.text);
  const s = made.body.staff;
  assert.equal(s.username, 'yq.clerk');
  assert.equal(s.department.id, dept.yq.id);
  assert.equal(s.department.name, '埇桥区政务服务中心');
  assert.equal(s.must_change_password, true);
  assert.equal(s.has_totp, false);
  assert.equal(s.disabled, false);
  assert.equal(typeof s.password_changed_at, 'number');
  assert.deepEqual(s.roles, []);
  assert.doesNotMatch(made.text, /password_hash|totp_secret|argon2|secret/i);
  assert.equal((await staffList()).length, before.length + 1);
  problem(await admin.post('/api/v1/staff', { ...base, password: makePassword() }), 409, 'USERNAME_TAKEN');
  // the list shows the bootstrap admin too, enrolled, with the system admin role and no secrets
  const all = await admin.get('/api/v1/staff');
  const me = all.body.staff.find((x) => x.id === admin.id);
  assert.equal(me.has_totp, true);
  assert.equal(me.must_change_password, false);
  assert.deepEqual(me.roles.map((r) => [r.role, r.role_name, r.division_code]), [['system_admin', '系统管理员', '341300']]);
  assert.doesNotMatch(all.text, /password_hash|totp_secret|argon2/i);
  member.yqClerkId = s.id;
});

// ---- roles and scope -----------------------------------------------------------------------

test('roles: a department admin of 埇桥区 manages only 埇桥区 and below', async () => {
  member.yqAdmin = await createStaff(admin, { username: 'yq.admin', name: '埇桥管理员', department_id: dept.yq.id,
    roles: [{ role: 'dept_admin', department_id: dept.yq.id, division_code: '341302' }] });
  member.amrClerk = await createStaff(admin, { username: 'amr.clerk', name: '市监窗口', department_id: dept.cityAmr.id,
    roles: [{ role: 'window_clerk', department_id: dept.cityAmr.id, division_code: '341300' }] });
  const yqAdmin = member.yqAdmin;

  // creates staff in its subtree, not elsewhere
  const ok = await yqAdmin.post('/api/v1/staff', { username: 'yqamr.approver', name: '审批李', department_id: dept.yqAmr.id,
    password: makePassword() });
  assert.equal(ok.status, 201, ok.text);
  member.yqAmrApproverId = ok.body.staff.id;
  await refusedUnchanged(staffList, () => yqAdmin.post('/api/v1/staff', { username: 'sneaky', name: '越权',
    department_id: dept.cityAmr.id, password: makePassword() }), 403, 'FORBIDDEN');

  // sees only its subtree: itself, the 埇桥区 clerk and the approver, not the city's staff
  const seen = (await staffList(yqAdmin)).map((s) => s.username).sort();
  assert.deepEqual(seen, ['yq.admin', 'yq.clerk', 'yqamr.approver']);
  const filtered = (await staffList(yqAdmin, `?department_id=${dept.yqAmr.id}`)).map((s) => s.username);
  assert.deepEqual(filtered, ['yqamr.approver']);
  assert.deepEqual(await staffList(yqAdmin, `?department_id=${dept.cityAmr.id}`), []);
  problem(await yqAdmin.get('/api/v1/staff?department_id=d_nobody'), 422, 'UNKNOWN_DEPARTMENT');

  // someone out of reach answers exactly like someone who does not exist
  const outside = await yqAdmin.get(`/api/v1/staff/${member.amrClerk.id}`);
  const nobody = await yqAdmin.get('/api/v1/staff/s_nobody');
  problem(outside, 404, 'NOT_FOUND');
  problem(nobody, 404, 'NOT_FOUND');
  assert.equal(outside.body.detail, nobody.body.detail);
  for (const path of [`/api/v1/staff/${member.amrClerk.id}/disable`, `/api/v1/staff/${admin.id}/reset`,
    `/api/v1/staff/${member.amrClerk.id}/roles`]) {
    problem(await yqAdmin.post(path, { password: makePassword(), role: 'approver', department_id: dept.yq.id }),
      404, 'NOT_FOUND');
  }
  const inside = await yqAdmin.get(`/api/v1/staff/${member.yqAmrApproverId}`);
  assert.equal(inside.status, 200);
  assert.equal(inside.body.staff.department.id, dept.yqAmr.id);
});

test('roles: grant and revoke within reach; no privileged roles, no self-grant, no stray scope', async () => {
  const yqAdmin = member.yqAdmin;
  const target = member.yqAmrApproverId;
  const roles = async () => (await admin.get(`/api/v1/staff/${target}`)).body.staff.roles;
  const grant = (client, body) => () => client.post(`/api/v1/staff/${target}/roles`, body);

  const ok = await yqAdmin.post(`/api/v1/staff/${target}/roles`, { role: 'approver', department_id: dept.yqAmr.id,
    division_code: '341302' });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.body.staff.roles.map((r) => [r.role, r.role_name, r.department_id, r.division_code]),
    [['approver', '审批人员', dept.yqAmr.id, '341302']]);
  // division_code may be left out: the department's
  const dflt = await yqAdmin.post(`/api/v1/staff/${target}/roles`, { role: 'window_clerk', department_id: dept.yq.id });
  assert.equal(dflt.status, 201, dflt.text);
  assert.equal(dflt.body.staff.roles.find((r) => r.role === 'window_clerk').division_code, '341302');

  await refusedUnchanged(roles, grant(yqAdmin, { role: 'system_admin', department_id: dept.yq.id, division_code: '341302' }),
    403, 'FORBIDDEN');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'supervisor', department_id: dept.yq.id, division_code: '341302' }),
    403, 'FORBIDDEN');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'approver', department_id: dept.cityAmr.id, division_code: '341300' }),
    403, 'FORBIDDEN');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'approver', department_id: dept.yq.id, division_code: '341321' }),
    422, 'ROLE_OUTSIDE_DEPARTMENT');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'emperor', department_id: dept.yq.id }), 400, 'UNKNOWN_ROLE');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'applicant', department_id: dept.yq.id }), 400, 'UNKNOWN_ROLE');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'approver', department_id: 'd_nobody' }), 422, 'UNKNOWN_DEPARTMENT');
  await refusedUnchanged(roles, grant(yqAdmin, { role: 'approver', department_id: dept.yqAmr.id }), 409,
    'ROLE_ALREADY_GRANTED');

  // not to oneself, not even a harmless role
  const mine = async () => (await admin.get(`/api/v1/staff/${yqAdmin.id}`)).body.staff.roles;
  await refusedUnchanged(mine, () => yqAdmin.post(`/api/v1/staff/${yqAdmin.id}/roles`, { role: 'approver',
    department_id: dept.yq.id }), 403, 'SELF_ADMINISTRATION');
  await refusedUnchanged(mine, () => yqAdmin.del(`/api/v1/staff/${yqAdmin.id}/roles/dept_admin/${dept.yq.id}`),
    403, 'SELF_ADMINISTRATION');

  // a system admin may grant the privileged roles
  const sup = await admin.post(`/api/v1/staff/${target}/roles`, { role: 'supervisor', department_id: dept.yq.id,
    division_code: '341302' });
  assert.equal(sup.status, 201, sup.text);
  // … and the department admin may not take it away again
  await refusedUnchanged(roles, () => yqAdmin.del(`/api/v1/staff/${target}/roles/supervisor/${dept.yq.id}`),
    403, 'FORBIDDEN');
  const rev = await admin.del(`/api/v1/staff/${target}/roles/supervisor/${dept.yq.id}`);
  assert.equal(rev.status, 204, rev.text);

  const del = await yqAdmin.del(`/api/v1/staff/${target}/roles/window_clerk/${dept.yq.id}`);
  assert.equal(del.status, 204, del.text);
  assert.deepEqual((await roles()).map((r) => r.role), ['approver']);
  problem(await yqAdmin.del(`/api/v1/staff/${target}/roles/window_clerk/${dept.yq.id}`), 404, 'NOT_FOUND');
});

test('roles: a department admin over the root still cannot disable or reset the system admin', async () => {
  const rootAdmin = await createStaff(admin, { username: 'root.deptadmin', name: '局管理员', department_id: dept.root.id,
    roles: [{ role: 'dept_admin', department_id: dept.root.id, division_code: '341300' }] });
  const sysAdmin = async () => (await admin.get(`/api/v1/staff/${admin.id}`)).body.staff;
  assert.equal((await rootAdmin.get(`/api/v1/staff/${admin.id}`)).status, 200);   // may see them
  await refusedUnchanged(sysAdmin, () => rootAdmin.post(`/api/v1/staff/${admin.id}/reset`, { password: makePassword() }),
    403, 'FORBIDDEN');
  await refusedUnchanged(sysAdmin, () => rootAdmin.post(`/api/v1/staff/${admin.id}/disable`), 403, 'FORBIDDEN');
  // nor touch their roles, not even the lesser ones
  await refusedUnchanged(sysAdmin, () => rootAdmin.post(`/api/v1/staff/${admin.id}/roles`,
    { role: 'window_clerk', department_id: dept.root.id, division_code: '341300' }), 403, 'FORBIDDEN');
  // but manages an ordinary member anywhere below the root
  const res = await rootAdmin.post(`/api/v1/staff/${member.yqClerkId}/disable`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.staff.disabled, true);
  assert.equal((await rootAdmin.post(`/api/v1/staff/${member.yqClerkId}/enable`)).status, 200);
  // and not itself
  problem(await rootAdmin.post(`/api/v1/staff/${rootAdmin.id}/reset`, { password: makePassword() }), 403,
    'SELF_ADMINISTRATION');
});

test('staff without staff.read are refused the list; a supervisor reads but does not manage', async () => {
  const clerk = member.amrClerk;
  problem(await clerk.get('/api/v1/staff'), 403, 'FORBIDDEN');
  problem(await clerk.get(`/api/v1/staff/${admin.id}`), 403, 'FORBIDDEN');
  problem(await clerk.post('/api/v1/departments', { name: '新部门', uscc: makeUscc('341300'), division_code: '341300',
    parent_id: dept.root.id }), 403, 'FORBIDDEN');
  const sup = await createStaff(admin, { username: 'city.supervisor', name: '监察王', department_id: dept.root.id,
    roles: [{ role: 'supervisor', department_id: dept.root.id, division_code: '341300' }] });
  const all = await staffList(sup);
  assert.ok(all.length >= 6, JSON.stringify(all.map((s) => s.username)));
  problem(await sup.post('/api/v1/staff', { username: 'by.supervisor', name: '不该有', department_id: dept.yq.id,
    password: makePassword() }), 403, 'FORBIDDEN');
  problem(await sup.post(`/api/v1/staff/${member.yqClerkId}/disable`), 403, 'FORBIDDEN');
});

// ---- disable, reset ------------------------------------------------------------------------

async function loginStep(username, password) {
  const res = await fetch(srv.url + '/api/v1/auth/staff/login', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await res.json() };
}

test('disable: the member is logged out and cannot log in until enabled again', async () => {
  const clerk = member.amrClerk;
  assert.equal((await clerk.get('/api/v1/me')).status, 200);
  const res = await admin.post(`/api/v1/staff/${clerk.id}/disable`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.staff.disabled, true);
  assert.equal((await clerk.get('/api/v1/me')).status, 401);
  const login = await loginStep(clerk.username, clerk.password);
  assert.notEqual(login.status, 200, JSON.stringify(login.body));
  assert.ok(login.status >= 400 && login.status < 500);
  assert.equal((await admin.post(`/api/v1/staff/${clerk.id}/enable`)).body.staff.disabled, false);
  const back = await staffLogin(srv.url, { username: clerk.username, password: clerk.password, totpSecret: clerk.totpSecret });
  assert.equal((await back.get('/api/v1/me')).status, 200);
  member.amrClerk = back;
});

test('reset: new initial password, TOTP to enrol again, sessions ended', async () => {
  const clerk = member.amrClerk;
  problem(await admin.post(`/api/v1/staff/${clerk.id}/reset`, { password: 'weak' }), 400, 'WEAK_PASSWORD');
  assert.equal((await clerk.get('/api/v1/me')).status, 200, 'a refused reset changes nothing');
  const fresh = makePassword();
  const res = await admin.post(`/api/v1/staff/${clerk.id}/reset`, { password: fresh });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.staff.has_totp, false);
  assert.equal(res.body.staff.must_change_password, true);
  assert.equal((await clerk.get('/api/v1/me')).status, 401, 'the old session is gone');
  assert.notEqual((await loginStep(clerk.username, clerk.password)).status, 200, 'the old password is gone');
  const step = await loginStep(clerk.username, fresh);
  assert.equal(step.status, 200, JSON.stringify(step.body));
  assert.equal(step.body.next, 'enrol', 'TOTP must be enrolled again');
  // a login half-way through (an enrol ticket taken before a second reset) dies with the reset:
  // whoever took it cannot bind their own authenticator to the account afterwards
  const fresher = makePassword();
  assert.equal((await admin.post(`/api/v1/staff/${clerk.id}/reset`, { password: fresher })).status, 200);
  const late = await fetch(srv.url + '/api/v1/auth/staff/enrol', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ ticket: step.body.ticket, code: totp(step.body.secret) }) });
  assert.equal(late.status, 401);
  assert.equal((await late.json()).code, 'LOGIN_TICKET_INVALID');
  assert.equal((await admin.get(`/api/v1/staff/${clerk.id}`)).body.staff.has_totp, false);
  const again = await staffLogin(srv.url, { username: clerk.username, password: fresher, newPassword: makePassword() });
  assert.equal(again.login.password_change_required, true);
  assert.equal((await again.get('/api/v1/me')).status, 200);
});

test('every admin change is in the audit chain, and the chain is whole', async () => {
  // The server keeps running; the CLI and the database client read the same database.
  const mine = ['department.create', 'department.update', 'staff.create', 'staff.disable', 'staff.enable',
    'staff.reset', 'staff_role.grant', 'staff_role.revoke'];
  const sql = `SELECT action, count(*) FROM audit_log WHERE action IN (${mine.map((a) => `'${a}'`).join(', ')}) `
    + 'GROUP BY action ORDER BY action';
  const out = srv.db.startsWith('postgres')
    ? execFileSync('psql', [srv.db, '-At', '-F', '|', '-c', sql], { encoding: 'utf8' })
    : execFileSync('sqlite3', [join(srv.data, 'yiwang.db'), sql], { encoding: 'utf8' });
  const counts = Object.fromEntries(out.trim().split('\n').map((l) => l.split('|')).map(([a, n]) => [a, Number(n)]));
  assert.equal(counts['department.create'], 4);   // the root by bootstrap, and three here
  assert.equal(counts['department.update'], 4);
  assert.ok(counts['staff.create'] >= 6);
  assert.ok(counts['staff_role.grant'] >= 6);
  assert.equal(counts['staff_role.revoke'], 2);
  assert.equal(counts['staff.disable'], 2);
  assert.equal(counts['staff.enable'], 2);
  assert.equal(counts['staff.reset'], 2);
  execFileSync(process.env.YW_BIN || binary, ['audit', 'verify', '--data', srv.data, '--db', srv.db],
    { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
});
