// Prepares a running yiwang (started with --sandbox) for the submission benchmark the way people
// would: the first system admin, a department, a published item with one required material, an
// applicant registered with an SMS code, and one uploaded material. Prints
// "COOKIE CSRF ITEM_CODE MATERIAL_ID" for bench/submit.lua.
//
//   YW_BIN=build/yiwang node bench/cases-setup.mjs URL DATA_DIR DB
import { bootstrapAdmin, makeUscc } from '../tests/lib/staff.mjs';
import { newPerson, registerSession } from '../tests/lib/persons.mjs';

const [url, data, db] = process.argv.slice(2);
const admin = await bootstrapAdmin({ url, data, db });
const must = (res, what, status = 201) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
};
const dept = must(await admin.post('/api/v1/departments', { name: '埇桥区行政审批局',
  uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id }), 'department').department;
const item = must(await admin.post('/api/v1/items', {
  basic_code: '000104201000', department_id: dept.id, name: '食品经营许可', online_depth: 4, visits: 0,
  project_type: 2, handling_forms: [1], service_objects: [1], statutory_limit: 20, promised_limit: 10,
  charged: false, in_hall: true,
  materials: [{ name: '申请书', source: 'applicant', required: true, reuse: 'never' }],
}), 'item').item;
must(await admin.post(`/api/v1/items/${item.code}/publish`, { version: 1 }), 'publish', 200);
const s = await registerSession(url, newPerson('压测申请人'));
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const up = await fetch(`${url}/api/v1/materials?title=${encodeURIComponent('申请书')}`, { method: 'POST', body: pdf,
  headers: { 'content-type': 'application/pdf', cookie: s.cookie, 'x-csrf-token': s.csrf } });
const m = await up.json();
if (up.status !== 201) throw new Error('upload: ' + up.status + ' ' + JSON.stringify(m));
console.log(`${s.cookie} ${s.csrf} ${item.code} ${m.id ?? m.material.id}`);
