// The route × role matrix (issue 4): every route of the server, called as each kind of caller,
// must let through exactly the callers tests/api/route-matrix.json names and refuse the others
// with 401, 403 or 404. The file must name every route `yiwang routes` lists, so a new route
// cannot ship without saying who may call it. Every answer is also scanned: no caller ever sees
// another person's full ID number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, root, binary } from '../lib/server.mjs';
import { newPerson, registerSession, call, randomUscc } from '../lib/persons.mjs';
import { bootstrapAdmin, createStaff } from '../lib/staff.mjs';

const matrix = JSON.parse(readFileSync(join(root, 'tests/api/route-matrix.json'), 'utf8'));
const inAYear = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);

let srv;
const actors = {};      // name → { cookie, csrf, personId? , idNumber? }
const fixtures = {};    // placeholder → value
const people = {};      // name → the person's data, for the ID scan

// Factories for routes that use up their object (fresh: …), made anew before each call.
const factories = {};

async function post(actor, path, body) {
  const a = actors[actor];
  const res = await call(srv.url, 'POST', path, { cookie: a.cookie, csrf: a.csrf, body, owner: true });
  assert.ok(res.status >= 200 && res.status < 300, `${actor} POST ${path}: ${res.status} ${res.text}`);
  return res.body;
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  actors.anonymous = { cookie: null, csrf: '1' };

  // applicants: A and B, and C whom A authorized as agent for every item
  for (const [actor, name, birth] of [['applicantA', '张三', '19900307'], ['applicantB', '李四', '19850612'],
    ['agentOfA', '王五', '19780101']]) {
    const p = newPerson(name, birth);
    const s = await registerSession(srv.url, p);
    actors[actor] = { cookie: s.cookie, csrf: s.csrf, personId: s.person.id, idNumber: p.id };
    people[actor] = p;
  }
  fixtures.personA = actors.applicantA.personId;
  fixtures.personB = actors.applicantB.personId;

  // staff: the system admin of 宿州市, departments X (埇桥区) and Y (砀山县), a clerk in each,
  // a supervisor over the whole city
  const admin = await bootstrapAdmin(srv);
  actors.admin = { cookie: admin.cookie, csrf: admin.csrf };
  const me = await call(srv.url, 'GET', '/api/v1/me', { cookie: admin.cookie, owner: true });
  const root = me.body.staff.department.id;
  fixtures.deptRoot = root;
  const deptX = await post('admin', '/api/v1/departments',
    { name: '埇桥区政务服务中心', uscc: randomUscc('11', '341302'), division_code: '341302', parent_id: root });
  const deptY = await post('admin', '/api/v1/departments',
    { name: '砀山县政务服务中心', uscc: randomUscc('11', '341321'), division_code: '341321', parent_id: root });
  fixtures.deptX = deptX.department.id;
  fixtures.deptY = deptY.department.id;
  for (const [actor, username, dept, division, role] of [
    ['clerkX', 'clerk.x', fixtures.deptX, '341302', 'window_clerk'],
    ['clerkY', 'clerk.y', fixtures.deptY, '341321', 'window_clerk'],
    ['supervisor', 'supervisor', root, '341300', 'supervisor']]) {
    const s = await createStaff(admin, { username, name: actor, department_id: dept,
      roles: [{ role, department_id: dept, division_code: division }] });
    actors[actor] = { cookie: s.cookie, csrf: s.csrf, staffId: s.id };
  }
  fixtures.staffX = actors.clerkX.staffId;
  fixtures.staffY = actors.clerkY.staffId;

  // A's objects: an agent authorization for C and an organisation
  const agent = await post('applicantA', '/api/v1/me/agents',
    { name: people.agentOfA.name, id_number: people.agentOfA.id, items: 'all', valid_until: inAYear });
  fixtures.agentA = agent.id ?? agent.agent?.id ?? agent.authorization?.id;
  const org = await post('applicantA', '/api/v1/orgs',
    { name: '宿州市测试商贸有限公司', uscc: randomUscc('91', '341302'), type: '企业', division_code: '341302' });
  fixtures.orgA = org.id ?? org.org?.id ?? org.organisation?.id;
  // C is also a handler of A's organisation (so agentOfA sees it, but may not manage it)
  const handler = await post('applicantA', `/api/v1/orgs/${fixtures.orgA}/handlers`,
    { name: people.agentOfA.name, id_number: people.agentOfA.id, items: 'all', valid_until: inAYear });
  fixtures.handlerA = handler.handler.id;

  // a registered department system (OIDC client)
  const oc = await post('admin', '/api/v1/oidc/clients',
    { name: '矩阵测试系统', redirect_uris: ['https://rp.example/cb'], scopes: ['openid', 'staff.read'] });
  fixtures.oidcClient = oc.client.id;

  // a published catalog item of department X (the catalog routes)
  const item = await post('admin', '/api/v1/items', { basic_code: '000104002000', department_id: fixtures.deptX,
    name: '矩阵测试许可', online_depth: 4, visits: 0, project_type: 1, handling_forms: [2, 3] });
  fixtures.item = item.item.code;
  await post('admin', `/api/v1/items/${fixtures.item}/publish`, { version: 1 });
  // a theme (一件事) of 埇桥区 holding that item (the theme routes)
  const theme = await post('admin', '/api/v1/themes', { name: '矩阵测试主题', audience: 'organisation',
    division_code: '341302', items: [fixtures.item] });
  fixtures.theme = theme.theme.id;
  // a material in applicantA's space (the materials routes); DELETE uses up a fresh one each time
  fixtures.materialA = await uploadPdf('applicantA', 'matrix');
  let nMat = 0;
  factories.materialFresh = async () => ({ materialFresh: await uploadPdf('applicantA', 'fresh-' + ++nMat) });
  // a published item of department X with one required material, and a case of applicantA
  // submitted with materialA (the cases routes); it stays submitted all through the matrix
  const caseItem = await post('admin', '/api/v1/items', { basic_code: '000104003000', department_id: fixtures.deptX,
    name: '矩阵测试办件事项', online_depth: 4, visits: 0, project_type: 2, handling_forms: [2],
    statutory_limit: 20, promised_limit: 5,
    materials: [{ name: '申请书', source: 'applicant', required: true, reuse: 'never' }] });
  fixtures.caseItem = caseItem.item.code;
  await post('admin', `/api/v1/items/${fixtures.caseItem}/publish`, { version: 1 });
  fixtures.idA = people.applicantA.id;
  fixtures.nameA = people.applicantA.name;
  const filed = await post('applicantA', '/api/v1/cases', { item_code: fixtures.caseItem, submit: true,
    materials: [{ slot: 0, material_id: fixtures.materialA }], delivery: { method: 'pickup' } });
  const caseA = filed.case ?? filed;
  fixtures.caseA = caseA.id;
  fixtures.serialA = caseA.serial;
  fixtures.taskA = caseA.tasks[0].id;
  factories.draftA = async () => {
    const d = await post('applicantA', '/api/v1/cases', { item_code: fixtures.caseItem });
    return { draftA: (d.case ?? d).id };
  };
  // a webhook subscription of the system admin (the webhook routes)
  const wh = await post('admin', '/api/v1/webhooks', { url: 'https://rp.example/hooks/matrix', events: ['*'] });
  fixtures.webhook = wh.id;
});

