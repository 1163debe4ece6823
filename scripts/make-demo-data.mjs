#!/usr/bin/env node
// Writes the demo region 宿州市 into data/demo/*.json from the tables below: the departments of
// the city and its five districts and counties, the implementation items each of them lists, and
// the themes (一件事). The JSON files are what the build embeds (scripts/gen-demo.mjs) and what
// `yiwang demo` loads; this script is only how they were written, so that a change to the region
// is a change to a table here, then
//
//   node scripts/make-demo-data.mjs          # rewrites data/demo/{departments,items,themes}.json
//
// Names are those the region's offices and the national basic catalog use; the organisation
// codes inside the USCCs, the phone numbers and the popularity figures are made up (valid
// check characters, no real registrations). Deterministic: the same tables give the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uscc } from './lib/codes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'data', 'demo');

// ---- departments ------------------------------------------------------------------------------

const CITY = { code: '341300', name: '宿州市', short: '市', phone: '0557-3021' };
const COUNTIES = [
  { code: '341302', name: '埇桥区', short: '区', phone: '0557-3911', key: 'yq' },
  { code: '341321', name: '砀山县', short: '县', phone: '0557-8021', key: 'ds' },
  { code: '341322', name: '萧县', short: '县', phone: '0557-5021', key: 'xx' },
  { code: '341323', name: '灵璧县', short: '县', phone: '0557-6021', key: 'lb' },
  { code: '341324', name: '泗县', short: '县', phone: '0557-7021', key: 'sx' },
];

// kind: the department's line of work, shared by the city bureau and the county bureaus under it.
// county: the name of the county bureau after the county's name (null: the city's only).
// unit: '11' a government organ, '12' a public institution (事业单位) — the USCC's first two.
const KINDS = [
  { kind: 'zwfw', city: '数据资源管理局（市政务服务管理局）', county: '数据资源管理局（政务服务管理局）' },
  { kind: 'fgw', city: '发展和改革委员会', county: '发展和改革委员会' },
  { kind: 'jyty', city: '教育体育局', county: '教育体育局' },
  { kind: 'kj', city: '科学技术局', county: null },
  { kind: 'jx', city: '经济和信息化局', county: null },
  { kind: 'ga', city: '公安局', county: '公安局' },
  { kind: 'mz', city: '民政局', county: '民政局' },
  { kind: 'sf', city: '司法局', county: '司法局' },
  { kind: 'cz', city: '财政局', county: null },
  { kind: 'rs', city: '人力资源和社会保障局', county: '人力资源和社会保障局' },
  { kind: 'zr', city: '自然资源和规划局', county: '自然资源和规划局' },
  { kind: 'sthj', city: '生态环境局', county: null },
  { kind: 'zj', city: '住房和城乡建设局', county: '住房和城乡建设局' },
  { kind: 'cg', city: '城市管理局', county: null },
  { kind: 'jt', city: '交通运输局', county: '交通运输局' },
  { kind: 'sl', city: '水利局', county: '水利局' },
  { kind: 'ny', city: '农业农村局', county: '农业农村局' },
  { kind: 'sw', city: '商务局', county: null },
  { kind: 'wl', city: '文化和旅游局', county: '文化旅游体育局' },
  { kind: 'wj', city: '卫生健康委员会', county: '卫生健康委员会' },
  { kind: 'ty', city: '退役军人事务局', county: '退役军人事务局' },
  { kind: 'yj', city: '应急管理局', county: '应急管理局' },
  { kind: 'sj', city: '市场监督管理局', county: '市场监督管理局' },
  { kind: 'tj', city: '统计局', county: null },
  { kind: 'yb', city: '医疗保障局', county: '医疗保障局' },
  { kind: 'ly', city: '林业局', county: null },
  { kind: 'rf', city: '人民防空办公室', county: null },
  { kind: 'mzzj', city: '民族宗教事务局', county: null },
  { kind: 'ls', city: '粮食和物资储备局', county: null },
  { kind: 'da', city: '档案馆', county: null, unit: '12' },
  { kind: 'gjj', city: '住房公积金管理中心', county: null, unit: '12' },
  { kind: 'bdc', city: '不动产登记中心', county: '不动产登记中心', unit: '12', parent: 'zr' },
  { kind: 'jj', city: '公安局交通警察支队', county: '公安局交通管理大队', parent: 'ga' },
  { kind: 'xf', city: '消防救援支队', county: null, unit: '12' },
  { kind: 'cl', city: '残疾人联合会', county: '残疾人联合会', unit: '13' },
  { kind: 'tax', city: null, county: null },      // named apart below: 国家税务总局…税务局
];

function orgCode(n, unit) {
  // 机关 codes in the region start 003; 事业单位 and 群团 codes MB/MC, as the real ones do.
  return unit === '11' ? '003' + String(n).padStart(5, '0') : (unit === '12' ? 'MB' : 'MC') + String(n).padStart(6, '0');
}

const departments = [];
let orgSerial = 1100;
function addDept(key, name, division, parent, unit = '11') {
  const code = uscc(unit === '13' ? '13' : unit, division, orgCode(orgSerial++, unit));
  departments.push({ key, name, division_code: division, parent: parent || null, uscc: code });
  return key;
}
for (const k of KINDS) {
  const name = k.kind === 'tax' ? '国家税务总局宿州市税务局' : CITY.name + k.city;
  const parent = k.kind === 'zwfw' ? null : k.parent ? 'city.' + k.parent : 'city.zwfw';
  addDept('city.' + k.kind, name, CITY.code, parent, k.unit);
}
for (const c of COUNTIES) {
  for (const k of KINDS) {
    if (k.kind !== 'tax' && !k.county) continue;
    const name = k.kind === 'tax' ? `国家税务总局宿州市${c.name}税务局` : c.name + k.county;
    // A county bureau sits under the city bureau of its line (its professional guidance), the
    // county's 数据资源管理局 under the city's; so a city dept_admin reaches the county bureaus.
    addDept(`${c.key}.${k.kind}`, name, c.code, 'city.' + k.kind, k.unit);
  }
}

// ---- materials --------------------------------------------------------------------------------

