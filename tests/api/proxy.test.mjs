// Behind a reverse proxy every connection comes from the proxy: per-address limits must then
// count the address the proxy names in X-Real-IP — and only a configured proxy is believed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get } from '../lib/server.mjs';

let serial = 0;
function sms(srv, realIp) {
  const mobile = '137' + String(Date.now() % 1e4).padStart(4, '0') + String(serial++).padStart(4, '0');
  return get(srv.url + '/api/v1/auth/sms-codes', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1', 'x-real-ip': realIp },
    body: JSON.stringify({ mobile, purpose: 'login' }),
  });
}

// SMS codes: at most 20 per client address per hour (R-ID-007).
async function exhaust(srv, ip) {
  for (let i = 0; i < 20; i++) assert.equal((await sms(srv, ip)).status, 202);
  return sms(srv, ip);
}

test('with a trusted proxy, each client named by X-Real-IP has its own budget', async () => {
  const srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1'] });
  try {
    const over = await exhaust(srv, '203.0.113.7');
    assert.equal(over.status, 429);
    assert.equal(over.body.code, 'RATE_LIMITED');
    assert.equal((await sms(srv, '198.51.100.9')).status, 202);
    // an IPv6 client is counted by its /64: another address in it shares the budget
    const v6 = await exhaust(srv, '2001:db8:1:2::1');
    assert.equal(v6.status, 429);
    assert.equal((await sms(srv, '2001:db8:1:2:ffff::9')).status, 429);
    assert.equal((await sms(srv, '2001:db8:1:3::1')).status, 202);
  } finally {
    await srv.stop();
  }
});

test('without a trusted proxy, X-Real-IP is ignored', async () => {
  const srv = await startServer();
  try {
    const over = await exhaust(srv, '203.0.113.7');
    assert.equal(over.status, 429);
    assert.equal((await sms(srv, '198.51.100.9')).status, 429);   // still the same peer
  } finally {
    await srv.stop();
  }
});

test('every answer forbids framing by other sites', async () => {
  const srv = await startServer();
  try {
    const res = await get(srv.url + '/');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  } finally {
    await srv.stop();
  }
});

test('a trusted proxy must be an IP address', async () => {
  const { spawnSync } = await import('node:child_process');
  const { binary } = await import('../lib/server.mjs');
  const r = spawnSync(binary, ['serve', '--trusted-proxy', 'proxy.example'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /trusted-proxy/);
});
