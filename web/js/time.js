// Wire times (RFC 3339 UTC with milliseconds) shown as local times, and
// durations as words.

export function parseWire(t) {
  if (!t || t === '-') return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

export function toWire(ms) {
  return new Date(ms).toISOString();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');

// The terminal client's format (src/client/present/time_text.cc), 24-hour,
// in the browser's time zone: "14:05" today, "Nov 21 14:05" this year,
// "2025-11-21 14:05" before; "not set" for an unknown time.
export function localTime(t, now = Date.now()) {
  const ms = typeof t === 'number' ? t : parseWire(t);
  if (ms === null) return 'not set';
  const d = new Date(ms);
  const today = new Date(now);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (d.getFullYear() !== today.getFullYear()) {
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${hm}`;
  }
  if (d.getMonth() !== today.getMonth() || d.getDate() !== today.getDate()) {
    return `${MONTHS[d.getMonth()]} ${d.getDate()} ${hm}`;
  }
  return hm;
}

// Whole seconds as "1 h 5 min", "45 s", "2 days 3 h".
export function duration(seconds) {
  let s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (days > 0) return `${days} ${days === 1 ? 'day' : 'days'}${h ? ` ${h} h` : ''}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ''}`;
  if (m > 0) return `${m} min${s ? ` ${s} s` : ''}`;
  return `${s} s`;
}

// "in 4 min 3 s" for a time to come, "now" once it has passed.
export function countdown(ms, now = Date.now()) {
  if (ms === null) return '';
  const left = Math.ceil((ms - now) / 1000);
  return left > 0 ? `in ${duration(left)}` : 'now';
}