const M = {
  id: { name: '居民身份证', source: 'department', issuer: '公安机关', originals: 1, copies: 1, reuse: 'within_validity' },
  hukou: { name: '居民户口簿', source: 'department', issuer: '公安机关', originals: 1, copies: 1, reuse: 'within_validity' },
  photo: { name: '近期免冠证件照片', source: 'applicant', originals: 2, copies: 0, reuse: 'never' },
  marriage: { name: '结婚证', source: 'department', issuer: '民政部门', originals: 1, copies: 1, reuse: 'always' },
  birth: { name: '出生医学证明', source: 'department', issuer: '助产医疗机构', originals: 1, copies: 1, reuse: 'always' },
  license: { name: '营业执照', source: 'department', issuer: '市场监督管理部门', originals: 1, copies: 1, reuse: 'within_validity' },
  legalId: { name: '法定代表人身份证明', source: 'applicant', originals: 1, copies: 1, reuse: 'selective' },
  proxy: { name: '授权委托书及受托人身份证', source: 'applicant', originals: 1, copies: 1, reuse: 'never', required: false, condition: '委托他人办理的' },
  property: { name: '不动产权证书', source: 'department', issuer: '不动产登记机构', originals: 1, copies: 1, reuse: 'within_validity' },
  contract: { name: '房屋买卖合同', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  labor: { name: '劳动合同', source: 'applicant', originals: 0, copies: 1, reuse: 'selective' },
  bank: { name: '本人社会保障卡或银行账户信息', source: 'applicant', originals: 1, copies: 0, reuse: 'selective' },
  site: { name: '经营场所使用证明（产权证明或租赁合同）', source: 'applicant', originals: 0, copies: 1, reuse: 'selective' },
  plan: { name: '设施布局和工艺流程图', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  foodRules: { name: '食品安全管理制度文本', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  health: { name: '从业人员健康证明', source: 'department', issuer: '医疗卫生机构', originals: 0, copies: 1, reuse: 'within_validity' },
  retire: { name: '职工退休审批表', source: 'department', issuer: '人力资源社会保障部门', originals: 1, copies: 0, reuse: 'always' },
  death: { name: '居民死亡医学证明（推断）书', source: 'department', issuer: '医疗卫生机构', originals: 1, copies: 1, reuse: 'always' },
  cremation: { name: '火化证明', source: 'department', issuer: '殡仪馆', originals: 1, copies: 1, reuse: 'always' },
  degree: { name: '毕业证书', source: 'department', issuer: '教育部门', originals: 1, copies: 1, reuse: 'always' },
  drive: { name: '机动车驾驶证', source: 'department', issuer: '公安机关交通管理部门', originals: 1, copies: 1, reuse: 'within_validity' },
  medical: { name: '身体条件证明', source: 'department', issuer: '医疗机构', originals: 1, copies: 0, reuse: 'within_validity' },
  vehicle: { name: '机动车登记证书', source: 'department', issuer: '公安机关交通管理部门', originals: 1, copies: 0, reuse: 'within_validity' },
  insurance: { name: '机动车交通事故责任强制保险凭证', source: 'applicant', originals: 1, copies: 0, reuse: 'within_validity' },
  invoice: { name: '医疗费用发票及费用清单', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  diagnosis: { name: '出院记录或诊断证明', source: 'department', issuer: '医疗机构', originals: 1, copies: 1, reuse: 'never' },
  disability: { name: '残疾评定材料', source: 'department', issuer: '指定医疗机构', originals: 1, copies: 0, reuse: 'within_validity' },
  income: { name: '家庭收入和财产状况申报材料', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  discharge: { name: '退出现役证', source: 'department', issuer: '部队', originals: 1, copies: 1, reuse: 'always' },
  drawing: { name: '建设工程设计方案总平面图及各层平面图', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  landDoc: { name: '土地使用权出让合同或划拨决定书', source: 'department', issuer: '自然资源主管部门', originals: 0, copies: 1, reuse: 'within_validity' },
  planPermit: { name: '建设工程规划许可证', source: 'department', issuer: '自然资源和规划部门', originals: 0, copies: 1, reuse: 'within_validity' },
  construct: { name: '施工合同及中标通知书', source: 'applicant', originals: 0, copies: 1, reuse: 'never' },
  eia: { name: '环境影响报告书（表）', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  safety: { name: '安全生产管理制度和操作规程', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  qualification: { name: '专业技术人员资格证书', source: 'department', issuer: '发证机关', originals: 0, copies: 1, reuse: 'within_validity' },
  articles: { name: '公司章程', source: 'applicant', originals: 1, copies: 0, reuse: 'selective' },
  nameNotice: { name: '企业名称自主申报承诺书', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  taxForm: { name: '纳税申报表及附列资料', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  invoiceReq: { name: '发票领用申请表', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  clearTax: { name: '清税证明', source: 'department', issuer: '税务机关', originals: 1, copies: 0, reuse: 'always' },
  liquidation: { name: '清算报告', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
  school: { name: '学籍证明', source: 'department', issuer: '学校', originals: 1, copies: 0, reuse: 'within_validity' },
  residence: { name: '居住证', source: 'department', issuer: '公安机关', originals: 1, copies: 1, reuse: 'within_validity' },
  vaccine: { name: '预防接种证', source: 'department', issuer: '接种单位', originals: 1, copies: 0, reuse: 'within_validity' },
  form: (name) => ({ name, source: 'applicant', originals: 1, copies: 0, reuse: 'never' }),
  opt: (m, condition) => ({ ...m, required: false, condition }),
};

// ---- guides -----------------------------------------------------------------------------------

// Where each kind of department receives applicants: the city's hall (宿州市政务服务中心,
// 汴河中路 1799 号) or the county's, with a window number per line of work.
const HALL_WINDOW = {
  zwfw: 'A 区综合受理窗口', ga: 'B 区公安窗口', jj: '交警车驾管服务窗口', sj: 'A 区市场准入窗口', rs: 'C 区人社窗口',
  gjj: 'C 区公积金窗口', yb: 'C 区医保窗口', mz: 'D 区民政窗口', wj: 'D 区卫生健康窗口', zr: 'E 区规划窗口',
  bdc: 'E 区不动产登记窗口', zj: 'E 区住建窗口', tax: 'F 区税务窗口', jt: 'D 区交通窗口', jyty: 'D 区教育窗口',
};
function place(kind, div) {
  const hall = div.code === CITY.code ? '宿州市政务服务中心（埇桥区汴河中路 1799 号）' : `${div.name}政务服务中心`;
  return `${hall}${HALL_WINDOW[kind] || '综合受理窗口'}`;
}
const HOURS = '工作日 上午 9:00—12:00，下午 13:30—17:30（夏季 14:30—17:30），法定节假日除外';

// ---- the items --------------------------------------------------------------------------------

// item(SS, type, main, sub, name, kind, where, facts): the basic code is SS (00 the national
// catalog, 34 what Anhui added) + the type (GB/T 39046 A.1) + the main and sub numbers; kind the
// line of work of the implementing department; where 'c' the city only, 'x' each district and
// county only, 'cx' the city and each of them; facts the guide's.
const P = 1, O = 2;     // service objects: 自然人, 企业法人
const ITEMS = [];
function item(ss, tt, main, sub, name, kind, where, x) {
  ITEMS.push({ basic_code: `${ss}${tt}${String(main).padStart(5, '0')}${String(sub).padStart(3, '0')}`, name, kind, where, ...x });
}

// 公安 (户籍、身份证、出入境在县级公安局办理；市局办理审批类)
item('00', '07', 2019, 0, '户口迁移', 'ga', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 5,
  aliases: ['户籍迁移', '迁户口', '户口迁入'], topics: ['housing', 'work'], pop: 960,
  law: '《中华人民共和国户口登记条例》第十条；《安徽省人民政府关于进一步推进户籍制度改革的意见》（皖政〔2015〕28号）',
  conditions: '在宿州市有合法稳定住所（含租赁）或合法稳定就业的人员，本人及其共同居住生活的配偶、未成年子女、父母可申请迁入。',
  mats: [M.id, M.hukou, M.opt(M.property, '以合法稳定住所申请的'), M.opt(M.labor, '以合法稳定就业申请的'), M.opt(M.marriage, '随迁配偶的'), M.proxy],
  result: '准予迁入证明', form: 'hukou', process: 'hukou' });
item('00', '07', 2019, 1, '新生儿入户', 'ga', 'x', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: ['新生儿落户', '出生登记', '宝宝上户口'], topics: ['birth'], pop: 880,
  law: '《中华人民共和国户口登记条例》第七条',
  conditions: '婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。',
  mats: [M.birth, M.hukou, M.id, M.marriage], result: '居民户口簿（新生儿页）', form: 'newborn' });
item('00', '07', 2019, 2, '户口注销（死亡）', 'ga', 'x', { objects: [P], depth: 3, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['死亡注销户口', '销户'], topics: ['death'], pop: 260,
  law: '《中华人民共和国户口登记条例》第八条', conditions: '公民死亡后，由户主、亲属、抚养人或者邻居申报死亡登记，注销户口。',
  mats: [M.death, M.hukou, M.id, M.opt(M.cremation, '已火化的')], result: '户口注销证明' });
item('00', '07', 2019, 3, '户口登记项目变更更正', 'ga', 'x', { objects: [P], depth: 2, visits: 1, ptype: 2, statutory: 20, promised: 5,
  aliases: ['户口信息更正', '改名字'], topics: [], pop: 180, law: '《中华人民共和国户口登记条例》第十七条',
  conditions: '户口登记的内容需要变更或者更正的，由户主或者本人向户口登记机关申报。', mats: [M.id, M.hukou, M.form('变更更正户口登记项目申请表')], result: '变更后的居民户口簿' });
item('00', '07', 2020, 0, '居民身份证换领', 'ga', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 20,
  aliases: ['身份证到期换证', '换身份证', '身份证换领'], topics: ['travel'], pop: 990,
  law: '《中华人民共和国居民身份证法》第五条、第八条', conditions: '居民身份证有效期满、证件损坏或登记项目变更的。',
  mats: [M.id, M.hukou, M.photo], result: '居民身份证', form: 'idcard', charged: true, fee: '工本费 20 元（《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》）' });
item('00', '07', 2020, 1, '居民身份证补领', 'ga', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 20,
  aliases: ['身份证丢了', '身份证挂失补办'], topics: ['travel'], pop: 720, law: '《中华人民共和国居民身份证法》第十一条',
  conditions: '居民身份证丢失的。', mats: [M.hukou, M.photo], result: '居民身份证', charged: true, fee: '工本费 40 元' });
item('00', '07', 2020, 2, '临时居民身份证核发', 'ga', 'x', { objects: [P], depth: 1, visits: 1, ptype: 1, statutory: 3, promised: 0,
  aliases: ['临时身份证'], topics: ['travel'], pop: 410, law: '《中华人民共和国临时居民身份证管理办法》第三条',
  conditions: '正在申领、换领、补领居民身份证期间，急需使用居民身份证的。', mats: [M.hukou, M.photo], result: '临时居民身份证', charged: true, fee: '工本费 10 元' });
item('00', '07', 2021, 0, '居住证核发', 'ga', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 7,
  aliases: ['办居住证', '暂住证'], topics: ['housing', 'work'], pop: 530, law: '《居住证暂行条例》第二条、第九条',
  conditions: '离开常住户口所在地，到宿州市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的。',
  mats: [M.id, M.photo, M.opt(M.labor, '以就业申请的'), M.opt(M.school, '以就读申请的'), M.site], result: '居住证' });
item('00', '01', 2022, 0, '普通护照签发', 'ga', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 7,
  aliases: ['办护照', '护照申请'], topics: ['travel'], pop: 650, law: '《中华人民共和国护照法》第五条、第六条',
  conditions: '中国公民因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的。', mats: [M.id, M.photo], result: '普通护照',
  charged: true, fee: '护照 120 元（《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》）' });
item('00', '01', 2022, 1, '往来港澳通行证及签注签发', 'ga', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 7,
  aliases: ['港澳通行证', '港澳签注'], topics: ['travel'], pop: 610, law: '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》第三条',
  conditions: '内地居民因私事前往香港、澳门的。', mats: [M.id, M.photo], result: '往来港澳通行证', charged: true, fee: '证件 60 元，签注每次 15 元' });
item('00', '01', 2022, 2, '往来台湾通行证及签注签发', 'ga', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 10,
  aliases: ['台湾通行证', '赴台签注'], topics: ['travel'], pop: 190, law: '《中国公民往来台湾地区管理办法》第五条',
  conditions: '大陆居民前往台湾的。', mats: [M.id, M.photo], result: '往来台湾通行证', charged: true, fee: '证件 60 元，签注每次 15 元' });
item('00', '01', 2023, 0, '剧毒化学品购买许可', 'ga', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 3, promised: 2,
  aliases: ['剧毒化学品购买证'], topics: ['permits'], pop: 25, law: '《危险化学品安全管理条例》第三十八条、第三十九条',
  conditions: '依法取得危险化学品安全生产许可证、使用许可证、经营许可证的企业以外的单位购买剧毒化学品的。',
  mats: [M.license, M.legalId, M.form('剧毒化学品购买申请表'), M.safety], result: '剧毒化学品购买许可证' });
item('00', '01', 2024, 0, '大型群众性活动安全许可', 'ga', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 7,
  aliases: ['演唱会审批', '大型活动报批'], topics: ['operation'], pop: 40, law: '《大型群众性活动安全管理条例》第十一条、第十三条',
  conditions: '预计参加人数在 1000 人以上的体育比赛、演唱会、展览、展销等活动。', mats: [M.license, M.safety, M.form('大型群众性活动安全许可申请表'), M.site],
  result: '大型群众性活动安全许可决定书', process: 'event' });
item('00', '01', 2025, 0, '公章刻制备案', 'ga', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['刻章', '印章备案', '刻公章'], topics: ['startup'], pop: 610, law: '《国务院关于第一批清理规范 89 项国务院部门行政审批中介服务事项的决定》；《印铸刻字业暨印章管理办法》',
  conditions: '新设立或印章损坏、遗失需重新刻制的单位。', mats: [M.license, M.legalId], result: '印章备案回执' });

// 交警
item('00', '01', 2030, 0, '机动车驾驶证申领', 'jj', 'c', { objects: [P], depth: 3, visits: 2, ptype: 2, statutory: 20, promised: 10,
  visitsReason: '须到考场参加科目考试', aliases: ['考驾照', '驾照申领', '学车'], topics: ['travel'], pop: 700,
  law: '《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》', conditions: '年满 18 周岁，身体条件符合规定的。',
  mats: [M.id, M.medical, M.photo], result: '机动车驾驶证', charged: true, fee: '考试费按安徽省物价局核定标准收取' });
item('00', '07', 2030, 1, '机动车驾驶证换证', 'jj', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['驾照到期换证', '换驾照'], topics: ['travel'], pop: 540, law: '《机动车驾驶证申领和使用规定》第五十七条',
  conditions: '机动车驾驶证有效期满前九十日内。', mats: [M.drive, M.medical, M.photo], result: '机动车驾驶证', charged: true, fee: '工本费 10 元' });
item('00', '07', 2031, 0, '机动车注册登记', 'jj', 'cx', { objects: [P, O], depth: 3, visits: 1, ptype: 1, statutory: 2, promised: 1,
  aliases: ['新车上牌', '上牌照'], topics: ['travel'], pop: 580, law: '《中华人民共和国道路交通安全法》第八条、第九条；《机动车登记规定》',
  conditions: '初次申领机动车号牌、行驶证的。', mats: [M.id, M.form('机动车注册登记申请表'), M.insurance, M.form('机动车来历证明（购车发票）')],
  result: '机动车登记证书、号牌、行驶证', charged: true, fee: '号牌 100 元、行驶证 10 元、登记证书 10 元' });
item('00', '07', 2031, 1, '机动车转移登记', 'jj', 'cx', { objects: [P, O], depth: 3, visits: 1, ptype: 1, statutory: 1, promised: 1,
  aliases: ['车辆过户', '二手车过户'], topics: ['travel'], pop: 430, law: '《机动车登记规定》第二十五条',
  conditions: '机动车所有权在登记地车辆管理所管辖区域内转移的。', mats: [M.id, M.vehicle, M.form('机动车转移证明凭证')], result: '机动车登记证书（变更）' });
item('00', '07', 2031, 2, '机动车检验合格标志核发', 'jj', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['年检', '车辆年审', '电子检验标志'], topics: ['travel'], pop: 680, law: '《中华人民共和国道路交通安全法实施条例》第十六条',
  conditions: '机动车在检验有效期满前三个月内。', mats: [M.insurance, M.form('机动车安全技术检验报告')], result: '电子检验合格标志' });

// 民政
item('00', '07', 3001, 0, '内地居民结婚登记', 'mz', 'x', { objects: [P], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  visitsReason: '双方须亲自到婚姻登记机关现场申请', aliases: ['结婚登记', '领结婚证', '扯证'], topics: ['marriage'], pop: 820,
  law: '《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条',
  conditions: '男女双方完全自愿，男年满 22 周岁、女年满 20 周岁，双方均无配偶且无禁止结婚的亲属关系。',
  mats: [M.id, M.opt(M.hukou, '未开通全国通办的'), M.photo, M.form('申请结婚登记声明书')], result: '结婚证', form: 'marriage' });
item('00', '07', 3001, 1, '内地居民离婚登记', 'mz', 'x', { objects: [P], depth: 2, visits: 2, ptype: 2, statutory: 30, promised: 30,
  visitsReason: '申请后 30 日离婚冷静期届满再到现场领证', aliases: ['协议离婚', '离婚证'], topics: ['marriage'], pop: 300,
  law: '《中华人民共和国民法典》第一千零七十六条、第一千零七十七条', conditions: '男女双方自愿离婚并已对子女抚养、财产及债务处理等事项协商一致的。',
  mats: [M.id, M.hukou, M.marriage, M.form('离婚协议书')], result: '离婚证' });
item('00', '07', 3001, 2, '补领婚姻登记证', 'mz', 'x', { objects: [P], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['结婚证丢了补办', '补结婚证'], topics: ['marriage'], pop: 150, law: '《婚姻登记条例》第十七条',
  conditions: '结婚证、离婚证遗失或者损毁的。', mats: [M.id, M.hukou, M.photo], result: '结婚证或离婚证' });
