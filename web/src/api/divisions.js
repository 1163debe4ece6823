// Administrative divisions: province → prefecture → county → township.
import { getJSON } from './http.js';

/** The provinces: [{code, name, level, has_children}]. */
export async function listProvinces(opts) {
  const body = await getJSON('/api/v1/divisions', null, opts);
  return Array.isArray(body.items) ? body.items : [];
}

/** One division with its parents and children. */
export function getDivision(code, opts) {
  return getJSON(`/api/v1/divisions/${encodeURIComponent(code)}`, null, opts);
}
