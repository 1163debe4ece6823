// What publishing a draft changes: the published version and the draft (both as GET
// /api/v1/items/{code} answers them) compared member by member, materials by name, form fields
// by name and process steps by id. Each change: {section, label, kind: added | removed |
// changed, before, after} with before/after as short Chinese texts.
import { FIELD_TYPES } from '../../../components/forms/form-rules.js';
import { joinRule, kindName } from '../../../components/process/process-rules.js';
import {
  DEPTHS, GUIDE_TEXTS, HANDLING_FORMS, PROJECT_TYPES, REUSE_CLASSES, SERVICE_OBJECTS, SOURCES, labelOf,
} from '../../../api/catalog-admin.js';

const yesNo = (b) => (b ? '是' : '否');
const limit = (v) => (v === null || v === undefined ? '无' : `${v} 个工作日`);
const codes = (list) => (v) => (Array.isArray(v) && v.length ? v.map((c) => labelOf(list, c)).join('、') : '无');
const text = (v) => (v === null || v === undefined || v === '' ? '（空）' : String(v));

const COLUMNS = [
  ['name', '事项名称', text],
  ['statutory_limit', '法定办结时限', limit],
  ['promised_limit', '承诺办结时限', limit],
  ['online_depth', '网上办理深度', (v) => labelOf(DEPTHS, v)],
  ['visits', '到办事现场次数', (v) => `${v ?? 0} 次`],
  ['visits_reason', '必须现场办理的原因', text],
  ['project_type', '办件类型', (v) => labelOf(PROJECT_TYPES, v)],
  ['handling_forms', '办理形式', codes(HANDLING_FORMS)],
  ['service_objects', '服务对象', codes(SERVICE_OBJECTS)],
  ['charged', '是否收费', yesNo],
  ['in_hall', '是否进驻政务大厅', yesNo],
];

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function material(m) {
  const parts = [
    labelOf(SOURCES, m.source) + (m.issuer ? `（${m.issuer}）` : ''),
    `原件 ${m.originals ?? 0} 份，复印件 ${m.copies ?? 0} 份`,
    m.required ? '必备' : `情形：${m.condition || ''}`,
    labelOf(REUSE_CLASSES, m.reuse),
  ];
  return parts.join('；');
}

const fieldText = (f) => `${f.label}（${f.name}，${labelOf(FIELD_TYPES, f.type)}${f.required ? '，必填' : ''}${f.visible_when ? '，有显示条件' : ''}）`;
const stepText = (s) => `${s.name}（${s.id}，${kindName(s.kind)}${s.kind === 'join' ? '：' + joinRule(s) : ''}`
  + `${s.kind === 'task' ? `，${s.limit_days ?? 0} 个工作日` : ''}${s.next?.length ? ' → ' + s.next.join('、') : ''}）`;

