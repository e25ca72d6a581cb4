/**
 * Feed dates as publishers really write them: RFC 822/2822 with its deviations (no zero padding, two-digit
 * years, named zones, missing seconds or zone), ISO 8601 / RFC 3339, month-first forms, and month and
 * weekday names in the languages our feeds use. Anything else is `null`, never a guess.
 */

/** Three/four-letter month prefixes by language (en, fr, de, es, it, pt, nl, pl, ru, uk) → month 1..12. */
const MONTH_PREFIXES: [string, number][] = [
  ['jan', 1], ['ene', 1], ['gen', 1], ['sty', 1], ['янв', 1], ['січ', 1],
  ['feb', 2], ['fév', 2], ['fev', 2], ['lut', 2], ['фев', 2], ['лют', 2],
  ['mar', 3], ['mär', 3], ['mrt', 3], ['бер', 3],
  ['apr', 4], ['avr', 4], ['abr', 4], ['kwi', 4], ['апр', 4], ['кві', 4], ['квi', 4],
  ['may', 5], ['mai', 5], ['mag', 5], ['maj', 5], ['mei', 5], ['мая', 5], ['май', 5], ['тра', 5],
  ['juin', 6], ['jun', 6], ['giu', 6], ['cze', 6], ['июн', 6], ['чер', 6],
  ['juil', 7], ['jul', 7], ['lug', 7], ['lip', 7], ['июл', 7], ['лип', 7],
  ['aug', 8], ['aoû', 8], ['aou', 8], ['ago', 8], ['sie', 8], ['авг', 8], ['сер', 8],
  ['sep', 9], ['set', 9], ['wrz', 9], ['сен', 9], ['вер', 9],
  ['oct', 10], ['okt', 10], ['ott', 10], ['out', 10], ['paź', 10], ['paz', 10], ['окт', 10], ['жов', 10],
  ['nov', 11], ['lis', 11], ['ноя', 11], ['лис', 11],
  ['dec', 12], ['déc', 12], ['dez', 12], ['dic', 12], ['gru', 12], ['dek', 12], ['дек', 12], ['гру', 12],
  // Russian "марта" must come after "мая"/"май" would not clash; listed last so longer prefixes win above.
  ['мар', 3],
];

/** Named zones seen in feeds, as minutes east of UTC (RFC 822's US zones plus common European ones). */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, met: 60, cest: 120, mest: 120, eet: 120, eest: 180,
  msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  ist: 330, jst: 540, kst: 540, hkt: 480, sgt: 480, aest: 600, aedt: 660,
};

function monthFrom(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  let best: [string, number] | null = null;
  for (const entry of MONTH_PREFIXES) {
    if (w.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : null;
}

function zoneOffsetMinutes(zone: string): number | null {
  const z = zone.trim().toLowerCase().replace(/^\(|\)$/g, '');
  if (z === '') return 0;
  const numeric = /^(?:gmt|utc|ut)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? '0');
    if (hours > 14 || minutes > 59) return null;
    return sign * (hours * 60 + minutes);
  }
  // "+0000 (UTC)" and "GMT (Greenwich Mean Time)": the first word decides.
  const first = z.split(/\s+/)[0] ?? '';
  if (first !== z) return zoneOffsetMinutes(first);
  return ZONES[z] ?? null;
}

function fullYear(text: string): number {
  const y = Number(text);
  if (text.length > 2) return y;
  // RFC 2822 §4.3: 00–49 are 2000–2049, 50–99 are 1950–1999.
  return y < 50 ? 2000 + y : 1900 + y;
}

/** Splits "PM +0100" into an hour shift for 12-hour clocks and the zone text. */
function meridiem(hour: number, zoneText: string): { hour: number; zone: string } | null {
  const m = /^([ap])\.?m\.?(?:\s+|$)(.*)$/i.exec(zoneText.trim());
  if (!m) return { hour, zone: zoneText };
  if (hour < 1 || hour > 12) return null;
  const pm = (m[1] ?? '').toLowerCase() === 'p';
  return { hour: (hour % 12) + (pm ? 12 : 0), zone: m[2] ?? '' };
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMin: number, millis = 0): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offsetMin * 60_000;
  const d = new Date(ms);
  // Date.UTC rolls 31 February over into March; a real date does not.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return Number.isNaN(d.getTime()) ? null : d;
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME = String.raw`(?:\s+|t|,\s*|\s+at\s+)?(?:(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:[.,]\d+)?)?\s*(.*)`;
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})(?:\.|-|/|\s)*([\p{L}]+)\.?(?:-|/|,|\s)+(\d{4}|\d{2})` + TIME + '$', 'iu');
const MONTH_FIRST = new RegExp(String.raw`^([\p{L}]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` + TIME + '$', 'iu');
/** JavaScript's own toString form: "Tue Jun 10 2003 04:00:00 GMT+0000 (Coordinated Universal Time)". */
const MONTH_FIRST_TIME_BEFORE_YEAR = /^([\p{L}]+)\.?\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(\d{4})\s*(.*)$/iu;

/** Parses a feed date; `null` when the text is not a date we can read with certainty. */
export function parseFeedDate(input: string | null | undefined): Date | null {
  if (!input) return null;
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return null;

  const iso = ISO.exec(text);
  if (iso) {
    const offset = iso[8] ? zoneOffsetMinutes(iso[8].toLowerCase() === 'z' ? 'z' : iso[8]) : 0;
    if (offset === null) return null;
    const millis = iso[7] ? Math.floor(Number(`0.${iso[7]}`) * 1000) : 0;
    return build(Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0), offset, millis);
  }

  // Drop a leading weekday in any language ("Tue,", "mar.,", "Пн,", "Dienstag,") when a number follows.
  let rest = text.replace(/^[\p{L}]+\.?,?\s+(?=\d{1,2}(?:\.|-|\/|\s)+\p{L})/u, '').replace(/^[\p{L}]+\.?,\s*(?=[\p{L}])/u, '');
  const twoWords = /^([\p{L}]+)\.?\s+([\p{L}]+)\.?\s+(?=\d)/u.exec(rest);
  if (twoWords && monthFrom(twoWords[2] ?? '') !== null) rest = rest.slice((twoWords[1] ?? '').length).replace(/^\.?\s+/, '');

  const dayFirst = DAY_FIRST.exec(rest);
  if (dayFirst) {
    return fromParts(fullYear(dayFirst[3] ?? ''), dayFirst[2], dayFirst[1], dayFirst[4], dayFirst[5], dayFirst[6], dayFirst[7]);
  }
  const monthFirst = MONTH_FIRST.exec(rest);
  if (monthFirst) {
    return fromParts(Number(monthFirst[3]), monthFirst[1], monthFirst[2], monthFirst[4], monthFirst[5], monthFirst[6], monthFirst[7]);
  }
  const jsForm = MONTH_FIRST_TIME_BEFORE_YEAR.exec(rest);
  if (jsForm) return fromParts(Number(jsForm[6]), jsForm[1], jsForm[2], jsForm[3], jsForm[4], jsForm[5], jsForm[7]);
  return null;
}

function fromParts(year: number, monthWord: string | undefined, day: string | undefined, hour: string | undefined, minute: string | undefined, second: string | undefined, zoneText: string | undefined): Date | null {
  const month = monthFrom(monthWord ?? '');
  const clock = meridiem(Number(hour ?? 0), zoneText ?? '');
  if (month === null || clock === null) return null;
  const offset = zoneOffsetMinutes(clock.zone);
  if (offset === null) return null;
  return build(year, month, Number(day), clock.hour, Number(minute ?? 0), Number(second ?? 0), offset);
}
