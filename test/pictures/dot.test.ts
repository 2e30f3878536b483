// The DOT text of pictures: golden files for the demo answers (compared exactly), labels, and
// hostile names that must neither break the layout nor add nodes, edges or attributes.
import { readFileSync, writeFileSync } from 'node:fs';
import { instance } from '@viz-js/viz';
import { describe, expect, it } from 'vitest';
import type { Neighbourhood, NeighbourhoodNode } from '../../src/lineage/neighbourhood.js';
import { columnsOf, toDot } from '../../src/picture/dot.js';
import { DETAIL_LINE, featureLines, html, nameLabel, shortenMiddle, wrapName } from '../../src/picture/labels.js';
import { PictureRenderer } from '../../src/picture/render.js';
import { demoService } from '../support/demo.js';
import { GraphBuilder, LAKE } from '../support/graph-builder.js';

const GOLDEN = (name: string) => new URL(`../fixtures/pictures/${name}.dot`, import.meta.url);

/** Compares with the committed golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function expectGolden(name: string, dot: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN(name), dot);
  expect(dot).toBe(readFileSync(GOLDEN(name), 'utf8'));
}

describe('golden DOT of the demo answers', () => {
  const service = demoService();
  it.each([
    ['graph-fraud-detector', () => service.neighbourhood('fraud-detector')],
    ['graph-customers', () => service.neighbourhood('customers')],
    ['graph-claims-triage', () => service.neighbourhood('claims-triage')],
    ['graph-churn-predictor-prod', () => service.neighbourhood('churn-predictor-prod')],
    [
      'impact-customers',
      () =>
        service.blastRadius('customers', [
          { kind: 'Model', name: 'fraud-detector', reach: 'reachable' },
          { kind: 'Endpoint', name: 'fraud-detector-prod', reach: 'reachable' },
          { kind: 'Model', name: 'churn-predictor', reach: 'unreachable' },
        ]),
    ],
  ])('%s', async (name, neighbourhood) => {
    expectGolden(name, toDot(await neighbourhood()).dot);
  });
});

describe('labels', () => {
  it('shortens in the middle, by characters not UTF-16 units', () => {
    expect(shortenMiddle('fraud-feature-pipeline-20251101', 15)).toBe('fraud-f…0251101');
    expect(shortenMiddle('short', 15)).toBe('short');
    expect(Array.from(shortenMiddle('😀'.repeat(40), 9))).toHaveLength(9);
  });

  it('wraps after separators, at most three lines', () => {
    expect(wrapName('fraud-detector-training-20251102')).toEqual(['fraud-detector-', 'training-', '20251102']);
    expect(wrapName('customers')).toEqual(['customers']);
    expect(wrapName('x'.repeat(200)).every((line) => Array.from(line).length <= 14)).toBe(true);
    expect(wrapName('x'.repeat(200))).toHaveLength(3);
  });

  it("gives each feature group's features two lines at most, selected first, counting the rest", () => {
    const used = (names: string[], uses: ('selected' | 'joinKey')[] = ['selected']) => names.map((name) => ({ name, uses: [...uses] }));
    const lines = featureLines({
      groups: [
        { featureGroup: 'claims', used: [...used(['customer_id'], ['joinKey']), ...used(['claim_amount', 'incident_severity', 'collision_type', 'fraud'])], allSelected: false },
        { featureGroup: 'customers', used: used(['age']), allSelected: false },
        { featureGroup: 'web', used: [], allSelected: true },
      ],
      unknown: [],
    });
    expect(lines).toEqual(['claims: claim_amount,', '+4 more', 'customers: age', 'web: all features']);
    expect(lines.every((line) => Array.from(line).length <= DETAIL_LINE)).toBe(true);
  });

  it('shows an S3 object by its file, and a code URL by its file and repository', () => {
    expect(nameLabel('s3://demo-ml-lake/raw/customers.csv')).toEqual({ lines: ['customers.csv'], detail: 's3://demo-ml-lake/raw/' });
    expect(nameLabel('s3://demo-ml-lake/datasets/fraud-detector/train/train.csv')).toEqual({ lines: ['train.csv'], detail: '…/fraud-detector/train/' });
    expect(nameLabel('https://github.com/example-org/fraud-features/blob/main/pipelines/preprocess.py')).toEqual({
      lines: ['preprocess.py'],
      // owner/repository does not fit: the repository alone.
      detail: 'fraud-features',
    });
  });

  it('escapes markup and turns control characters into spaces', () => {
    expect(html('a & b <c> "d" \'e\'')).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;');
    expect(html('one\ntwo\r\nthree\u0000\ttab')).toBe('one two three tab');
    expect(html('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
  });
});

const HOSTILE = [
  'quote " and \' in a name',
  'close ] bracket ] [label="pwned" color=red]',
  'edge -> n0 -> n1; n2 [shape=star]',
  '<B>bold</B> <IMG SRC="/etc/passwd"/> <script>',
  'amp &amp; &#60; &lt; & entity',
  'new\nline\r\nand\ttab',
  'back\\slash \\N \\G \\L \\"',
  'x'.repeat(2000),
  '}} digraph evil { a -> b }',
  '😀 emoji and ünïcödé',
];

/** A neighbourhood whose every text field comes from the hostile list. */
function hostileNeighbourhood(): Neighbourhood {
  const nodes: NeighbourhoodNode[] = HOSTILE.map((name, index) => ({
    node: 'entity',
    id: `id-${index}`,
    kind: (['DataSource', 'Code', 'ProcessingJob', 'FeatureGroup', 'Dataset', 'TrainingJob', 'Model', 'Endpoint', 'Other', 'ModelPackage'] as const)[index] as NeighbourhoodNode['kind'],
    name,
    arn: `arn:aws:sagemaker:us-east-1:111122223333:artifact/${index}`,
    subject: index === 6,
    ...(index === 8 ? { type: name } : {}),
    ...(index === 4 ? { features: { groups: [{ featureGroup: HOSTILE[1] as string, used: HOSTILE.map((f) => ({ name: f, uses: ['selected' as const] })), allSelected: false }], unknown: [] } } : {}),
  }));
  nodes.push({ node: 'folded', id: 'folded:x', kind: 'Model', count: 3, side: 'downstream' });
  const edges = nodes.slice(1).map((node, index) => ({ from: (nodes[index] as NeighbourhoodNode).id, to: node.id, type: index % 2 === 0 ? ('Produced' as const) : ('ContributedTo' as const) }));
  return { view: 'lineage', subject: { kind: 'Model', name: HOSTILE[3] as string, arn: 'arn:aws:sagemaker:us-east-1:111122223333:artifact/6' }, nodes, edges, entityCount: 13, identifiers: [] };
}

