// Single sign-on for department systems: yiwang as an OpenID Connect provider, driven by the real
// relying-party library npm `openid-client` (v6). A person signs in to a department system by the
// authorization code flow with PKCE (discovery → authorization URL → consent → callback → tokens
// → userinfo), a department system calls a protected yiwang API with a client-credentials token,
// and every bad case of issue 4 is refused with its stable code and nothing written.
//
// The test server is plain http on loopback, which openid-client refuses unless told
// (allowInsecureRequests); redirect URIs on 127.0.0.1 may be http for the same reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oc from 'openid-client';
import { startServer, binary } from '../lib/server.mjs';
import { newPerson, registerSession, call, problem, sql } from '../lib/persons.mjs';
import { bootstrapAdmin } from '../lib/staff.mjs';

const REDIRECT = 'http://127.0.0.1:9/callback';
const LOGOUT = 'http://127.0.0.1:9/logged-out';

let srv, admin, person, rp, dept;

// Registers a client as the system admin; answers {client, client_secret}.
async function register(body) {
  const res = await admin.post('/api/v1/oidc/clients', body);
  assert.equal(res.status, 201, res.text);
  assert.equal(typeof res.body.client_secret, 'string');
  return res.body;
}

async function discover(server, clientId, secret, auth = oc.ClientSecretBasic(secret), metadata = undefined) {
  return oc.discovery(new URL(server.url), clientId, metadata, auth, { execute: [oc.allowInsecureRequests] });
}

// An authorization request as the relying party builds it; answers the pieces the test needs.
async function authRequest(config, extra = {}) {
  const verifier = oc.randomPKCECodeVerifier();
  const params = { redirect_uri: REDIRECT, scope: 'openid profile phone', state: oc.randomState(),
    nonce: oc.randomNonce(), code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', ...extra };
  return { verifier, params, url: oc.buildAuthorizationUrl(config, params) };
}

// The browser's part: follow /oauth/authorize with the person's cookie to the consent page, read
// what the page shows, agree. Answers the callback URL (with code and state).
async function consent(base, session, url, decision = 'allow') {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: session.cookie } });
  assert.equal(res.status, 302, await res.text());
  const at = new URL(res.headers.get('location'), base);
  assert.equal(at.pathname, '/sso/consent');
  const shown = await call(base, 'GET', '/api/v1/oidc/authorization' + at.search, { cookie: session.cookie });
  assert.equal(shown.status, 200, shown.text);
  const body = { ...Object.fromEntries(at.searchParams), decision };
  const made = await call(base, 'POST', '/api/v1/oidc/consent', { cookie: session.cookie, csrf: session.csrf, body });
  assert.equal(made.status, 200, made.text);
  return { callback: new URL(made.body.redirect_to), shown: shown.body };
}

const form = (o) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o).toString() });

async function tokenCall(base, params) {
  const res = await fetch(base + '/oauth/token', form(params));
  return { status: res.status, body: await res.json() };
}

const bearer = (base, path, token) => call(base, 'GET', path, { headers: { authorization: 'Bearer ' + token } });

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  admin = await bootstrapAdmin(srv);
  dept = admin.department_id;
  person = newPerson('赵六', '19880214');
  person.session = await registerSession(srv.url, person);
  rp = await register({ name: '宿州市不动产登记系统', redirect_uris: [REDIRECT], post_logout_redirect_uris: [LOGOUT],
    scopes: ['openid', 'profile', 'phone'] });
});

after(async () => {
  await srv?.stop();
});

