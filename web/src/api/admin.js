// Administration: departments, staff and their roles (docs/identity.md "Administration").
// Every call answers what the server answered; errors are ApiError with the problem's code.
import { deleteJSON, getJSON, patchJSON, postJSON } from './http.js';

const enc = encodeURIComponent;

/** [{id, parent_id, name, uscc, division_code, division_name}] — public. */
export async function listDepartments() {
  return (await getJSON('/api/v1/departments')).departments;
}

/** {name, uscc, division_code, parent_id?} → the new department. */
export async function createDepartment(d) {
  return (await postJSON('/api/v1/departments', d)).department;
}

/** {name?, division_code?, parent_id?} → the department as it is now. */
export async function updateDepartment(id, changes) {
  return (await patchJSON(`/api/v1/departments/${enc(id)}`, changes)).department;
}

/** The members the signed-in staff member may see, optionally under one department. */
export async function listStaff(departmentId) {
  return (await getJSON('/api/v1/staff', { department_id: departmentId })).staff;
}

export async function getStaff(id) {
  return (await getJSON(`/api/v1/staff/${enc(id)}`)).staff;
}

/** {username, name, department_id, password} → the new member (must change the password). */
export async function createStaff(s) {
  return (await postJSON('/api/v1/staff', s)).staff;
}

/** {role, department_id, division_code} → the member with the role. */
export async function grantRole(staffId, grant) {
  return (await postJSON(`/api/v1/staff/${enc(staffId)}/roles`, grant)).staff;
}

export function revokeRole(staffId, role, departmentId) {
  return deleteJSON(`/api/v1/staff/${enc(staffId)}/roles/${enc(role)}/${enc(departmentId)}`);
}

export async function disableStaff(id) {
  return (await postJSON(`/api/v1/staff/${enc(id)}/disable`)).staff;
}

export async function enableStaff(id) {
  return (await postJSON(`/api/v1/staff/${enc(id)}/enable`)).staff;
}

/** A new initial password; the member must change it and enrol TOTP again. */
export async function resetStaff(id, password) {
  return (await postJSON(`/api/v1/staff/${enc(id)}/reset`, { password })).staff;
}

/** The staff roles of src/identity/roles.def: [{ role, name, scope, privileged }]. */
export async function listRoles() {
  return (await getJSON('/api/v1/roles')).roles;
}

/** d → "宿州市数据资源管理局 / 埇桥区政务服务中心": its name after its parents' (for choosing one). */
export function departmentPath(list) {
  const byId = new Map(list.map((d) => [d.id, d]));
  return (d) => {
    const names = [];
    for (let x = d, i = 0; x && i < 32; x = byId.get(x.parent_id), i++) names.unshift(x.name);
    return names.join(' / ');
  };
}

/** Departments as a tree for ElTable's tree rows: each node gets `children` (sorted by name). */
export function departmentTree(list) {
  const byId = new Map(list.map((d) => [d.id, { ...d, children: [] }]));
  const roots = [];
  for (const d of byId.values()) {
    const parent = d.parent_id && byId.get(d.parent_id);
    (parent ? parent.children : roots).push(d);
  }
  const tidy = (nodes) => {
    nodes.sort((a, b) => a.division_code.localeCompare(b.division_code) || a.name.localeCompare(b.name, 'zh'));
    for (const n of nodes) {
      if (n.children.length) tidy(n.children);
      else delete n.children;
    }
    return nodes;
  };
  return tidy(roots);
}

/**
 * The signed-in staff member from the session store, or null: GET /api/v1/me answers
 * {kind: "staff", staff: {id, username, name, department, roles}, password_change_required, …}
 * for staff (the store keeps that answer as session.person, or as session.staff).
 */
export function signedInStaff(session) {
  if (session.staff) return session.staff;
  const me = session.person;
  return me && me.kind === 'staff' ? me.staff || null : null;
}

/** Whether the signed-in staff member must change the password before anything else. */
export function staffMustChangePassword(session) {
  const me = session.person;
  if (me && me.kind === 'staff') return !!me.password_change_required;
  return !!session.staff?.password_change_required || !!session.passwordChangeRequired;
}
