// Organisations (法人) with their handlers (经办人), and personal agents (代办/委托).
// Persons in every answer carry a name and a masked ID number only.
import { getJSON, postJSON } from './http.js';

/** The organisation types the server accepts, in the order the form offers them. */
export const ORG_TYPES = [
  { value: 'enterprise', label: '企业' },
  { value: 'individual_business', label: '个体工商户' },
  { value: 'public_institution', label: '事业单位' },
  { value: 'social_organization', label: '社会组织' },
  { value: 'government_agency', label: '机关' },
  { value: 'other', label: '其他' },
];

/** { name, uscc, type, division_code } → the new organisation (verified: false). */
export async function registerOrg(org) {
  return (await postJSON('/api/v1/orgs', org)).org;
}

/** The organisations I represent or handle for. */
export async function listOrgs() {
  return (await getJSON('/api/v1/orgs')).orgs;
}

export async function listHandlers(orgId) {
  return (await getJSON(`/api/v1/orgs/${encodeURIComponent(orgId)}/handlers`)).handlers;
}

/** { name, id_number, items: 'all' | [codes], valid_until: 'YYYY-MM-DD' } */
export async function addHandler(orgId, grant) {
  return (await postJSON(`/api/v1/orgs/${encodeURIComponent(orgId)}/handlers`, grant)).handler;
}

export async function revokeHandler(orgId, handlerId) {
  const path = `/api/v1/orgs/${encodeURIComponent(orgId)}/handlers/${encodeURIComponent(handlerId)}/revoke`;
  return (await postJSON(path)).handler;
}

/** Whom I authorized to act for me (all, with their status). */
export async function listAgents() {
  return (await getJSON('/api/v1/me/agents')).agents;
}

export async function addAgent(grant) {
  return (await postJSON('/api/v1/me/agents', grant)).agent;
}

export async function revokeAgent(id) {
  return (await postJSON(`/api/v1/me/agents/${encodeURIComponent(id)}/revoke`)).agent;
}

/** Who authorized me, live authorizations only. */
export async function listPrincipals() {
  return (await getJSON('/api/v1/me/principals')).principals;
}

/** Today in China Standard Time, YYYY-MM-DD: the day valid_until is compared with. */
export function cstToday(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

/** The last day an authorization may run to: the same day five years on. */
export function cstLastAllowed() {
  const t = cstToday();
  const y = Number(t.slice(0, 4)) + 5;
  const md = t.slice(5) === '02-29' ? '02-28' : t.slice(5);
  return `${y}-${md}`;
}

export const STATUS_LABEL = { active: '有效', expired: '已过期', revoked: '已撤销' };

/** "全部事项" or "2 项：000104002000、…". */
export function itemsLabel(items) {
  if (items === 'all') return '全部事项';
  if (!Array.isArray(items)) return '';
  return `${items.length} 项：${items.join('、')}`;
}