/** The changes from `before` (the published item, or null when there is none) to `after` (the draft). */
export function itemDiff(before, after) {
  const out = [];
  const b = before || {};
  const push = (section, label, kind, was, now) => out.push({ section, label, kind, before: was, after: now });

  for (const [key, label, show] of COLUMNS) {
    if (!before || !same(b[key], after[key])) push('基本信息', label, before ? 'changed' : 'added', before ? show(b[key]) : '', show(after[key]));
  }

  const g0 = b.guide || {};
  const g1 = after.guide || {};
  const known = new Set(GUIDE_TEXTS.map((t) => t.key).concat('faq'));
  for (const t of GUIDE_TEXTS) {
    if (!same(g0[t.key] || null, g1[t.key] || null)) {
      push('办事指南', t.label, !g0[t.key] ? 'added' : !g1[t.key] ? 'removed' : 'changed', text(g0[t.key]), text(g1[t.key]));
    }
  }
  const faqs = (g) => (Array.isArray(g.faq) ? g.faq : []);
  const q0 = new Map(faqs(g0).map((f) => [f.question, f.answer]));
  const q1 = new Map(faqs(g1).map((f) => [f.question, f.answer]));
  for (const [q, a] of q1) {
    if (!q0.has(q)) push('常见问题', q, 'added', '', a);
    else if (q0.get(q) !== a) push('常见问题', q, 'changed', q0.get(q), a);
  }
  for (const [q, a] of q0) if (!q1.has(q)) push('常见问题', q, 'removed', a, '');
  for (const k of new Set([...Object.keys(g0), ...Object.keys(g1)])) {
    if (known.has(k) || same(g0[k], g1[k])) continue;
    const kind = !(k in g0) ? 'added' : !(k in g1) ? 'removed' : 'changed';
    push('办事指南', k, kind, k in g0 ? JSON.stringify(g0[k]) : '', k in g1 ? JSON.stringify(g1[k]) : '');
  }

  const m0 = new Map((b.materials || []).map((m) => [m.name, m]));
  const m1 = new Map((after.materials || []).map((m) => [m.name, m]));
  for (const [name, m] of m1) {
    if (!m0.has(name)) push('申请材料', name, 'added', '', material(m));
    else if (material(m0.get(name)) !== material(m)) push('申请材料', name, 'changed', material(m0.get(name)), material(m));
  }
  for (const [name, m] of m0) if (!m1.has(name)) push('申请材料', name, 'removed', material(m), '');
  const order0 = [...m0.keys()].filter((n) => m1.has(n));
  const order1 = [...m1.keys()].filter((n) => m0.has(n));
  if (!same(order0, order1)) push('申请材料', '材料顺序', 'changed', order0.join('、'), order1.join('、'));

  const set0 = new Set(b.aliases || []);
  const set1 = new Set(after.aliases || []);
  for (const a of set1) if (!set0.has(a)) push('别名', a, 'added', '', a);
  for (const a of set0) if (!set1.has(a)) push('别名', a, 'removed', a, '');

  const t0 = new Map((b.topics || []).map((t) => [t.key, t.name || t.key]));
  const t1 = new Map((after.topics || []).map((t) => [t.key, t.name || t.key]));
  for (const [k, n] of t1) if (!t0.has(k)) push('主题分类', n, 'added', '', n);
  for (const [k, n] of t0) if (!t1.has(k)) push('主题分类', n, 'removed', n, '');

  const bi0 = new Map((b.business_items || []).map((x) => [x.seq, x.name]));
  const bi1 = new Map((after.business_items || []).map((x) => [x.seq, x.name]));
  for (const [s, n] of bi1) {
    if (!bi0.has(s)) push('业务办理项', `第 ${s} 项`, 'added', '', n);
    else if (bi0.get(s) !== n) push('业务办理项', `第 ${s} 项`, 'changed', bi0.get(s), n);
  }
  for (const [s, n] of bi0) if (!bi1.has(s)) push('业务办理项', `第 ${s} 项`, 'removed', n, '');

  const f0 = new Map((b.form?.fields || []).map((f) => [f.name, f]));
  const f1 = new Map((after.form?.fields || []).map((f) => [f.name, f]));
  for (const [n, f] of f1) {
    if (!f0.has(n)) push('申请表单', f.label, 'added', '', fieldText(f));
    else if (!same(f0.get(n), f)) push('申请表单', f.label, 'changed', fieldText(f0.get(n)), fieldText(f));
  }
  for (const [n, f] of f0) if (!f1.has(n)) push('申请表单', f.label, 'removed', fieldText(f), '');
  const fo0 = [...f0.keys()].filter((n) => f1.has(n));
  const fo1 = [...f1.keys()].filter((n) => f0.has(n));
  if (!same(fo0, fo1)) push('申请表单', '字段顺序', 'changed', fo0.join('、'), fo1.join('、'));

  const s0 = new Map((b.process?.steps || []).map((s) => [s.id, s]));
  const s1 = new Map((after.process?.steps || []).map((s) => [s.id, s]));
  for (const [id, s] of s1) {
    if (!s0.has(id)) push('办理流程', s.name, 'added', '', stepText(s));
    else if (!same(s0.get(id), s)) push('办理流程', s.name, 'changed', stepText(s0.get(id)), stepText(s));
  }
  for (const [id, s] of s0) if (!s1.has(id)) push('办理流程', s.name, 'removed', stepText(s), '');
  if (b.process && after.process && b.process.start !== after.process.start) {
    push('办理流程', '开始步骤', 'changed', text(b.process?.start), text(after.process?.start));
  }
  return out;
}

export const KIND_NAMES = { added: '新增', removed: '删除', changed: '修改' };
