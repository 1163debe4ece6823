// A department system's webhook receiver for tests: a real HTTP server on loopback that records
// every request it gets and answers 500 to the first failFirst of them (to make the platform
// retry), 200 afterwards.
//
//   const sink = await startSink({ failFirst: 1 });
//   … subscribe sink.url + '/hook' …
//   const [first, second] = await sink.waitFor(2);      // {method, path, headers, body, status, at}
//   assert.ok(verifySignature(secret, second.headers, second.body));
//   await sink.close();
//
// verifySignature is what a receiver does (docs/cases.md "Events for department systems"):
// HMAC-SHA256 under the subscription's secret over "<X-Yiwang-Timestamp>.<raw body>", compared
// in constant time with X-Yiwang-Signature's v1= value, and a timestamp within tolerance.
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signature(secret, timestamp, body) {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifySignature(secret, headers, body, { toleranceS = 300, now = Date.now() } = {}) {
  const ts = headers['x-yiwang-timestamp'];
  const got = headers['x-yiwang-signature'] || '';
  if (!/^\d+$/.test(ts || '') || Math.abs(now / 1000 - Number(ts)) > toleranceS) return false;
  const want = signature(secret, ts, body);
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

export async function startSink({ failFirst = 0, failStatus = 500 } = {}) {
  const received = [];
  let waiters = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = received.length < sink.failFirst ? failStatus : 200;
      received.push({ method: req.method, path: req.url, headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"ok":true}' : '{"error":"try later"}');
      waiters = waiters.filter((w) => !w());
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const sink = {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    failFirst,
    // Resolves with the first n requests once they have all come, or rejects after timeoutMs.
    waitFor(n, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`webhook sink: ${received.length} of ${n} requests after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (received.length < n) return false;
          clearTimeout(timer);
          resolve(received.slice(0, n));
          return true;
        };
        if (!check()) waiters.push(check);
      });
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return sink;
}
