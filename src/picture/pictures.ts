// The picture engine as the Slack wiring and the command line call it: a lineage picture of any
// entity, or the blast radius of a feature group, in PNG, SVG or DOT, with a caption and alt
// text (plain text: callers escape it for where they put it), cached and coalesced.
import { KIND_LABELS, KINDS } from '../lineage/classify.js';
import type { EntityRef } from '../lineage/answers.js';
import type { Neighbourhood, OwnerReachEntry } from '../lineage/neighbourhood.js';
import type { LineageService } from '../lineage/service.js';
import { PictureCache } from './cache.js';
import { pictureSummary, pictureTitle, truncationNote } from './dot.js';
import { PictureRenderer, type DrawnPicture, type PictureFormat } from './render.js';

export interface Picture extends DrawnPicture {
  subject: EntityRef;
  /** One line saying what the picture shows. */
  caption: string;
  /** What the picture shows, for screen readers (at most ALT_TEXT_MAX characters). */
  altText: string;
  identifiers: readonly string[];
}

/** Slack's image alt text holds 2,000 characters; well under it. */
export const ALT_TEXT_MAX = 1000;

export interface PictureServiceDeps {
  service: LineageService;
  renderer: Pick<PictureRenderer, 'draw'>;
  cache?: PictureCache<Picture>;
  /** Said in the legend of an impact picture about owners not looked up. */
  ownersNote?: string;
}

export class PictureService {
  private readonly cache: PictureCache<Picture>;

  constructor(private readonly deps: PictureServiceDeps) {
    this.cache = deps.cache ?? new PictureCache<Picture>({ ttlMs: 0, maxBytes: 0 });
  }

  /** The lineage around any entity (name, ARN, S3 URI or link). */
  lineage(input: string, format: PictureFormat = 'png'): Promise<Picture> {
    const key = JSON.stringify(['lineage', input.trim(), format]);
    return this.cache.get(key, async () => this.draw(await this.deps.service.neighbourhood(input), format));
  }

  /** What a change to a feature group reaches, coloured by whether owners can be reached. */
  impact(input: string, reach: readonly OwnerReachEntry[] = [], format: PictureFormat = 'png'): Promise<Picture> {
    const canonical = [...reach].map((r) => [r.kind, r.name, r.reach]).sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));
    const key = JSON.stringify(['impact', input.trim(), format, canonical]);
    return this.cache.get(key, async () => this.draw(await this.deps.service.blastRadius(input, reach), format));
  }

  /** Drops pictures drawn from any of `ids`; what CachedLineageSource.onDrop calls. */
  invalidate(ids: ReadonlySet<string> | 'all'): number {
    return this.cache.invalidate(ids);
  }

  stats() {
    return this.cache.stats();
  }

  private async draw(n: Neighbourhood, format: PictureFormat): Promise<Picture> {
    const drawn = await this.deps.renderer.draw(n, format, this.deps.ownersNote ? { ownersNote: this.deps.ownersNote } : {});
    return { ...drawn, subject: n.subject, caption: caption(n), altText: altText(n), identifiers: n.identifiers };
  }
}

export function caption(n: Neighbourhood): string {
  return `${pictureTitle(n)}: ${pictureSummary(n)}${n.truncation ? ' (cut short)' : ''}.`;
}

/** "Lineage around model fraud-detector, drawn left to right: 2 data sources, 1 code artifact, …". */
export function altText(n: Neighbourhood): string {
  const counts = new Map<string, number>();
  for (const node of n.nodes) {
    const label = node.node === 'folded' && node.chain ? 'other steps' : node.kind;
    counts.set(label, (counts.get(label) ?? 0) + (node.node === 'folded' ? node.count : 1));
  }
  const parts = [...KINDS, 'other steps']
    .filter((kind) => counts.has(kind))
    .map((kind) => {
      const count = counts.get(kind) as number;
      const label = kind === 'other steps' ? { one: 'other step', many: 'other steps' } : KIND_LABELS[kind as keyof typeof KIND_LABELS];
      return `${count.toLocaleString('en-US')} ${count === 1 ? label.one : label.many}`;
    });
  const reach = n.view === 'impact' ? reachText(n) : '';
  const cut = truncationNote(n);
  const text = `${pictureTitle(n)}, drawn left to right: ${parts.join(', ')}.${reach}${cut ? ` ${cut}` : ''}`;
  return text.length <= ALT_TEXT_MAX ? text : `${text.slice(0, ALT_TEXT_MAX - 1)}…`;
}

function reachText(n: Neighbourhood): string {
  const totals = { reachable: 0, unreachable: 0, unknown: 0 };
  for (const node of n.nodes) {
    if (node.node === 'entity' && node.reach) totals[node.reach]++;
    if (node.node === 'folded') for (const [reach, count] of Object.entries(node.reach ?? {})) totals[reach as keyof typeof totals] += count;
  }
  const words = [
    ...(totals.reachable ? [`${totals.reachable} with owners who can be told`] : []),
    ...(totals.unreachable ? [`${totals.unreachable} whose owners cannot be reached`] : []),
    ...(totals.unknown ? [`${totals.unknown} whose owners were not looked up`] : []),
  ];
  return words.length > 0 ? ` Of the models and endpoints: ${words.join(', ')}.` : '';
}
