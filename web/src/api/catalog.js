// The public catalog: search, instant suggestions, the guide of one item, and what the portal
// browses by (departments, life events and enterprise stages, themes). All of it is public: no
// call here needs a session. docs/catalog.md says what each answer holds.
import { getJSON } from './http.js';

const enc = encodeURIComponent;

/**
 * One page of published items: {items: [brief (+ match)], next_cursor}. `params` as the address
 * of the search page has them: q, division, department, theme, topic, object (person |
 * organisation), depth (4 = 全程网办), at_most_once, cursor, limit. Empty ones are left out.
 */
export async function searchItems(params = {}, opts) {
  const body = await getJSON('/api/v1/items', params, opts);
  return {
    items: Array.isArray(body.items) ? body.items : [],
    nextCursor: body.next_cursor || null,
  };
}

/** Up to 8 {code, name} for what has been typed so far. */
export async function suggestItems(q, opts) {
  const body = await getJSON('/api/v1/items/suggest', { q }, opts);
  return Array.isArray(body.suggestions) ? body.suggestions : [];
}

/** The published guide of one item (or the published `version`). */
export async function getItem(code, { version, signal } = {}) {
  return (await getJSON(`/api/v1/items/${enc(code)}`, version ? { version } : null, { signal })).item;
}

/** [{id, parent_id, name, uscc, division_code, division_name}]: the departments to browse by. */
export async function listDepartments(opts) {
  const body = await getJSON('/api/v1/departments', null, opts);
  return Array.isArray(body.departments) ? body.departments : [];
}

/** [{key, name, kind: 'life_event' | 'enterprise_stage'}]. */
export async function listTopics(opts) {
  const body = await getJSON('/api/v1/topics', null, opts);
  return Array.isArray(body.topics) ? body.topics : [];
}

/** [{id, name, summary, audience, division_code, topics, item_count}], filtered by division, audience, topic. */
export async function listThemes(params = {}, opts) {
  const body = await getJSON('/api/v1/themes', params, opts);
  return Array.isArray(body.themes) ? body.themes : [];
}

/** One theme (一件事) with its items, its merged form and its deduplicated materials. */
export async function getTheme(id, opts) {
  return (await getJSON(`/api/v1/themes/${enc(id)}`, null, opts)).theme;
}

/** One department {id, name, division_code, division_name, …}, for the name of a filter. */
export async function getDepartment(id, opts) {
  return (await getJSON(`/api/v1/departments/${enc(id)}`, null, opts)).department;
}
