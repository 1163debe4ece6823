// Civil dates as 'YYYY-MM-DD' strings, computed in UTC so that no time zone or DST shift can move
// a day. Weekdays are 0 = Monday … 6 = Sunday (weeks start on Monday, as in China).

const pad2 = (n) => String(n).padStart(2, '0');

export function isoDate(year, month, day) {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

export function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function daysInYear(year) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** 0 = Monday … 6 = Sunday */
export function weekdayMon0(year, month, day) {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function weekdayOf(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return weekdayMon0(y, m, d);
}

export const WEEKDAY_SHORT = ['一', '二', '三', '四', '五', '六', '日'];
export const WEEKDAY_LONG = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

/** Today in the browser's own time zone, as YYYY-MM-DD. */
export function todayIso(now = new Date()) {
  return isoDate(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** '2026-10-01' → '10月1日' */
export function monthDay(iso) {
  const [, m, d] = iso.split('-').map(Number);
  return `${m}月${d}日`;
}

/** '2026-10-01' → '2026年10月1日' */
export function longDate(iso) {
  const [y] = iso.split('-');
  return `${y}年${monthDay(iso)}`;
}

/** The next civil day. */
export function nextDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
