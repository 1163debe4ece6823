// Cases (办件, issue 6): applying (a draft saved as one goes, then submitted under an
// Idempotency-Key), the applicant's 我的办件, the staff inbox and case page with the transitions
// allowed now, the notices as PDF, and the public progress query. Answers are what the server
// answered; a refusal is an ApiError with the problem's code (and its fields).
import { deleteJSON, getJSON, patchJSON, postBytes, postJSON } from './http.js';
import { uploadType } from './materials.js';

const enc = encodeURIComponent;
const base = (id) => `/api/v1/cases/${enc(id)}`;
// A case answer is the case itself; tolerate an envelope {case: …} as other modules answer.
const theCase = (b) => (b && typeof b === 'object' && b.case && typeof b.case === 'object' ? b.case : b);

/** {item_code, for?, applicant?, form?, materials?, delivery?, submit} → the case (a draft unless submit). */
export async function createCase(body, { idempotencyKey } = {}) {
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  return theCase(await postJSON('/api/v1/cases', body, { headers }));
}

export async function getCase(id, opts) {
  return theCase(await getJSON(base(id), null, opts));
}

/** A draft (or a case in supplement): {form?, materials?, delivery?} → the case. */
export async function saveCase(id, changes) {
  return theCase(await patchJSON(base(id), changes));
}

export function discardCase(id) {
  return deleteJSON(base(id));
}

/** draft → submitted. `key` is the Idempotency-Key of this submission: a retry sends it again. */
export async function submitCase(id, key) {
  return theCase(await postJSON(`${base(id)}/submit`, {}, { headers: { 'Idempotency-Key': key } }));
}

/** The file into the applicant's material space and slot `slot` of the case → the material. */
export async function uploadCaseMaterial(id, slot, file, title) {
  const b = await postBytes(`${base(id)}/materials`, { slot, title: title || file.name }, file, uploadType(file));
  return b && b.material ? b.material : b;
}

/** Where the bytes of a material of the case are read (whoever may read the case). */
export const caseMaterialUrl = (id, mid) => `${base(id)}/materials/${enc(mid)}`;

/** A transition by name (accept, reject, request_supplement, …) with its body → the case. */
export async function caseAction(id, name, body = {}) {
  return theCase(await postJSON(`${base(id)}/actions/${enc(name)}`, body));
}

/** A review task or a parallel branch: {verdict: approve | deny, opinion} → the case. */
export async function taskVerdict(id, taskId, body) {
  return theCase(await postJSON(`${base(id)}/tasks/${enc(taskId)}`, body));
}

/** The PDF of a notice (accept, reject, supplement, approve, deny). */
export const noticeUrl = (id, kind) => `${base(id)}/notices/${enc(kind)}`;

/** 我的办件 (or, for staff, cases in reach): {items: [brief], next_cursor}. */
export async function listCases(params = {}, opts) {
  const b = await getJSON('/api/v1/cases', params, opts);
  return { items: Array.isArray(b.items) ? b.items : [], nextCursor: b.next_cursor || null };
}

/** The staff inbox: {items: [{task…, case: brief}], counts: {state: n}, nextCursor}. */
export async function getInbox(params = {}, opts) {
  const b = await getJSON('/api/v1/inbox', params, opts);
  return {
    items: Array.isArray(b.items) ? b.items : [],
    counts: b.counts && typeof b.counts === 'object' ? b.counts : {},
    nextCursor: b.next_cursor || null,
  };
}

/** Public: {serial, name} or {serial, phone4} → states and dates only. */
export function queryProgress(params, opts) {
  return getJSON('/api/v1/progress', params, opts);
}

/** A fresh Idempotency-Key (crypto.randomUUID where the page is a secure context). */
export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** One application for a theme (一件事): {form, materials: [{item_code, slot, material_id}],
 * delivery, submit: true} → the parent case, its children (one case per item) in `children`. */
export async function applyTheme(themeId, body, { idempotencyKey } = {}) {
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  return theCase(await postJSON(`/api/v1/themes/${enc(themeId)}/cases`, body, { headers }));
}
