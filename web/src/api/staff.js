// Staff login (docs/identity.md "Staff login"): user name and password, then a TOTP code — or,
// the first time, binding an authenticator app to the secret the server offers — and only then
// a session. A password change may be required before anything else (first login, reset,
// expiry). The signed-in member is kept in the session store as GET /api/v1/me shows them
// ({kind: 'staff', staff, password_change_required, …}).
import { postJSON } from './http.js';
import { fetchMe } from './auth.js';
import { signIn } from '../lib/session.js';

/**
 * Step 1. Resolves to {next: 'totp', ticket} or, when no authenticator is bound yet,
 * {next: 'enrol', ticket, secret, otpauth_uri, qr_svg}.
 */
export function staffPasswordStep(username, password) {
  return postJSON('/api/v1/auth/staff/login', { username, password });
}

function remember(answer) {
  signIn({ kind: 'staff', staff: answer.staff, password_change_required: !!answer.password_change_required },
    answer.csrf_token);
  return answer;
}

/** Step 2 with a bound authenticator: {staff, csrf_token, password_change_required}. */
export async function staffTotpStep(ticket, code) {
  return remember(await postJSON('/api/v1/auth/staff/totp', { ticket, code }));
}

/** Step 2 the first time: a code of the offered secret binds it; the same answer as above. */
export async function staffEnrolStep(ticket, code) {
  return remember(await postJSON('/api/v1/auth/staff/enrol', { ticket, code }));
}

/** The signed-in member's own password; afterwards the session store is refreshed. */
export async function changeStaffPassword(oldPassword, newPassword) {
  await postJSON('/api/v1/auth/staff/password', { old_password: oldPassword, new_password: newPassword });
  return fetchMe();
}

// R-ID-010 as the form can tell before asking the server (which also refuses common passwords
// and the user name): at least 10 characters of at least 3 of the 4 classes.
export const STAFF_PASSWORD_RULE = '至少 10 个字符，包含大写字母、小写字母、数字、其他符号中的至少 3 类，且不含用户名';

export function staffPasswordProblem(pw, username = '') {
  const chars = [...pw];
  if (chars.length < 10) return '密码至少 10 个字符';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  if (classes < 3) return '须包含大写字母、小写字母、数字、其他符号中的至少 3 类';
  if (username && pw.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return '';
}

/** The base32 secret in groups of four, as authenticator apps show it. */
export function groupSecret(secret) {
  return (secret || '').replace(/(.{4})(?=.)/g, '$1 ');
}
