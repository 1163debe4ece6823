// The HTTP layer as a client meets it: health, problem+json errors, limits, request ids,
// keep-alive and the static web app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, get, backendName } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

function assertProblem(res, status, code) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(res.body.code, code);
  assert.match(res.body.title, /[\u4e00-\u9fff]/, 'title is Chinese');
  assert.ok(res.body.type.endsWith(code));
}

// One raw HTTP/1.1 exchange, for what fetch will not send (huge declared bodies, many headers).
function raw(port, request) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.write(request);
    setTimeout(() => sock.end(), 1500);
  });
}

test('healthz answers ok with the backend in use', async () => {
  const res = await get(srv.url + '/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.db, backendName());
});

test('unknown route is a 404 problem', async () => {
  const res = await get(srv.url + '/api/v1/no-such-thing');
  assertProblem(res, 404, 'NOT_FOUND');
  assert.match(res.body.detail, /no-such-thing/);
});

test('wrong method is a 405 with Allow', async () => {
  const res = await get(srv.url + '/api/v1/divisions/341302', { method: 'DELETE' });
  assertProblem(res, 405, 'METHOD_NOT_ALLOWED');
  assert.match(res.headers.get('allow'), /GET/);
});

test('a malformed JSON body is a 400 BAD_JSON, and a non-JSON type a 415', async () => {
  const bad = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': '1' }, body: '{"from": "2026-09-30", "days": ',
  });
  assertProblem(bad, 400, 'BAD_JSON');
  const dup = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': '1' }, body: '{"days": 1, "days": 2, "from": "2026-09-30"}',
  });
  assertProblem(dup, 400, 'BAD_JSON');
  const form = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'text/plain', 'x-csrf-token': '1' }, body: 'from=2026-09-30',
  });
  assertProblem(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
});

test('a body over the limit is refused with 413 before it is read', async () => {
  const port = new URL(srv.url).port;
  const reply = await raw(port, 'POST /api/v1/calendar/workdays HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{"from":');
  assert.match(reply, /^HTTP\/1\.1 413/);
  assert.match(reply, /BODY_TOO_LARGE/);
});

test('a chunked body that grows over the limit is refused with 413', async () => {
  const port = new URL(srv.url).port;
  const chunk = 'x'.repeat(65536);
  let req = 'POST /api/v1/calendar/workdays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Transfer-Encoding: chunked\r\n\r\n';
  for (let i = 0; i < 20; i++) req += chunk.length.toString(16) + '\r\n' + chunk + '\r\n';
  req += '0\r\n\r\n';
  const reply = await raw(port, req);
  assert.match(reply, /^HTTP\/1\.1 413/);
});

test('too many headers is a 431', async () => {
  const port = new URL(srv.url).port;
  let req = 'GET /healthz HTTP/1.1\r\nHost: x\r\n';
  for (let i = 0; i < 200; i++) req += `X-Filler-${i}: ${i}\r\n`;
  const reply = await raw(port, req + '\r\n');
  assert.match(reply, /^HTTP\/1\.1 431/);
});

test('a bad percent escape or a dot segment in the path is a 400', async () => {
  const port = new URL(srv.url).port;
  const bad = await raw(port, 'GET /api/v1/divisions/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(bad, /^HTTP\/1\.1 400/);
  const dots = await raw(port, 'GET /assets/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(dots, /^HTTP\/1\.1 400/);
  assert.doesNotMatch(dots, /root:/);
});

test('every answer carries X-Request-Id, and a sane one from the client is echoed', async () => {
  const a = await get(srv.url + '/healthz');
  const b = await get(srv.url + '/healthz');
  assert.ok(a.headers.get('x-request-id'));
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  const c = await get(srv.url + '/healthz', { headers: { 'X-Request-Id': 'dept-sys-42' } });
  assert.equal(c.headers.get('x-request-id'), 'dept-sys-42');
  const p = await get(srv.url + '/api/v1/nothing', { headers: { 'X-Request-Id': 'trace-7' } });
  assert.equal(p.body.instance, 'urn:yiwang:request:trace-7');
});

test('connections are kept alive across requests', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve, reject) => {
      const req = http.get(srv.url + '/healthz', { agent }, (res) => {
        sockets.add(req.socket);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  }
  agent.destroy();
  assert.equal(sockets.size, 1);
});

test('the portal page is served with revalidation, assets with long caching and gzip', async () => {
  const page = await get(srv.url + '/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(page.text, /一网通办/);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  const etag = page.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(srv.url + '/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);

  const asset = page.text.match(/\/assets\/[^"']+\.js/);
  assert.ok(asset, 'index.html references a hashed script');
  const port = new URL(srv.url).port;
  const reply = await raw(port, `GET ${asset[0]} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
  assert.match(reply, /cache-control: public, max-age=31536000, immutable/i);
  assert.match(reply, /content-encoding: gzip/i);
  const plain = await get(srv.url + asset[0]);   // fetch decodes gzip itself; check the type
  assert.match(plain.headers.get('content-type'), /javascript/);
});

test('a path that is neither a file nor a route is a 404 problem', async () => {
  const res = await get(srv.url + '/no-such-page');
  assertProblem(res, 404, 'NOT_FOUND');
});

test('page addresses open the app; the list of pages comes from the build', async () => {
  const page = await get(srv.url + '/?year=2025');
  assert.equal(page.status, 200);
  assert.match(page.text, /一网通办/);
  const pages = await get(srv.url + '/pages.json');
  for (const p of ['/', '/login', '/register', '/account']) assert.ok(pages.body.includes(p), p);
  const login = await get(srv.url + '/login');
  assert.equal(login.status, 200);
  assert.match(login.text, /一网通办/);
  assert.equal((await get(srv.url + '/login/extra')).status, 404);
});

test('a Content-Length too large to be a number is refused with 413, not waited for', async () => {
  const port = new URL(srv.url).port;
  const reply = await raw(port, 'POST /api/v1/calendar/workdays HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/json\r\nContent-Length: 4611686018427387905\r\n\r\n');
  assert.match(reply, /^HTTP\/1\.1 413/);
});

test('Expect: 100-continue on a request without a body is answered', async () => {
  const port = new URL(srv.url).port;
  const reply = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n');
  assert.match(reply, /HTTP\/1\.1 200/);
  assert.match(reply, /"status":"ok"/);
});

test('two servers cannot share one port', async () => {
  const { spawnSync } = await import('node:child_process');
  const { binary } = await import('../lib/server.mjs');
  const port = new URL(srv.url).port;
  const r = spawnSync(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', srv.data + '/second'],
    { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /无法在 127\.0\.0\.1:\d+ 上监听/);
});

test('a state-changing request without the CSRF header is refused, whoever sends it', async () => {
  const res = await get(srv.url + '/api/v1/calendar/workdays', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '2026-09-30', days: 3 }),
  });
  assertProblem(res, 403, 'CSRF_FAILED');
});