test('discovery and JWKS describe the provider', async () => {
  const d = await call(srv.url, 'GET', '/.well-known/openid-configuration');
  assert.equal(d.status, 200);
  assert.equal(d.body.issuer, srv.url);
  assert.equal(d.body.token_endpoint, srv.url + '/oauth/token');
  assert.deepEqual(d.body.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(d.body.id_token_signing_alg_values_supported, ['RS256', 'ES256']);
  assert.ok(d.body.scopes_supported.includes('staff.read'));
  assert.ok(!d.body.scopes_supported.includes('oidc_client.manage'), 'administration is no scope');
  const j = await call(srv.url, 'GET', '/.well-known/jwks.json');
  assert.equal(j.status, 200);
  const rsa = j.body.keys.find((k) => k.alg === 'RS256');
  const ec = j.body.keys.find((k) => k.alg === 'ES256');
  assert.ok(rsa && rsa.kty === 'RSA' && rsa.use === 'sig' && rsa.n && rsa.e === 'AQAB' && !rsa.d);
  assert.ok(ec && ec.kty === 'EC' && ec.crv === 'P-256' && ec.x.length === 43 && ec.y.length === 43 && !ec.d);
  // the private keys are sealed at rest
  for (const [pem] of sql(srv, 'SELECT private_key_sealed FROM oidc_keys')) assert.match(pem, /^v1\./);
});

test('the whole code flow with openid-client: consent, tokens, userinfo within the scopes', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const { verifier, params, url } = await authRequest(config);

  // an anonymous visitor is sent to log in first, and comes back to the consent page
  const anon = await fetch(url, { redirect: 'manual' });
  assert.equal(anon.status, 302);
  const login = new URL(anon.headers.get('location'), srv.url);
  assert.equal(login.pathname, '/login');
  assert.ok(login.searchParams.get('next').startsWith('/sso/consent?'));

  const { callback, shown } = await consent(srv.url, person.session, url);
  assert.equal(shown.client.name, '宿州市不动产登记系统');
  assert.deepEqual(shown.scopes.map((s) => s.scope), ['openid', 'profile', 'phone']);
  assert.ok(shown.scopes.every((s) => s.description));
  assert.equal(callback.origin + callback.pathname, REDIRECT);
  assert.equal(callback.searchParams.get('state'), params.state);

  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier,
    expectedState: params.state, expectedNonce: params.nonce, idTokenExpected: true });
  const claims = tokens.claims();
  assert.equal(claims.sub, person.session.person.id);
  assert.equal(claims.aud, rp.client.id);
  assert.equal(claims.iss, srv.url);
  assert.equal(JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url')).alg, 'RS256');
  const at = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
  assert.equal(at.aud, srv.url + '/api');
  assert.ok(at.jti && at.exp - at.iat === 600);

  const info = await oc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.deepEqual(Object.keys(info).sort(), ['name', 'phone_number', 'phone_number_verified', 'sub']);
  assert.equal(info.name, '赵六');
  assert.equal(info.phone_number, '+86' + person.mobile);
  assert.equal(info.id_number, undefined);    // no id_number scope, no ID number

  // the code is spent: a second redemption is refused and voids the access token it gave
  const again = await tokenCall(srv.url, { grant_type: 'authorization_code', code: callback.searchParams.get('code'),
    redirect_uri: REDIRECT, code_verifier: verifier, client_id: rp.client.id, client_secret: rp.client_secret });
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'invalid_grant');
  assert.equal(again.body.code, 'AUTH_CODE_REUSED');
  assert.match(again.body.error_description, /授权码/);
  const after = await call(srv.url, 'GET', '/oauth/userinfo', { headers: { authorization: 'Bearer ' + tokens.access_token } });
  problem(after, 401, 'TOKEN_REVOKED');
  assert.match(after.headers.get('www-authenticate'), /^Bearer .*invalid_token/);
});

