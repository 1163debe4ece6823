// What the process diagram and the process editor share about a process definition (docs/
// catalog.md "Processes"): the names of kinds, stages and join rules, and the layered layout.

export const KINDS = [
  { value: 'task', label: '办理环节' },
  { value: 'split', label: '并行分支' },
  { value: 'join', label: '分支汇合' },
  { value: 'end', label: '办结' },
];
export const STAGES = [
  { value: 'pre_review', label: '预审' },
  { value: 'accept', label: '受理' },
  { value: 'review', label: '审查' },
  { value: 'decide', label: '决定' },
  { value: 'make_license', label: '制证' },
  { value: 'deliver', label: '送达' },
];
export const JOINS = [
  { value: 'all', label: '全部完成' },
  { value: 'any', label: '任一完成' },
  { value: 'at_least', label: '至少 k 个完成' },
];
// The staff roles of src/identity/roles.def that handle cases (GET /api/v1/roles has them all).
export const CASE_ROLES = [
  { value: 'window_clerk', label: '窗口人员' },
  { value: 'approver', label: '审批人员' },
  { value: 'dept_admin', label: '部门管理员' },
  { value: 'village_agent', label: '村级代办员' },
  { value: 'hotline_handler', label: '12345 承办人员' },
];

export const ID_RE = /^[a-z0-9_]{1,20}$/;

const labelIn = (list, v) => list.find((o) => o.value === v)?.label || v || '';
export const stageName = (v) => labelIn(STAGES, v);
export const roleName = (v) => labelIn(CASE_ROLES, v);
export const kindName = (v) => labelIn(KINDS, v);

/** "全部完成" / "任一完成" / "至少 2 个完成" for a join step. */
export function joinRule(s) {
  if (s.join === 'at_least') return `至少 ${s.k ?? '?'} 个完成`;
  return labelIn(JOINS, s.join || 'all');
}

/**
 * The layered layout of a process: each step's column is its longest distance from the start
 * (so a join sits right of all its branches), rows ordered by the mean row of the steps before
 * (fewer crossings). Steps not reachable from the start go to a last column of their own.
 * → { nodes: [{step, col, row, reachable}], edges: [{from, to, missing}], cols, rows }.
 */
export function layout(process) {
  const steps = Array.isArray(process?.steps) ? process.steps.filter((s) => s && s.id) : [];
  const byId = new Map(steps.map((s) => [s.id, s]));
  const nexts = (s) => (Array.isArray(s.next) ? s.next : []).filter((n) => byId.has(n));
  const start = byId.get(process?.start) || steps[0];
  const col = new Map();
  if (start) {
    // Longest path by relaxing along a topological walk; a cycle (refused by the server) is cut
    // by bounding the column at the number of steps.
    col.set(start.id, 0);
    const queue = [start.id];
    let guard = 0;
    while (queue.length && guard++ < steps.length * steps.length + 10) {
      const id = queue.shift();
      const c = col.get(id);
      for (const n of nexts(byId.get(id))) {
        if ((col.get(n) ?? -1) < c + 1 && c + 1 < steps.length) {
          col.set(n, c + 1);
          queue.push(n);
        }
      }
    }
  }
  const reachableCols = col.size ? Math.max(...col.values()) + 1 : 0;
  const columns = [];
  for (const s of steps) {
    const c = col.has(s.id) ? col.get(s.id) : reachableCols;
    (columns[c] ||= []).push(s);
  }
  const row = new Map();
  const parents = new Map();
  for (const s of steps) for (const n of nexts(s)) (parents.get(n) || parents.set(n, []).get(n)).push(s.id);
  columns.forEach((list, c) => {
    if (!list) return;
    if (c > 0) {
      const weight = (s) => {
        const ps = (parents.get(s.id) || []).filter((p) => row.has(p) && (col.get(p) ?? Infinity) < c);
        return ps.length ? ps.reduce((a, p) => a + row.get(p), 0) / ps.length : Infinity;
      };
      list.sort((a, b) => weight(a) - weight(b));
    }
    list.forEach((s, i) => row.set(s.id, i));
  });
  const rows = Math.max(1, ...columns.filter(Boolean).map((l) => l.length));
  const nodes = steps.map((s) => ({
    step: s,
    col: col.has(s.id) ? col.get(s.id) : reachableCols,
    // centred in its column
    row: row.get(s.id) + (rows - columns[col.has(s.id) ? col.get(s.id) : reachableCols].length) / 2,
    reachable: col.has(s.id),
  }));
  const edges = [];
  for (const s of steps) {
    for (const n of Array.isArray(s.next) ? s.next : []) edges.push({ from: s.id, to: n, missing: !byId.has(n) });
  }
  return { nodes, edges, cols: columns.length, rows, start: start?.id };
}

/** A new step id not yet taken. */
export function newStepId(steps, prefix = 's') {
  const ids = new Set(steps.map((s) => s.id));
  let n = steps.length + 1;
  while (ids.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** A process to start from: 受理 → 审查 → 决定 → 办结. */
export function starterProcess() {
  return {
    start: 's1',
    steps: [
      { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['s2'] },
      { id: 's2', name: '审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 3, next: ['s3'] },
      { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 1, next: ['end'] },
      { id: 'end', name: '办结', kind: 'end', next: [] },
    ],
  };
}

/** The definition as the server takes it: members that do not apply to a step's kind left out. */
export function cleanProcess(p) {
  if (!p || !Array.isArray(p.steps) || !p.steps.length) return null;
  return {
    start: p.start,
    steps: p.steps.map((s) => {
      const o = { id: s.id, name: s.name, kind: s.kind };
      if (s.kind === 'task') {
        o.stage = s.stage;
        o.role = s.role;
        if (s.department_id) o.department_id = s.department_id;
        o.limit_days = typeof s.limit_days === 'number' ? s.limit_days : 0;
      }
      if (s.kind === 'join') {
        o.join = s.join || 'all';
        if (o.join === 'at_least') o.k = s.k;
      }
      o.next = s.kind === 'end' ? [] : [...(s.next || [])];
      return o;
    }),
  };
}
