// A neighbourhood as Graphviz DOT text: left to right in columns by kind, one shape and colour
// per kind, the subject outlined, a title that says what is shown and whether the walk was cut
// short. Node ids are generated (n0, n1…): no text from data is ever an id or an attribute other
// than an escaped HTML-like label, so no name can add a node, an edge or an attribute.
import { KIND_LABELS, type Kind } from '../lineage/classify.js';
import type { EntityNode, FoldedNode, Neighbourhood, NeighbourhoodNode, OwnerReach } from '../lineage/neighbourhood.js';
import type { AssociationType } from '../lineage/lineage-source.js';
import { clean, DETAIL_LINE, featureLines, html, nameLabel, shortenMiddle } from './labels.js';
import { FONT_FAMILY, KIND_COLUMNS, KIND_STYLES, MUTED_COLOUR, REACH_STYLES, SUBJECT_LINE, SUBJECT_PEN, TEXT_COLOUR, WARNING_COLOUR } from './style.js';

/** Sizes in points; the renderer scales points to pixels. */
const NAME_SIZE = 11;
const DETAIL_SIZE = 8.5;
const TITLE_SIZE = 13;
/** Longest subject name in a title, caption or alt text. */
const TITLE_NAME = 80;

/** Only these association types say something a reader needs on the edge. */
const EDGE_WORDS: Partial<Record<AssociationType, string>> = { Produced: 'produced', DerivedFrom: 'derived from' };

export interface DotPicture {
  dot: string;
  /** The kinds drawn, in flow order: what the legend shows. */
  kinds: Kind[];
  /** Owner reaches drawn (impact pictures). */
  reaches: OwnerReach[];
}

/** The picture's title: what it shows. Plain text. */
export function pictureTitle(n: Neighbourhood): string {
  const what = `${KIND_LABELS[n.subject.kind].one} ${shortenMiddle(clean(n.subject.name), TITLE_NAME)}`;
  return n.view === 'impact' ? `Who a change to ${what} reaches` : `Lineage around ${what}`;
}

/** How much is shown, and why not everything. Plain text. */
export function pictureSummary(n: Neighbourhood): string {
  const entities = n.nodes.filter((node): node is EntityNode => node.node === 'entity').length;
  const folded = n.nodes.filter((node): node is FoldedNode => node.node === 'folded');
  const count = (k: number) => `${k.toLocaleString('en-US')} ${k === 1 ? 'entity' : 'entities'}`;
  if (folded.length === 0) return count(entities);
  return `${entities.toLocaleString('en-US')} of ${count(n.entityCount)} shown; the other ${(n.entityCount - entities).toLocaleString('en-US')} are folded`;
}

/** Why the walk was cut short, in words; undefined when it was not. Plain text. */
export function truncationNote(n: Neighbourhood): string | undefined {
  const t = n.truncation;
  if (!t) return undefined;
  const why = [
    ...(t.depthExceeded ? [`lineage goes on beyond ${t.maxDepth} hops`] : []),
    ...(t.sizeExceeded ? [`the walk stopped at ${t.maxVertices.toLocaleString('en-US')} entities`] : []),
  ];
  return `Cut short: ${why.join(' and ')}; what lies further is not drawn.`;
}