test('userinfo gives only what the scopes grant; the ID number only under id_number', async () => {
  const c = await register({ name: '公积金系统', redirect_uris: [REDIRECT], scopes: ['openid', 'id_number'],
    id_token_signed_response_alg: 'ES256' });
  // client_secret_post this time, and the ID token signed with ES256 as registered
  const config = await discover(srv, c.client.id, c.client_secret, oc.ClientSecretPost(c.client_secret),
    { id_token_signed_response_alg: 'ES256' });
  const { verifier, params, url } = await authRequest(config, { scope: 'openid' });
  const { callback } = await consent(srv.url, person.session, url);
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier,
    expectedState: params.state, expectedNonce: params.nonce });
  assert.equal(JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url')).alg, 'ES256');
  const info = await oc.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
  assert.deepEqual(Object.keys(info), ['sub']);

  const second = await authRequest(config, { scope: 'openid id_number' });
  const { callback: cb2, shown } = await consent(srv.url, person.session, second.url);
  assert.match(shown.scopes.find((s) => s.scope === 'id_number').description, /身份号码/);
  const t2 = await oc.authorizationCodeGrant(config, cb2, { pkceCodeVerifier: second.verifier,
    expectedState: second.params.state, expectedNonce: second.params.nonce });
  const info2 = await oc.fetchUserInfo(config, t2.access_token, t2.claims().sub);
  assert.equal(info2.id_number, person.id);
  assert.equal(info2.name, undefined);

  // a scope the registration does not allow goes back to the client as invalid_scope
  const third = await authRequest(config, { scope: 'openid phone' });
  const res = await fetch(third.url, { redirect: 'manual', headers: { cookie: person.session.cookie } });
  assert.equal(res.status, 302);
  const back = new URL(res.headers.get('location'));
  assert.equal(back.searchParams.get('error'), 'invalid_scope');
  assert.equal(back.searchParams.get('state'), third.params.state);
});

test('staff sign in to a department system the same way; their claims are their name', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const { verifier, params, url } = await authRequest(config, { scope: 'openid profile phone' });
  const { callback, shown } = await consent(srv.url, admin, url);
  assert.equal(shown.subject.kind, 'staff');
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier,
    expectedState: params.state, expectedNonce: params.nonce });
  assert.equal(tokens.claims().sub, admin.id);
  const info = await oc.fetchUserInfo(config, tokens.access_token, admin.id);
  assert.deepEqual(info, { sub: admin.id, name: '系统管理员' });   // staff have no phone claim
});

test('an unregistered redirect URI is shown as an error, never redirected, and nothing is written', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const codes = sql(srv, 'SELECT COUNT(*) FROM oidc_codes')[0][0];
  for (const uri of ['http://127.0.0.1:9/callback/', 'http://127.0.0.1:9/CALLBACK', 'https://evil.example/callback']) {
    const { url, params } = await authRequest(config, { redirect_uri: uri });
    const res = await call(srv.url, 'GET', url.pathname + url.search, { cookie: person.session.cookie });
    problem(res, 400, 'REDIRECT_URI_NOT_REGISTERED');
    assert.equal(res.headers.get('location'), null);
    // and the consent API refuses it as well
    const made = await call(srv.url, 'POST', '/api/v1/oidc/consent', { cookie: person.session.cookie,
      csrf: person.session.csrf, body: { ...params, client_id: rp.client.id, decision: 'allow' } });
    problem(made, 400, 'REDIRECT_URI_NOT_REGISTERED');
  }
  // an unknown client as well
  const res = await call(srv.url, 'GET', `/oauth/authorize?client_id=c_nobody&redirect_uri=${encodeURIComponent(REDIRECT)}`);
  problem(res, 400, 'OIDC_CLIENT_UNKNOWN');
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM oidc_codes')[0][0], codes);
});

test('PKCE: S256 only, and a wrong verifier is refused', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  // plain is refused back to the client (the redirect URI is valid by then)
  for (const extra of [{ code_challenge_method: 'plain' }, { code_challenge: undefined, code_challenge_method: undefined }]) {
    const { url } = await authRequest(config, extra);
    for (const [k, v] of Object.entries(extra)) if (v === undefined) url.searchParams.delete(k);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: person.session.cookie } });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location'));
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description'), /PKCE|S256/);
    assert.equal(back.searchParams.get('code'), null);
  }
  const { params, url } = await authRequest(config);
  const { callback } = await consent(srv.url, person.session, url);
  const res = await tokenCall(srv.url, { grant_type: 'authorization_code', code: callback.searchParams.get('code'),
    redirect_uri: REDIRECT, code_verifier: oc.randomPKCECodeVerifier(), client_id: rp.client.id,
    client_secret: rp.client_secret });
  assert.equal(res.status, 400);
  assert.equal(res.body.error, 'invalid_grant');
  assert.equal(res.body.code, 'PKCE_MISMATCH');
  // openid-client sees the same refusal
  await assert.rejects(oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oc.randomPKCECodeVerifier(),
    expectedState: params.state, expectedNonce: params.nonce }), (e) => e.error === 'invalid_grant');
});