item('00', '05', 3002, 0, '最低生活保障审核确认', 'mz', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['低保申请', '吃低保'], topics: ['social_security'], pop: 390, law: '《社会救助暂行办法》第九条至第十一条；《安徽省最低生活保障办法》',
  conditions: '共同生活的家庭成员人均收入低于当地最低生活保障标准，且财产状况符合规定的。',
  mats: [M.id, M.hukou, M.income, M.form('最低生活保障申请书')], result: '最低生活保障金领取证', process: 'dibao' });
item('00', '05', 3003, 0, '特困人员认定', 'mz', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['五保', '特困供养'], topics: ['social_security'], pop: 120, law: '《社会救助暂行办法》第十四条',
  conditions: '无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力的老年人、残疾人以及未满 16 周岁的未成年人。',
  mats: [M.id, M.hukou, M.income], result: '特困人员救助供养证' });
item('00', '05', 3004, 0, '临时救助', 'mz', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 10,
  aliases: ['急难救助'], topics: ['social_security'], pop: 150, law: '《社会救助暂行办法》第四十七条',
  conditions: '因火灾、交通事故等意外事件或家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭或个人。',
  mats: [M.id, M.income, M.opt(M.diagnosis, '因病申请的')], result: '临时救助金' });
item('00', '05', 3005, 0, '高龄津贴发放', 'mz', 'x', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 10,
  aliases: ['老年人补贴', '高龄补贴'], topics: ['retirement'], pop: 330, law: '《安徽省老年人权益保障条例》第二十七条',
  conditions: '具有本县（区）户籍、年满 80 周岁的老年人。', mats: [M.id, M.bank], result: '高龄津贴' });
item('00', '07', 3006, 0, '社会团体成立登记', 'mz', 'cx', { objects: [4], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 20,
  aliases: ['成立协会', '社团登记'], topics: ['startup'], pop: 45, law: '《社会团体登记管理条例》第九条、第十一条',
  conditions: '有 50 个以上的个人会员或者 30 个以上的单位会员，有规范的名称和相应的组织机构。',
  mats: [M.form('成立登记申请书'), M.articles, M.form('业务主管单位批准文件'), M.site], result: '社会团体法人登记证书' });
item('00', '07', 3007, 0, '民办非企业单位成立登记', 'mz', 'cx', { objects: [4], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 20,
  aliases: ['民非登记', '社会服务机构登记'], topics: ['startup'], pop: 40, law: '《民办非企业单位登记管理暂行条例》第八条',
  conditions: '经业务主管单位审查同意，有规范的名称、必要的组织机构和合法的财产。', mats: [M.form('登记申请书'), M.articles, M.site],
  result: '民办非企业单位（法人）登记证书' });
item('00', '20', 3008, 0, '殡葬服务（遗体火化）', 'mz', 'x', { objects: [P], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['火化', '殡葬'], topics: ['death'], pop: 210, law: '《殡葬管理条例》第七条', conditions: '在实行火葬的地区死亡的公民。',
  mats: [M.death, M.id], result: '火化证明' });
item('00', '05', 3009, 0, '困难残疾人生活补贴和重度残疾人护理补贴', 'mz', 'x', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 15,
  aliases: ['残疾人两项补贴'], topics: ['social_security'], pop: 260, law: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
  conditions: '持有第二代残疾人证的低保家庭残疾人，或残疾等级为一级、二级的重度残疾人。', mats: [M.id, M.form('残疾人证'), M.bank], result: '补贴发放' });

// 人社
item('00', '20', 4001, 0, '社会保障卡申领', 'rs', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 15, promised: 5,
  aliases: ['社保卡办理', '办社保卡', '第三代社保卡'], topics: ['social_security', 'work', 'birth'], pop: 900,
  law: '《中华人民共和国社会保险法》第五十八条', conditions: '参加社会保险的人员及其他需要办理社会保障卡的人员。',
  mats: [M.id, M.photo, M.opt(M.hukou, '未满 16 周岁的')], result: '社会保障卡', form: 'sscard' });
item('00', '20', 4001, 1, '社会保障卡挂失补换', 'rs', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 1,
  aliases: ['社保卡丢了', '社保卡补办'], topics: ['social_security'], pop: 520, law: '《社会保障卡管理办法》', conditions: '社会保障卡丢失、损坏或信息变更的。',
  mats: [M.id], result: '社会保障卡' });
item('00', '20', 4002, 0, '城镇职工基本养老保险参保登记', 'rs', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 15, promised: 1,
  aliases: ['养老保险参保', '交社保'], topics: ['social_security', 'work', 'startup'], pop: 470, law: '《中华人民共和国社会保险法》第十条、第五十七条',
  conditions: '用人单位及其职工，以及无雇工的个体工商户、灵活就业人员。', mats: [M.license, M.id], result: '参保登记' });
item('00', '05', 4003, 0, '城镇职工基本养老保险待遇申领（退休）', 'rs', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 15,
  aliases: ['办理退休', '退休手续', '领养老金'], topics: ['retirement', 'social_security'], pop: 760, law: '《中华人民共和国社会保险法》第十六条',
  conditions: '达到法定退休年龄且累计缴费满十五年的参保人员。', mats: [M.id, M.retire, M.bank, M.opt(M.form('档案'), '企业职工')], result: '基本养老金核定表', form: 'retire', process: 'retire' });
item('00', '05', 4004, 0, '失业保险金申领', 'rs', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 10, promised: 3,
  aliases: ['领失业金', '失业补助'], topics: ['work', 'social_security'], pop: 540, law: '《中华人民共和国社会保险法》第四十五条；《失业保险条例》第十四条',
  conditions: '失业前用人单位和本人已缴纳失业保险费满一年，非因本人意愿中断就业，已办理失业登记并有求职要求的。',
  mats: [M.id, M.form('解除或终止劳动关系证明'), M.bank], result: '失业保险金' });
item('00', '07', 4005, 0, '就业创业证申领', 'rs', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 0,
  aliases: ['失业登记', '就业失业登记证'], topics: ['work'], pop: 380, law: '《就业服务与就业管理规定》第六十一条',
  conditions: '法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者。', mats: [M.id], result: '就业创业证' });
item('00', '05', 4006, 0, '一次性创业补贴申领', 'rs', 'cx', { objects: [P, O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['创业补贴'], topics: ['startup', 'work'], pop: 160, law: '《安徽省就业补助资金管理办法》',
  conditions: '首次创办小微企业或从事个体经营，且正常经营 6 个月以上的高校毕业生、就业困难人员等。', mats: [M.id, M.license, M.form('创业补贴申请表')], result: '补贴到账' });
item('00', '07', 4007, 0, '工伤认定', 'rs', 'c', { objects: [P, O], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 30,
  aliases: ['工伤申报'], topics: ['work', 'health'], pop: 290, law: '《工伤保险条例》第十四条至第二十条',
  conditions: '职工发生事故伤害或者被诊断、鉴定为职业病的，所在单位自事故伤害发生之日起 30 日内提出申请。',
  mats: [M.id, M.form('工伤认定申请表'), M.labor, M.diagnosis], result: '认定工伤决定书', process: 'injury' });
item('00', '01', 4008, 0, '人力资源服务许可', 'rs', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 5,
  aliases: ['职业中介许可', '劳务派遣'], topics: ['permits'], pop: 35, law: '《人力资源市场暂行条例》第十八条',
  conditions: '经营性人力资源服务机构从事职业中介活动的。', mats: [M.license, M.site, M.qualification], result: '人力资源服务许可证' });
item('00', '20', 4009, 0, '职业技能等级证书查询', 'rs', 'c', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: ['技能证书查询'], topics: ['work'], pop: 120, law: '《国家职业资格目录》', conditions: '取得职业资格或职业技能等级证书的人员。',
  mats: [M.id], result: '查询结果' });
item('00', '20', 4010, 0, '城乡居民基本养老保险参保登记', 'rs', 'x', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 0,
  aliases: ['新农保', '居民养老保险'], topics: ['social_security', 'retirement'], pop: 420, law: '《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）',
  conditions: '年满 16 周岁（不含在校学生），非国家机关和事业单位工作人员，不属于职工基本养老保险覆盖范围的城乡居民。', mats: [M.id, M.hukou], result: '参保登记' });

// 公积金（市中心统一办理）
item('00', '20', 5001, 0, '住房公积金提取（购买自住住房）', 'gjj', 'c', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 0,
  aliases: ['公积金提取', '提取公积金', '买房提公积金'], topics: ['housing'], pop: 970, law: '《住房公积金管理条例》第二十四条',
  conditions: '购买、建造、翻建、大修自住住房的职工。', mats: [M.id, M.contract, M.opt(M.property, '已取得不动产权证书的'), M.bank],
  result: '提取资金到账', form: 'hpfDraw' });
item('00', '20', 5001, 1, '住房公积金提取（租房）', 'gjj', 'c', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 0,
  aliases: ['租房提取公积金', '公积金付房租'], topics: ['housing'], pop: 780, law: '《住房公积金管理条例》第二十四条',
  conditions: '职工连续足额缴存住房公积金满 3 个月，本人及配偶在缴存城市无自有住房且租赁住房的。', mats: [M.id, M.bank], result: '提取资金到账' });
item('00', '20', 5001, 2, '住房公积金提取（离退休）', 'gjj', 'c', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 0,
  aliases: ['退休提取公积金', '销户提取'], topics: ['housing', 'retirement'], pop: 420, law: '《住房公积金管理条例》第二十四条', conditions: '职工离休、退休的。',
  mats: [M.id, M.retire, M.bank], result: '提取资金到账' });
item('00', '20', 5002, 0, '住房公积金个人住房贷款', 'gjj', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 10,
  aliases: ['公积金贷款', '公积金买房贷款'], topics: ['housing'], pop: 850, law: '《住房公积金管理条例》第二十六条',
  conditions: '连续足额缴存住房公积金 6 个月以上，购买自住住房的职工。', mats: [M.id, M.marriage, M.contract, M.form('个人住房公积金贷款申请表'), M.form('收入证明')],
  result: '借款合同', process: 'hpfLoan' });
item('00', '20', 5003, 0, '住房公积金缴存登记（单位）', 'gjj', 'c', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 0,
  aliases: ['公积金开户', '单位开户'], topics: ['startup', 'housing'], pop: 310, law: '《住房公积金管理条例》第十四条',
  conditions: '新设立的单位自设立之日起 30 日内。', mats: [M.license, M.legalId, M.form('单位住房公积金缴存登记表')], result: '单位公积金账号' });
item('00', '20', 5004, 0, '住房公积金缴存证明出具', 'gjj', 'c', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['公积金缴存证明', '公积金查询'], topics: ['housing'], pop: 440, law: '《住房公积金管理条例》第十七条', conditions: '缴存住房公积金的职工。',
  mats: [M.id], result: '住房公积金缴存证明' });

// 医保
item('00', '20', 6001, 0, '城乡居民基本医疗保险参保登记', 'yb', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 0,
  aliases: ['居民医保参保', '新农合', '交医保'], topics: ['health', 'birth'], pop: 800, law: '《中华人民共和国社会保险法》第二十五条',
  conditions: '未参加职工基本医疗保险的城乡居民（含新生儿、在校学生）。', mats: [M.id, M.opt(M.birth, '新生儿参保的')], result: '参保登记' });
item('00', '05', 6002, 0, '医疗费用手工（零星）报销', 'yb', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['医保报销', '看病报销', '零星报销'], topics: ['health'], pop: 690, law: '《中华人民共和国社会保险法》第二十九条',
  conditions: '参保人员因急诊、异地就医未能直接结算等原因自行垫付医疗费用的。', mats: [M.id, M.invoice, M.diagnosis, M.bank], result: '报销款到账', form: 'reimburse' });
item('00', '20', 6003, 0, '异地就医备案', 'yb', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['异地就医登记', '外地看病备案'], topics: ['health', 'travel'], pop: 720, law: '《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》',
  conditions: '异地长期居住、临时外出就医的参保人员。', mats: [M.id, M.opt(M.residence, '异地长期居住人员')], result: '备案成功' });
item('00', '07', 6004, 0, '门诊慢特病待遇认定', 'yb', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 15,
  aliases: ['慢性病认定', '特殊病种认定', '办慢病卡'], topics: ['health'], pop: 560, law: '《安徽省基本医疗保险门诊慢特病管理办法》',
  conditions: '患有规定病种，经二级及以上定点医疗机构确诊的参保人员。', mats: [M.id, M.diagnosis, M.form('门诊慢特病申请表')], result: '门诊慢特病待遇资格' });
