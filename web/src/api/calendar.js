// The working-day calendar: statutory holidays and make-up working days (调休上班) by year.
import { getJSON } from './http.js';

/** {year, covered:{from,to}, holidays:[{date,name,name_en}], workdays:[{date,name}]} */
export function getCalendar(year, opts) {
  return getJSON(`/api/v1/calendar/${encodeURIComponent(year)}`, null, opts);
}

/** The date `days` working days after `from` (YYYY-MM-DD): {from, days, date}. */
export function addWorkdays(from, days, opts) {
  return getJSON('/api/v1/calendar/workdays', { from, days }, opts);
}
