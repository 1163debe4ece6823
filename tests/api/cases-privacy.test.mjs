// Personal numbers in a case's form and delivery (src/cases/pii.c, R-CASE-050): the values of
// id_number and mobile fields and the delivery's phone are sealed in the database, shown in full
// to the applicant and masked to staff, and never put into the trail, the audit log or an event.
// A window clerk who sends the masks back keeps the numbers stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, randomMobile, problem, sql } from '../lib/persons.mjs';

let srv, base, admin, dept, clerk, A, itemCode, hookId;

const form = { fields: [
  { name: 'shop_name', label: '店铺名称', type: 'text', required: true, max_length: 50 },
  { name: 'holder_id', label: '负责人身份证号', type: 'id_number', required: true, prefill: 'person.id_number' },
  { name: 'contact', label: '联系手机', type: 'mobile', required: true, prefill: 'person.mobile' },
] };

const maskId = (id) => id.slice(0, 4) + '*'.repeat(10) + id.slice(14);
const maskMobile = (m) => m.slice(0, 3) + '****' + m.slice(7);

function st(who) {
  return async (method, path, body) => {
    const h = { cookie: who.cookie, 'x-csrf-token': who.csrf };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  };
}
const as = (who) => (method, path, body) => who.call(method, path, { body, owner: true });

// What the database holds of a case, and of everything written about it.
function stored(id) {
  const [f, d] = sql(srv, `SELECT form, delivery FROM cases WHERE id = '${id}'`)[0];
  const around = [
    ...sql(srv, `SELECT old_value, new_value FROM audit_log WHERE object_id = '${id}'`).flat(),
    ...sql(srv, `SELECT note FROM case_trail WHERE case_id = '${id}'`).flat(),
    ...sql(srv, `SELECT body FROM event_outbox WHERE subscription_id = '${hookId}'`).flat(),
  ].join('\n');
  return { form: JSON.parse(f), delivery: d ? JSON.parse(d) : null, around, raw: f + '\n' + (d || '') };
}

function assertHidden(id, secrets) {
  const s = stored(id);
  for (const x of secrets) {
    assert.ok(!s.raw.includes(x), `a number in clear in cases: ${s.raw}`);
    assert.ok(!s.around.includes(x), 'a number in clear in the audit log, the trail or an event');
  }
  return s;
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
  admin = await bootstrapAdmin(srv);
  const d = await admin.post('/api/v1/departments',
    { name: '埇桥区市场监督管理局', uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id });
  assert.equal(d.status, 201, d.text);
  dept = d.body.department;
  const c = await createStaff(admin, { username: 'clerk.pii', name: '窗口甲', department_id: dept.id,
    roles: [{ role: 'window_clerk', department_id: dept.id, division_code: '341302' }] });
  clerk = st(c);
  const p = newPerson('张三');
  A = await registerSession(base, p);
  A.p = p;
  const res = await admin.post('/api/v1/items', { basic_code: '000104201000', department_id: dept.id,
    online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1],
    statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true, aliases: [],
    name: '食品经营许可', form, materials: [] });
  assert.equal(res.status, 201, res.text);
  itemCode = res.body.item.code;
  const pub = await admin.post(`/api/v1/items/${itemCode}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
  const hook = await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook',
    events: ['case.submitted', 'case.accepted', 'case.supplement_requested', 'case.resubmitted'] });
  assert.equal(hook.status, 201, hook.text);
  hookId = hook.body.id;
});

after(async () => {
  await srv?.stop();
});

test('an online application: numbers sealed at rest, in full to the applicant, masked to staff', async () => {
  const phone = randomMobile();
  const res = await as(A)('POST', '/api/v1/cases', { item_code: itemCode, submit: true,
    form: { shop_name: '好味小吃', holder_id: A.p.id, contact: A.p.mobile },
    delivery: { method: 'post', address: '宿州市埇桥区汴河路 1 号', recipient: '张三', phone } });
  assert.equal(res.status, 201, res.text);
  const c = res.body;
  assert.deepEqual(c.form, { shop_name: '好味小吃', holder_id: A.p.id, contact: A.p.mobile });
  assert.equal(c.delivery.phone, phone);

  const s = assertHidden(c.id, [A.p.id, A.p.mobile, phone]);
  assert.match(s.form.holder_id, /^v1\./);
  assert.match(s.form.contact, /^v1\./);
  assert.match(s.delivery.phone, /^v1\./);
  assert.equal(s.form.shop_name, '好味小吃');         // only the numbers are sealed
  assert.equal(s.delivery.address, '宿州市埇桥区汴河路 1 号');

  const mine = await as(A)('GET', '/api/v1/cases/' + c.id);
  assert.equal(mine.status, 200);
  assert.equal(mine.body.form.holder_id, A.p.id);
  assert.equal(mine.body.form.contact, A.p.mobile);
  assert.equal(mine.body.delivery.phone, phone);

  const theirs = await clerk('GET', '/api/v1/cases/' + c.id);
  assert.equal(theirs.status, 200, theirs.text);
  assert.equal(theirs.body.form.holder_id, maskId(A.p.id));
  assert.equal(theirs.body.form.contact, maskMobile(A.p.mobile));
  assert.equal(theirs.body.form.shop_name, '好味小吃');
  assert.equal(theirs.body.delivery.phone, maskMobile(phone));
  assert.ok(!theirs.text.includes(A.p.id) && !theirs.text.includes(A.p.mobile) && !theirs.text.includes(phone));

  const acc = await clerk('POST', `/api/v1/cases/${c.id}/actions/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.form.holder_id, maskId(A.p.id));
  const after = assertHidden(c.id, [A.p.id, A.p.mobile, phone]);
  assert.ok(after.around.includes(c.id), 'the events of the case were queued');
});