item('00', '20', 6005, 0, '医保关系转移接续', 'yb', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 45, promised: 15,
  aliases: ['医保转移', '医保转出'], topics: ['health', 'work'], pop: 330, law: '《流动就业人员基本医疗保障关系转移接续暂行办法》',
  conditions: '跨统筹地区流动就业的参保人员。', mats: [M.id], result: '转移接续完成' });
item('00', '05', 6006, 0, '生育保险待遇核准支付', 'yb', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['生育津贴', '生育报销'], topics: ['birth', 'health'], pop: 470, law: '《中华人民共和国社会保险法》第五十四条',
  conditions: '用人单位已经缴纳生育保险费，职工生育或计划生育手术的。', mats: [M.id, M.birth, M.diagnosis, M.bank], result: '生育保险待遇' });

// 卫健
item('00', '07', 7001, 0, '出生医学证明首次签发', 'wj', 'x', { objects: [P], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['出生证', '办出生证明'], topics: ['birth'], pop: 640, law: '《中华人民共和国母婴保健法》第二十三条',
  conditions: '在本辖区助产机构内出生的新生儿。', mats: [M.id, M.marriage, M.opt(M.hukou, '需核对户籍信息的')], result: '出生医学证明' });
item('00', '20', 7002, 0, '生育登记', 'wj', 'x', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: ['准生证', '生育服务证'], topics: ['birth'], pop: 590, law: '《安徽省人口与计划生育条例》第二十条', conditions: '生育子女的夫妻。',
  mats: [M.id, M.marriage], result: '生育登记服务单' });
item('00', '01', 7003, 0, '医疗机构执业登记', 'wj', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 45, promised: 15,
  aliases: ['诊所执业登记', '开诊所'], topics: ['permits'], pop: 70, law: '《医疗机构管理条例》第十五条',
  conditions: '取得设置医疗机构批准书，按照规定完成建设的医疗机构。', mats: [M.form('医疗机构申请执业登记注册书'), M.site, M.qualification],
  result: '医疗机构执业许可证', process: 'clinic' });
item('00', '01', 7004, 0, '医师执业注册', 'wj', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 5,
  aliases: ['医师注册', '变更执业地点'], topics: ['work'], pop: 160, law: '《中华人民共和国医师法》第十三条',
  conditions: '取得医师资格，拟在医疗、预防、保健机构中执业的。', mats: [M.qualification, M.medical, M.form('医师执业注册申请审核表')], result: '医师执业证书' });
item('00', '01', 7005, 0, '公共场所卫生许可', 'wj', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 3,
  aliases: ['卫生许可证', '理发店卫生许可', '宾馆卫生许可'], topics: ['permits'], pop: 260, law: '《公共场所卫生管理条例》第八条',
  conditions: '经营宾馆、美容美发、沐浴、游泳场所等公共场所的单位或个体。', mats: [M.license, M.form('卫生许可申请表'), M.health, M.site],
  result: '公共场所卫生许可证' });
item('00', '07', 7006, 0, '预防接种证办理', 'wj', 'x', { objects: [P], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['打疫苗本', '接种本'], topics: ['birth', 'school'], pop: 340, law: '《中华人民共和国疫苗管理法》第四十七条', conditions: '儿童出生后一个月内。',
  mats: [M.birth, M.id], result: '预防接种证' });

// 市场监管
item('00', '01', 8001, 0, '食品经营许可证核发', 'sj', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 5,
  aliases: ['餐饮许可证', '食品经营许可', '开饭店许可'], topics: ['permits', 'startup'], pop: 830,
  law: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》',
  conditions: '具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度的。',
  mats: [M.license, M.legalId, M.site, M.plan, M.foodRules, M.health, M.proxy], result: '食品经营许可证', form: 'food', process: 'food' });
item('00', '01', 8001, 1, '食品经营许可证变更', 'sj', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 2, statutory: 10, promised: 3,
  aliases: ['餐饮许可证变更'], topics: ['permits', 'change'], pop: 230, law: '《食品经营许可和备案管理办法》第二十八条',
  conditions: '食品经营许可证载明的许可事项发生变化的。', mats: [M.license, M.form('食品经营许可变更申请书')], result: '食品经营许可证（变更）' });
item('00', '01', 8002, 0, '食品生产许可证核发', 'sj', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['SC 认证', '食品生产许可'], topics: ['permits'], pop: 180, law: '《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》',
  conditions: '在中华人民共和国境内从事食品生产活动的。', mats: [M.license, M.site, M.plan, M.foodRules, M.form('食品生产设备清单')], result: '食品生产许可证', process: 'food' });
item('00', '07', 8003, 0, '企业设立登记', 'sj', 'cx', { objects: [O, P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 1,
  aliases: ['公司注册', '开公司', '办营业执照', '公司设立'], topics: ['startup'], pop: 940,
  law: '《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第二十一条',
  conditions: '有符合规定的名称、住所、注册资本、章程和组织机构的。', mats: [M.nameNotice, M.articles, M.legalId, M.site, M.form('公司登记（备案）申请书')],
  result: '营业执照', form: 'company', process: 'company' });
item('00', '07', 8003, 1, '企业变更登记', 'sj', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 1,
  aliases: ['营业执照变更', '公司变更', '法人变更'], topics: ['change'], pop: 520, law: '《中华人民共和国市场主体登记管理条例》第二十四条',
  conditions: '市场主体登记事项发生变更的，自作出变更决议、决定之日起 30 日内申请。', mats: [M.license, M.form('变更登记申请书'), M.form('股东会决议')], result: '营业执照（变更）' });
item('00', '07', 8003, 2, '企业注销登记', 'sj', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 1,
  aliases: ['公司注销', '关闭公司', '简易注销'], topics: ['closing'], pop: 450, law: '《中华人民共和国市场主体登记管理条例》第三十一条、第三十三条',
  conditions: '因解散、被宣告破产或者其他法定事由需要终止的。', mats: [M.license, M.liquidation, M.clearTax, M.form('注销登记申请书')], result: '准予注销登记通知书' });
item('00', '07', 8004, 0, '个体工商户设立登记', 'sj', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 0,
  aliases: ['个体户注册', '办个体执照', '开店执照'], topics: ['startup'], pop: 880, law: '《促进个体工商户发展条例》第八条',
  conditions: '有经营能力的公民，有固定的经营场所的。', mats: [M.id, M.site, M.form('个体工商户登记（备案）申请书')], result: '营业执照', form: 'soleTrader' });
item('00', '07', 8004, 1, '个体工商户注销登记', 'sj', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 0,
  aliases: ['个体户注销'], topics: ['closing'], pop: 290, law: '《促进个体工商户发展条例》', conditions: '个体工商户不再从事经营活动的。',
  mats: [M.license, M.id], result: '准予注销登记通知书' });
item('00', '07', 8005, 0, '农民专业合作社设立登记', 'sj', 'x', { objects: [P, 6], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 1,
  aliases: ['合作社注册'], topics: ['startup'], pop: 120, law: '《中华人民共和国农民专业合作社法》第十六条',
  conditions: '有五名以上符合规定的成员，有符合规定的章程和组织机构。', mats: [M.articles, M.id, M.form('成员名册'), M.site], result: '营业执照' });
item('00', '01', 8006, 0, '特种设备使用登记', 'sj', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 15, promised: 5,
  aliases: ['电梯登记', '锅炉登记', '特种设备登记'], topics: ['operation'], pop: 130, law: '《中华人民共和国特种设备安全法》第三十三条',
  conditions: '特种设备在投入使用前或者投入使用后 30 日内。', mats: [M.license, M.form('特种设备使用登记表'), M.form('监督检验证明')], result: '特种设备使用登记证' });
item('00', '01', 8007, 0, '药品零售企业许可', 'sj', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 15,
  aliases: ['开药店', '药品经营许可证'], topics: ['permits'], pop: 90, law: '《中华人民共和国药品管理法》第五十一条',
  conditions: '有依法经过资格认定的药师或者其他药学技术人员，有相应的营业场所、设备、仓储设施和卫生环境的。',
  mats: [M.license, M.qualification, M.site, M.form('质量管理文件')], result: '药品经营许可证', process: 'pharmacy' });
item('00', '01', 8008, 0, '工业产品生产许可证核发', 'sj', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['生产许可证'], topics: ['permits'], pop: 30, law: '《中华人民共和国工业产品生产许可证管理条例》第九条',
  conditions: '生产列入目录产品的企业。', mats: [M.license, M.form('产品检验报告')], result: '工业产品生产许可证' });
item('34', '07', 8009, 0, '小餐饮经营许可', 'sj', 'x', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 10, promised: 1,
  aliases: ['小餐饮登记', '小吃店许可'], topics: ['permits', 'startup'], pop: 370, law: '《安徽省食品安全条例》第四十一条',
  conditions: '有固定经营场所、从业人员较少、经营条件简单的小餐饮经营者。', mats: [M.id, M.site, M.health], result: '小餐饮经营许可证' });

// 税务
item('00', '20', 9001, 0, '新办纳税人套餐式服务', 'tax', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['税务登记', '新办企业涉税事项'], topics: ['startup', 'tax'], pop: 700, law: '《中华人民共和国税收征收管理法》第十五条',
  conditions: '新设立登记的企业、个体工商户。', mats: [M.license, M.legalId], result: '税务信息确认' });
item('00', '20', 9002, 0, '发票领用', 'tax', 'cx', { objects: [O, P], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['领发票', '申领发票', '数电发票'], topics: ['tax', 'startup'], pop: 820, law: '《中华人民共和国发票管理办法》第十五条',
  conditions: '已办理涉税信息确认的纳税人。', mats: [M.invoiceReq], result: '发票（或数电发票额度）' });
item('00', '20', 9003, 0, '个人所得税综合所得汇算清缴', 'tax', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: ['个税汇算', '个税退税', '年度汇算'], topics: ['tax', 'work'], pop: 890, law: '《中华人民共和国个人所得税法》第十一条',
  conditions: '取得综合所得需要办理汇算清缴的居民个人，于次年 3 月 1 日至 6 月 30 日办理。', mats: [M.taxForm], result: '退（补）税' });
item('00', '20', 9004, 0, '清税申报', 'tax', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['税务注销', '清税证明'], topics: ['closing', 'tax'], pop: 260, law: '《中华人民共和国税收征收管理法实施细则》第十五条',
  conditions: '办理注销登记的纳税人。', mats: [M.license, M.form('清税申报表')], result: '清税证明' });
item('00', '04', 9005, 0, '契税申报', 'tax', 'cx', { objects: [P, O], depth: 3, visits: 1, ptype: 1, statutory: 1, promised: 0,
  aliases: ['买房交契税', '契税缴纳'], topics: ['housing', 'tax'], pop: 610, law: '《中华人民共和国契税法》第一条、第九条',
  conditions: '在境内转移土地、房屋权属，承受的单位和个人。', mats: [M.id, M.contract, M.form('契税纳税申报表')], result: '完税证明', charged: true, fee: '按成交价格的 1%—3% 计征（《中华人民共和国契税法》）' });
item('00', '04', 9006, 0, '二手房交易税费申报', 'tax', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 1, statutory: 1, promised: 0,
  aliases: ['二手房缴税', '存量房交易税'], topics: ['housing', 'tax'], pop: 520, law: '《中华人民共和国个人所得税法》；《中华人民共和国增值税暂行条例》',
  conditions: '存量房交易的买卖双方。', mats: [M.id, M.contract, M.property], result: '完税证明', charged: true, fee: '依法计征' });

// 不动产
item('00', '07', 10001, 0, '国有建设用地使用权及房屋所有权转移登记（二手房）', 'bdc', 'cx', { objects: [P, O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 3,
  aliases: ['二手房过户', '房屋过户', '房产过户'], topics: ['housing'], pop: 910,
  law: '《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》第十四条；《不动产登记暂行条例实施细则》第三十八条',
  conditions: '买卖、互换、赠与、继承等导致不动产权属转移的。', mats: [M.id, M.property, M.contract, M.form('完税凭证'), M.opt(M.marriage, '已婚的')],
  result: '不动产权证书', form: 'transfer', process: 'transfer' });
item('00', '07', 10001, 1, '国有建设用地使用权及房屋所有权首次登记（新建商品房）', 'bdc', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 5,
  aliases: ['大确权', '房屋首次登记'], topics: ['construction', 'housing'], pop: 150, law: '《不动产登记暂行条例实施细则》第三十五条',
  conditions: '新建房屋竣工验收后，由房地产开发企业申请。', mats: [M.license, M.landDoc, M.planPermit, M.form('竣工验收备案表'), M.form('房屋测绘报告')], result: '不动产权证书' });
