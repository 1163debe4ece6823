// Browser test of the citizens' portal: headless Chromium (Debian's) driven by playwright-core,
// against the real server started by tests/lib/server.mjs. Expectations about the calendar are
// derived from the server's own API answers, so the test holds whatever year it runs in.
//
//   node --test tests/e2e/
//
// Screenshots go to tests/e2e/out/ (git-ignored).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, OUT, PHONE, closeSuite, newContext, newPage as pageIn, noOverflow, openSuite } from '../lib/browser.mjs';

let srv;
let browser;

before(async () => {
  ({ srv, browser } = await openSuite());
});

after(() => closeSuite({ srv, browser }));

// ---- helpers --------------------------------------------------------------------------------

async function api(path) {
  const res = await fetch(`${srv.url}${path}`, { headers: { Accept: 'application/json' } });
  const body = await res.json();
  return { ok: res.ok, status: res.status, body };
}

const pad2 = (n) => String(n).padStart(2, '0');

/** Every date of `year` with the kind the page must give it, computed from the API's lists. */
function expectedKinds(cal) {
  const holidays = new Set(cal.holidays.map((h) => h.date));
  const makeups = new Set(cal.workdays.map((w) => w.date));
  const kinds = new Map();
  for (let t = Date.UTC(cal.year, 0, 1); new Date(t).getUTCFullYear() === cal.year; t += 86400000) {
    const d = new Date(t);
    const iso = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    kinds.set(iso, holidays.has(iso) ? 'holiday' : makeups.has(iso) ? 'makeup' : weekend ? 'weekend' : 'workday');
  }
  return kinds;
}

async function newPage(options) {
  const context = await newContext(browser, options);
  return { context, ...(await pageIn(context)) };
}

/** The cascader node (li) whose label is exactly `name`, in the open region dropdown. */
function regionNode(page, name) {
  return page.locator('.yw-region-popper .el-cascader-node', {
    has: page.locator('[data-test="region-option"]', { hasText: new RegExp(`^${name}$`) }),
  });
}

// The same clock the browser reads (the page defaults to the browser's current year).
const YEAR = new Date().getFullYear();

// ---- desktop ----------------------------------------------------------------------------------

