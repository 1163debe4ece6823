// `yiwang demo` (src/demo/): the region 宿州市 loaded into a fresh database through the modules'
// own functions, then read back over HTTP as the portal reads it — the department tree with
// valid USCCs, the published items with their real names, codes, guides, forms and processes,
// the themes; a second run that writes nothing; and `--scale` adding synthetic items that
// search finds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, binary, root } from '../lib/server.mjs';
import { sql } from '../lib/persons.mjs';
import { usccCheck } from '../../scripts/lib/codes.mjs';

const REGION = JSON.parse(readFileSync(join(root, 'data', 'demo', 'departments.json'), 'utf8'));
const uscc = (key) => REGION.departments.find((d) => d.key === key).uscc;
const COUNTIES = ['341302', '341321', '341322', '341323', '341324'];

let srv;

function demo(...args) {
  return execFileSync(binary, ['demo', '--data', srv.data, '--db', srv.db, ...args], {
    encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function api(path) {
  // After a long `yiwang demo --scale` the kept-alive connection may have been closed by the
  // server's idle timeout just as it is reused ("other side closed"): one retry, on a new one.
  const res = await fetch(srv.url + path).catch(() => fetch(srv.url + path)).catch((err) => {
    throw new Error(`${path}: ${err.cause?.message || err.message}\n${srv.stderr().slice(-3000)}`);
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}

const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`)[0][0]);

// Every published item, page by page, as the portal's list gives them.
async function allItems(query = '') {
  const out = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const r = await api(`/api/v1/items?limit=100${query}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    out.push(...r.items);
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  return out;
}

before(async () => {
  srv = await startServer();
});

after(async () => {
  await srv?.stop();
});

test('the region loads on an empty database: departments, items, themes', async () => {
  const out = demo();
  assert.match(out, /部门 新建 \d+、已有 0；事项 新建 \d+、已有 0/);

  const { departments } = await api('/api/v1/departments');
  const city = departments.filter((d) => d.division_code === '341300');
  assert.ok(city.length >= 30, `${city.length} city departments`);
  for (const name of ['宿州市公安局', '宿州市市场监督管理局', '宿州市人力资源和社会保障局', '宿州市住房公积金管理中心',
    '宿州市民政局', '宿州市卫生健康委员会', '宿州市自然资源和规划局', '宿州市住房和城乡建设局', '国家税务总局宿州市税务局',
    '宿州市医疗保障局', '宿州市教育体育局', '宿州市交通运输局']) {
    assert.ok(city.some((d) => d.name === name), name);
  }
  const root = city.find((d) => d.name.startsWith('宿州市数据资源管理局'));
  assert.ok(root && root.parent_id === null, 'the 数据资源管理局 is the root');
  for (const code of COUNTIES) {
    const here = departments.filter((d) => d.division_code === code);
    assert.ok(here.length >= 10, `${code}: ${here.length} bureaus`);
    assert.ok(here.some((d) => d.name.endsWith('公安局')), `${code} has its 公安局`);
    // A county bureau sits under the city bureau of its line.
    const police = here.find((d) => d.name.endsWith('公安局'));
    assert.equal(departments.find((d) => d.id === police.parent_id).name, '宿州市公安局');
  }
  for (const d of departments) {
    assert.match(d.uscc, /^[0-9A-HJ-NPQRTUWXY]{18}$/, d.name);
    assert.equal(usccCheck(d.uscc.slice(0, 17)), d.uscc[17], `${d.name} ${d.uscc}`);
  }

  const items = await allItems();
  assert.ok(items.length >= 300, `${items.length} published items`);
  assert.ok(items.filter((i) => i.division_code === '341300').length >= 80, 'city items');
  for (const code of COUNTIES) assert.ok(items.some((i) => i.division_code === code), `items of ${code}`);
  assert.ok(new Set(items.map((i) => i.name)).size >= 100, 'distinct names');
  for (const it of items) {
    if (it.statutory_limit !== null && it.promised_limit !== null) assert.ok(it.promised_limit <= it.statutory_limit, it.code);
  }

  const themes = await api('/api/v1/themes?division=341302');
  assert.ok(themes.themes.length >= 10, `${themes.themes.length} themes`);
  for (const name of ['开办企业一件事', '新生儿出生一件事', '二手房转移登记一件事', '退休一件事']) {
    assert.ok(themes.themes.some((t) => t.name === name), name);
  }
  const startup = themes.themes.find((t) => t.name === '开办企业一件事');
  const detail = await api(`/api/v1/themes/${startup.id}`);
  assert.ok(detail.theme.items.length >= 4);
  assert.ok(detail.theme.materials.some((m) => m.name === '营业执照' || m.name === '公司章程'));
});

test('known items: their codes, guides, materials, aliases, forms and processes', async () => {
  // 户口迁移 of 埇桥区公安局: the bureau's USCC, level 4 (county), the national basic code.
  const hukou = (await api(`/api/v1/items/${uscc('yq.ga')}4000702019000`)).item;
  assert.equal(hukou.name, '户口迁移');
  assert.equal(hukou.department.name, '埇桥区公安局');
  assert.equal(hukou.level, 4);
  assert.equal(hukou.status, 'published');
  assert.ok(hukou.aliases.includes('户籍迁移'));
  assert.ok(hukou.popularity > 0);
  assert.match(hukou.guide.legal_basis, /户口登记条例/);
  assert.ok(hukou.guide.place && hukou.guide.hours && hukou.guide.consult_phone);
  assert.ok(hukou.promised_limit <= hukou.statutory_limit);
  assert.ok(hukou.materials.some((m) => m.name === '居民身份证' && m.reuse === 'within_validity'));
  assert.ok(hukou.materials.some((m) => !m.required && m.condition));
  assert.ok(hukou.form.fields.some((f) => f.type === 'id_number' && f.prefill === 'person.id_number'));
  assert.ok(hukou.topics.some((t) => t.key === 'housing'));

  // 食品经营许可证核发 of the city: a form and a process with a parallel branch that joins.
  const food = (await api(`/api/v1/items/${uscc('city.sj')}3000108001000`)).item;
  assert.equal(food.name, '食品经营许可证核发');
  assert.equal(food.online_depth, 4);
  const split = food.process.steps.find((s) => s.kind === 'split');
  assert.ok(split && split.next.length >= 2);
  assert.ok(food.process.steps.some((s) => s.kind === 'join'));
  assert.equal(food.business_items.length, 2);
  assert.equal(food.business_items[0].code, `${uscc('city.sj')}3000108001000` + '01');

  // 企业设立登记: the branches of other departments name those departments.
  const company = (await api(`/api/v1/items/${uscc('city.sj')}3000708003000`)).item;
  const police = company.process.steps.find((s) => s.name === '公章刻制');
  const depts = (await api('/api/v1/departments')).departments;
  assert.equal(depts.find((d) => d.id === police.department_id).name, '宿州市公安局');

  // Search finds them by name, alias and pinyin initials.
  for (const q of ['户口', '公积金', '户籍迁移', 'hkqy']) {
    const r = await api(`/api/v1/items?q=${encodeURIComponent(q)}`);
    assert.ok(r.items.length > 0, q);
  }
});

test('a second run changes nothing and says so', async () => {
  const before = ['departments', 'catalog_items', 'catalog_item_versions', 'catalog_themes', 'audit_log'].map(count);
  const out = demo();
  assert.match(out, /部门 新建 0、已有 \d+；事项 新建 0、已有 \d+/);
  assert.match(out, /没有任何改动/);
  const after = ['departments', 'catalog_items', 'catalog_item_versions', 'catalog_themes', 'audit_log'].map(count);
  assert.deepEqual(after, before);
});

test('--scale N adds N synthetic items that search finds, once', async () => {
  const items = count('catalog_items');
  const out = demo('--scale', '500');
  assert.match(out, /合成事项：新建 500、已有 0/);
  assert.equal(count('catalog_items'), items + 500);
  const synthetic = sql(srv, "SELECT code FROM catalog_items WHERE basic_code LIKE '34__6%'");
  assert.equal(synthetic.length, 500);
  const r = await api(`/api/v1/items?q=${encodeURIComponent('告知承诺制')}`);
  assert.ok(r.items.length > 0, 'a synthetic item is found by the words of its name');
  assert.match(demo('--scale', '500'), /合成事项：新建 0、已有 500/);
  assert.equal(count('catalog_items'), items + 500);
  assert.match(execFileSync(binary, ['audit', 'verify', '--data', srv.data, '--db', srv.db], { encoding: 'utf8' }),
    /audit chain ok/);
});

test('the first administrator joins the region\'s root department instead of making another', () => {
  const root = REGION.departments.find((d) => d.key === 'city.zwfw');
  const boot = (name) => execFileSync(binary, ['staff', 'bootstrap', '--data', srv.data, '--db', srv.db,
    '--username', 'admin', '--name', '孙立新', '--department-name', name, '--department-uscc', root.uscc,
    '--division', '341300'], { input: 'Sz#2026-demo0\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' } });
  const depts = count('departments');
  // The same USCC under another name is another department: refused, nothing written.
  assert.throws(() => boot('宿州市某局'), (err) => err.status === 1 && /已存在/.test(err.stderr));
  assert.equal(count('staff'), 0);
  assert.match(boot(root.name), /已创建系统管理员 admin/);
  assert.equal(count('departments'), depts);
  const [[deptOfAdmin]] = sql(srv, "SELECT d.uscc FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.username = 'admin'");
  assert.equal(deptOfAdmin, root.uscc);
});

test('bad usage: a scale that is not a number', () => {
  assert.throws(() => demo('--scale', 'many'), (err) => err.status === 2 && /--scale/.test(err.stderr));
});