item('00', '07', 10001, 2, '新建商品房转移登记', 'bdc', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 30, promised: 3,
  aliases: ['新房办证', '小产证', '新房过户'], topics: ['housing'], pop: 760, law: '《不动产登记暂行条例实施细则》第三十八条',
  conditions: '购买新建商品房，已完成首次登记的。', mats: [M.id, M.contract, M.form('完税凭证')], result: '不动产权证书' });
item('00', '07', 10002, 0, '抵押权首次登记', 'bdc', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 2, statutory: 30, promised: 1,
  aliases: ['房屋抵押登记', '按揭登记'], topics: ['housing'], pop: 480, law: '《中华人民共和国民法典》第四百零二条', conditions: '以不动产设定抵押的。',
  mats: [M.id, M.property, M.form('抵押合同'), M.form('主债权合同')], result: '不动产登记证明' });
item('00', '07', 10002, 1, '抵押权注销登记', 'bdc', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 30, promised: 1,
  aliases: ['解押', '注销抵押'], topics: ['housing'], pop: 420, law: '《不动产登记暂行条例实施细则》第七十四条', conditions: '主债权消灭或抵押权人放弃抵押权的。',
  mats: [M.id, M.form('不动产登记证明'), M.form('抵押权人同意注销的证明')], result: '注销登记完成' });
item('00', '20', 10003, 0, '不动产登记资料查询', 'bdc', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: ['房产查询', '查房产证', '无房证明'], topics: ['housing'], pop: 640, law: '《不动产登记资料查询暂行办法》第十四条', conditions: '权利人、利害关系人。',
  mats: [M.id], result: '不动产登记信息查询结果' });

// 住建
item('00', '01', 11001, 0, '建筑工程施工许可证核发', 'zj', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 7, promised: 3,
  aliases: ['施工许可证', '开工许可'], topics: ['construction'], pop: 140, law: '《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》',
  conditions: '已办理用地批准手续，取得建设工程规划许可证，施工场地已具备施工条件，已确定施工企业的。',
  mats: [M.license, M.planPermit, M.construct, M.form('施工图审查合格书'), M.form('建筑工程施工许可申请表')], result: '建筑工程施工许可证', process: 'build' });
item('00', '01', 11002, 0, '商品房预售许可', 'zj', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 10, promised: 5,
  aliases: ['预售证'], topics: ['construction', 'housing'], pop: 60, law: '《城市商品房预售管理办法》第六条、第七条',
  conditions: '已交付全部土地使用权出让金，取得土地使用权证书，持有建设工程规划许可证和施工许可证，投入开发建设的资金达到工程建设总投资的 25% 以上的。',
  mats: [M.license, M.landDoc, M.planPermit, M.form('工程施工进度证明'), M.form('商品房预售方案')], result: '商品房预售许可证' });
item('00', '07', 11003, 0, '房屋建筑和市政基础设施工程竣工验收备案', 'zj', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 5,
  aliases: ['竣工备案', '联合验收'], topics: ['construction'], pop: 80, law: '《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条',
  conditions: '工程竣工验收合格之日起 15 日内。', mats: [M.form('竣工验收备案表'), M.form('工程竣工验收报告'), M.form('消防验收意见')], result: '竣工验收备案证明', process: 'acceptance' });
item('00', '05', 11004, 0, '公共租赁住房保障资格审核', 'zj', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['公租房申请', '廉租房'], topics: ['housing'], pop: 360, law: '《公共租赁住房管理办法》第七条',
  conditions: '在本地无住房或者住房面积低于规定标准，收入、财产低于规定标准的家庭。', mats: [M.id, M.hukou, M.income, M.opt(M.marriage, '已婚的')], result: '公共租赁住房保障资格' });
item('00', '07', 11005, 0, '商品房买卖合同网签备案', 'zj', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 1, promised: 0,
  aliases: ['网签', '购房合同备案'], topics: ['housing'], pop: 600, law: '《城市房地产管理法》第四十五条', conditions: '签订商品房买卖合同的。',
  mats: [M.id, M.contract], result: '合同备案' });
item('00', '01', 11006, 0, '建筑业企业资质核准', 'zj', 'c', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 10,
  aliases: ['施工资质', '建筑资质'], topics: ['permits', 'construction'], pop: 90, law: '《建筑业企业资质管理规定》第九条',
  conditions: '申请施工总承包、专业承包三级资质及施工劳务资质的企业。', mats: [M.license, M.qualification, M.form('企业资质申请表')], result: '建筑业企业资质证书' });

// 自然资源和规划
item('00', '01', 12001, 0, '建设用地规划许可证核发', 'zr', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 7,
  aliases: ['用地规划许可'], topics: ['construction'], pop: 70, law: '《中华人民共和国城乡规划法》第三十七条、第三十八条',
  conditions: '以出让或划拨方式取得国有土地使用权的建设项目。', mats: [M.license, M.landDoc, M.form('建设项目用地预审与选址意见书')], result: '建设用地规划许可证' });
item('00', '01', 12002, 0, '建设工程规划许可证核发', 'zr', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['工程规划许可', '规划许可证'], topics: ['construction'], pop: 130, law: '《中华人民共和国城乡规划法》第四十条',
  conditions: '在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的。', mats: [M.license, M.landDoc, M.drawing, M.form('建设工程规划许可申请表')],
  result: '建设工程规划许可证', process: 'planning' });
item('00', '01', 12003, 0, '乡村建设规划许可证核发', 'zr', 'x', { objects: [P, O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['农村建房许可', '宅基地建房'], topics: ['housing', 'construction'], pop: 250, law: '《中华人民共和国城乡规划法》第四十一条',
  conditions: '在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设及农村村民住宅建设的。', mats: [M.id, M.form('农村宅基地和建房（规划许可）申请表'), M.drawing], result: '乡村建设规划许可证' });
item('00', '07', 12004, 0, '建设项目用地预审与选址意见书核发', 'zr', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['选址意见书', '用地预审'], topics: ['construction'], pop: 50, law: '《中华人民共和国土地管理法》第五十二条；《中华人民共和国城乡规划法》第三十六条',
  conditions: '需要申请核发选址意见书和办理用地预审的建设项目。', mats: [M.form('建设项目用地预审与选址申请表'), M.form('项目建议书或可行性研究报告')], result: '建设项目用地预审与选址意见书' });

// 交通
item('00', '01', 13001, 0, '道路货物运输经营许可', 'jt', 'cx', { objects: [O, P], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 5,
  aliases: ['道路运输经营许可证', '货运许可'], topics: ['permits'], pop: 180, law: '《中华人民共和国道路运输条例》第二十一条、第二十四条',
  conditions: '有与其经营业务相适应并经检测合格的车辆，有符合规定条件的驾驶人员，有健全的安全生产管理制度。', mats: [M.license, M.safety, M.drive, M.form('车辆情况说明')],
  result: '道路运输经营许可证' });
item('00', '01', 13002, 0, '道路运输从业人员从业资格证核发', 'jt', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 10, promised: 5,
  visitsReason: '须到考点参加考试', aliases: ['货运资格证', '客运资格证'], topics: ['work'], pop: 210, law: '《道路运输从业人员管理规定》第九条',
  conditions: '取得相应的机动车驾驶证，年龄不超过 60 周岁，经考试合格的。', mats: [M.id, M.drive, M.photo], result: '道路运输从业人员从业资格证' });
item('00', '01', 13003, 0, '网络预约出租汽车驾驶员证核发', 'jt', 'c', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['网约车驾驶员证', '滴滴司机证'], topics: ['work'], pop: 230, law: '《网络预约出租汽车经营服务管理暂行办法》第十四条',
  conditions: '取得相应准驾车型机动车驾驶证并具有 3 年以上驾驶经历，无交通肇事犯罪等记录的。', mats: [M.id, M.drive, M.form('无犯罪记录证明')], result: '网络预约出租汽车驾驶员证' });

// 教体
item('00', '20', 14001, 0, '义务教育阶段学校招生入学', 'jyty', 'x', { objects: [P], depth: 4, visits: 0, ptype: 1, statutory: 30, promised: 15,
  aliases: ['小学报名', '初中入学', '幼升小', '小升初'], topics: ['school'], pop: 930, law: '《中华人民共和国义务教育法》第十二条',
  conditions: '户籍或居住证在本学区、年满 6 周岁的适龄儿童，小学毕业生。', mats: [M.hukou, M.opt(M.property, '以房产入学的'), M.opt(M.residence, '随迁子女'), M.vaccine],
  result: '入学通知', form: 'school' });
item('00', '20', 14002, 0, '学生资助申请', 'jyty', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['助学金', '贫困生资助'], topics: ['school'], pop: 310, law: '《学生资助资金管理办法》', conditions: '家庭经济困难的在校学生。',
  mats: [M.id, M.school, M.form('家庭经济困难学生认定申请表')], result: '资助发放' });
item('00', '01', 14003, 0, '教师资格认定', 'jyty', 'cx', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 30, promised: 20,
  aliases: ['教资认定', '教师资格证'], topics: ['work'], pop: 480, law: '《中华人民共和国教师法》第十三条；《教师资格条例》',
  conditions: '具备规定学历，教师资格考试合格，普通话水平达标，体检合格的。', mats: [M.id, M.degree, M.photo, M.form('普通话水平测试等级证书'), M.medical], result: '教师资格证书' });
item('00', '01', 14004, 0, '民办学校办学许可（校外培训机构）', 'jyty', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['办学许可证', '培训机构审批'], topics: ['permits', 'school'], pop: 60, law: '《中华人民共和国民办教育促进法》第十二条',
  conditions: '具备法人条件，有必要的办学资金和稳定的经费来源、合格的教师和办学场所的。', mats: [M.form('申办报告'), M.articles, M.site, M.qualification], result: '办学许可证' });

// 退役军人、残联、人防、水利、农业、文旅、应急、生态、城管、发改、档案等
item('00', '20', 15001, 0, '退役士兵安置', 'ty', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['退伍安置', '退役报到'], topics: ['work'], pop: 170, law: '《退役军人安置条例》', conditions: '依法退出现役的士兵。',
  mats: [M.id, M.discharge, M.form('退役士兵档案')], result: '安置介绍信' });
item('00', '20', 15002, 0, '悬挂光荣牌', 'ty', 'x', { objects: [P], depth: 2, visits: 0, ptype: 1, statutory: 10, promised: 5,
  aliases: ['光荣之家'], topics: [], pop: 60, law: '《退役军人事务部等关于做好为烈属、军属和退役军人等家庭悬挂光荣牌工作的通知》',
  conditions: '烈属、军属和退役军人家庭。', mats: [M.id, M.discharge], result: '光荣牌' });
item('00', '07', 16001, 0, '残疾人证核发', 'cl', 'x', { objects: [P], depth: 3, visits: 2, ptype: 2, statutory: 30, promised: 15,
  visitsReason: '须到指定医疗机构进行残疾评定', aliases: ['办残疾证', '残疾证申领'], topics: ['health', 'social_security'], pop: 290,
  law: '《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》', conditions: '符合残疾标准的本地户籍居民。',
  mats: [M.id, M.hukou, M.photo, M.disability], result: '中华人民共和国残疾人证' });
item('00', '01', 17001, 0, '人防工程易地建设审批', 'rf', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['人防易地建设费', '防空地下室'], topics: ['construction'], pop: 30, law: '《中华人民共和国人民防空法》第二十二条',
  conditions: '按规定应修建防空地下室但因地质、地形等原因不能修建的。', mats: [M.form('人防工程易地建设申请表'), M.drawing], result: '审批决定', charged: true, fee: '易地建设费按安徽省规定标准收取' });
