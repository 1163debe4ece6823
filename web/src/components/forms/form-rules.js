// What the generic item form (ItemForm.vue) and the form builder share about a form definition
// (docs/catalog.md "Forms"): the field types, the prefill sources, when a field shows, and the
// checks a browser can make at once. The server checks the definition and the values again.
import { idNumberProblem } from '../../lib/id-number.js';

export const FIELD_TYPES = [
  { value: 'text', label: '单行文字' },
  { value: 'textarea', label: '多行文字' },
  { value: 'number', label: '数字' },
  { value: 'date', label: '日期' },
  { value: 'select', label: '下拉选择' },
  { value: 'radio', label: '单选' },
  { value: 'checkbox', label: '多选' },
  { value: 'id_number', label: '身份证号' },
  { value: 'uscc', label: '统一社会信用代码' },
  { value: 'mobile', label: '手机号码' },
  { value: 'division', label: '行政区划' },
];

export const PREFILLS = [
  { value: 'person.name', label: '申请人姓名' },
  { value: 'person.id_number', label: '申请人身份证号' },
  { value: 'person.mobile', label: '申请人手机号码' },
  { value: 'org.name', label: '单位名称' },
  { value: 'org.uscc', label: '单位统一社会信用代码' },
  { value: 'org.legal_representative', label: '单位法定代表人' },
];

export const hasOptions = (type) => type === 'select' || type === 'radio' || type === 'checkbox';
export const hasLength = (type) => type === 'text' || type === 'textarea';
export const NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** Whether field f shows, given the values so far (a field without visible_when always does). */
export function isVisible(f, values) {
  const w = f.visible_when;
  if (!w || !w.field) return true;
  const v = values[w.field];
  const matches = (x) => (Array.isArray(v) ? v.includes(x) : v === x);
  if (Array.isArray(w.in)) return w.in.some(matches);
  return matches(w.equals);
}

/** The value a prefill source gives from context {person, org}, or undefined. */
export function prefillValue(source, context) {
  if (!source || !context) return undefined;
  const [who, key] = source.split('.');
  const v = context[who]?.[key];
  return v === null || v === '' ? undefined : v;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** '' for a well-formed unified social credit code (GB 32100: 18 characters, check character). */
export function usccProblem(value) {
  const v = String(value || '').trim().toUpperCase();
  if (v.length !== 18) return `统一社会信用代码应为 18 位，当前 ${v.length} 位`;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = USCC_CHARS.indexOf(v[i]);
    if (c < 0) return `统一社会信用代码含有不允许的字符“${v[i]}”`;
    sum += c * USCC_W[i];
  }
  if (USCC_CHARS[(31 - (sum % 31)) % 31] !== v[17]) return '统一社会信用代码校验位不正确，请核对';
  return '';
}

const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

// Staff see a case's personal numbers masked (docs/cases.md R-CASE-050): a clerk resuming a window
// draft gets them so, and the server keeps the number it holds when its mask comes back.
const MASKED = { id_number: /^\d{4}\*{10}\d{3}[\dX]$/, mobile: /^1\d{2}\*{4}\d{4}$/ };

/** '' when value suits field f, else why not (for a shown field). */
export function valueProblem(f, value) {
  if (empty(value)) return f.required ? `请填写${f.label}` : '';
  const s = String(value);
  if (MASKED[f.type]?.test(s)) return '';
  switch (f.type) {
    case 'text':
    case 'textarea':
      if (f.min_length != null && [...s].length < f.min_length) return `${f.label}至少 ${f.min_length} 个字`;
      if (f.max_length != null && [...s].length > f.max_length) return `${f.label}至多 ${f.max_length} 个字`;
      return '';
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) return `${f.label}应为数字`;
      if (f.min != null && value < f.min) return `${f.label}不能小于 ${f.min}`;
      if (f.max != null && value > f.max) return `${f.label}不能大于 ${f.max}`;
      return '';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? '' : `${f.label}应为日期`;
    case 'id_number':
      return idNumberProblem(s);
    case 'uscc':
      return usccProblem(s);
    case 'mobile':
      return /^1[3-9]\d{9}$/.test(s) ? '' : '手机号码应为 11 位数字';
    default:
      return '';
  }
}

