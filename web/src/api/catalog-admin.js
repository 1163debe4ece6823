// The catalog's administration (docs/catalog.md): items of the departments a member manages,
// drafts, publishing, versions, topics, import and export. Every call answers what the server
// answered; errors are ApiError with the problem's code (BAD_FORM, ITEM_VERSION_STALE …).
import { ApiError, getJSON, patchJSON, postJSON } from './http.js';
import { csrfHeader } from '../lib/session.js';

const enc = encodeURIComponent;

/**
 * A page of items for their editors: {items: [brief], next_cursor, drafts}. The editors' list
 * (drafts included, GET /api/v1/catalog/items) is asked first; a server without it answers 404
 * for the route, and then the public list of published items stands in (drafts: false).
 */
export async function listManagedItems({ department, q, cursor, limit = 50 } = {}) {
  const query = { department, q, cursor, limit };
  try {
    const r = await getJSON('/api/v1/catalog/items', { ...query, status: 'all' });
    return { items: r.items, next_cursor: r.next_cursor ?? null, drafts: true };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const r = await getJSON('/api/v1/items', query);
  return { items: r.items, next_cursor: r.next_cursor ?? null, drafts: false };
}

/** The published version of an item, or version `version` (a draft only for its editors). */
export async function getItem(code, version) {
  return (await getJSON(`/api/v1/items/${enc(code)}`, version ? { version } : undefined)).item;
}

/** {code, current_version, draft_version, versions: [{version, name, status, …}]}. */
export function listVersions(code) {
  return getJSON(`/api/v1/items/${enc(code)}/versions`);
}

/** A new item (version 1, a draft): {basic_code, department_id, level?, name, …}. */
export async function createItem(body) {
  return (await postJSON('/api/v1/items', body)).item;
}

/** Edit the draft (started from the published version when there is none) → the draft. */
export async function saveDraft(code, changes) {
  return (await patchJSON(`/api/v1/items/${enc(code)}/draft`, changes)).item;
}

/** The draft `version` becomes the published one (409 ITEM_VERSION_STALE when it is no longer the draft). */
export async function publishItem(code, version) {
  return (await postJSON(`/api/v1/items/${enc(code)}/publish`, { version })).item;
}

/** [{key, name, kind: life_event | enterprise_stage}]; empty while the server has none. */
export async function listTopics() {
  return (await getJSON('/api/v1/topics')).topics || [];
}

/** The address that downloads the catalog (format json or xlsx), for an <a download>. */
export function exportUrl(format, { department } = {}) {
  const qs = new URLSearchParams({ format });
  if (department) qs.set('department', department);
  return `/api/v1/catalog/export?${qs}`;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Upload a catalog file (a File from an <input type=file>): JSON or xlsx by its name. Resolves
 * to the server's answer; a refused import throws an ApiError whose `report` holds the bad rows
 * ([{row, code?, reason}] as the server gives them).
 */
export async function importCatalog(file) {
  const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX;
  let res;
  try {
    res = await fetch('/api/v1/catalog/import', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': xlsx ? XLSX : 'application/json', 'X-CSRF-Token': csrfHeader() },
      body: file,
    });
  } catch {
    throw new ApiError({ title: '无法连接服务器', detail: '请检查网络连接后重试。', code: 'NETWORK' });
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok) return body || {};
  const err = new ApiError({
    title: body?.title ? String(body.title) : '导入失败',
    detail: body?.detail ? String(body.detail) : `服务器返回 HTTP ${res.status}。`,
    status: res.status,
    code: body?.code ? String(body.code) : `HTTP_${res.status}`,
    fields: Array.isArray(body?.fields) ? body.fields : [],
  });
  err.report = Array.isArray(body?.report) ? body.report : Array.isArray(body?.rows) ? body.rows
    : Array.isArray(body?.errors) ? body.errors : [];
  throw err;
}

// ---- code lists of GB/T 39046 (the same the server accepts) -------------------------------------

export const DEPTHS = [
  { value: 1, label: '一级（事项公开）' },
  { value: 2, label: '二级（在线预审）' },
  { value: 3, label: '三级（在线申办）' },
  { value: 4, label: '四级（全程网办）' },
];
export const PROJECT_TYPES = [
  { value: 1, label: '即办件' },
  { value: 2, label: '承诺件' },
  { value: 9, label: '其他' },
];
export const HANDLING_FORMS = [
  { value: 1, label: '窗口办理' },
  { value: 2, label: '电脑端网上办理' },
  { value: 3, label: '移动端网上申请' },
  { value: 4, label: '快递申请' },
  { value: 9, label: '其他' },
];
export const SERVICE_OBJECTS = [
  { value: 1, label: '自然人' },
  { value: 2, label: '企业法人' },
  { value: 3, label: '事业法人' },
  { value: 4, label: '社会组织法人' },
  { value: 5, label: '行政机关' },
  { value: 6, label: '其他组织' },
];
export const REUSE_CLASSES = [
  { value: 'always', label: '可永久复用' },
  { value: 'within_validity', label: '有效期内可复用' },
  { value: 'selective', label: '可选择性复用' },
  { value: 'never', label: '不可复用' },
];
export const SOURCES = [
  { value: 'applicant', label: '申请人提供' },
  { value: 'department', label: '部门核发' },
];

// The text members of the guide document the editor knows, in the order shown; the server's list
// of members (src/catalog/json.c guide_members, docs/catalog.md) is the authority. Members of
// other kinds (the FAQ, the yes/no ones, a procedure given as steps) are kept as they are.
export const GUIDE_TEXTS = [
  { key: 'legal_basis', label: '设定依据', rows: 3 },
  { key: 'content', label: '行使内容', rows: 2 },
  { key: 'conditions', label: '受理条件', rows: 3 },
  { key: 'quantity_limit', label: '数量限制', rows: 1 },
  { key: 'intermediary', label: '中介服务', rows: 1 },
  { key: 'joint_departments', label: '共同实施部门', rows: 1 },
  { key: 'handling_office', label: '承办机构', rows: 1 },
  { key: 'jurisdiction', label: '行政管辖', rows: 1 },
  { key: 'special_procedure', label: '特别程序', rows: 1 },
  { key: 'procedure', label: '办理流程', rows: 3 },
  { key: 'statutory_limit_note', label: '法定办结时限说明', rows: 1 },
  { key: 'promised_limit_note', label: '承诺办结时限说明', rows: 1 },
  { key: 'fees', label: '收费项目及标准', rows: 2 },
  { key: 'fee_basis', label: '收费依据', rows: 2 },
  { key: 'place', label: '办理地点', rows: 1 },
  { key: 'hours', label: '办理时间', rows: 1 },
  { key: 'scope', label: '通办范围', rows: 1 },
  { key: 'online_url', label: '网上办理地址', rows: 1 },
  { key: 'consult_phone', label: '咨询电话', rows: 1 },
  { key: 'complaint_phone', label: '监督投诉电话', rows: 1 },
  { key: 'result_name', label: '结果名称', rows: 1 },
  { key: 'result_sample', label: '结果样本', rows: 1 },
];

/** The label of `value` in one of the lists above (the value itself when unknown). */
export const labelOf = (list, value) => list.find((o) => o.value === value)?.label ?? String(value ?? '');

/**
 * The departments whose items the signed-in member may manage (catalog.manage, roles.def):
 * every one for a system administrator, else those of each 事项管理员 assignment and their
 * sub-departments. The server decides again on every call.
 */
export function managedDepartments(staff, departments) {
  const roles = staff?.roles || [];
  if (roles.some((r) => r.role === 'system_admin')) return departments;
  const roots = new Set(roles.filter((r) => r.role === 'catalog_admin').map((r) => r.department_id));
  const byId = new Map(departments.map((d) => [d.id, d]));
  const under = (d) => {
    for (let x = d, i = 0; x && i < 32; x = byId.get(x.parent_id), i++) if (roots.has(x.id)) return true;
    return false;
  };
  return departments.filter(under);
}