item('00', '01', 18001, 0, '取水许可', 'sl', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 45, promised: 20,
  aliases: ['取水证'], topics: ['permits'], pop: 40, law: '《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》',
  conditions: '直接从江河、湖泊或者地下取用水资源的单位和个人。', mats: [M.form('取水许可申请书'), M.form('建设项目水资源论证报告')], result: '取水许可证' });
item('00', '01', 18002, 0, '河道管理范围内建设项目工程建设方案审批', 'sl', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['涉河建设方案'], topics: ['construction'], pop: 25, law: '《中华人民共和国防洪法》第二十七条', conditions: '在河道管理范围内建设工程的。',
  mats: [M.form('申请书'), M.form('防洪评价报告')], result: '审批决定' });
item('00', '01', 19001, 0, '农药经营许可', 'ny', 'cx', { objects: [O, P], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 10,
  aliases: ['农药经营许可证'], topics: ['permits'], pop: 80, law: '《农药管理条例》第二十四条', conditions: '有具备农药和病虫害防治专业知识的经营人员和营业场所的。',
  mats: [M.license, M.site, M.qualification], result: '农药经营许可证' });
item('00', '01', 19002, 0, '动物防疫条件合格证核发', 'ny', 'cx', { objects: [O, P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['养殖场防疫合格证'], topics: ['permits'], pop: 70, law: '《中华人民共和国动物防疫法》第二十五条', conditions: '开办动物饲养场、屠宰加工场所的。',
  mats: [M.form('动物防疫条件审查申请表'), M.site, M.plan], result: '动物防疫条件合格证' });
item('00', '05', 19003, 0, '耕地地力保护补贴', 'ny', 'x', { objects: [P], depth: 4, visits: 0, ptype: 2, statutory: 30, promised: 30,
  aliases: ['种粮补贴', '农业补贴'], topics: [], pop: 350, law: '《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》', conditions: '拥有耕地承包权的种地农民。',
  mats: [M.id, M.bank, M.form('土地承包经营权证')], result: '补贴发放' });
item('00', '01', 19004, 0, '农村村民宅基地审批', 'ny', 'x', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 15,
  aliases: ['宅基地申请', '农村建房审批'], topics: ['housing'], pop: 300, law: '《中华人民共和国土地管理法》第六十二条',
  conditions: '农村村民一户只能拥有一处宅基地，符合乡（镇）土地利用总体规划的。', mats: [M.id, M.hukou, M.form('农村宅基地和建房（规划许可）申请表')], result: '农村宅基地批准书', process: 'homestead' });
item('00', '01', 20001, 0, '娱乐场所经营许可', 'wl', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['KTV 许可', '歌舞厅许可'], topics: ['permits'], pop: 50, law: '《娱乐场所管理条例》第九条', conditions: '设立歌舞、游艺等娱乐场所的。',
  mats: [M.license, M.site, M.form('娱乐场所经营申请书')], result: '娱乐经营许可证' });
item('00', '01', 20002, 0, '旅行社设立许可', 'wl', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['开旅行社'], topics: ['permits'], pop: 35, law: '《旅行社条例》第六条、第七条', conditions: '有固定的经营场所、必要的营业设施，有不少于 20 万元的注册资本。',
  mats: [M.license, M.site, M.form('旅行社设立申请书')], result: '旅行社业务经营许可证' });
item('00', '01', 20003, 0, '网吧（互联网上网服务营业场所）设立审批', 'wl', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['开网吧', '网吧许可'], topics: ['permits'], pop: 45, law: '《互联网上网服务营业场所管理条例》第十条', conditions: '有与其经营活动相适应的营业场所和计算机等装置。',
  mats: [M.license, M.site, M.form('消防安全检查合格意见')], result: '网络文化经营许可证' });
item('00', '01', 21001, 0, '危险化学品经营许可', 'yj', 'cx', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 15,
  aliases: ['危化品经营许可证'], topics: ['permits'], pop: 60, law: '《危险化学品安全管理条例》第三十三条', conditions: '从事危险化学品经营的企业。',
  mats: [M.license, M.safety, M.qualification, M.site], result: '危险化学品经营许可证', process: 'hazchem' });
item('00', '01', 21002, 0, '烟花爆竹经营（零售）许可', 'yj', 'x', { objects: [O, P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['卖烟花许可'], topics: ['permits'], pop: 75, law: '《烟花爆竹安全管理条例》第十八条', conditions: '符合所在地县级人民政府安全监督管理部门零售经营布点规划的。',
  mats: [M.license, M.site, M.safety], result: '烟花爆竹经营（零售）许可证' });
item('00', '01', 22001, 0, '建设项目环境影响报告表审批', 'sthj', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 15,
  aliases: ['环评审批', '环评批复'], topics: ['construction'], pop: 110, law: '《中华人民共和国环境影响评价法》第二十二条', conditions: '依法应当编制环境影响报告表的建设项目。',
  mats: [M.eia, M.form('环评审批申请书')], result: '环境影响报告表批复' });
item('00', '07', 22002, 0, '排污许可证核发', 'sthj', 'c', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 20, promised: 15,
  aliases: ['排污证'], topics: ['permits', 'operation'], pop: 90, law: '《排污许可管理条例》第十一条', conditions: '纳入固定污染源排污许可分类管理名录的排污单位。',
  mats: [M.license, M.form('排污许可证申请表'), M.eia], result: '排污许可证' });
item('00', '01', 23001, 0, '城市建筑垃圾处置核准', 'cg', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 5,
  aliases: ['渣土处置', '建筑垃圾运输'], topics: ['construction'], pop: 55, law: '《城市建筑垃圾管理规定》第七条', conditions: '处置建筑垃圾的单位。',
  mats: [M.license, M.form('建筑垃圾处置方案')], result: '城市建筑垃圾处置核准证' });
item('00', '01', 23002, 0, '设置大型户外广告审批', 'cg', 'c', { objects: [O, P], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 5,
  aliases: ['户外广告审批', '门头招牌'], topics: ['operation'], pop: 95, law: '《城市市容和环境卫生管理条例》第十一条', conditions: '在城市中设置大型户外广告的。',
  mats: [M.license, M.form('户外广告设置申请表'), M.drawing], result: '户外广告设置许可' });
item('00', '07', 24001, 0, '企业投资项目备案', 'fgw', 'cx', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 3, promised: 1,
  aliases: ['项目备案', '投资备案'], topics: ['construction'], pop: 150, law: '《企业投资项目核准和备案管理条例》第十三条', conditions: '实行备案管理的企业投资项目。',
  mats: [M.form('项目备案信息表')], result: '项目备案证明' });
item('00', '01', 24002, 0, '企业投资项目核准', 'fgw', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['项目核准'], topics: ['construction'], pop: 40, law: '《企业投资项目核准和备案管理条例》第六条', conditions: '列入政府核准的投资项目目录的企业投资项目。',
  mats: [M.form('项目申请报告'), M.form('城乡规划意见'), M.form('用地预审意见')], result: '项目核准批复' });
item('00', '20', 25001, 0, '档案查询利用', 'da', 'c', { objects: [P, O], depth: 3, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['查档案', '婚姻档案查询', '招工档案'], topics: ['retirement'], pop: 200, law: '《中华人民共和国档案法》第二十七条', conditions: '公民和组织持合法证明。',
  mats: [M.id], result: '档案复制件' });
item('00', '01', 26001, 0, '林木采伐许可证核发', 'ly', 'c', { objects: [P, O], depth: 3, visits: 1, ptype: 2, statutory: 20, promised: 10,
  aliases: ['砍树审批', '采伐证'], topics: ['permits'], pop: 40, law: '《中华人民共和国森林法》第五十六条', conditions: '采伐林地上的林木的。',
  mats: [M.id, M.form('林木采伐申请书'), M.form('伐区调查设计')], result: '林木采伐许可证' });
item('00', '01', 27001, 0, '粮食收购资格备案', 'ls', 'c', { objects: [O, P], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 1,
  aliases: ['粮食收购许可'], topics: ['permits'], pop: 30, law: '《粮食流通管理条例》第九条', conditions: '从事粮食收购活动的企业。',
  mats: [M.license, M.form('粮食收购备案表')], result: '备案回执' });
item('00', '20', 28001, 0, '宗教活动场所登记', 'mzzj', 'c', { objects: [6], depth: 2, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: [], topics: [], pop: 10, law: '《宗教事务条例》第二十二条', conditions: '经批准筹备并建设完工的宗教活动场所。',
  mats: [M.form('登记申请书'), M.articles], result: '宗教活动场所登记证' });
item('00', '01', 29001, 0, '公众聚集场所投入使用营业前消防安全检查', 'xf', 'c', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 10, promised: 3,
  aliases: ['消防检查', '消防安全检查合格证'], topics: ['permits', 'operation'], pop: 210, law: '《中华人民共和国消防法》第十五条',
  conditions: '公众聚集场所在投入使用、营业前。', mats: [M.license, M.form('消防安全检查申报表'), M.form('消防安全制度')], result: '消防安全检查合格证' });
item('00', '01', 30001, 0, '高新技术企业认定（初审）', 'kj', 'c', { objects: [O], depth: 4, visits: 0, ptype: 2, statutory: 60, promised: 30,
  aliases: ['高企认定'], topics: ['operation'], pop: 70, law: '《高新技术企业认定管理办法》', conditions: '在中国境内注册一年以上的居民企业。',
  mats: [M.license, M.form('高新技术企业认定申请书'), M.form('知识产权证书')], result: '初审意见' });
item('00', '05', 31001, 0, '中小企业发展专项资金申报', 'jx', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 60, promised: 30,
  aliases: ['专精特新奖补'], topics: ['operation'], pop: 60, law: '《中小企业发展专项资金管理办法》', conditions: '符合年度申报指南的中小企业。',
  mats: [M.license, M.form('项目申报书')], result: '资金拨付' });
item('00', '10', 32001, 0, '政府采购供应商投诉处理', 'cz', 'c', { objects: [O], depth: 3, visits: 1, ptype: 2, statutory: 30, promised: 20,
  aliases: ['政府采购投诉'], topics: ['operation'], pop: 20, law: '《政府采购质疑和投诉办法》第二十九条', conditions: '对质疑答复不满意的供应商。',
  mats: [M.license, M.form('投诉书')], result: '投诉处理决定书' });
item('00', '20', 33001, 0, '统计执法检查结果查询', 'tj', 'c', { objects: [O], depth: 4, visits: 0, ptype: 1, statutory: 0, promised: 0,
  aliases: [], topics: ['operation'], pop: 10, law: '《中华人民共和国统计法》', conditions: '接受统计检查的调查对象。', mats: [M.license], result: '查询结果' });
item('00', '20', 34001, 0, '法律援助申请', 'sf', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 7, promised: 3,
  aliases: ['申请法律援助', '免费律师'], topics: ['work'], pop: 280, law: '《中华人民共和国法律援助法》第四十一条', conditions: '因经济困难没有委托代理人或者辩护人的当事人。',
  mats: [M.id, M.income, M.form('法律援助申请表')], result: '给予法律援助决定书' });
item('00', '20', 34002, 0, '公证申请（出生、亲属关系等）', 'sf', 'cx', { objects: [P], depth: 3, visits: 1, ptype: 2, statutory: 15, promised: 5,
  aliases: ['办公证', '亲属关系公证'], topics: ['travel'], pop: 240, law: '《中华人民共和国公证法》第二十五条', conditions: '自然人、法人或者其他组织申请办理公证。',
  mats: [M.id, M.hukou], result: '公证书', charged: true, fee: '按《安徽省公证服务收费标准》收取' });
// 政务服务管理局自身
item('34', '20', 35001, 0, '政务服务“好差评”投诉受理', 'zwfw', 'cx', { objects: [P, O], depth: 4, visits: 0, ptype: 1, statutory: 5, promised: 3,
  aliases: ['差评投诉', '办事投诉'], topics: [], pop: 120, law: '《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》（国办发〔2019〕51号）',
  conditions: '对政务服务不满意的企业和群众。', mats: [M.id], result: '处理结果反馈' });
item('34', '20', 35002, 0, '帮办代办服务', 'zwfw', 'cx', { objects: [P, O], depth: 2, visits: 1, ptype: 1, statutory: 0, promised: 0,
  aliases: ['代办', '帮办'], topics: ['construction', 'startup'], pop: 140, law: '《安徽省优化营商环境条例》第三十四条',
  conditions: '重点项目、老年人、残疾人等需要帮办代办的企业和群众。', mats: [M.id, M.proxy], result: '代办协议' });