test('a draft saved, changed in supplement and resubmitted stays sealed and still passes the checks', async () => {
  const A1 = as(A);
  const other = randomMobile();
  const draft = await A1('POST', '/api/v1/cases', { item_code: itemCode,
    form: { shop_name: '草稿', holder_id: A.p.id } });
  assert.equal(draft.status, 201, draft.text);
  assertHidden(draft.body.id, [A.p.id]);
  const p = await A1('PATCH', '/api/v1/cases/' + draft.body.id, { version: draft.body.version,
    form: { shop_name: '好味小吃', holder_id: A.p.id, contact: other }, delivery: { method: 'pickup' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.form.contact, other);
  assertHidden(draft.body.id, [A.p.id, other]);
  const sub = await A1('POST', `/api/v1/cases/${draft.body.id}/submit`, {});
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.body.form.holder_id, A.p.id);

  // asked to supplement, the applicant changes the phone and resubmits: checked in clear again
  const sup = await clerk('POST', `/api/v1/cases/${draft.body.id}/actions/request_supplement`,
    { missing: [{ name: '联系方式', reason: '手机号码有误' }] });
  assert.equal(sup.status, 200, sup.text);
  const newer = randomMobile();
  const p2 = await A1('PATCH', '/api/v1/cases/' + draft.body.id, { version: sup.body.version,
    form: { ...sub.body.form, contact: newer } });
  assert.equal(p2.status, 200, p2.text);
  const re = await A1('POST', `/api/v1/cases/${draft.body.id}/actions/resubmit`, {});
  assert.equal(re.status, 200, re.text);
  assert.equal(re.body.form.contact, newer);
  assertHidden(draft.body.id, [A.p.id, other, newer]);

  // a bad number is still refused on submit, in clear, without echoing it
  const bad = await A1('POST', '/api/v1/cases', { item_code: itemCode, submit: true,
    form: { shop_name: '好味小吃', holder_id: A.p.id.slice(0, 17) + (A.p.id.endsWith('1') ? '2' : '1'), contact: A.p.mobile },
    delivery: { method: 'pickup' } });
  problem(bad, 400, 'BAD_PARAMETER');
  assert.ok(bad.body.fields.some((f) => /holder_id/.test(f.field)), bad.text);
});

test('a window application: the clerk reads the masks, and a mask sent back keeps the number', async () => {
  const phone = randomMobile();
  const res = await clerk('POST', '/api/v1/cases', { item_code: itemCode,
    applicant: { id_number: A.p.id, name: A.p.name },
    form: { shop_name: '窗口代办', holder_id: A.p.id, contact: A.p.mobile },
    delivery: { method: 'post', address: '宿州市埇桥区汴河路 2 号', recipient: '张三', phone } });
  assert.equal(res.status, 201, res.text);
  const c = res.body;
  assert.equal(c.channel, 'window');
  assert.equal(c.form.holder_id, maskId(A.p.id));
  assert.equal(c.form.contact, maskMobile(A.p.mobile));
  assert.equal(c.delivery.phone, maskMobile(phone));
  assertHidden(c.id, [A.p.id, A.p.mobile, phone]);

  // the draft read back (masked) and saved again with one change
  const p = await clerk('PATCH', '/api/v1/cases/' + c.id, { version: c.version,
    form: { ...c.form, shop_name: '窗口代办（改）' }, delivery: c.delivery });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.form.holder_id, maskId(A.p.id));
  // the clerk's draft is not yet the applicant's to read (it is once submitted, below)
  problem(await as(A)('GET', '/api/v1/cases/' + c.id), 404, 'NOT_FOUND');
  assertHidden(c.id, [A.p.id, A.p.mobile, phone]);

  // stars that are not the stored number's mask are a new (wrong) value, refused on submit
  const wrong = await clerk('PATCH', '/api/v1/cases/' + c.id, { version: p.body.version,
    form: { ...p.body.form, contact: '139****0000' }, delivery: p.body.delivery });
  assert.equal(wrong.status, 200, wrong.text);
  problem(await clerk('POST', `/api/v1/cases/${c.id}/submit`, {}), 400, 'BAD_PARAMETER');
  const fixed = await clerk('PATCH', '/api/v1/cases/' + c.id, { version: wrong.body.version,
    form: { ...wrong.body.form, contact: A.p.mobile }, delivery: wrong.body.delivery });
  assert.equal(fixed.status, 200, fixed.text);
  const sub = await clerk('POST', `/api/v1/cases/${c.id}/submit`, {});
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.body.state, 'submitted');
  const end = await as(A)('GET', '/api/v1/cases/' + c.id);
  assert.equal(end.status, 200, end.text);
  assert.equal(end.body.form.holder_id, A.p.id);
  assert.equal(end.body.form.contact, A.p.mobile);
  assert.equal(end.body.form.shop_name, '窗口代办（改）');
  assert.equal(end.body.delivery.phone, phone);
  assertHidden(c.id, [A.p.id, A.p.mobile, phone]);
});

test('an agent acting for the applicant sees the numbers in full, as the applicant does', async () => {
  const p = newPerson('王五');
  const D = await registerSession(base, p);
  const until = new Date(Date.now() + 8 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10);
  const auth = await A.call('POST', '/api/v1/me/agents', { body: { name: p.name, id_number: p.id,
    items: ['000104201000'], valid_until: until } });
  assert.equal(auth.status, 201, auth.text);
  const res = await D.call('POST', '/api/v1/cases', { owner: true, body: { item_code: itemCode,
    for: { kind: 'person', id: A.person.id }, submit: true,
    form: { shop_name: '代办', holder_id: A.p.id, contact: A.p.mobile }, delivery: { method: 'pickup' } } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.form.holder_id, A.p.id);
  assert.equal((await D.call('GET', '/api/v1/cases/' + res.body.id, { owner: true })).body.form.contact, A.p.mobile);
  assert.equal((await clerk('GET', '/api/v1/cases/' + res.body.id)).body.form.contact, maskMobile(A.p.mobile));
  assertHidden(res.body.id, [A.p.id, A.p.mobile]);
});
