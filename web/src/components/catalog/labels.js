// The words an applicant reads for the catalog's codes (GB/T 39046 Annex A, ../shared/STANDARDS.md
// §5) and for the members of an item's guide document. The server answers codes and a few names
// (online_depth_name, project_type_name, reuse_name); the rest are named here, once, for every
// portal page.

export const ITEM_TYPE = {
  '00': '行政权力事项', '01': '行政许可', '02': '行政处罚', '03': '行政强制', '04': '行政征收',
  '05': '行政给付', '06': '行政检查', '07': '行政确认', '08': '行政奖励', '09': '行政裁决',
  10: '其他行政权力', 20: '公共服务',
};
export const itemTypeName = (t) => ITEM_TYPE[t] || (Number(t) >= 20 ? '公共服务' : '行政权力事项');

export const LEVEL = { 1: '国家级', 2: '省级', 3: '市级', 4: '县级', 5: '乡镇（街道）级', 6: '村（社区）级', 7: '分级管理' };
export const SERVICE_OBJECT = { 1: '自然人', 2: '企业法人', 3: '事业法人', 4: '社会组织法人', 5: '行政机关', 6: '其他组织' };
export const HANDLING_FORM = { 1: '窗口办理', 2: '电脑端网上办理', 3: '移动端网上申请', 4: '快递申请', 9: '其他' };
export const REUSE = { always: '可永久复用', within_validity: '有效期内可复用', selective: '可选择性复用', never: '不可复用' };
export const AUDIENCE = { person: '个人', organisation: '法人' };
export const TOPIC_KIND = { life_event: '个人办事 · 人生事件', enterprise_stage: '法人办事 · 企业阶段' };

export const names = (codes, table) => (Array.isArray(codes) ? codes.map((c) => table[c] || String(c)) : []);

/** The promised limit as an applicant reads it: "5 个工作日", "当场办结", or "无". */
export function limitText(days, unit = '工作日') {
  if (days === null || days === undefined) return '无';
  if (days === 0) return '当场办结';
  return `${days} 个${unit}`;
}

/** The badges of a list row or a guide: 全程网办 (depth 4), 最多跑一次, 即办 (项目类型 1). */
export function badgesOf(item) {
  const out = [];
  if (item.online_depth === 4) out.push({ key: 'online', text: '全程网办', type: 'success' });
  if (item.at_most_once) out.push({ key: 'once', text: '最多跑一次', type: 'primary' });
  if (item.project_type === 1) out.push({ key: 'instant', text: '即办', type: 'warning' });
  return out;
}

// ---- the guide document ---------------------------------------------------------------------
// Everything of the guide that is not a column is a JSON document whose members the server checks
// against one list (src/catalog/json.c, docs/catalog.md): they are shown in these sections, in
// this order, under these names. A member this list does not know (a server newer than this
// page) is still shown, in the last section, so that nothing the department wrote is hidden.

export const GUIDE_SECTIONS = [
  {
    id: 'basis',
    title: '设定依据与受理条件',
    keys: [
      ['legal_basis', '设定依据'],
      ['content', '行使内容'],
      ['conditions', '受理条件'],
      ['quantity_limit', '数量限制'],
      ['intermediary', '中介服务'],
      ['joint_departments', '共同实施部门'],
      ['handling_office', '承办机构'],
      ['jurisdiction', '行政管辖'],
      ['special_procedure', '特别程序'],
    ],
  },
  {
    id: 'procedure',
    title: '办理流程',
    keys: [
      ['procedure', '办理流程'],
      ['statutory_limit_note', '法定办结时限说明'],
      ['promised_limit_note', '承诺办结时限说明'],
    ],
  },
  {
    id: 'fees',
    title: '收费',
    keys: [
      ['fees', '收费项目及标准'],
      ['fee_basis', '收费依据'],
      ['online_payment', '是否支持网上支付'],
    ],
  },
  {
    id: 'place',
    title: '办理地点与时间',
    keys: [
      ['place', '办理地点'],
      ['hours', '办理时间'],
      ['scope', '通办范围'],
      ['appointment', '是否支持预约办理'],
      ['delivery', '是否支持物流快递'],
      ['online_url', '网上办理地址'],
    ],
  },
  {
    id: 'contact',
    title: '咨询与监督',
    keys: [
      ['consult_phone', '咨询电话'],
      ['complaint_phone', '监督投诉电话'],
    ],
  },
  {
    id: 'result',
    title: '办理结果',
    keys: [
      ['result_name', '结果名称'],
      ['result_sample', '结果样本'],
    ],
  },
  {
    id: 'faq',
    title: '常见问题',
    keys: [['faq', '常见问题']],
  },
];

const KNOWN = new Set(GUIDE_SECTIONS.flatMap((s) => s.keys.map(([k]) => k)));

// Names of the members inside a member (a fee, a phone, a question…).
export const PART_LABEL = {
  name: '名称', standard: '标准', amount: '金额', basis: '依据', note: '说明', description: '说明',
  address: '地址', phone: '电话', consult: '咨询电话', complaint: '监督投诉电话', hours: '时间',
  question: '问', answer: '答', step: '步骤', title: '名称', url: '网址',
  time: '时间', department: '部门', law: '法律法规', article: '条款', content: '内容',
};

const isEmpty = (v) => v === null || v === undefined || v === ''
  || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** [{id, title, entries: [{key, label, value}]}] of a guide document, empty sections left out. */
export function guideSections(doc) {
  const g = doc && typeof doc === 'object' ? doc : {};
  const sections = [];
  for (const s of GUIDE_SECTIONS) {
    const entries = s.keys.filter(([k]) => !isEmpty(g[k])).map(([key, label]) => ({ key, label, value: g[key] }));
    if (entries.length) sections.push({ id: s.id, title: s.title, entries });
  }
  const rest = Object.keys(g).filter((k) => !KNOWN.has(k) && !isEmpty(g[k]))
    .map((key) => ({ key, label: PART_LABEL[key] || key, value: g[key] }));
  if (rest.length) sections.push({ id: 'other', title: '其他信息', entries: rest });
  return sections;
}
