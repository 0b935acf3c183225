// Small formatting helpers shared by the components (local time, plurals).

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `14:05:09` (local time) of an RFC 3339 timestamp; `fallback` when it does not parse. */
export function clockTime(iso: string | null | undefined, fallback = ''): string {
  const date = parse(iso);
  if (!date) return fallback;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `14:05` today, `2025-01-31 14:05` another day (local time); `fallback` when it does not parse. */
export function shortTime(iso: string | null | undefined, fallback = 'never', now: Date = new Date()): string {
  const date = parse(iso);
  if (!date) return fallback;
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const sameDay =
    date.getFullYear() === now.getFullYear() &&
    date.getMonth() === now.getMonth() &&
    date.getDate() === now.getDate();
  return sameDay ? hm : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${hm}`;
}

/** `1 product`, `2 products`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `812 bytes`, `4.2 kB`, `13.1 MB`, `1.2 GB` (powers of 1000, as file managers show sizes). */
export function byteSize(bytes: number): string {
  if (bytes < 1000) return plural(bytes, 'byte');
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The badge class of a product's status: `status-active`, `status-draft`, … */
export function statusClass(status: string): string {
  return `status-${status.toLowerCase().replace(/[^a-z0-9-]/g, '')}`;
}