test('the person may refuse; the consent API needs a session and the CSRF header', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const { url, params } = await authRequest(config);
  const { callback } = await consent(srv.url, person.session, url, 'deny');
  assert.equal(callback.searchParams.get('error'), 'access_denied');
  assert.equal(callback.searchParams.get('state'), params.state);
  const body = { ...params, client_id: rp.client.id, decision: 'allow' };
  problem(await call(srv.url, 'POST', '/api/v1/oidc/consent', { csrf: '1', body }), 401, 'UNAUTHENTICATED');
  problem(await call(srv.url, 'POST', '/api/v1/oidc/consent', { cookie: person.session.cookie, body }), 403, 'CSRF_FAILED');
});

test('a department system calls a protected API with a client-credentials token', async () => {
  const sys = await register({ name: '市人社局人事系统', scopes: ['staff.read'] });
  const config = await discover(srv, sys.client.id, sys.client_secret);
  // the token endpoint needs no CSRF header: openid-client sends none
  const tokens = await oc.clientCredentialsGrant(config, { scope: 'staff.read' });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'staff.read');
  const ok = await bearer(srv.url, `/api/v1/staff?department_id=${dept}`, tokens.access_token);
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.body.staff.some((s) => s.username === 'admin'));
  // a client token is not a user: no userinfo, no /me
  problem(await bearer(srv.url, '/oauth/userinfo', tokens.access_token), 401, 'TOKEN_INVALID');
  problem(await bearer(srv.url, '/api/v1/me', tokens.access_token), 401, 'UNAUTHENTICATED');

  // administering is never a machine's: a registration asking for it is refused, nothing written
  const before = (await admin.get('/api/v1/oidc/clients')).body.clients.length;
  for (const scope of ['oidc_client.manage', 'staff.manage', 'role.grant', 'role.grant_privileged', 'department.manage']) {
    const greedy = await admin.post('/api/v1/oidc/clients', { name: '越权系统', scopes: ['staff.read', scope] });
    problem(greedy, 400, 'BAD_PARAMETER');
    assert.deepEqual(greedy.body.fields.map((f) => f.field), ['scopes[1]']);
  }
  assert.equal((await admin.get('/api/v1/oidc/clients')).body.clients.length, before);

  // without the scope: authenticated but forbidden
  const none = await register({ name: '无权限系统', scopes: ['openid'] });
  const c2 = await discover(srv, none.client.id, none.client_secret);
  const t2 = await oc.clientCredentialsGrant(c2, {});
  problem(await bearer(srv.url, '/api/v1/staff', t2.access_token), 403, 'FORBIDDEN');
  // and it may not ask for a scope its registration lacks
  await assert.rejects(oc.clientCredentialsGrant(c2, { scope: 'staff.read' }), (e) => e.error === 'invalid_scope');

  // a wrong secret, basic or post
  const bad = await tokenCall(srv.url, { grant_type: 'client_credentials', client_id: sys.client.id, client_secret: 'x' });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error, 'invalid_client');
  assert.equal(bad.body.code, 'OAUTH_CLIENT_AUTH_FAILED');
  const unsupported = await tokenCall(srv.url, { grant_type: 'password', client_id: sys.client.id, client_secret: sys.client_secret });
  assert.equal(unsupported.body.error, 'unsupported_grant_type');

  // revoked (RFC 7009) → 401 TOKEN_REVOKED, never anonymous
  const t3 = await oc.clientCredentialsGrant(config, { scope: 'staff.read' });
  await oc.tokenRevocation(config, t3.access_token);
  problem(await bearer(srv.url, '/api/v1/staff', t3.access_token), 401, 'TOKEN_REVOKED');
  // revoking nonsense is answered 200 as RFC 7009 asks
  await oc.tokenRevocation(config, 'not-a-token');

  // tampered signature
  const parts = tokens.access_token.split('.');
  const forged = [parts[0], Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(parts[1], 'base64url')),
    scope: 'staff.manage' })).toString('base64url'), parts[2]].join('.');
  problem(await bearer(srv.url, '/api/v1/staff', forged), 401, 'TOKEN_INVALID');
  problem(await bearer(srv.url, '/api/v1/staff', 'garbage'), 401, 'TOKEN_INVALID');
  // a bearer request never falls back to anonymous or to the cookie
  const both = await call(srv.url, 'GET', '/api/v1/me', { cookie: person.session.cookie,
    headers: { authorization: 'Bearer garbage' } });
  problem(both, 401, 'TOKEN_INVALID');
});