// ---- forms and processes ----------------------------------------------------------------------

const f = (name, label, type, x = {}) => ({ name, label, type, required: x.required ?? true, ...x });
const opts = (...pairs) => pairs.map(([value, label]) => ({ value, label }));
const FORMS = {
  hukou: [f('applicant_name', '申请人姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('mobile', '联系电话', 'mobile', { prefill: 'person.mobile' }),
    f('reason', '迁入类型', 'radio', { options: opts(['house', '购房（合法稳定住所）'], ['job', '合法稳定就业'], ['family', '投靠亲属'], ['study', '大中专院校录取']) }),
    f('employer', '就业单位名称', 'text', { max_length: 100, visible_when: { field: 'reason', equals: 'job' } }),
    f('from_division', '迁出地', 'division'), f('to_address', '迁入地详细地址', 'text', { max_length: 100 }),
    f('companions', '随迁人数', 'number', { min: 0, max: 10, required: false, help: '不含申请人本人' })],
  newborn: [f('child_name', '新生儿姓名', 'text', { max_length: 20 }),
    f('sex', '性别', 'radio', { options: opts(['m', '男'], ['f', '女']) }), f('birth_date', '出生日期', 'date'),
    f('birth_cert_no', '出生医学证明编号', 'text', { max_length: 20 }),
    f('guardian_name', '申报人姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('guardian_id', '申报人公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('relation', '与新生儿关系', 'select', { options: opts(['father', '父亲'], ['mother', '母亲'], ['other', '其他监护人']) })],
  idcard: [f('applicant_name', '姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('reason', '换领原因', 'select', { options: opts(['expired', '有效期满'], ['damaged', '证件损坏'], ['changed', '登记项目变更']) }),
    f('delivery', '领取方式', 'radio', { options: opts(['window', '窗口领取'], ['post', '邮寄到家']) }),
    f('address', '邮寄地址', 'text', { max_length: 100, visible_when: { field: 'delivery', equals: 'post' } })],
  marriage: [f('man_name', '男方姓名', 'text', { max_length: 50 }), f('man_id', '男方公民身份号码', 'id_number'),
    f('woman_name', '女方姓名', 'text', { max_length: 50 }), f('woman_id', '女方公民身份号码', 'id_number'),
    f('date', '预约登记日期', 'date'), f('mobile', '联系电话', 'mobile', { prefill: 'person.mobile' })],
  sscard: [f('applicant_name', '姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('mobile', '手机号码', 'mobile', { prefill: 'person.mobile' }),
    f('bank', '服务银行', 'select', { options: opts(['icbc', '中国工商银行'], ['abc', '中国农业银行'], ['boc', '中国银行'], ['ccb', '中国建设银行'], ['hsb', '徽商银行']) }),
    f('delivery', '领卡方式', 'radio', { options: opts(['bank', '银行网点领取'], ['post', '邮寄']) }),
    f('address', '邮寄地址', 'text', { max_length: 100, visible_when: { field: 'delivery', equals: 'post' } })],
  retire: [f('applicant_name', '姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('kind', '退休类型', 'select', { options: opts(['normal', '正常退休'], ['special', '特殊工种提前退休'], ['illness', '因病提前退休']) }),
    f('work_years', '累计缴费年限', 'number', { min: 0, max: 60 }), f('retire_date', '拟退休日期', 'date')],
  hpfDraw: [f('applicant_name', '职工姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('house_kind', '房屋类型', 'radio', { options: opts(['new', '新建商品房'], ['second', '二手房'], ['self', '自建房']) }),
    f('price', '购房总价（元）', 'number', { min: 1, max: 100000000 }),
    f('amount', '申请提取金额（元）', 'number', { min: 1, max: 10000000 }),
    f('spouse', '同时提取配偶账户', 'checkbox', { required: false, options: opts(['yes', '是']) })],
  reimburse: [f('applicant_name', '参保人姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('id_number', '公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('kind', '就医类型', 'radio', { options: opts(['inpatient', '住院'], ['outpatient', '门诊'], ['emergency', '急诊']) }),
    f('hospital', '就诊医院', 'text', { max_length: 100 }), f('total', '医疗总费用（元）', 'number', { min: 0, max: 10000000 }),
    f('mobile', '联系电话', 'mobile', { prefill: 'person.mobile' })],
  food: [f('org_name', '经营者名称', 'text', { prefill: 'org.name', max_length: 100 }),
    f('uscc', '统一社会信用代码', 'uscc', { prefill: 'org.uscc' }),
    f('legal_rep', '法定代表人（负责人）', 'text', { prefill: 'org.legal_representative', max_length: 50 }),
    f('address', '经营场所', 'text', { max_length: 100 }),
    f('subject', '主体业态', 'select', { options: opts(['retail', '食品销售经营者'], ['catering', '餐饮服务经营者'], ['canteen', '单位食堂']) }),
    f('items', '经营项目', 'checkbox', { options: opts(['prepacked', '预包装食品销售'], ['bulk', '散装食品销售'], ['hot', '热食类食品制售'], ['cold', '冷食类食品制售'], ['drinks', '自制饮品制售']) }),
    f('area', '经营面积（平方米）', 'number', { min: 1, max: 100000 }),
    f('network', '网络经营', 'radio', { options: opts(['yes', '是'], ['no', '否']) }),
    f('website', '网站或平台名称', 'text', { max_length: 100, visible_when: { field: 'network', equals: 'yes' } })],
  company: [f('company_name', '企业名称', 'text', { max_length: 100 }),
    f('kind', '企业类型', 'select', { options: opts(['llc', '有限责任公司'], ['sole_llc', '一人有限责任公司'], ['partnership', '合伙企业'], ['sole', '个人独资企业']) }),
    f('capital', '注册资本（万元）', 'number', { min: 0, max: 10000000 }),
    f('address', '住所', 'text', { max_length: 100 }), f('division', '住所所在区划', 'division'),
    f('legal_rep', '法定代表人', 'text', { prefill: 'person.name', max_length: 50 }),
    f('legal_rep_id', '法定代表人公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('scope', '经营范围', 'textarea', { max_length: 2000 }),
    f('seal', '同时申请刻制公章', 'checkbox', { required: false, options: opts(['seal', '公章'], ['finance', '财务专用章'], ['invoice', '发票专用章']) }),
    f('tax', '同时办理涉税事项和发票', 'radio', { options: opts(['yes', '是'], ['no', '否']) })],
  soleTrader: [f('trade_name', '个体工商户名称', 'text', { required: false, max_length: 100 }),
    f('operator', '经营者姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('operator_id', '经营者公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('address', '经营场所', 'text', { max_length: 100 }), f('scope', '经营范围', 'textarea', { max_length: 500 }),
    f('form', '组成形式', 'radio', { options: opts(['person', '个人经营'], ['family', '家庭经营']) })],
  transfer: [f('seller', '出卖人（转让方）姓名', 'text', { max_length: 50 }), f('seller_id', '出卖人公民身份号码', 'id_number'),
    f('buyer', '买受人（受让方）姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('buyer_id', '买受人公民身份号码', 'id_number', { prefill: 'person.id_number' }),
    f('cert_no', '不动产权证书号', 'text', { max_length: 50 }), f('address', '房屋坐落', 'text', { max_length: 100 }),
    f('area', '建筑面积（平方米）', 'number', { min: 1, max: 10000 }), f('price', '成交价格（元）', 'number', { min: 1, max: 100000000 }),
    f('loan', '是否贷款', 'radio', { options: opts(['none', '全款'], ['bank', '商业贷款'], ['hpf', '公积金贷款']) }),
    f('bank_name', '贷款银行', 'text', { max_length: 50, visible_when: { field: 'loan', in: ['bank', 'hpf'] } })],
  school: [f('child_name', '儿童姓名', 'text', { max_length: 20 }), f('child_id', '儿童公民身份号码', 'id_number'),
    f('guardian', '监护人姓名', 'text', { prefill: 'person.name', max_length: 50 }),
    f('mobile', '监护人电话', 'mobile', { prefill: 'person.mobile' }),
    f('stage', '入学阶段', 'radio', { options: opts(['primary', '小学一年级'], ['junior', '初中一年级']) }),
    f('basis', '入学依据', 'select', { options: opts(['house', '户籍与房产'], ['hukou', '户籍'], ['migrant', '随迁子女（居住证）']) }),
    f('address', '家庭住址', 'text', { max_length: 100 })],
};

// Processes: a serial one, and the shapes with parallel branches. Department keys ("city.xf")
// become department ids when the demo loads them.
const t = (id, name, stage, role, days, next, x = {}) => ({ id, name, kind: 'task', stage, role, limit_days: days, next: [next], ...x });
const end = { id: 'end', name: '办结', kind: 'end', next: [] };
function serial(steps) {
  return { start: steps[0].id, steps: [...steps, end] };
}
function parallel(accept, branches, join, after) {
  const split = { id: 'p1', name: '并联审查', kind: 'split', next: branches.map((b) => b.id) };
  const j = { id: 'j1', name: '汇总意见', kind: 'join', ...join, next: [after[0].id] };
  return { start: accept.id, steps: [{ ...accept, next: ['p1'] }, split, ...branches.map((b) => ({ ...b, next: ['j1'] })), j, ...after, end] };
}
const PROCESSES = {
  hukou: () => serial([t('s1', '受理', 'accept', 'window_clerk', 1, 's2'), t('s2', '审核', 'review', 'approver', 2, 's3'),
    t('s3', '审批', 'decide', 'approver', 1, 's4'), t('s4', '制证送达', 'deliver', 'window_clerk', 1, 'end')]),
  event: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '治安安全审查', 'review', 'approver', 3, ''), t('b2', '消防安全审查', 'review', 'approver', 3, '', { department_key: 'city.xf' })],
    { join: 'all' }, [t('s3', '许可决定', 'decide', 'approver', 1, 'end')]),
  dibao: () => serial([t('s1', '乡镇受理', 'accept', 'window_clerk', 3, 's2'), t('s2', '家庭经济状况核对', 'review', 'approver', 10, 's3'),
    t('s3', '审核确认', 'decide', 'approver', 5, 's4'), t('s4', '公示发证', 'deliver', 'window_clerk', 2, 'end')]),
  retire: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '档案审核', 'review', 'approver', 5, ''), t('b2', '缴费年限核定', 'review', 'approver', 5, '')],
    { join: 'all' }, [t('s3', '待遇核定', 'decide', 'approver', 3, 's4'), t('s4', '待遇发放', 'deliver', 'window_clerk', 1, 'end')]),
  injury: () => serial([t('s0', '材料预审', 'pre_review', 'window_clerk', 2, 's1'), t('s1', '受理', 'accept', 'window_clerk', 3, 's2'),
    t('s2', '调查核实', 'review', 'approver', 20, 's3'), t('s3', '认定决定', 'decide', 'approver', 5, 's4'),
    t('s4', '送达', 'deliver', 'window_clerk', 2, 'end')]),
  hpfLoan: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '贷款资格审核', 'review', 'approver', 3, ''), t('b2', '银行面签与征信审查', 'review', 'approver', 3, '')],
    { join: 'all' }, [t('s3', '审批', 'decide', 'approver', 2, 's4'), t('s4', '放款', 'deliver', 'window_clerk', 2, 'end')]),
  clinic: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '材料审查', 'review', 'approver', 5, ''), t('b2', '现场核查', 'review', 'approver', 7, ''), t('b3', '消防核查', 'review', 'approver', 5, '', { department_key: 'city.xf' })],
    { join: 'all' }, [t('s3', '许可决定', 'decide', 'approver', 2, 's4'), t('s4', '制证', 'make_license', 'window_clerk', 1, 'end')]),
  food: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '材料审查', 'review', 'approver', 2, ''), t('b2', '现场核查', 'review', 'approver', 3, '')],
    { join: 'all' }, [t('s3', '许可决定', 'decide', 'approver', 1, 's4'), t('s4', '制证', 'make_license', 'window_clerk', 1, 'end')]),
  company: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 0, ''),
    [t('b1', '设立登记', 'review', 'approver', 1, ''), t('b2', '公章刻制', 'review', 'approver', 1, '', { department_key: 'city.ga' }),
      t('b3', '涉税事项与发票', 'review', 'approver', 1, '', { department_key: 'city.tax' })],
    { join: 'all' }, [t('s3', '发照', 'make_license', 'window_clerk', 0, 'end')]),
  pharmacy: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '资料审查', 'review', 'approver', 5, ''), t('b2', '现场检查', 'review', 'approver', 10, '')],
    { join: 'all' }, [t('s3', '许可决定', 'decide', 'approver', 3, 'end')]),
  transfer: () => parallel(t('s1', '一窗受理', 'accept', 'window_clerk', 0, ''),
    [t('b1', '交易审核', 'review', 'approver', 1, '', { department_key: 'city.zj' }), t('b2', '税费核定', 'review', 'approver', 1, '', { department_key: 'city.tax' }),
      t('b3', '登记审核', 'review', 'approver', 1, '')],
    { join: 'all' }, [t('s3', '登簿', 'decide', 'approver', 1, 's4'), t('s4', '缮证发证', 'make_license', 'window_clerk', 0, 'end')]),
  build: () => serial([t('s1', '受理', 'accept', 'window_clerk', 1, 's2'), t('s2', '审查', 'review', 'approver', 1, 's3'),
    t('s3', '决定', 'decide', 'approver', 1, 'end')]),
  acceptance: () => parallel(t('s1', '联合验收受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '规划核实', 'review', 'approver', 3, '', { department_key: 'city.zr' }), t('b2', '消防验收', 'review', 'approver', 3, '', { department_key: 'city.xf' }),
      t('b3', '人防验收', 'review', 'approver', 3, '', { department_key: 'city.rf' }), t('b4', '质量监督', 'review', 'approver', 3, '')],
    { join: 'at_least', k: 3 }, [t('s3', '备案', 'decide', 'approver', 1, 'end')]),
  planning: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '方案审查', 'review', 'approver', 5, ''), t('b2', '人防审查', 'review', 'approver', 3, '', { department_key: 'city.rf' })],
    { join: 'all' }, [t('s3', '批前公示', 'review', 'approver', 3, 's4'), t('s4', '许可决定', 'decide', 'approver', 1, 'end')]),
  homestead: () => parallel(t('s1', '乡镇受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '农业农村审查', 'review', 'approver', 5, ''), t('b2', '自然资源审查', 'review', 'approver', 5, ''), t('b3', '村镇建设审查', 'review', 'approver', 5, '')],
    { join: 'all' }, [t('s3', '乡镇审批', 'decide', 'approver', 3, 'end')]),
  hazchem: () => parallel(t('s1', '受理', 'accept', 'window_clerk', 1, ''),
    [t('b1', '文书审查', 'review', 'approver', 10, ''), t('b2', '现场核查', 'review', 'approver', 10, '')],
    { join: 'any' }, [t('s3', '许可决定', 'decide', 'approver', 3, 'end')]),
};