export function toDot(n: Neighbourhood): DotPicture {
  const ids = new Map(n.nodes.map((node, index) => [node.id, `n${index}`]));
  const columns = columnsOf(n);
  const used = [...new Set(columns.values())].sort((a, b) => a - b);
  const dense = new Map(used.map((column, index) => [column, index]));
  const lines: string[] = [
    'digraph lineage {',
    `  graph [rankdir=LR, newrank=true, nodesep=0.12, ranksep=0.3, pad=0.2, bgcolor="#ffffff", fontname="${FONT_FAMILY}", labelloc=t, labeljust=l, label=<${titleLabel(n)}>]`,
    `  node [fontname="${FONT_FAMILY}", fontsize=${NAME_SIZE}, fontcolor="${TEXT_COLOUR}", style=filled, penwidth=1.2, margin="0.1,0.05"]`,
    `  edge [color="#94a3b8", penwidth=1.1, arrowsize=0.6, fontname="${FONT_FAMILY}", fontsize=${DETAIL_SIZE}, fontcolor="${MUTED_COLOUR}"]`,
  ];
  const members = used.map((_, index) => n.nodes.filter((node) => dense.get(columns.get(node.id) as number) === index).map((node) => ids.get(node.id) as string));
  for (const column of members) lines.push(`  { rank=same; ${column.join('; ')} }`);
  // Columns in order even where no edge orders them: an invisible edge from each column to the
  // next, weightless so it pulls nothing out of place.
  for (let index = 1; index < members.length; index++) {
    lines.push(`  ${(members[index - 1] as string[])[0]} -> ${(members[index] as string[])[0]} [style=invis, weight=0]`);
  }
  const reaches = new Set<OwnerReach>();
  for (const node of n.nodes) {
    lines.push(`  ${ids.get(node.id)} [${nodeAttributes(node, n.view, reaches)}]`);
  }
  // Two nodes feeding each other (folds that mix stages: processing jobs writing the data that
  // other processing jobs read) get one edge with both heads, not two arrows drawn over each other.
  const pairs = new Set(n.edges.map((edge) => `${edge.from}\u0000${edge.to}`));
  for (const edge of n.edges) {
    const both = edge.from !== edge.to && pairs.has(`${edge.to}\u0000${edge.from}`);
    if (both && (columns.get(edge.from) as number) > (columns.get(edge.to) as number)) continue;
    if (both && columns.get(edge.from) === columns.get(edge.to) && edge.from > edge.to) continue;
    const word = both ? undefined : EDGE_WORDS[edge.type];
    const attributes = [...(word ? [`label=<${html(word)}>`] : []), ...(both ? ['dir=both'] : [])];
    lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''}`);
  }
  lines.push('}');
  const kinds = [...new Set(n.nodes.map((node) => node.kind))];
  return { dot: `${lines.join('\n')}\n`, kinds, reaches: (['reachable', 'unreachable', 'unknown'] as const).filter((r) => reaches.has(r)) };
}

function titleLabel(n: Neighbourhood): string {
  const rows = [
    `<FONT POINT-SIZE="${TITLE_SIZE}"><B>${html(pictureTitle(n))}</B></FONT>`,
    `<FONT POINT-SIZE="${DETAIL_SIZE + 1}" COLOR="${MUTED_COLOUR}">${html(pictureSummary(n))}</FONT>`,
  ];
  const cut = truncationNote(n);
  if (cut) rows.push(`<FONT POINT-SIZE="${DETAIL_SIZE + 1}" COLOR="${WARNING_COLOUR}"><B>${html(cut)}</B></FONT>`);
  // A table, not lines joined by <BR/>: Graphviz sizes a table's rows by their own fonts, while
  // mixed-size lines were given too little height and the cut-short line ran into the nodes.
  return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.map((row) => `<TR><TD ALIGN="LEFT">${row}</TD></TR>`).join('')}<TR><TD HEIGHT="4"></TD></TR></TABLE>`;
}

function nodeAttributes(node: NeighbourhoodNode, view: Neighbourhood['view'], reaches: Set<OwnerReach>): string {
  const kind = KIND_STYLES[node.kind];
  let fill = kind.fill;
  let line = kind.line;
  const styles = ['filled', ...(kind.style ? [kind.style] : [])];
  const reach = node.node === 'entity' ? node.reach : undefined;
  if (reach) {
    reaches.add(reach);
    const r = REACH_STYLES[reach];
    fill = r.fill;
    line = r.line;
    if (r.style) styles.push(r.style);
  }
  if (node.node === 'folded') {
    styles.push('dashed');
    const held = Object.keys(node.reach ?? {}) as OwnerReach[];
    for (const r of held) reaches.add(r);
    // Folded models or endpoints take their owners' colour when they share one, else none.
    if (held.length > 0) {
      fill = held.length === 1 ? REACH_STYLES[held[0] as OwnerReach].fill : '#ffffff';
      line = held.length === 1 ? REACH_STYLES[held[0] as OwnerReach].line : MUTED_COLOUR;
    }
  }
  const subject = node.node === 'entity' && node.subject;
  const attributes = [
    `shape=${kind.shape}`,
    `style="${[...new Set(styles)].join(',')}"`,
    `fillcolor="${fill}"`,
    `color="${subject ? SUBJECT_LINE : line}"`,
    ...(subject ? [`penwidth=${SUBJECT_PEN}`] : []),
    ...(kind.peripheries ? [`peripheries=${kind.peripheries}`] : []),
    `label=<${node.node === 'entity' ? entityLabel(node) : foldedLabel(node)}>`,
  ];
  return attributes.join(', ');
}