test('a token with the wrong audience is refused: an ID token is not an access token', async () => {
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const { verifier, params, url } = await authRequest(config);
  const { callback } = await consent(srv.url, person.session, url);
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier,
    expectedState: params.state, expectedNonce: params.nonce });
  problem(await bearer(srv.url, '/api/v1/staff', tokens.id_token), 401, 'TOKEN_WRONG_AUDIENCE');
  problem(await bearer(srv.url, '/oauth/userinfo', tokens.id_token), 401, 'TOKEN_WRONG_AUDIENCE');
  // a person's access token grants the client no action of the person's (or any) elsewhere
  problem(await bearer(srv.url, '/api/v1/staff', tokens.access_token), 403, 'FORBIDDEN');
});

test('client registration: admin only, validated, secret shown once and rotatable, disable', async () => {
  problem(await call(srv.url, 'GET', '/api/v1/oidc/clients'), 401, 'UNAUTHENTICATED');
  problem(await person.session.call('GET', '/api/v1/oidc/clients'), 403, 'FORBIDDEN');
  const bad = await admin.post('/api/v1/oidc/clients', { name: '坏系统', scopes: ['openid', 'root'],
    redirect_uris: ['http://gs.example.gov.cn/cb', 'https://ok.example/cb#x'] });
  problem(bad, 400, 'BAD_PARAMETER');
  assert.deepEqual(bad.body.fields.map((f) => f.field).sort(), ['redirect_uris[0]', 'scopes[1]']);

  const c = await register({ name: '待停用系统', redirect_uris: ['https://gs.example.gov.cn/cb'], scopes: ['staff.read'] });
  const list = await admin.get('/api/v1/oidc/clients');
  assert.equal(list.status, 200);
  const listed = list.body.clients.find((x) => x.id === c.client.id);
  assert.ok(listed && !('client_secret' in listed) && !('secret_hash' in listed));
  const patched = await admin.patch(`/api/v1/oidc/clients/${c.client.id}`,
    { redirect_uris: ['https://gs.example.gov.cn/cb2'], name: '待停用系统（新）' });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(patched.body.client.redirect_uris, ['https://gs.example.gov.cn/cb2']);
  const [[hash]] = sql(srv, `SELECT secret_hash FROM oidc_clients WHERE id = '${c.client.id}'`);
  assert.equal(hash.length, 64);
  assert.notEqual(hash, c.client_secret);

  const cc = (secret) => tokenCall(srv.url, { grant_type: 'client_credentials', client_id: c.client.id, client_secret: secret });
  assert.equal((await cc(c.client_secret)).status, 200);
  const token = (await cc(c.client_secret)).body.access_token;
  assert.equal((await bearer(srv.url, '/api/v1/staff', token)).status, 200);
  // a new secret voids the tokens issued before it (iat counts whole seconds: wait one)
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const rotated = await admin.post(`/api/v1/oidc/clients/${c.client.id}/secret`);
  assert.equal(rotated.status, 200);
  problem(await bearer(srv.url, '/api/v1/staff', token), 401, 'TOKEN_REVOKED');
  assert.equal((await cc(c.client_secret)).status, 401);
  assert.equal((await cc(rotated.body.client_secret)).status, 200);

  const dis = await admin.post(`/api/v1/oidc/clients/${c.client.id}/disable`);
  assert.equal(dis.status, 200);
  assert.equal(dis.body.client.disabled, true);
  assert.equal((await cc(rotated.body.client_secret)).status, 401);
  problem(await bearer(srv.url, '/api/v1/staff', token), 401, 'TOKEN_REVOKED');
  problem(await admin.get('/api/v1/oidc/clients/c_nobody'), 404, 'NOT_FOUND');
  // every change is in the audit log
  const actions = sql(srv, `SELECT action FROM audit_log WHERE object_id = '${c.client.id}' ORDER BY seq`).map((r) => r[0]);
  assert.deepEqual(actions, ['oidc_client.create', 'oidc_client.update', 'oidc_client.secret', 'oidc_client.disable']);
});

