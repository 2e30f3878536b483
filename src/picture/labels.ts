// The words on a picture: the names people use, shortened in the middle, wrapped at the
// separators names have, and escaped for Graphviz's HTML-like labels. Every piece of text that
// comes from data goes through `html()`: nothing it returns can end a label, open a tag or
// change an attribute, whatever the name holds.
import type { DatasetFeatures } from '../lineage/neighbourhood.js';

/** Characters on one line of an entity's name; NAME_LINES lines at most. */
export const NAME_LINE = 14;
/** Characters on one line of a detail (location, features). */
export const DETAIL_LINE = 24;
export const NAME_LINES = 3;

/**
 * Text safe inside an HTML-like label: &, <, >, quotes escaped; control characters (newlines,
 * tabs, NUL) and lone surrogates, which Graphviz would reject or lay out as line breaks, become spaces.
 */
export function html(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Controls and unpaired surrogates out, runs of space collapsed. */
export function clean(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what goes
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `text` at most `max` characters (code points), the middle replaced by "…". */
export function shortenMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`;
}

/**
 * A name on at most `lines` lines of `width` characters: broken after a separator (- _ . / :)
 * where there is one, and shortened in the middle when it does not fit.
 */
export function wrapName(name: string, width = NAME_LINE, lines = NAME_LINES): string[] {
  const text = shortenMiddle(clean(name), width * lines);
  const out: string[] = [];
  let rest = Array.from(text);
  while (rest.length > width && out.length < lines - 1) {
    // After the last separator that keeps the line within width (a separator may end it one
    // character over: "fraud-detector-"), else a hard break.
    let cut = width;
    for (let i = width + 1; i >= Math.ceil(width / 3); i--) {
      if (i <= rest.length - 1 && /[-_./:@ ]/.test(rest[i - 1] as string)) {
        cut = i;
        break;
      }
    }
    out.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
  }
  const last = rest.join('').trimStart();
  out.push(Array.from(last).length > width ? shortenMiddle(last, width) : last);
  return out.filter((line) => line !== '');
}

/** How an entity's name reads on the picture: a main line or two, and a smaller detail. */
export interface NameLabel {
  lines: string[];
  detail?: string;
}

/**
 * S3 URIs and code URLs show their last part (the file people recognise) and, smaller, where it
 * lives; other names show whole.
 */
export function nameLabel(name: string): NameLabel {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(name);
  if (s3) {
    const key = s3[2] as string;
    const folder = key.endsWith('/');
    const parts = key.split('/').filter((p) => p !== '');
    if (parts.length === 0) return { lines: wrapName(name) };
    const last = `${parts[parts.length - 1] as string}${folder ? '/' : ''}`;
    const bucket = `s3://${s3[1] as string}/`;
    const folders = parts.slice(0, -1);
    const full = `${bucket}${folders.map((p) => `${p}/`).join('')}`;
    // Too long: the folders nearest the file say most; the bucket and the rest go.
    let where = full;
    if (Array.from(full).length > DETAIL_LINE && folders.length > 0) {
      // As many of the nearest folders as fit, at least one.
      let kept = 1;
      while (kept < folders.length && Array.from(`…/${folders.slice(-(kept + 1)).join('/')}/`).length <= DETAIL_LINE) kept++;
      where = `…/${folders.slice(-kept).join('/')}/`;
    }
    return { lines: wrapName(last), detail: shortenMiddle(clean(where), DETAIL_LINE) };
  }
  const url = /^https?:\/\/([^/?#]+)(\/[^?#]*)?/.exec(name);
  if (url) {
    const parts = (url[2] ?? '').split('/').filter((p) => p !== '');
    const last = parts[parts.length - 1];
    if (last === undefined) return { lines: wrapName(name) };
    // github.com/<owner>/<repo>/blob/<ref>/<path>: the repository is what people name.
    const github = /github\.com$/i.test(url[1] as string) && parts.length >= 2;
    const repository = `${parts[0]}/${parts[1]}`;
    const where = !github ? (url[1] as string) : Array.from(repository).length <= DETAIL_LINE ? repository : (parts[1] as string);
    return { lines: wrapName(decodeSafely(last)), detail: shortenMiddle(clean(where), DETAIL_LINE) };
  }
  return { lines: wrapName(name) };
}

function decodeSafely(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Longest feature name shown; longer ones are shortened in the middle. */
const FEATURE_NAME = 20;
/**
 * Lines each feature group's features may take on a dataset: two. A dataset reading three or
 * four groups stays as tall as a few neighbours, where three lines each made the dataset column
 * the picture's tallest and pushed the rest apart; the feature question lists every feature.
 */
const LINES_PER_GROUP = 2;

/**
 * A dataset's features as short lines, per feature group: "claims: customer_id, claim_amount,
 * fraud, +2 more". Every use counts (selected, join key, filter…); how each is used is the
 * feature question's answer, not the picture's. Features that do not fit are counted.
 */
export function featureLines(features: DatasetFeatures): string[] {
  const lines: string[] = [];
  for (const group of features.groups) {
    const head = `${shortenMiddle(clean(group.featureGroup), FEATURE_NAME)}:`;
    if (group.allSelected) {
      lines.push(`${head} all features`);
      continue;
    }
    // Selected features first: they are what the model is trained on; keys and filters after.
    const ordered = [...group.used.filter((f) => f.uses.includes('selected')), ...group.used.filter((f) => !f.uses.includes('selected'))];
    const names = ordered.map((f) => shortenMiddle(clean(f.name), FEATURE_NAME));
    if (names.length === 0) {
      lines.push(`${head} none used`);
      continue;
    }
    // The longest prefix of the features that fits, with "+N more" for the rest.
    for (let shown = names.length; shown >= 0; shown--) {
      const words = [head, ...names.slice(0, shown).map((name, i) => (i < shown - 1 || shown < names.length ? `${name},` : name))];
      if (shown < names.length) words.push(`+${names.length - shown} more`);
      const flowed = flow(words, DETAIL_LINE);
      if (flowed.length <= LINES_PER_GROUP || shown === 0) {
        lines.push(...flowed.slice(0, LINES_PER_GROUP));
        break;
      }
    }
  }
  if (features.unknown.length > 0) lines.push(features.groups.length > 0 ? 'other features not known' : 'features not known');
  return lines;
}

/** Words flowed into lines of at most `width` characters (a longer word is shortened). */
function flow(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const raw of words) {
    const word = shortenMiddle(raw, width);
    if (line === '') line = word;
    else if (Array.from(line).length + 1 + Array.from(word).length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
