// Reference data over HTTP: GB/T 2260 divisions and the working-day calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

function assertProblem(res, status, code) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  assert.match(res.body.title, /[\u4e00-\u9fff]/);
}

test('the provinces are listed', async () => {
  const res = await get(srv.url + '/api/v1/divisions');
  assert.equal(res.status, 200);
  assert.equal(res.body.items.length, 31);
  const anhui = res.body.items.find((d) => d.code === '340000');
  assert.equal(anhui.name, '安徽省');
  assert.equal(anhui.level, 'province');
});

test('a county comes with its parents and its townships', async () => {
  const res = await get(srv.url + '/api/v1/divisions/341302');
  assert.equal(res.status, 200);
  assert.equal(res.body.name, '埇桥区');
  assert.equal(res.body.level, 'county');
  assert.deepEqual(res.body.parents.map((p) => p.name), ['安徽省', '宿州市']);
  assert.ok(res.body.children.length > 10);
  assert.ok(res.body.children.every((c) => c.code.startsWith('341302') && c.level === 'township'));
});

test('a prefecture lists its counties, including 砀山县', async () => {
  const res = await get(srv.url + '/api/v1/divisions/341300');
  assert.equal(res.body.name, '宿州市');
  const names = res.body.children.map((c) => c.name);
  for (const n of ['埇桥区', '砀山县', '萧县', '灵璧县', '泗县']) assert.ok(names.includes(n), n);
});

test('bad and unknown division codes', async () => {
  assertProblem(await get(srv.url + '/api/v1/divisions/34x302'), 400, 'BAD_DIVISION_CODE');
  assertProblem(await get(srv.url + '/api/v1/divisions/3413021'), 400, 'BAD_DIVISION_CODE');
  assertProblem(await get(srv.url + '/api/v1/divisions/349999'), 404, 'DIVISION_NOT_FOUND');
});

test('the calendar of 2026 has National Day off and 10-10 as a make-up working day', async () => {
  const res = await get(srv.url + '/api/v1/calendar/2026');
  assert.equal(res.status, 200);
  assert.equal(res.body.year, 2026);
  const holidays = new Map(res.body.holidays.map((h) => [h.date, h.name]));
  const workdays = new Set(res.body.workdays.map((w) => w.date));
  assert.equal(holidays.get('2026-10-01'), '国庆节');
  assert.ok(workdays.has('2026-10-10'));
  assert.ok(!holidays.has('2026-10-10'));
});

test('a year outside the calendar says the calendar needs updating', async () => {
  const res = await get(srv.url + '/api/v1/calendar/2031');
  assertProblem(res, 422, 'CALENDAR_OUT_OF_RANGE');
  assertProblem(await get(srv.url + '/api/v1/calendar/20x6'), 400, 'BAD_PARAMETER');
});

test('the Nth working day after a date', async () => {
  const res = await get(srv.url + '/api/v1/calendar/workdays?from=2026-09-30&days=3');
  assert.equal(res.status, 200);
  assert.equal(res.body.date, '2026-10-10');
  const one = await get(srv.url + '/api/v1/calendar/workdays?from=2025-01-24&days=1');
  assert.equal(one.body.date, '2025-01-26');   // a make-up Sunday before the Spring Festival
});

test('the working-day query refuses bad input', async () => {
  const base = srv.url + '/api/v1/calendar/workdays';
  assertProblem(await get(base + '?from=2026-02-30&days=3'), 400, 'BAD_DATE');
  assertProblem(await get(base + '?from=2026/09/30&days=3'), 400, 'BAD_DATE');
  assertProblem(await get(base + '?days=3'), 400, 'BAD_DATE');
  assertProblem(await get(base + '?from=2026-09-30'), 400, 'BAD_DAYS');
  assertProblem(await get(base + '?from=2026-09-30&days=0'), 400, 'BAD_DAYS');
  assertProblem(await get(base + '?from=2026-09-30&days=abc'), 400, 'BAD_DAYS');
  assertProblem(await get(base + '?from=2026-09-30&days=1e3'), 400, 'BAD_DAYS');
  assertProblem(await get(base + '?from=2026-12-28&days=10'), 422, 'CALENDAR_OUT_OF_RANGE');
});

test('the working-day calculation also takes a JSON body', async () => {
  const res = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ from: '2026-09-30', days: 3 }),
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.date, '2026-10-10');
  const bad = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': '1' }, body: JSON.stringify({ from: '2026-09-30', days: '3' }),
  });
  assertProblem(bad, 400, 'BAD_DAYS');
});