// A material in the actor's space: a minimal PDF sent as the raw body; marker makes new bytes.
async function uploadPdf(actor, marker) {
  const a = actors[actor];
  const bytes = Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`, 'latin1');
  const res = await fetch(`${srv.url}/api/v1/materials?title=${encodeURIComponent('矩阵测试材料')}`, {
    method: 'POST', body: bytes,
    headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/pdf' } });
  const m = await res.json();
  assert.ok(res.status === 201 || res.status === 200, `upload: ${res.status} ${JSON.stringify(m)}`);
  return m.id;
}

after(async () => {
  await srv?.stop();
});

test('the matrix names every route of the server, once', () => {
  const listed = execFileSync(binary, ['routes'], { encoding: 'utf8' }).trim().split('\n');
  const inFile = matrix.routes.map((r) => `${r.method} ${r.route}`);
  const dup = inFile.filter((k, i) => inFile.indexOf(k) !== i);
  assert.deepEqual(dup, [], 'routes listed twice in route-matrix.json');
  const missing = listed.filter((k) => !inFile.includes(k));
  assert.deepEqual(missing, [], 'routes of the server missing from tests/api/route-matrix.json');
  const stale = inFile.filter((k) => !listed.includes(k));
  assert.deepEqual(stale, [], 'routes in route-matrix.json the server does not have');
});

function fill(template) {
  return template.replace(/\{(\w+)\}/g, (m, name) => {
    assert.ok(fixtures[name] !== undefined, `fixture ${name} is not made by route-matrix.test.mjs`);
    return encodeURIComponent(fixtures[name]);
  });
}

function fillBody(body) {
  return body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body)));
}

const denied = (s) => s === 401 || s === 403 || s === 404;

// Full ID numbers that a caller may see: their own only.
function foreignIds(actor, text) {
  return Object.entries(people).filter(([name, p]) => name !== actor && text.includes(p.id)).map(([n]) => n);
}

const ordered = [...matrix.routes.filter((r) => !r.last), ...matrix.routes.filter((r) => r.last)];
for (const r of ordered) {
  test(`${r.method} ${r.route}`, async () => {
    const wrong = [];
    for (const actor of matrix.actors) {
      if (r.fresh) Object.assign(fixtures, await factories[r.fresh]());
      const a = actors[actor];
      const res = await call(srv.url, r.method, fill(r.path), { cookie: a.cookie, csrf: a.csrf,
        body: fillBody(r.body) });
      const allowed = r.allow === '*' || r.allow.includes(actor);
      assert.ok(res.status < 500, `${actor}: ${r.method} ${r.path} answered ${res.status} ${res.text}`);
      if (allowed && denied(res.status)) wrong.push(`${actor} refused with ${res.status}: ${res.text}`);
      if (!allowed && !denied(res.status)) wrong.push(`${actor} let through with ${res.status}`);
      const seen = foreignIds(actor, res.text);
      assert.deepEqual(seen, [], `${actor} saw the full ID number of ${seen.join(', ')}`);
    }
    assert.deepEqual(wrong, []);
  });
}