/** Attributes toDot may set on a node; anything else would have been injected. */
const NODE_ATTRIBUTES = new Set(['name', '_gvid', 'label', 'shape', 'style', 'fillcolor', 'color', 'penwidth', 'peripheries', 'fontname', 'fontsize', 'fontcolor', 'margin', 'height', 'width', 'pos', '_draw_', '_ldraw_', '_hdraw_', '_tdraw_', '_hldraw_', '_tldraw_']);

describe('hostile names', () => {
  it('give DOT that parses, with exactly the nodes, edges and attributes meant', async () => {
    const n = hostileNeighbourhood();
    const { dot } = toDot(n);
    const viz = await instance();
    const result = viz.render(dot, { format: 'json' });
    expect(result.status, result.errors.map((e) => e.message).join('; ')).toBe('success');
    const graph = JSON.parse(result.output ?? '') as { _subgraph_cnt: number; objects: Record<string, unknown>[]; edges?: Record<string, unknown>[] };
    const graphNodes = graph.objects.slice(graph._subgraph_cnt);
    expect(graphNodes.map((node) => node['name'])).toEqual(n.nodes.map((_, index) => `n${index}`));
    for (const node of graphNodes) for (const key of Object.keys(node)) expect(NODE_ATTRIBUTES.has(key), `attribute ${key}`).toBe(true);
    expect(graphNodes.some((node) => node['shape'] === 'star' || node['color'] === 'red')).toBe(false);
    const drawnEdges = (graph.edges ?? []).filter((edge) => edge['style'] !== 'invis');
    expect(drawnEdges).toHaveLength(n.edges.length);
    // Graphviz's escString sequences (\N, \G) mean nothing in HTML-like labels: the text stays as written.
    expect(String(graphNodes[6]?.['label'])).toContain('\\N');
  });

  it('render to a picture whose text says what the names say, and no more', async () => {
    const picture = await new PictureRenderer().draw(hostileNeighbourhood(), 'svg');
    const svg = picture.bytes.toString('utf8');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<IMG');
    expect(svg).not.toMatch(/xlink:href="\/etc/);
    expect(svg).toContain('&lt;script&gt;');
    // The 2,000-character name is shortened, never laid out whole.
    expect(svg).not.toContain('x'.repeat(50));
    expect(picture.width).toBeLessThan(3000);
  });

  it('from a snapshot: S3 URIs and artifact names with markup and newlines draw as text', async () => {
    const g = new GraphBuilder();
    const fg = g.featureGroup('customers');
    const raw = g.dataSource(`${LAKE}/raw/a"]; evil -> n0 [color=red]<b>&amp;\\n.csv`, 'raw-hostile');
    const other = g.artifact('odd', 'Weird"Type<>', `${LAKE}/other`, { name: 'line one\nline two ] -> [' });
    g.chain(raw, g.processingJob('build'), fg).edge(other, fg);
    const n = await g.service().neighbourhood('customers');
    const { dot } = toDot(n);
    const viz = await instance();
    const result = viz.render(dot, { format: 'json' });
    expect(result.status).toBe('success');
    const graph = JSON.parse(result.output ?? '') as { _subgraph_cnt: number; objects: unknown[] };
    expect(graph.objects.length - graph._subgraph_cnt).toBe(n.nodes.length);
    expect(n.nodes).toHaveLength(4);
  });
});

describe('edges', () => {
  it('draw two nodes that feed each other as one edge with both heads, in flow order', () => {
    const nodes: NeighbourhoodNode[] = [
      { node: 'entity', id: 'fg', kind: 'FeatureGroup', name: 'customers', arn: 'arn:fg', subject: true },
      { node: 'folded', id: 'folded:downstream:ProcessingJob', kind: 'ProcessingJob', count: 45, side: 'downstream' },
      { node: 'folded', id: 'folded:downstream:DataSource', kind: 'DataSource', count: 45, side: 'downstream' },
    ];
    const { dot } = toDot({
      view: 'lineage',
      subject: { kind: 'FeatureGroup', name: 'customers', arn: 'arn:fg' },
      nodes,
      edges: [
        { from: 'fg', to: 'folded:downstream:ProcessingJob', type: 'ContributedTo' },
        { from: 'folded:downstream:ProcessingJob', to: 'folded:downstream:DataSource', type: 'Produced' },
        { from: 'folded:downstream:DataSource', to: 'folded:downstream:ProcessingJob', type: 'ContributedTo' },
      ],
      entityCount: 91,
      identifiers: [],
    });
    const drawn = dot.split('\n').filter((line) => /^ {2}n\d+ -> n\d+/.test(line) && !line.includes('invis'));
    expect(drawn).toEqual(['  n0 -> n1', '  n1 -> n2 [dir=both]']);
  });
});

describe('columns', () => {
  it('stand in flow order, code beside the pipeline it feeds, derived groups right of their base', async () => {
    const g = new GraphBuilder();
    const base = g.featureGroup('base');
    const derived = g.featureGroup('derived');
    const build = g.processingJob('build');
    g.chain(g.dataSource(`${LAKE}/raw/a.csv`), build, base, g.processingJob('derive'), derived);
    g.edge(g.code('build.py'), build);
    const n = await g.service().neighbourhood('base');
    const columns = columnsOf(n);
    const at = (name: string) => columns.get((n.nodes.find((node) => node.node === 'entity' && node.name.endsWith(name)) as NeighbourhoodNode).id);
    expect([at('a.csv'), at('build'), at('build.py'), at('base'), at('derive'), at('derived')]).toEqual([0, 1, 1, 2, 3, 4]);
  });
});

describe('caption and alt text', () => {
  it('say what the picture shows, in one line, whatever the name', async () => {
    const { caption, altText } = await import('../../src/picture/pictures.js');
    const n = hostileNeighbourhood();
    n.subject = { ...n.subject, name: `${'y'.repeat(3000)}\nsecond line` };
    expect(caption(n)).not.toContain('\n');
    expect(caption(n).length).toBeLessThan(200);
    expect(altText(n).length).toBeLessThanOrEqual(1000);
    const demo = await demoService().neighbourhood('fraud-detector');
    expect(caption(demo)).toBe('Lineage around model fraud-detector: 12 entities.');
    expect(altText(demo)).toBe(
      'Lineage around model fraud-detector, drawn left to right: 2 data sources, 1 code artifact, 1 processing job, 2 feature groups, 2 datasets, 1 training job, 1 model, 1 endpoint, 1 other entity.',
    );
    const impact = await demoService().blastRadius('customers', [{ kind: 'Model', name: 'fraud-detector', reach: 'reachable' }]);
    expect(altText(impact)).toBe(
      'Who a change to feature group customers reaches, drawn left to right: 1 feature group, 2 models, 2 endpoints. Of the models and endpoints: 1 with owners who can be told, 3 whose owners were not looked up.',
    );
    const cut = await demoService({ maxDepth: 2 }).neighbourhood('fraud-detector');
    expect(caption(cut)).toMatch(/\(cut short\)\.$/);
  });
});
