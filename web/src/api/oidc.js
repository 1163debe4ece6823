// Single sign-on (OIDC): the consent page's two calls, and the registered department systems
// (clients) that a system admin manages at /admin/clients.
import { getJSON, patchJSON, postJSON } from './http.js';

/** What the consent page shows for the authorization request in `query` (the page's own query
 *  string, passed on unchanged): { client: {id, name}, scopes: [{scope, description}],
 *  redirect_uri, subject: {kind, name} }. */
export function authorizationInfo(query) {
  return getJSON('/api/v1/oidc/authorization', query);
}

/** decision: 'allow' | 'deny'. Resolves to { redirect_to }, where the browser goes next. */
export function decide(query, decision) {
  return postJSON('/api/v1/oidc/consent', { ...query, decision });
}

export async function listClients() {
  return (await getJSON('/api/v1/oidc/clients')).clients;
}

/** Resolves to { client, client_secret }: the secret is shown this once. */
export function createClient(body) {
  return postJSON('/api/v1/oidc/clients', body);
}

export async function updateClient(id, body) {
  return (await patchJSON(`/api/v1/oidc/clients/${encodeURIComponent(id)}`, body)).client;
}

export async function disableClient(id) {
  return (await postJSON(`/api/v1/oidc/clients/${encodeURIComponent(id)}/disable`)).client;
}

/** A new secret; the old one stops working at once. Resolves to { client, client_secret }. */
export function rotateSecret(id) {
  return postJSON(`/api/v1/oidc/clients/${encodeURIComponent(id)}/secret`);
}

// The scopes a person can grant, and the actions a machine token may carry (roles.def).
export const USER_SCOPES = [
  { scope: 'openid', label: '用户标识（必选）' },
  { scope: 'profile', label: '姓名' },
  { scope: 'phone', label: '手机号码' },
  { scope: 'id_number', label: '完整公民身份号码' },
];