// ---- implementation items ---------------------------------------------------------------------

function hash(s) {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return h;
}

const items = [];
for (const x of ITEMS) {
  const divs = [...(x.where.includes('c') ? [CITY] : []), ...(x.where.includes('x') ? COUNTIES : [])];
  for (const div of divs) {
    const dkey = (div === CITY ? 'city' : div.key) + '.' + x.kind;
    const dept = departments.find((d) => d.key === dkey);
    if (!dept) throw new Error(`${x.name}: no department ${dkey}`);
    const visits = x.visits;
    const forms = x.depth === 4 ? [1, 2, 3] : x.depth === 3 ? [1, 2, 3, 4] : [1];
    const body = {
      department: dkey,
      basic_code: x.basic_code,
      name: x.name,
      service_objects: x.objects,
      statutory_limit: x.statutory,
      promised_limit: x.promised,
      online_depth: x.depth,
      visits,
      ...(visits > 1 || x.visitsReason ? { visits_reason: x.visitsReason || '须到现场核验原件' } : {}),
      project_type: x.ptype,
      handling_forms: forms,
      charged: !!x.charged,
      in_hall: x.kind !== 'mzzj',
      guide: {
        legal_basis: x.law,
        conditions: x.conditions,
        procedure: x.depth >= 3 ? ['网上申请或窗口申请', '受理', '审查', '决定', '送达（可选择邮寄）'] : ['窗口申请', '受理', '审查', '决定', '送达'],
        fees: x.charged ? x.fee : '不收费',
        scope: x.depth === 4 ? '全市通办' : div === CITY ? '全市' : `${div.name}`,
        place: place(x.kind, div),
        hours: HOURS,
        consult_phone: div.phone + String(1000 + (hash(dkey) % 9000)),
        complaint_phone: '12345',
        result_name: x.result,
        appointment: true,
        online_payment: !!x.charged && x.depth >= 3,
        delivery: x.depth >= 3,
        faq: [{ question: `办理“${x.name}”可以委托他人吗？`, answer: '可以，受托人须携带授权委托书和本人身份证。' }],
      },
      materials: x.mats.map((m) => ({ required: true, ...m })),
      aliases: x.aliases,
      topics: x.topics,
      popularity: Math.max(1, Math.round(x.pop * (div === CITY ? 1 : 0.35 + (hash(dkey + x.basic_code) % 40) / 100))),
    };
    if (x.form) body.form = { fields: FORMS[x.form] };
    if (x.process) {
      // A branch of another line of work goes to that line's department of the same division.
      body.process = PROCESSES[x.process]();
      for (const st of body.process.steps) {
        if (!st.department_key || div === CITY) continue;
        const local = div.key + st.department_key.slice(4);
        if (departments.some((d) => d.key === local)) st.department_key = local;
      }
    }
    // 行政许可 split into 业务办理项: a first licence and its renewal.
    if (x.basic_code.slice(2, 4) === '01') body.business_items = [{ seq: 1, name: `${x.name}（新办）` }, { seq: 2, name: `${x.name}（延续）` }];
    items.push(body);
  }
}


// ---- themes (一件事) ---------------------------------------------------------------------------

// items: [department key, item name]; the city's items, and the 埇桥区 ones for what only the
// districts and counties implement.
const THEMES = [
  { key: 'startup', name: '开办企业一件事', audience: 'organisation', topics: ['startup'],
    summary: '营业执照、公章刻制、涉税事项与发票、社保和公积金开户，一次申请、一日办结。',
    items: [['city.sj', '企业设立登记'], ['city.ga', '公章刻制备案'], ['city.tax', '新办纳税人套餐式服务'], ['city.tax', '发票领用'],
      ['city.rs', '城镇职工基本养老保险参保登记'], ['city.gjj', '住房公积金缴存登记（单位）']] },
  { key: 'newborn', name: '新生儿出生一件事', audience: 'person', topics: ['birth'],
    summary: '出生医学证明、预防接种证、户口登记、医保参保、社保卡申领，一表申请、一次办好。',
    items: [['yq.wj', '出生医学证明首次签发'], ['yq.wj', '预防接种证办理'], ['yq.ga', '新生儿入户'], ['yq.yb', '城乡居民基本医疗保险参保登记'],
      ['yq.rs', '社会保障卡申领']] },
  { key: 'second_hand_house', name: '二手房转移登记一件事', audience: 'person', topics: ['housing'],
    summary: '交易税费申报缴纳、不动产转移登记、抵押登记一窗受理、并联办理。',
    items: [['city.tax', '二手房交易税费申报'], ['city.bdc', '国有建设用地使用权及房屋所有权转移登记（二手房）'], ['city.bdc', '抵押权首次登记']] },
  { key: 'retirement', name: '退休一件事', audience: 'person', topics: ['retirement'],
    summary: '养老保险待遇申领、公积金退休提取、医保关系衔接一次办。',
    items: [['city.rs', '城镇职工基本养老保险待遇申领（退休）'], ['city.gjj', '住房公积金提取（离退休）'], ['city.yb', '医保关系转移接续']] },
  { key: 'marriage_birth', name: '婚育一件事', audience: 'person', topics: ['marriage', 'birth'],
    summary: '结婚登记、生育登记、生育保险待遇一并办理。',
    items: [['yq.mz', '内地居民结婚登记'], ['yq.wj', '生育登记'], ['yq.yb', '生育保险待遇核准支付']] },
  { key: 'school', name: '入学一件事', audience: 'person', topics: ['school'],
    summary: '义务教育入学报名、户籍和房产信息核验、疫苗接种查验一次办。',
    items: [['yq.jyty', '义务教育阶段学校招生入学'], ['yq.wj', '预防接种证办理'], ['yq.bdc', '不动产登记资料查询']] },
  { key: 'restaurant', name: '开餐馆一件事', audience: 'organisation', topics: ['startup', 'permits'],
    summary: '个体工商户登记、食品经营许可、消防安全检查、户外招牌设置一次申请。',
    items: [['city.sj', '个体工商户设立登记'], ['city.sj', '食品经营许可证核发'], ['city.xf', '公众聚集场所投入使用营业前消防安全检查'],
      ['city.cg', '设置大型户外广告审批']] },
  { key: 'after_death', name: '身后一件事', audience: 'person', topics: ['death'],
    summary: '死亡户口注销、遗体火化、公积金提取一次办结。',
    items: [['yq.ga', '户口注销（死亡）'], ['yq.mz', '殡葬服务（遗体火化）'], ['city.gjj', '住房公积金提取（离退休）']] },
  { key: 'employment', name: '就业一件事', audience: 'person', topics: ['work'],
    summary: '就业登记、社保参保、社保卡申领、公积金缴存证明一次办。',
    items: [['city.rs', '就业创业证申领'], ['city.rs', '城镇职工基本养老保险参保登记'], ['city.rs', '社会保障卡申领'], ['city.gjj', '住房公积金缴存证明出具']] },
  { key: 'closing', name: '企业注销一件事', audience: 'organisation', topics: ['closing'],
    summary: '清税申报、营业执照注销一网通办。',
    items: [['city.tax', '清税申报'], ['city.sj', '企业注销登记']] },
  { key: 'completion', name: '工程建设项目竣工验收一件事', audience: 'organisation', topics: ['construction'],
    summary: '规划、消防、人防、质量联合验收，限时办结后竣工验收备案和首次登记。',
    items: [['city.zj', '房屋建筑和市政基础设施工程竣工验收备案'], ['city.zr', '建设工程规划许可证核发'],
      ['city.bdc', '国有建设用地使用权及房屋所有权首次登记（新建商品房）']] },
  { key: 'unemployment', name: '失业一件事', audience: 'person', topics: ['work', 'social_security'],
    summary: '失业登记、失业保险金申领、医保关系转移接续一次办。',
    items: [['city.rs', '就业创业证申领'], ['city.rs', '失业保险金申领'], ['city.yb', '医保关系转移接续']] },
];
// Each theme item must be an item of this file: checked here rather than at load.
// A theme is offered where its items all serve: the city, or 埇桥区 when one of them is a district
// item (a theme holds items of its own division and the divisions above).
const themes = THEMES.map((th) => ({ key: th.key, name: th.name, summary: th.summary, audience: th.audience,
  division_code: th.items.some(([d]) => d.startsWith('yq.')) ? COUNTIES[0].code : CITY.code, topics: th.topics, items: th.items.map(([department, name]) => {
    const it = items.find((x) => x.department === department && x.name === name);
    if (!it) throw new Error(`theme ${th.name}: no item ${department} ${name}`);
    return { department, basic_code: it.basic_code };
  }) }));
const seen = new Map();
for (const x of ITEMS) {
  if (seen.has(x.basic_code)) throw new Error(`basic code ${x.basic_code} of ${x.name} is ${seen.get(x.basic_code)}'s`);
  seen.set(x.basic_code, x.name);
}

// ---- out --------------------------------------------------------------------------------------

mkdirSync(out, { recursive: true });
const write = (name, value) => writeFileSync(join(out, name), JSON.stringify(value, null, 1) + '\n');
write('departments.json', { region: { code: CITY.code, name: CITY.name }, departments });
write('items.json', { items });
write('themes.json', { themes });
const cityDepts = departments.filter((d) => d.division_code === CITY.code).length;
console.log(`data/demo: ${departments.length} departments (${cityDepts} of the city), ${items.length} items `
  + `(${items.filter((i) => i.department.startsWith('city.')).length} of the city), ${themes.length} themes`);
