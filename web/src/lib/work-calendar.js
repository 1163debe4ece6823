// Turns the server's calendar of one year into what the page draws: twelve month grids with the
// kind of every day, the year's counts, and the holiday arrangements grouped by festival.
import {
  daysInMonth, daysInYear, isoDate, weekdayMon0, nextDay, monthDay, WEEKDAY_LONG,
} from './civil-date.js';

export const KIND_LABEL = {
  workday: '工作日',
  weekend: '周末',
  holiday: '法定节假日',
  makeup: '调休上班',
};

/**
 * kind: 'holiday' (statutory day off, 休) beats 'makeup' (weekend made a working day, 班) beats
 * the plain weekday rule ('weekend' for Saturday and Sunday, else 'workday').
 */
export function buildYear(cal) {
  const year = Number(cal.year);
  const holidays = new Map((cal.holidays || []).map((h) => [h.date, h]));
  const makeups = new Map((cal.workdays || []).map((w) => [w.date, w]));
  const counts = { days: daysInYear(year), workday: 0, weekend: 0, holiday: 0, makeup: 0 };

  const months = [];
  for (let month = 1; month <= 12; month++) {
    const n = daysInMonth(year, month);
    const lead = weekdayMon0(year, month, 1);
    const days = [];
    let working = 0;
    for (let day = 1; day <= n; day++) {
      const date = isoDate(year, month, day);
      const wd = (lead + day - 1) % 7;
      let kind;
      let name = '';
      if (holidays.has(date)) {
        kind = 'holiday';
        name = holidays.get(date).name || '';
      } else if (makeups.has(date)) {
        kind = 'makeup';
        name = makeups.get(date).name || '';
      } else {
        kind = wd >= 5 ? 'weekend' : 'workday';
      }
      counts[kind]++;
      if (kind === 'workday' || kind === 'makeup') working++;
      let title = `${month}月${day}日 ${WEEKDAY_LONG[wd]} · `;
      if (kind === 'holiday') title += `${name || '法定节假日'}（休）`;
      else if (kind === 'makeup') title += `调休上班${name ? `（${name}）` : ''}`;
      else title += KIND_LABEL[kind];
      days.push({ date, day, weekday: wd, kind, name, title });
    }
    months.push({ month, lead, days, working });
  }

  return {
    year,
    months,
    counts: {
      ...counts,
      working: counts.workday + counts.makeup,
      rest: counts.weekend + counts.holiday,
    },
    arrangements: groupArrangements(cal),
  };
}

/**
 * One line per festival: its consecutive days off and its make-up working days, e.g.
 * {name:'国庆节', off:[{from:'2026-10-01', to:'2026-10-07', days:7}], makeup:['2026-09-20',…]}.
 */
export function groupArrangements(cal) {
  const byName = new Map();
  const entry = (name) => {
    if (!byName.has(name)) byName.set(name, { name, off: [], makeup: [] });
    return byName.get(name);
  };
  const holidays = [...(cal.holidays || [])].sort((a, b) => a.date.localeCompare(b.date));
  for (const h of holidays) {
    const e = entry(h.name || '法定节假日');
    const last = e.off[e.off.length - 1];
    if (last && nextDay(last.to) === h.date) {
      last.to = h.date;
      last.days++;
    } else {
      e.off.push({ from: h.date, to: h.date, days: 1 });
    }
  }
  for (const w of [...(cal.workdays || [])].sort((a, b) => a.date.localeCompare(b.date))) {
    const e = entry(w.name || '调休');
    e.makeup.push(w.date);
  }
  // In the order of the days off (a festival's make-up days may come weeks before them).
  const firstDay = (e) => (e.off[0] ? e.off[0].from : e.makeup[0]);
  return [...byName.values()]
    .sort((a, b) => firstDay(a).localeCompare(firstDay(b)))
    .map((e) => ({
      name: e.name,
      off: e.off,
      offText: e.off
        .map((r) => (r.from === r.to ? monthDay(r.from) : `${monthDay(r.from)}至${monthDay(r.to)}`))
        .join('、'),
      offDays: e.off.reduce((s, r) => s + r.days, 0),
      makeup: e.makeup,
      makeupText: e.makeup.map(monthDay).join('、'),
    }));
}