describe('portal (desktop)', () => {
  test('title, region selector, calendar of the current year, workday calculator', { timeout: 120000 }, async () => {
    const calRes = await api(`/api/v1/calendar/${YEAR}`);
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });

      // The shell.
      await page.locator('[data-test="app-title"]').waitFor();
      assert.equal((await page.locator('[data-test="app-title"]').textContent()).trim(), '一网通办');
      assert.equal(await page.title(), '一网通办');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

      // The region selector: 安徽省 → 宿州市 → 埇桥区 (a county, chosen with its radio).
      await page.locator('[data-test="region"] .el-cascader').click();
      await regionNode(page, '安徽省').click();
      await regionNode(page, '宿州市').click();
      const county = regionNode(page, '埇桥区');
      await county.waitFor();
      await county.locator('.el-radio').click();
      await page.keyboard.press('Escape');
      const chosen = page.locator('[data-test="region-name"]');
      await chosen.waitFor();
      assert.equal((await chosen.textContent()).trim(), '安徽省宿州市埇桥区');
      assert.equal((await page.locator('[data-test="region-code"]').textContent()).trim(), '341302');
      const inputValue = await page.locator('[data-test="region"] input').first().inputValue();
      assert.match(inputValue, /安徽省.*宿州市.*埇桥区/);

      // The calendar of the current year, or the server's problem if the calendar lacks it.
      if (calRes.ok) {
        const cal = calRes.body;
        assert.equal(cal.year, YEAR);
        await page.locator('[data-test="calendar-year"]').waitFor();
        assert.equal((await page.locator('[data-test="calendar-year"]').textContent()).trim(), String(YEAR));
        assert.ok((await page.locator('[data-test="year-select"]').textContent()).includes(`${YEAR}年`), 'the year selector shows the year');

        const cells = await page.$$eval('[data-test="calendar"] [data-date]', (els) =>
          els.map((e) => ({ date: e.dataset.date, kind: e.dataset.kind, title: e.getAttribute('title') || '' })));
        const kinds = expectedKinds(cal);
        assert.equal(cells.length, kinds.size, 'one cell per day of the year');
        assert.equal(new Set(cells.map((c) => c.date)).size, kinds.size, 'no day twice');
        for (const c of cells) assert.equal(c.kind, kinds.get(c.date), `kind of ${c.date}`);

        const holidayCells = await page.locator('[data-test="calendar"] [data-kind="holiday"]').count();
        assert.ok(holidayCells >= 1, 'at least one holiday');
        assert.equal(holidayCells, cal.holidays.filter((h) => h.date.startsWith(`${YEAR}-`)).length);
        assert.equal(
          await page.locator('[data-test="calendar"] [data-kind="makeup"]').count(),
          cal.workdays.filter((w) => w.date.startsWith(`${YEAR}-`)).length,
        );
        const byDate = new Map(cells.map((c) => [c.date, c]));
        for (const h of cal.holidays) assert.ok(byDate.get(h.date).title.includes(h.name), `name of ${h.date} on hover`);

        const working = [...kinds.values()].filter((k) => k === 'workday' || k === 'makeup').length;
        assert.equal(Number(await page.locator('[data-test="count-working"]').textContent()), working);
        assert.equal(Number(await page.locator('[data-test="count-days"]').textContent()), kinds.size);

        if (YEAR === 2026) {
          assert.ok(cal.holidays.some((h) => h.date === '2026-10-01'), 'API: 2026-10-01 is a holiday');
          assert.ok(cal.workdays.some((w) => w.date === '2026-10-10'), 'API: 2026-10-10 is a make-up day');
          assert.equal(await page.getAttribute('[data-date="2026-10-01"]', 'data-kind'), 'holiday');
          assert.equal(await page.getAttribute('[data-date="2026-10-10"]', 'data-kind'), 'makeup');
          assert.match(await page.getAttribute('[data-date="2026-10-01"]', 'title'), /国庆/);
        }
      } else {
        const alert = page.locator('[data-test="calendar-error"]');
        await alert.waitFor();
        assert.ok((await alert.textContent()).includes(calRes.body.title));
      }

      // The working-day calculator: the page shows what the API answers for the same question.
      const from = `${YEAR}-09-30`;
      const calc = await api(`/api/v1/calendar/workdays?from=${from}&days=3`);
      const fromInput = page.locator('[data-test="workday-calc"] .el-date-editor input');
      await fromInput.waitFor();
      await fromInput.fill(from);
      await fromInput.press('Enter');
      await page.keyboard.press('Escape');
      const daysInput = page.locator('[data-test="workday-calc"] .el-input-number input');
      await daysInput.fill('3');
      await daysInput.press('Tab');
      await page.locator('[data-test="calc-submit"]').click();
      if (calc.ok) {
        const out = page.locator('[data-test="calc-date"]');
        await out.waitFor();
        assert.equal(await out.getAttribute('data-date'), calc.body.date);
        if (YEAR === 2026) assert.equal(calc.body.date, '2026-10-10');
      } else {
        const alert = page.locator('[data-test="calc-error"]');
        await alert.waitFor();
        assert.ok((await alert.textContent()).includes(calc.body.title));
      }

      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${OUT}portal.png`, fullPage: true });
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('the region selector works from the keyboard: ↓ moves, → opens a level, Enter chooses', { timeout: 60000 }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });
      const input = page.locator('[data-test="region"] input').first();
      await input.focus();
      await input.press('ArrowDown');
      await page.locator('.yw-region-popper .el-cascader-node').first().waitFor();
      const focused = () => page.evaluate(() => {
        const a = document.activeElement;
        return a?.classList.contains('el-cascader-node')
          ? { name: a.querySelector('[data-test="region-option"]')?.textContent.trim(), menu: [...a.closest('.el-cascader-panel').children].indexOf(a.closest('.el-cascader-menu')) }
          : null;
      });
      let f = await focused();
      for (let i = 0; i < 60 && f?.name !== '安徽省'; i++) {
        await page.keyboard.press('ArrowDown');
        f = await focused();
      }
      assert.equal(f?.name, '安徽省', 'reached 安徽省 with ↓');
      await page.keyboard.press('ArrowRight');
      for (let i = 0; i < 100 && (await focused())?.menu !== 1; i++) await page.waitForTimeout(50);
      f = await focused();
      assert.equal(f?.menu, 1, 'focus moved into the prefectures');
      const prefecture = f.name;
      await page.keyboard.press('Enter');
      const chosen = page.locator('[data-test="region-name"]');
      await chosen.waitFor();
      assert.equal((await chosen.textContent()).trim(), `安徽省${prefecture}`);
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('a year the calendar does not cover shows the server problem, not a blank page', { timeout: 60000 }, async () => {
    const year = 1999;
    const res = await api(`/api/v1/calendar/${year}`);
    if (res.ok) return; // the calendar grew to cover it: nothing to check here
    assert.equal(res.body.code, 'CALENDAR_OUT_OF_RANGE');
    const { context, page } = await newPage(DESKTOP);
    try {
      await page.goto(`${srv.url}/?year=${year}`, { waitUntil: 'domcontentloaded' });
      const alert = page.locator('[data-test="calendar-error"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'CALENDAR_OUT_OF_RANGE');
      const text = await alert.textContent();
      assert.ok(text.includes(res.body.title), 'the Chinese title');
      if (res.body.detail) assert.ok(text.includes(res.body.detail), 'the detail');
      assert.equal(await page.locator('[data-test="calendar"] [data-date]').count(), 0);
      // The shell and the year selector stay usable.
      await page.locator('[data-test="app-title"]').waitFor();
      await page.locator('[data-test="year-select"]').waitFor();
    } finally {
      await context.close();
    }
  });
});

// ---- phone ----------------------------------------------------------------------------------

describe('portal (phone, 375 px)', () => {
  test('renders without horizontal overflow', { timeout: 60000 }, async () => {
    const { context, page, errors } = await newPage(PHONE);
    try {
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="app-title"]').waitFor();
      await page.locator('[data-test="calendar-year"], [data-test="calendar-error"]').first().waitFor();
      await page.locator('[data-test="workday-calc"]').waitFor();

      await noOverflow(page, '/');
      await page.screenshot({ path: `${OUT}portal-mobile.png`, fullPage: true });

      // The region dropdown stays on the screen, too.
      await page.locator('[data-test="region"] .el-cascader').click();
      await regionNode(page, '安徽省').click();
      await regionNode(page, '宿州市').waitFor();
      const box = await page.locator('.yw-region-popper').boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375 + 0.5, `dropdown spans ${box?.x}..${box && box.x + box.width}`);
      await noOverflow(page, '/ with the dropdown open');
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });
});