function entityLabel(node: EntityNode): string {
  const name = nameLabel(node.name);
  const main = name.lines.map((line) => (node.subject ? `<B>${html(line)}</B>` : html(line)));
  const small: string[] = [];
  if (name.detail) small.push(name.detail);
  if (node.kind === 'Other' && node.type) small.push(shortenMiddle(clean(node.type), DETAIL_LINE));
  if (node.features) small.push(...featureLines(node.features));
  return lineTable([...main, ...small.map((line) => `<FONT POINT-SIZE="${DETAIL_SIZE}" COLOR="${MUTED_COLOUR}">${html(line)}</FONT>`)]);
}

/**
 * Lines one under the other, each in a row of its own: Graphviz gives a row its own font's
 * height, where lines of mixed sizes joined by <BR/> were packed so tight that a name's
 * descenders (the g of "xgboost") and underscores touched the smaller line under them.
 */
function lineTable(lines: readonly string[]): string {
  return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">${lines.map((line) => `<TR><TD>${line}</TD></TR>`).join('')}</TABLE>`;
}

function foldedLabel(node: FoldedNode): string {
  if (node.chain) {
    const kinds = node.chain.map((kind) => KIND_LABELS[kind].many).join(', ');
    return [`<B>+ ${node.count.toLocaleString('en-US')} steps</B>`, `<FONT POINT-SIZE="${DETAIL_SIZE}" COLOR="${MUTED_COLOUR}">${html(shortenMiddle(kinds, DETAIL_LINE + 8))}</FONT>`].join('<BR/>');
  }
  const what = node.count === 1 ? KIND_LABELS[node.kind].one : KIND_LABELS[node.kind].many;
  const rows = [`<B>+ ${node.count.toLocaleString('en-US')} more ${html(what)}</B>`];
  const reach = node.reach ?? {};
  const parts = (['reachable', 'unreachable', 'unknown'] as const).flatMap((r) => (reach[r] ? [`${reach[r]} ${REACH_WORDS[r]}`] : []));
  if (parts.length > 0) rows.push(`<FONT POINT-SIZE="${DETAIL_SIZE}" COLOR="${MUTED_COLOUR}">${html(parts.join(', '))}</FONT>`);
  return rows.join('<BR/>');
}

const REACH_WORDS: Record<OwnerReach, string> = { reachable: 'reachable', unreachable: 'unreachable', unknown: 'not looked up' };

/**
 * Each node's column: at least its kind's, and right of every node feeding it (code feeding a
 * pipeline shares its column; a folded node, right of the first). An entity nothing feeds stands just left of what it feeds, so an
 * image or raw data read by a training job does not stretch back to the first column. A cycle
 * (folded nodes can make one) is entered where something already placed feeds it.
 */
export function columnsOf(n: Neighbourhood): Map<string, number> {
  const byId = new Map(n.nodes.map((node) => [node.id, node]));
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const edge of n.edges) {
    if (!byId.has(edge.from) || !byId.has(edge.to)) continue;
    parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
    children.set(edge.from, [...(children.get(edge.from) ?? []), edge.to]);
  }
  const floor = (id: string) => KIND_COLUMNS[(byId.get(id) as NeighbourhoodNode).kind];
  const step = (from: string, to: string) => {
    const a = (byId.get(from) as NeighbourhoodNode).kind;
    const b = (byId.get(to) as NeighbourhoodNode).kind;
    return a === 'Code' && KIND_COLUMNS[b] === KIND_COLUMNS.Code ? 0 : 1;
  };
  // Kahn's order; when only cycles remain, the lowest-column node left goes next.
  const waiting = new Map(n.nodes.map((node) => [node.id, (parents.get(node.id) ?? []).length]));
  const column = new Map<string, number>();
  const ready = n.nodes.filter((node) => waiting.get(node.id) === 0).map((node) => node.id);
  while (column.size < n.nodes.length) {
    let id = ready.shift();
    if (id === undefined) {
      // Only cycles left: continue from a node something already placed feeds, lowest column first.
      const left = n.nodes.map((node) => node.id).filter((candidate) => !column.has(candidate));
      const fedAlready = left.filter((candidate) => (parents.get(candidate) ?? []).some((p) => column.has(p)));
      id = (fedAlready.length > 0 ? fedAlready : left).sort((a, b) => floor(a) - floor(b))[0] as string;
    }
    if (column.has(id)) continue;
    const fed = (parents.get(id) ?? []).filter((p) => column.has(p)).map((p) => (column.get(p) as number) + step(p, id));
    // A folded node stands for many entities fed from many places: it stands right of the
    // first that feeds it, not of the last, or one late feeder drags every fold after it right.
    const folded = (byId.get(id) as NeighbourhoodNode).node === 'folded';
    column.set(id, Math.max(floor(id), ...(folded && fed.length > 0 ? [Math.min(...fed)] : fed)));
    for (const child of children.get(id) ?? []) {
      const left = (waiting.get(child) ?? 1) - 1;
      waiting.set(child, left);
      if (left === 0 && !column.has(child)) ready.push(child);
    }
  }
  for (const node of n.nodes) {
    if ((parents.get(node.id) ?? []).length > 0) continue;
    const fed = (children.get(node.id) ?? []).map((c) => (column.get(c) as number) - step(node.id, c));
    if (fed.length > 0) column.set(node.id, Math.max(column.get(node.id) as number, Math.min(...fed)));
  }
  return column;
}

