// Browser test of the catalog pages of the portal (issue 5): search with suggestions and filters,
// the result list with its badges, the guide page, browsing, a theme; and an item edited as a
// draft and published, seen to change on the portal.
//
// The items are made through the API by an administrator (`yiwang staff bootstrap`, then
// departments and items as tests/api/catalog.test.mjs makes them), and published. What a page
// must list is asked of the same API with the same question, so the test holds while the search
// behind it gets better; where the API answers something the test also states what a person
// would expect (户口 finds the 户口 items and not the food licence).
//
// Where the server does not serve a route (suggestions, topics, themes), the test leaves the
// suggestions out and, for topics and themes, checks that the page shows the problem instead.
// The server runs with --sandbox: an applicant signs up with a code read from its inbox.
//
// Screenshots go to tests/e2e/out/: catalog-search-phone.png, catalog-guide-phone.png,
// catalog-theme-phone.png, catalog-guide-desktop.png, catalog-browse.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, OUT, PHONE, closeSuite, newContext, newPage as pageIn, noOverflow, openSuite } from '../lib/browser.mjs';
import { bootstrapAdmin, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession } from '../lib/persons.mjs';

let srv, browser, admin;
const dept = {};
const item = {};
let themeId = null; // the theme made in before(), when the server has themes
const FILLERS = 21; // one more than a page of results

// A guide as a department would publish it; over replaces members.
const guide = (over = {}) => ({
  online_depth: 3, visits: 2, project_type: 2, handling_forms: [1, 2], service_objects: [1],
  statutory_limit: 20, promised_limit: 10, charged: false, in_hall: true,
  guide: { place: '宿州市政务服务中心一楼', hours: '工作日 9:00—12:00，13:30—17:30' },
  materials: [{ name: '居民身份证', source: 'applicant', originals: 1, copies: 1, reuse: 'always' }],
  ...over,
});

const HUKOU = {
  name: '户口迁移（市内）', online_depth: 4, visits: 0, project_type: 1, handling_forms: [1, 2, 3],
  service_objects: [1], statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true,
  aliases: ['户籍迁移'], topics: ['household'],
  guide: {
    legal_basis: '《中华人民共和国户口登记条例》第十条',
    conditions: ['在本市有合法固定住所', '迁入地与迁出地均在本市行政区域内'],
    procedure: ['申请人提交申请', '公安机关审核', '办结并出具结果'],
    fees: '不收费',
    place: '宿州市政务服务中心公安窗口',
    hours: '工作日 9:00—12:00，13:30—17:30',
    consult_phone: '0557-3021234',
    complaint_phone: '0557-12345',
    result_name: '居民户口簿（变更）',
    faq: [{ question: '需要本人到场吗？', answer: '全程网办，无需到场。' }],
  },
  materials: [
    { name: '居民户口簿', source: 'applicant', originals: 1, copies: 0, reuse: 'within_validity' },
    { name: '不动产权证书', source: 'department', issuer: '宿州市自然资源和规划局', required: false,
      condition: '迁入自有住房的', reuse: 'always' },
  ],
  process: {
    start: 's1',
    steps: [
      { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['p1'] },
      { id: 'p1', name: '并联审查', kind: 'split', next: ['b1', 'b2'] },
      { id: 'b1', name: '迁出地审核', kind: 'task', stage: 'review', role: 'approver', limit_days: 2, next: ['j1'] },
      { id: 'b2', name: '迁入地审核', kind: 'task', stage: 'review', role: 'approver', limit_days: 2, next: ['j1'] },
      { id: 'j1', name: '汇总', kind: 'join', join: 'all', next: ['s3'] },
      { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 1, next: ['end'] },
      { id: 'end', name: '办结', kind: 'end', next: [] },
    ],
  },
};

