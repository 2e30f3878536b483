// Rendering: PNGs of the demo answers and of a big fan-out are PNGs, within the size bounds
// Slack and the renderer set; a layout Graphviz refuses is a PictureFailed, not a crash.
import { describe, expect, it } from 'vitest';
import { PictureFailed } from '../../src/picture/errors.js';
import { MAX_PNG_SIDE, PictureRenderer } from '../../src/picture/render.js';
import { demoService } from '../support/demo.js';
import { fanOutAccount } from '../support/fan-out.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Far under Slack's 1 GB file limit: a picture that size uploads and opens quickly. */
const MAX_PNG_BYTES = 600 * 1024;

/** Width and height from the IHDR chunk, which must come first. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The text of an SVG's <text> elements, entities decoded (Graphviz writes "-" as &#45;). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] as string)
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

const fanOut = fanOutAccount;

describe('PNG pictures', () => {
  const renderer = new PictureRenderer();
  const service = demoService();
  it.each([
    ['fraud-detector', () => service.neighbourhood('fraud-detector')],
    ['customers', () => service.neighbourhood('customers')],
    ['impact customers', () => service.blastRadius('customers')],
    ['a fan-out of 200 models', () => fanOut(200).service().neighbourhood('shared')],
    ['the impact of a fan-out of 200 models', () => fanOut(200).service().blastRadius('shared')],
  ])('%s: a PNG within bounds', async (_name, neighbourhood) => {
    const picture = await renderer.draw(await neighbourhood(), 'png');
    const { width, height } = ihdr(picture.bytes);
    expect({ width, height }).toEqual({ width: picture.width, height: picture.height });
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(200);
    expect(Math.max(width, height)).toBeLessThanOrEqual(MAX_PNG_SIDE);
    expect(picture.bytes.length).toBeLessThan(MAX_PNG_BYTES);
  });

  it('draws SVG text that holds the names, in the shipped font', async () => {
    const picture = await renderer.draw(await service.neighbourhood('fraud-detector'), 'svg');
    const svg = picture.bytes.toString('utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(texts(svg)).toEqual(expect.arrayContaining(['fraud-detector', 'Lineage around model fraud-detector', 'claims.csv', 'data source']));
    expect(svg).toContain('font-family="DejaVu Sans');
  });

  it('marks a walk cut short on the picture', async () => {
    const picture = await renderer.draw(await demoService({ maxDepth: 2 }).neighbourhood('fraud-detector'), 'svg');
    expect(texts(picture.bytes.toString('utf8'))).toContain('Cut short: lineage goes on beyond 2 hops; what lies further is not drawn.');
  });

  it('puts the legend in one row when it fits under the graph, and the cut-short line above the nodes', async () => {
    const svg = (await renderer.draw(await demoService({ maxDepth: 2 }).neighbourhood('fraud-detector'), 'svg')).bytes.toString('utf8');
    const ys = (word: string) => [...svg.matchAll(/<text\b[^>]*\by="([\d.-]+)"[^>]*>([^<]*)<\/text>/g)].filter((m) => m[2] === word).map((m) => Number(m[1]));
    const legendRow = ['dataset', 'training job', 'model', 'endpoint', 'other', 'asked about'].map((word) => ys(word).at(-1));
    expect(new Set(legendRow).size).toBe(1);
    // Graphviz's y grows downwards from a negative top: the cut-short line ends above the first node's name.
    const cut = ys('Cut short: lineage goes on beyond 2 hops; what lies further is not drawn.')[0] as number;
    const firstNode = Math.min(...['test.csv', 'train.csv'].flatMap(ys));
    expect(firstNode - cut).toBeGreaterThan(20);
  });

  it('says when a fan-out is folded', async () => {
    // 150 models: 753 lineage entities with the deployment actions, within the walk's 1,000.
    const picture = await renderer.draw(await fanOut(150).service().neighbourhood('shared'), 'svg');
    const words = texts(picture.bytes.toString('utf8'));
    expect(words).toEqual(expect.arrayContaining(['+ 142 more models', '+ 142 more endpoints', '35 of 603 entities shown; the other 568 are folded']));
    expect(words.some((word) => word.startsWith('Cut short'))).toBe(false);
  });

  it('reports a layout Graphviz refuses as PictureFailed', async () => {
    await expect(renderer.layout('digraph { a -> }')).rejects.toBeInstanceOf(PictureFailed);
    await expect(renderer.layout('digraph { a -> }')).rejects.toMatchObject({ code: 'PictureFailed', step: 'layout' });
  });
});