test('end-session ends the yiwang session and returns to a registered address', async () => {
  const p = newPerson('孙七', '19920505');
  p.session = await registerSession(srv.url, p);
  const config = await discover(srv, rp.client.id, rp.client_secret);
  const { verifier, params, url } = await authRequest(config);
  const { callback } = await consent(srv.url, p.session, url);
  const tokens = await oc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier,
    expectedState: params.state, expectedNonce: params.nonce });
  // an address not registered for logout is refused, and the session lives on
  const evil = oc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: REDIRECT });
  problem(await call(srv.url, 'GET', evil.pathname + evil.search, { cookie: p.session.cookie }), 400, 'REDIRECT_URI_NOT_REGISTERED');
  assert.equal((await p.session.call('GET', '/api/v1/me', { owner: true })).status, 200);
  // without the RP's ID token nobody may log a person out
  problem(await call(srv.url, 'GET', '/oauth/end-session', { cookie: p.session.cookie }), 400, 'OAUTH_REQUEST_INVALID');

  const end = oc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT, state: 'xyz' });
  const res = await call(srv.url, 'GET', end.pathname + end.search, { cookie: p.session.cookie });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), LOGOUT + '?state=xyz');
  problem(await p.session.call('GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
});

test('an expired token is refused; key rotation keeps old tokens valid until they expire', async () => {
  // a server of its own, whose tokens live 2 seconds (config key oidc-token-ttl)
  const s2 = await startServer({ args: ['--sandbox'], env: { YW_OIDC_TOKEN_TTL: '2' } });
  try {
    const a2 = await bootstrapAdmin(s2);
    const made = await a2.post('/api/v1/oidc/clients', { name: '短令牌系统', scopes: ['staff.read'] });
    assert.equal(made.status, 201, made.text);
    const config = await discover(s2, made.body.client.id, made.body.client_secret);
    const before = await call(s2.url, 'GET', '/.well-known/jwks.json');
    const t = await oc.clientCredentialsGrant(config, { scope: 'staff.read' });
    assert.equal(t.expires_in, 2);
    assert.equal((await bearer(s2.url, '/api/v1/staff', t.access_token)).status, 200);

    // rotate from the command line while the server runs
    execFileSync(process.env.YW_BIN || binary, ['oidc', 'rotate-keys', '--data', s2.data, '--db', s2.db],
      { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    await sleep(5500);       // the server re-reads its keys every 5 s
    const afterRot = await call(s2.url, 'GET', '/.well-known/jwks.json');
    assert.equal(afterRot.body.keys.length, 4, 'old and new keys are published together');
    for (const k of before.body.keys) assert.ok(afterRot.body.keys.some((x) => x.kid === k.kid));
    const t2 = await oc.clientCredentialsGrant(config, { scope: 'staff.read' });
    const kid = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url')).kid;
    assert.ok(!before.body.keys.some((k) => k.kid === kid(t2.access_token)), 'new tokens use the new key');
    assert.equal((await bearer(s2.url, '/api/v1/staff', t2.access_token)).status, 200);

    // by now the first token has expired
    problem(await bearer(s2.url, '/api/v1/staff', t.access_token), 401, 'TOKEN_EXPIRED');
    const audit = sql(s2, "SELECT COUNT(*) FROM audit_log WHERE action = 'oidc.key.rotate'")[0][0];
    assert.equal(audit, '2');
  } finally {
    await s2.stop();
  }
});
