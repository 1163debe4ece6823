// Applicant accounts: SMS codes, registration, login, logout, recovery and "who am I".
// Each call that returns a person updates the session store.
import { ApiError, getJSON, postJSON } from './http.js';
import { signIn, signOut, whenChecked } from '../lib/session.js';

/** purpose: 'register' | 'login' | 'recover'. Resolves to { expires_in }. */
export function sendSmsCode(mobile, purpose) {
  return postJSON('/api/v1/auth/sms-codes', { mobile, purpose });
}

function remember(answer) {
  signIn(answer?.person || null, answer?.csrf_token);
  return answer?.person || null;
}

export async function register({ name, id_number, mobile, password, sms_code, address }) {
  const body = { name, id_number, mobile, password, sms_code };
  if (address) body.address = address;
  return remember(await postJSON('/api/v1/auth/register', body));
}

/** account: 身份证号 or 手机号. */
export async function loginWithPassword(account, password) {
  return remember(await postJSON('/api/v1/auth/login', { account, password }));
}

export async function loginWithSms(mobile, code) {
  return remember(await postJSON('/api/v1/auth/login/sms', { mobile, code }));
}

// The session is forgotten here only once the server has ended it: on a shared terminal, a
// logout that failed silently would leave the next person signed in.
export async function logout() {
  await postJSON('/api/v1/auth/logout');
  signOut();
}

export function recover(mobile, code, new_password) {
  return postJSON('/api/v1/auth/recover', { mobile, code, new_password });
}

/** GET /api/v1/me: the full record of the signed-in person, or null when nobody is. */
export async function fetchMe() {
  try {
    const me = await getJSON('/api/v1/me');
    const { csrf_token: token, ...person } = me;
    signIn(person, token);
    return person;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      return null;
    }
    throw err;
  }
}

/** Asks the server once per page load; later calls wait for that answer. */
export function checkSession() {
  return whenChecked(fetchMe);
}

/** Sandbox SMS inbox (404 when the server is not in --sandbox mode). */
export function sandboxInbox() {
  return getJSON('/api/v1/sandbox/sms');
}
