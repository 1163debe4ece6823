// R-MAT-007 (docs/cases.md "Materials"): a material space takes in at most upload-day-limit bytes
// within 24 hours, deleted files counted too, so that uploading and deleting in a loop cannot fill
// the disk; another space is not affected. The server here allows 4 KiB a day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { newPerson, registerSession, problem, sql } from '../lib/persons.mjs';

let srv, A, B;

const pdf = (fill) => Buffer.from(`%PDF-1.4\n% ${fill}\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`, 'latin1');

async function upload(who, bytes) {
  const res = await fetch(`${srv.url}/api/v1/materials?title=x`, { method: 'POST', body: bytes,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/pdf' } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

before(async () => {
  srv = await startServer({ args: ['--sandbox', '--upload-day-limit', '4096'] });
  A = await registerSession(srv.url, newPerson('张三'));
  B = await registerSession(srv.url, newPerson('李四'));
});

after(async () => {
  await srv?.stop();
});

test('a space that took in its day\'s bytes is refused, deleted files counted; another is not', async () => {
  const first = await upload(A, pdf('a'.repeat(1900)));
  assert.equal(first.status, 201, first.text);
  assert.equal((await A.call('DELETE', `/api/v1/materials/${first.body.id}`)).status, 204);
  const second = await upload(A, pdf('b'.repeat(1900)));
  assert.equal(second.status, 201, second.text);
  const files = () => Number(sql(srv, 'SELECT count(*) FROM material_blobs')[0][0]);
  const before = files();
  const third = await upload(A, pdf('c'.repeat(1900)));
  problem(third, 429, 'RATE_LIMITED');
  assert.ok(Number(third.headers.get('retry-after')) > 0);
  assert.equal(files(), before, 'nothing stored for the refused upload');
  // the same bytes as a live material still answer as before (nothing new is taken in)
  assert.equal((await upload(A, pdf('b'.repeat(1900)))).status, 200);
  assert.equal((await upload(B, pdf('c'.repeat(1900)))).status, 201);
});
