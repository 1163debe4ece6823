// A process definition (docs/catalog.md "Process") as an outline an applicant can read: the steps
// in order from the start, a split as its parallel branches with the join rule after them. The
// admin pages draw the diagram; this is the plain list. The server has checked the definition
// (every branch joins, no cycle), yet the walk stays bounded so that a bad one cannot hang a page.

export const STAGE = {
  pre_review: '预审', accept: '受理', review: '审查', decide: '决定', make_license: '制证', deliver: '送达',
};

export const ROLE = {
  window_clerk: '窗口人员', approver: '审批人员', dept_admin: '部门管理员', supervisor: '监察人员',
  catalog_admin: '事项管理员', village_agent: '村级代办员',
};

export function joinRule(step) {
  if (step.join === 'any') return '任一分支完成后继续';
  if (step.join === 'at_least') return `至少 ${step.k} 个分支完成后继续`;
  return '全部分支完成后继续';
}

/** [{type: 'task'|'end', step} | {type: 'parallel', step, branches: [[…]], join}] */
export function outline(process) {
  const steps = Array.isArray(process?.steps) ? process.steps : [];
  const byId = new Map(steps.map((s) => [s.id, s]));
  let budget = steps.length * 4 + 8;

  // The steps from `id` on, until a join (answered as `join`) or the end.
  function walk(id) {
    const items = [];
    let cur = id;
    while (cur && byId.has(cur) && budget-- > 0) {
      const s = byId.get(cur);
      const next = Array.isArray(s.next) ? s.next : [];
      if (s.kind === 'join') return { items, join: s };
      if (s.kind === 'split') {
        const branches = next.map(walk);
        const join = branches.find((b) => b.join)?.join || null;
        items.push({ type: 'parallel', step: s, branches: branches.map((b) => b.items), join });
        cur = join && Array.isArray(join.next) ? join.next[0] : null;
        continue;
      }
      items.push({ type: s.kind === 'end' ? 'end' : 'task', step: s });
      if (s.kind === 'end') break;
      cur = next[0];
    }
    return { items, join: null };
  }
  return process && process.start ? walk(process.start).items : [];
}