/** The fields that show, in order: a condition is read on the shown fields' values only. */
export function visibleFields(def, values) {
  const seen = {};
  const out = [];
  for (const f of def?.fields || []) {
    if (!isVisible(f, seen)) continue;
    out.push(f);
    seen[f.name] = values[f.name];
  }
  return out;
}

/** The values a filled form sends: shown fields only (a hidden one must be absent), empties left out. */
export function formValues(def, values) {
  const out = {};
  for (const f of def?.fields || []) {
    // against the values that are sent: a field behind a hidden one is hidden too
    if (!isVisible(f, out) || empty(values[f.name])) continue;
    out[f.name] = values[f.name];
  }
  return out;
}

// ---- the builder's side --------------------------------------------------------------------------

/** A new field of `type` whose name is not yet taken in `fields`. */
export function newField(fields, type = 'text') {
  const names = new Set(fields.map((f) => f.name));
  let n = fields.length + 1;
  while (names.has(`field_${n}`)) n++;
  const f = { name: `field_${n}`, label: `字段${n}`, type, required: false };
  if (hasOptions(type)) f.options = [{ value: 'a', label: '选项一' }, { value: 'b', label: '选项二' }];
  return f;
}

const num = (v) => (typeof v === 'number' && !Number.isNaN(v) ? v : undefined);

/**
 * The definition as the server takes it: members that do not apply to the field's type, empty
 * bounds and blank texts left out. Null when there is no field (the item has no form).
 */
export function cleanForm(def) {
  const fields = (def?.fields || []).map((f) => {
    const o = { name: String(f.name || '').trim(), label: String(f.label || '').trim(), type: f.type };
    if (f.required) o.required = true;
    if (hasLength(f.type)) {
      if (num(f.min_length) !== undefined) o.min_length = f.min_length;
      if (num(f.max_length) !== undefined) o.max_length = f.max_length;
    }
    if (f.type === 'number') {
      if (num(f.min) !== undefined) o.min = f.min;
      if (num(f.max) !== undefined) o.max = f.max;
    }
    if (hasOptions(f.type)) {
      o.options = (f.options || []).map((x) => ({ value: String(x.value ?? '').trim(), label: String(x.label ?? '').trim() }));
    }
    const w = f.visible_when;
    if (w && w.field) {
      if (Array.isArray(w.in)) o.visible_when = { field: w.field, in: w.in.map(String) };
      else if (w.equals !== undefined && w.equals !== '') o.visible_when = { field: w.field, equals: String(w.equals) };
    }
    if (f.prefill) o.prefill = f.prefill;
    if (f.help && String(f.help).trim()) o.help = String(f.help).trim();
    return o;
  });
  return fields.length ? { fields } : null;
}

/** The mistakes a builder can see before saving: [{index, member, reason}] (the server decides). */
export function formProblems(def) {
  const out = [];
  const seen = new Map();
  (def?.fields || []).forEach((f, i) => {
    if (!NAME_RE.test(f.name || '')) out.push({ index: i, member: 'name', reason: '字段名应以小写字母开头，只含小写字母、数字和下划线，至多 40 个字符' });
    else if (seen.has(f.name)) out.push({ index: i, member: 'name', reason: `字段名 ${f.name} 与第 ${seen.get(f.name) + 1} 个字段重复` });
    else seen.set(f.name, i);
    if (!f.label || [...String(f.label)].length > 50) out.push({ index: i, member: 'label', reason: '标签应为 1 到 50 个字' });
    if (hasOptions(f.type)) {
      const vals = (f.options || []).map((o) => String(o.value ?? '').trim());
      if (!vals.length) out.push({ index: i, member: 'options', reason: '请至少给出一个选项' });
      else if (vals.some((v) => !v) || new Set(vals).size !== vals.length) out.push({ index: i, member: 'options', reason: '选项的值不能为空，也不能重复' });
    }
    const w = f.visible_when;
    if (w && w.field) {
      const at = (def.fields || []).findIndex((x) => x.name === w.field);
      if (at < 0 || at >= i) out.push({ index: i, member: 'visible_when', reason: '显示条件所依据的字段须在本字段之前' });
    }
  });
  return out;
}