async function api(path) {
  const res = await fetch(srv.url + path, { headers: { Accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') || '') ? JSON.parse(text) : undefined };
}

async function createPublished(body) {
  const made = await admin.post('/api/v1/items', body);
  assert.equal(made.status, 201, made.text);
  const { code } = made.body.item;
  const pub = await admin.post(`/api/v1/items/${code}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
  return made.body.item;
}

// Every code the list API answers for `query`, page after page.
async function allCodes(query) {
  const codes = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const qs = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) }).toString();
    const res = await api(`/api/v1/items?${qs}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    codes.push(...res.body.items.map((x) => x.code));
    if (!res.body.next_cursor) break;
    cursor = res.body.next_cursor;
  }
  return codes;
}

async function firstPage(query) {
  const res = await api(`/api/v1/items?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const cardCodes = (page) => page.locator('[data-test="item-card"]').evaluateAll((els) => els.map((e) => e.dataset.code));
const badgesOf = (page, code) => page.locator(`[data-test="item-card"][data-code="${code}"] [data-test="item-badge"]`)
  .evaluateAll((els) => els.map((e) => e.dataset.badge));
const text = async (loc) => (await loc.textContent()).trim();

// The results of the page once they have settled: a list, the empty state or the problem.
async function settled(page) {
  await page.locator('[data-test="results"], [data-test="results-empty"], [data-test="results-error"]').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-test="results"].is-stale'));
}

async function newPage(options) {
  const context = await newContext(browser, options);
  return { context, ...(await pageIn(context)) };
}

before(async () => {
  // --sandbox: the SMS codes of the applicant who signs up are read from the sandbox inbox.
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
  admin = await bootstrapAdmin(srv);
  for (const [key, name, division] of [['police', '宿州市公安局', '341300'], ['hrss', '埇桥区人力资源和社会保障局', '341302'],
    ['market', '埇桥区市场监督管理局', '341302']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc(division), division_code: division, parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  item.hukou = await createPublished({ basic_code: '000704001000', department_id: dept.police.id, ...HUKOU });
  item.change = await createPublished({ basic_code: '000704002000', department_id: dept.police.id,
    ...guide({ name: '户口登记项目变更更正' }) });
  item.food = await createPublished({ basic_code: '000104002000', department_id: dept.market.id,
    ...guide({ name: '食品经营许可证核发', service_objects: [2] }) });
  for (let i = 1; i <= FILLERS; i++) {
    await createPublished({ basic_code: `0020${String(i).padStart(5, '0')}000`, department_id: dept.hrss.id,
      ...guide({ name: `社会保障卡补换测试${i}号` }) });
  }
  const made = await admin.post('/api/v1/themes', { name: '户口迁移一件事', summary: '市内迁移户口，一次办好。',
    audience: 'person', division_code: '341300', topics: ['household'], items: [item.hukou.code, item.change.code] });
  if (made.status !== 404) {
    assert.equal(made.status, 201, made.text);
    themeId = made.body.theme.id;
  }
});

after(() => closeSuite({ srv, browser }));

// ---- phone ------------------------------------------------------------------------------------

describe('catalog portal (phone, 375 px)', () => {
  test('search 户口 from the home page, see the item with its badges, open the guide and read it', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(PHONE);
    try {
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });
      const box = page.locator('[data-test="search-box"] input');
      await box.waitFor();
      await noOverflow(page, 'home with the search box');
      await box.fill('户口');

      // Instant suggestions, where the server offers them.
      const sug = await api(`/api/v1/items/suggest?q=${encodeURIComponent('户口')}`);
      if (sug.status === 200) {
        assert.ok(sug.body.suggestions.some((s) => s.code === item.hukou.code), 'the API suggests the item');
        const s = page.locator(`.yw-suggest-popper [data-test="suggestion"][data-code="${item.hukou.code}"]`);
        await s.waitFor();
        assert.equal(await text(s), HUKOU.name);
        const pop = await page.locator('.yw-suggest-popper').boundingBox();
        assert.ok(pop && pop.x >= 0 && pop.x + pop.width <= 375.5, `suggestions span ${pop?.x}..${pop && pop.x + pop.width}`);
      }
      await box.press('Enter');
      await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '户口');
      await settled(page);

      // What the page lists is what the API answers; 户口 finds both 户口 items, not the licence.
      const want = await firstPage({ q: '户口' });
      assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code));
      const codes = await cardCodes(page);
      assert.ok(codes.includes(item.hukou.code) && codes.includes(item.change.code), codes.join());
      assert.ok(!codes.includes(item.food.code));
      assert.equal(await text(page.locator('[data-test="results-title"]')), '“户口”的搜索结果');

      const card = page.locator(`[data-test="item-card"][data-code="${item.hukou.code}"]`);
      assert.deepEqual(await badgesOf(page, item.hukou.code), ['online', 'once', 'instant']);
      assert.deepEqual((await card.locator('[data-test="item-badge"]').allTextContents()).map((t) => t.trim()), ['全程网办', '最多跑一次', '即办']);
      assert.deepEqual(await badgesOf(page, item.change.code), [], 'no badge: depth 3, two visits, 承诺件');
      assert.equal(await text(card.locator('[data-test="item-department"]')), '宿州市公安局');
      assert.equal(await text(card.locator('[data-test="item-division"]')), '宿州市');
      assert.equal(await text(card.locator('[data-test="item-limit"]')), '5 个工作日');
      await noOverflow(page, '/search?q=户口');
      await page.screenshot({ path: `${OUT}catalog-search-phone.png`, fullPage: true });

      // The guide.
      await card.locator('[data-test="item-link"]').click();
      await page.waitForURL((u) => u.pathname === `/items/${item.hukou.code}`);
      await page.locator('[data-test="guide"]').waitFor();
      assert.equal(await text(page.locator('[data-test="guide-name"]')), HUKOU.name);
      assert.equal(await page.title(), `${HUKOU.name} - 一网通办`);
      assert.equal(await text(page.locator('[data-test="guide-department"]')), '宿州市公安局');
      assert.equal(await text(page.locator('[data-test="guide-promised"]')), '5 个工作日');
      assert.equal(await text(page.locator('[data-test="guide-visits"]')), '0 次');
      const facts = page.locator('[data-test="guide-facts"]');
      assert.equal(await text(facts.locator('[data-fact="statutory"] dd')), '20 个工作日');
      assert.equal(await text(facts.locator('[data-fact="type"] dd')), '行政确认');
      assert.equal(await text(facts.locator('[data-fact="project"] dd')), '即办件');
      assert.equal(await text(facts.locator('[data-fact="depth"] dd')), '四级（全程网办）');
      assert.equal(await text(facts.locator('[data-fact="objects"] dd')), '自然人');
      assert.equal(await text(facts.locator('[data-fact="forms"] dd')), '窗口办理、电脑端网上办理、移动端网上申请');
      assert.equal(await text(facts.locator('[data-fact="code"] dd')), item.hukou.code);

      // The materials: where from, how many, required or when, reuse.
      const mats = page.locator('[data-test="material"]');
      assert.equal(await mats.count(), 2);
      assert.equal(await text(mats.nth(0).locator('[data-test="material-name"]')), '居民户口簿');
      const m0 = await text(mats.nth(0));
      for (const s of ['必需', '申请人自备', '原件 1 份', '有效期内可复用']) assert.ok(m0.includes(s), `${s} in ${m0}`);
      const m1 = await text(mats.nth(1));
      for (const s of ['按情形提交', '迁入自有住房的', '由宿州市自然资源和规划局核发', '可永久复用']) assert.ok(m1.includes(s), `${s} in ${m1}`);

      // The guide document in Chinese, the steps, the FAQ.
      assert.match(await text(page.locator('[data-guide="legal_basis"]')), /设定依据\s*《中华人民共和国户口登记条例》第十条/);
      assert.match(await text(page.locator('[data-guide="conditions"]')), /受理条件.*在本市有合法固定住所.*迁入地与迁出地/s);
      assert.match(await text(page.locator('[data-guide="place"]')), /办理地点\s*宿州市政务服务中心公安窗口/);
      assert.match(await text(page.locator('[data-guide="consult_phone"]')), /咨询电话\s*0557-3021234/);
      assert.match(await text(page.locator('[data-guide="faq"]')), /问：需要本人到场吗？\s*答：全程网办，无需到场。/);
      assert.match(await text(page.locator('[data-guide="result_name"]')), /居民户口簿（变更）/);
      const got = await api(`/api/v1/items/${item.hukou.code}`);
      if (got.body.item.process) {
        const steps = page.locator('[data-test="process-step"]');
        assert.equal(await steps.count(), 4, 'accept, the parallel review, decide, end');
        assert.match(await text(steps.nth(1)), /并联审查.*迁出地审核.*迁入地审核.*全部分支完成后继续/s);
      }

      // Anonymous: 立即办理 asks to log in first, and comes back here.
      const apply = page.locator('[data-test="apply"]');
      const href = new URL(await apply.getAttribute('href'), srv.url);
      assert.equal(href.pathname, '/login');
      assert.equal(href.searchParams.get('next'), `/items/${item.hukou.code}`);
      assert.match(await text(page.locator('[data-test="apply-note"]')), /登录/);
      await noOverflow(page, '/items/…');
      await page.screenshot({ path: `${OUT}catalog-guide-phone.png`, fullPage: true });

      // The print stylesheet leaves the frame and the buttons off the paper.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('[data-test="app-header"]').isVisible(), false, 'no header in print');
      assert.equal(await apply.isVisible(), false, 'no buttons in print');
      assert.equal(await page.locator('[data-test="guide-name"]').isVisible(), true);
      await page.emulateMedia({ media: 'screen' });
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('the filters at phone width: folded, then 全程网办, 最多跑一次 and 个人 narrow the list', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(PHONE);
    try {
      // What the page asks the list API (the API tests check that the server honours it).
      const asked = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname === '/api/v1/items') asked.push(Object.fromEntries(u.searchParams));
      });
      const lastAsked = () => asked[asked.length - 1];
      await page.goto(`${srv.url}/search?q=${encodeURIComponent('户口')}`, { waitUntil: 'domcontentloaded' });
      await settled(page);
      assert.deepEqual(lastAsked(), { q: '户口' });
      const filters = page.locator('[data-test="filters"]');
      assert.equal(await filters.getAttribute('open'), null, 'folded on a phone');
      await filters.locator('summary').click();
      await page.locator('[data-test="filter-online"]').click();
      await page.waitForURL((u) => u.searchParams.get('depth') === '4');
      await settled(page);
      let want = await firstPage({ q: '户口', depth: '4' });
      assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code));
      assert.ok((await cardCodes(page)).includes(item.hukou.code));
      assert.deepEqual(lastAsked(), { q: '户口', depth: '4' });

      await page.locator('[data-test="filter-once"]').click();
      await page.waitForURL((u) => u.searchParams.get('at_most_once') === 'true');
      await settled(page);
      want = await firstPage({ q: '户口', depth: '4', at_most_once: 'true' });
      assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code));
      assert.deepEqual(lastAsked(), { q: '户口', depth: '4', at_most_once: 'true' });
      // 个人 asks for the service object 自然人 (1); the food licence (企业法人) is not among them.
      await page.locator('[data-test="object-person"]').click();
      await page.waitForURL((u) => u.searchParams.get('object') === 'person');
      await settled(page);
      want = await firstPage({ q: '户口', depth: '4', at_most_once: 'true', object: '1' });
      assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code));
      assert.deepEqual(lastAsked(), { q: '户口', depth: '4', at_most_once: 'true', object: '1' });
      await noOverflow(page, '/search with the filters open');
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('browse and a theme at phone width', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(PHONE);
    try {
      await page.goto(`${srv.url}/browse`, { waitUntil: 'domcontentloaded' });
      await page.locator(`[data-test="department-link"][data-id="${dept.police.id}"]`).waitFor();
      await noOverflow(page, '/browse');
      for (const tab of ['life', 'stage', 'theme']) {
        await page.goto(`${srv.url}/browse?tab=${tab}`, { waitUntil: 'domcontentloaded' });
        await page.locator('[data-test="life-events"], [data-test="enterprise-stages"], [data-test="themes"], '
          + '[data-test="topics-error"], [data-test="themes-error"], [data-test="themes-empty"]').first().waitFor();
        await noOverflow(page, `/browse?tab=${tab}`);
      }
      if (themeId) {
        await page.goto(`${srv.url}/themes/${themeId}`, { waitUntil: 'domcontentloaded' });
        await page.locator('[data-test="theme-name"]').waitFor();
        await page.locator('[data-test="material"]').first().waitFor();
        await noOverflow(page, '/themes/…');
        await page.screenshot({ path: `${OUT}catalog-theme-phone.png`, fullPage: true });
      }
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });
});

// ---- desktop ----------------------------------------------------------------------------------

describe('catalog portal (desktop)', () => {
  test('a suggestion opens its guide; pinyin initials and an alias say how the item was found', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      await page.goto(`${srv.url}/search`, { waitUntil: 'domcontentloaded' });
      await settled(page);
      assert.equal(await text(page.locator('[data-test="results-title"]')), '全部事项');
      const sug = await api(`/api/v1/items/suggest?q=${encodeURIComponent('户口迁')}`);
      if (sug.status === 200) {
        assert.ok(sug.body.suggestions.length <= 8);
        await page.locator('[data-test="search-box"] input').fill('户口迁');
        const s = page.locator(`.yw-suggest-popper [data-test="suggestion"][data-code="${item.hukou.code}"]`);
        await s.click();
        await page.waitForURL((u) => u.pathname === `/items/${item.hukou.code}`);
        await page.locator('[data-test="guide-name"]').waitFor();
      }

      // The page says what the API says matched (name, alias, guide text, initials).
      for (const q of ['hkqy', '户籍迁移']) {
        await page.goto(`${srv.url}/search?q=${encodeURIComponent(q)}`, { waitUntil: 'domcontentloaded' });
        await settled(page);
        const want = await firstPage({ q });
        assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code), q);
        for (const x of want.items) {
          const note = page.locator(`[data-test="item-card"][data-code="${x.code}"] [data-test="item-match"]`);
          if (x.match && x.match !== 'name') assert.equal(await note.getAttribute('data-match'), x.match);
          else assert.equal(await note.count(), 0);
        }
      }
      assert.match(await text(page.locator(`[data-test="item-card"][data-code="${item.hukou.code}"] [data-test="item-match"]`)), /别名/);
      const byInitials = await firstPage({ q: 'hkqy' });
      if (byInitials.items.some((x) => x.match === 'initials')) {
        await page.goto(`${srv.url}/search?q=hkqy`, { waitUntil: 'domcontentloaded' });
        await settled(page);
        assert.equal(await text(page.locator(`[data-test="item-card"][data-code="${item.hukou.code}"] [data-test="item-match"]`)), '按拼音首字母找到');
      }
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('an item edited as a draft stays as published until it is published; then the guide shows the change', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      const code = item.hukou.code;
      await page.goto(`${srv.url}/items/${code}`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide"]').waitFor();
      assert.equal(await page.locator('[data-test="guide"]').getAttribute('data-version'), '1');

      const draft = await admin.patch(`/api/v1/items/${code}/draft`, {
        name: '户口迁移（市内迁移）',
        promised_limit: 3,
        materials: [...HUKOU.materials, { name: '迁移申请表', source: 'applicant', originals: 1, copies: 0, reuse: 'never' }],
      });
      assert.equal(draft.status, 200, draft.text);
      assert.equal(draft.body.item.version, 2);

      // A draft is not public: a reload still shows version 1.
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide"]').waitFor();
      assert.equal(await text(page.locator('[data-test="guide-name"]')), HUKOU.name);
      assert.equal(await text(page.locator('[data-test="guide-promised"]')), '5 个工作日');
      assert.equal(await page.locator('[data-test="material-name"]', { hasText: '迁移申请表' }).count(), 0);

      const pub = await admin.post(`/api/v1/items/${code}/publish`, { version: 2 });
      assert.equal(pub.status, 200, pub.text);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide"][data-version="2"]').waitFor();
      assert.equal(await text(page.locator('[data-test="guide-name"]')), '户口迁移（市内迁移）');
      assert.equal(await text(page.locator('[data-test="guide-promised"]')), '3 个工作日');
      assert.deepEqual(await page.locator('[data-test="material-name"]').allTextContents(), ['居民户口簿', '不动产权证书', '迁移申请表']);
      assert.match(await text(page.locator('[data-test="guide-version"]')), /^第 2 版，\d{4}年\d{1,2}月\d{1,2}日发布$/);
      await page.screenshot({ path: `${OUT}catalog-guide-desktop.png`, fullPage: true });

      // The old version stays readable, marked as such.
      await page.goto(`${srv.url}/items/${code}?version=1`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide-superseded"]').waitFor();
      assert.equal(await text(page.locator('[data-test="guide-name"]')), HUKOU.name);

      // The search lists the new name too.
      await page.goto(`${srv.url}/search?q=${encodeURIComponent('户口')}`, { waitUntil: 'domcontentloaded' });
      await settled(page);
      assert.equal(await text(page.locator(`[data-test="item-card"][data-code="${code}"] [data-test="item-link"]`)), '户口迁移（市内迁移）');
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('signed in, 立即办理 opens the online application of the item', { timeout: 120000 }, async () => {
    const me = await registerSession(srv.url, newPerson('李秀英', '19880412', false));
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      const [name, value] = me.cookie.split('=');
      await context.addCookies([{ name, value, url: srv.url }]);
      await page.goto(`${srv.url}/items/${item.hukou.code}`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="header-name"]').waitFor();
      const apply = page.locator('[data-test="apply"]');
      await apply.waitFor();
      assert.equal(new URL(await apply.getAttribute('href'), srv.url).pathname, `/apply/${item.hukou.code}`);
      assert.match(await text(page.locator('[data-test="apply-note"]')), /我的办件/);
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('load more by cursor, a region with nothing, the empty state, clearing the filters, and a refused query', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      const q = '社会保障卡补换测试';
      const all = await allCodes({ q });
      assert.equal(all.length, FILLERS, 'the API finds every filler');
      await page.goto(`${srv.url}/search?q=${encodeURIComponent(q)}`, { waitUntil: 'domcontentloaded' });
      await settled(page);
      const first = await firstPage({ q });
      assert.deepEqual(await cardCodes(page), first.items.map((x) => x.code));
      assert.ok(first.next_cursor, 'more than one page');
      await page.locator('[data-test="load-more"]').click();
      await page.locator('[data-test="results-end"]').waitFor();
      assert.deepEqual(await cardCodes(page), all);

      // 砀山县: the fillers are 埇桥区's, so nothing; the empty state says so and offers a way out.
      await page.locator('[data-test="region"] .el-cascader').click();
      const node = (name) => page.locator('.yw-region-popper .el-cascader-node', {
        has: page.locator('[data-test="region-option"]', { hasText: new RegExp(`^${name}$`) }),
      });
      await node('安徽省').click();
      await node('宿州市').click();
      await node('砀山县').locator('.el-radio').click();
      await page.keyboard.press('Escape');
      await page.waitForURL((u) => u.searchParams.get('division') === '341321');
      await settled(page);
      assert.deepEqual(await allCodes({ q, division: '341321' }), []);
      const empty = page.locator('[data-test="results-empty"]');
      await empty.waitFor();
      assert.match(await text(empty), new RegExp(`没有找到与“${q}”相关的事项`));
      await empty.getByRole('button', { name: '清除筛选' }).click();
      await page.waitForURL((u) => !u.searchParams.has('division') && u.searchParams.get('q') === q);
      await settled(page);
      assert.deepEqual(await cardCodes(page), first.items.map((x) => x.code));
      assert.equal(await page.locator('[data-test="region-empty"]').count(), 1, 'the region is cleared too');

      // A division code the server refuses: its problem, in Chinese, and a retry.
      const bad = await api('/api/v1/items?division=abc');
      assert.equal(bad.status, 400);
      await page.goto(`${srv.url}/search?division=abc`, { waitUntil: 'domcontentloaded' });
      const alert = page.locator('[data-test="results-error"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), bad.body.code);
      assert.ok((await text(alert)).includes(bad.body.title));
      await page.locator('[data-test="results-retry"]').waitFor();
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('browse by department, life event, enterprise stage and theme; a theme and a missing item', { timeout: 120000 }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="browse-department"]').click();
      await page.waitForURL((u) => u.pathname === '/browse');
      const link = page.locator(`[data-test="department-link"][data-id="${dept.police.id}"]`);
      await link.waitFor();
      assert.equal(await text(link), '宿州市公安局');
      await page.screenshot({ path: `${OUT}catalog-browse.png`, fullPage: true });
      await link.click();
      await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('department') === dept.police.id);
      await settled(page);
      const want = await firstPage({ department: dept.police.id });
      assert.deepEqual(await cardCodes(page), want.items.map((x) => x.code));
      assert.deepEqual((await cardCodes(page)).sort(), [item.hukou.code, item.change.code].sort());
      await page.locator('[data-test="scope-department"]', { hasText: '部门：宿州市公安局' }).waitFor();

      // Life events and enterprise stages, as the server lists them (or its problem).
      const topics = await api('/api/v1/topics');
      await page.goto(`${srv.url}/browse?tab=life`, { waitUntil: 'domcontentloaded' });
      if (topics.status === 200) {
        await page.locator('[data-test="life-events"]').waitFor();
        const life = topics.body.topics.filter((t) => t.kind === 'life_event');
        assert.deepEqual(await page.locator('[data-test="life-events"] [data-test="topic-link"]').allTextContents(), life.map((t) => t.name));
        await page.goto(`${srv.url}/browse?tab=stage`, { waitUntil: 'domcontentloaded' });
        await page.locator('[data-test="enterprise-stages"]').waitFor();
        const stages = topics.body.topics.filter((t) => t.kind === 'enterprise_stage');
        assert.deepEqual(await page.locator('[data-test="enterprise-stages"] [data-test="topic-link"]').allTextContents(), stages.map((t) => t.name));
        // A life event leads to its items: 户籍 to the 户口 item filed under it.
        await page.goto(`${srv.url}/browse?tab=life`, { waitUntil: 'domcontentloaded' });
        await page.locator('[data-test="topic-link"][data-key="household"]').click();
        await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('topic') === 'household');
        await settled(page);
        const byTopic = await firstPage({ topic: 'household' });
        assert.deepEqual(await cardCodes(page), byTopic.items.map((x) => x.code));
        assert.ok((await cardCodes(page)).includes(item.hukou.code), 'the item filed under 户籍');
        await page.locator('[data-test="scope-topic"]', { hasText: '主题：户籍' }).waitFor();
      } else {
        await page.locator('[data-test="topics-error"]').waitFor();
      }

      // Themes: the one made through the API, listed, and its page.
      await page.goto(`${srv.url}/browse?tab=theme`, { waitUntil: 'domcontentloaded' });
      if (themeId) {
        const id = themeId;
        const tl = page.locator(`[data-test="theme-link"][data-id="${id}"]`);
        await tl.waitFor();
        assert.equal(await text(tl), '户口迁移一件事');
        await tl.click();
        await page.waitForURL((u) => u.pathname === `/themes/${id}`);
        await page.locator('[data-test="theme-name"]').waitFor();
        assert.equal(await text(page.locator('[data-test="theme-name"]')), '户口迁移一件事');
        const theme = (await api(`/api/v1/themes/${id}`)).body.theme;
        assert.deepEqual(await cardCodes(page), theme.items.map((x) => x.code));
        assert.deepEqual(await page.locator('[data-test="material-name"]').allTextContents(), theme.materials.map((m) => m.name));
        // 居民身份证 is asked by one item, 居民户口簿 by the other: each is listed once.
        const names = await page.locator('[data-test="material-name"]').allTextContents();
        assert.equal(new Set(names).size, names.length, 'each material once');
        assert.ok(names.includes('居民户口簿') && names.includes('居民身份证'), names.join());
      } else {
        await page.locator('[data-test="themes-error"], [data-test="themes-empty"]').first().waitFor();
      }

      // A code that is well formed but not there, and one that is not well formed.
      const missing = dept.market.uscc + '4' + '000104009000';
      await page.goto(`${srv.url}/items/${missing}`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide-problem"]').waitFor();
      assert.match(await text(page.locator('[data-test="guide-problem"]')), /没有找到这个事项/);
      await page.goto(`${srv.url}/items/12345`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="guide-problem"][data-code="BAD_ITEM_CODE"]').waitFor();
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });
});
