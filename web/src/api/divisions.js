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

// Placeholder levels that are not part of a place's name (municipalities' "市辖区" and the like).
const NOT_IN_NAME = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** A chosen place as the region picker holds it, from its path [{code, name, level}] top first. */
export function regionChoice(parts) {
  const last = parts[parts.length - 1];
  return {
    code: last.code,
    level: last.level,
    path: parts,
    fullName: parts.map((p) => p.name).filter((n) => !NOT_IN_NAME.has(n)).join(''),
  };
}

/** The choice for a stored code (a draft resumed, a case read): its parents and itself. */
export async function regionOf(code, opts) {
  const d = await getDivision(code, opts);
  return regionChoice([...(d.parents || []), { code: d.code, name: d.name, level: d.level }]);
}