/** How many samples the legend of `picture` holds: its kinds, the subject's outline, and (impact) the owner colours. */
export function legendSampleCount(picture: DotPicture, view: Neighbourhood['view']): number {
  return picture.kinds.length + 1 + (view === 'impact' ? picture.reaches.length : 0);
}

/**
 * The legend: one sample of each kind drawn, then the subject's outline, then (impact) the owner
 * colours; `perRow` samples to a row so it stays as wide as the picture.
 */
export function legendDot(picture: DotPicture, view: Neighbourhood['view'], perRow: number, ownersNote?: string): string {
  const samples: string[] = [];
  for (const kind of picture.kinds) {
    const s = KIND_STYLES[kind];
    const fill = view === 'impact' && (kind === 'Model' || kind === 'Endpoint') ? '#ffffff' : s.fill;
    samples.push(`shape=${s.shape}, style="${['filled', ...(s.style ? [s.style] : [])].join(',')}", fillcolor="${fill}", color="${s.line}",${s.peripheries ? ` peripheries=${s.peripheries},` : ''} label=<${html(s.label)}>`);
  }
  samples.push(`shape=box, style="filled", fillcolor="#ffffff", color="${SUBJECT_LINE}", penwidth=${SUBJECT_PEN}, label=<${html(view === 'impact' ? 'the changed group' : 'asked about')}>`);
  if (view === 'impact') {
    for (const reach of picture.reaches) {
      const r = REACH_STYLES[reach];
      const words = reach === 'unknown' && ownersNote ? `${r.label} ${ownersNote}` : r.label;
      samples.push(`shape=box, style="${['filled', ...(r.style ? [r.style] : [])].join(',')}", fillcolor="${r.fill}", color="${r.line}", label=<${html(words)}>`);
    }
  }
  const lines = [
    'digraph legend {',
    `  graph [rankdir=TB, nodesep=0.12, ranksep=0.1, pad=0.1, bgcolor="#ffffff", fontname="${FONT_FAMILY}"]`,
    `  node [fontname="${FONT_FAMILY}", fontsize=${DETAIL_SIZE + 0.5}, fontcolor="${TEXT_COLOUR}", penwidth=1.2, height=0.3, margin="0.08,0.03"]`,
  ];
  samples.forEach((attributes, index) => lines.push(`  l${index} [${attributes}]`));
  const rows: number[][] = [];
  for (let i = 0; i < samples.length; i += Math.max(1, perRow)) rows.push(samples.slice(i, i + Math.max(1, perRow)).map((_, k) => i + k));
  for (const row of rows) lines.push(`  { rank=same; ${row.map((i) => `l${i}`).join('; ')} }`);
  // Rows one under the other, samples in order within a row.
  for (let r = 1; r < rows.length; r++) lines.push(`  l${(rows[r - 1] as number[])[0]} -> l${(rows[r] as number[])[0]} [style=invis]`);
  for (const row of rows) if (row.length > 1) lines.push(`  ${row.map((i) => `l${i}`).join(' -> ')} [style=invis]`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
