// Drawing: DOT laid out by Graphviz compiled to WebAssembly (@viz-js/viz) into SVG, the legend
// composed under it, and the SVG rendered to PNG by resvg (@resvg/resvg-js, a native binary npm
// installs for the platform). Text uses one font shipped as an npm package (DejaVu Sans, whose
// metrics Graphviz knows), loaded explicitly with system fonts off: a picture is the same on
// every machine. Nothing is downloaded and no browser runs.
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { instance, type Viz } from '@viz-js/viz';
import type { Neighbourhood } from '../lineage/neighbourhood.js';
import { Limiter } from '../lineage/pool.js';
import { legendDot, legendSampleCount, toDot, type DotPicture } from './dot.js';
import { PictureFailed } from './errors.js';
import { FONT_FAMILY } from './style.js';

export type PictureFormat = 'png' | 'svg' | 'dot';

/**
 * PNG pixels per CSS pixel. Slack shows a picture scaled into its message or thread pane; at 2×
 * it stays sharp on the high-density screens most laptops have, and down-scaling a 2× image
 * for a 1× screen keeps text smooth.
 */
export const DEVICE_SCALE = 2;
/**
 * Longest side of a PNG, in pixels: bounds memory, time and upload size whatever the graph. Slack
 * never shows a picture wider than its window: inline it is scaled into the message pane, and
 * opened full size on a laptop (about 1,300 CSS px of viewer) a 2,000 px picture still has 1.5
 * pixels per CSS pixel. 2,400 px bought sharpness nobody sees there for about 40% more raster
 * time, which made drawing a deep trail slower than answering it (npm run bench).
 */
export const MAX_PNG_SIDE = 2000;
/** CSS pixels per point (Graphviz lays out in points). */
const PX_PER_PT = 96 / 72;
const LEGEND_GAP = 6;

export interface DrawnPicture {
  format: PictureFormat;
  /** PNG bytes, SVG text or DOT text. */
  bytes: Buffer;
  /** Pixels for PNG, points for SVG; 0 for DOT (not laid out). */
  width: number;
  height: number;
}

export interface RendererOptions {
  /** Said in the legend about owners not looked up (the command line cannot look them up). */
  ownersNote?: string;
}

export class PictureRenderer {
  /** Graphviz's WebAssembly instance, compiled on first use and kept: compiling it is most of a first picture's cost. */
  private viz: Promise<Viz> | undefined;
  private readonly fontFiles: string[];
  /**
   * One raster at a time: each holds a full-size pixel buffer (up to 2,000² × 4 bytes) and its
   * own copy of the fonts, and the machine has few cores; pictures wait for each other instead.
   */
  private readonly rasters = new Limiter(1);

  constructor() {
    const require = createRequire(import.meta.url);
    this.fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
  }

  /** Draws a neighbourhood in one format. */
  async draw(n: Neighbourhood, format: PictureFormat, options: RendererOptions = {}): Promise<DrawnPicture> {
    const picture = toDot(n);
    if (format === 'dot') return { format, bytes: Buffer.from(picture.dot, 'utf8'), width: 0, height: 0 };
    const svg = await this.compose(picture, n.view, options);
    if (format === 'svg') return { format, bytes: Buffer.from(svg.text, 'utf8'), width: svg.width, height: svg.height };
    return { format, ...(await this.raster(svg)) };
  }

  /** Lays out DOT text with Graphviz; throws PictureFailed with Graphviz's messages. */
  async layout(dot: string): Promise<{ text: string; width: number; height: number; viewBox: string; body: string }> {
    this.viz ??= instance();
    const viz = await this.viz;
    const result = viz.render(dot, { format: 'svg', engine: 'dot' });
    if (result.status !== 'success') throw new PictureFailed('layout', result.errors.map((e) => e.message).join('; ') || 'Graphviz gave no output');
    return { text: result.output, ...svgParts(result.output) };
  }

  /** The graph with its legend under it, as one SVG in points. */
  private async compose(picture: DotPicture, view: Neighbourhood['view'], options: RendererOptions) {
    const graph = await this.layout(picture.dot);
    const legend = await this.legend(picture, view, graph.width, options.ownersNote);
    const width = Math.ceil(Math.max(graph.width, legend.width));
    const height = Math.ceil(graph.height + LEGEND_GAP + legend.height);
    const text = [
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<svg x="0" y="0" width="${graph.width}" height="${graph.height}" viewBox="${graph.viewBox}">${graph.body}</svg>`,
      `<line x1="8" x2="${width - 8}" y1="${graph.height + LEGEND_GAP / 2}" y2="${graph.height + LEGEND_GAP / 2}" stroke="#e2e8f0" stroke-width="1"/>`,
      `<svg x="${(width - legend.width) / 2}" y="${graph.height + LEGEND_GAP}" width="${legend.width}" height="${legend.height}" viewBox="${legend.viewBox}">${legend.body}</svg>`,
      '</svg>',
    ].join('\n');
    return { text, width, height };
  }

  /**
   * The legend in as few rows as fit the graph's width: one row when it fits, else as many
   * samples to a row as its measured width allows (at least four, so a narrow graph's legend
   * does not become a tall column). A legend row is a tiny layout: measuring costs milliseconds.
   */
  private async legend(picture: DotPicture, view: Neighbourhood['view'], width: number, ownersNote?: string) {
    const samples = legendSampleCount(picture, view);
    let perRow = samples;
    let legend = await this.layout(legendDot(picture, view, perRow, ownersNote));
    while (legend.width > width && perRow > 4) {
      perRow = Math.max(4, Math.min(perRow - 1, Math.floor((perRow * width) / legend.width)));
      legend = await this.layout(legendDot(picture, view, perRow, ownersNote));
    }
    return legend;
  }

  /** Parsing and rasterising run on libuv's thread pool (renderAsync), not on the event loop that acks Slack. */
  private async raster(svg: { text: string; width: number; height: number }): Promise<{ bytes: Buffer; width: number; height: number }> {
    const zoom = Math.min(DEVICE_SCALE * PX_PER_PT, MAX_PNG_SIDE / Math.max(svg.width, svg.height, 1));
    try {
      const image = await this.rasters.run(() =>
        renderAsync(svg.text, {
          font: { loadSystemFonts: false, fontFiles: this.fontFiles, defaultFontFamily: FONT_FAMILY },
          fitTo: { mode: 'zoom', value: zoom },
          background: '#ffffff',
        }),
      );
      return { bytes: image.asPng(), width: image.width, height: image.height };
    } catch (error) {
      throw new PictureFailed('raster', error instanceof Error ? error.message : String(error));
    }
  }
}

/** Size, viewBox and inner markup of Graphviz's SVG (sizes in points). */
function svgParts(svg: string): { width: number; height: number; viewBox: string; body: string } {
  const open = /<svg\b[^>]*>/.exec(svg);
  const close = svg.lastIndexOf('</svg>');
  if (!open || close < 0) throw new PictureFailed('layout', 'Graphviz returned no SVG element');
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(open[0])?.[1];
  const width = Number.parseFloat(attribute('width') ?? '');
  const height = Number.parseFloat(attribute('height') ?? '');
  const viewBox = attribute('viewBox');
  if (!Number.isFinite(width) || !Number.isFinite(height) || viewBox === undefined) throw new PictureFailed('layout', 'Graphviz returned an SVG without a size');
  return { width, height, viewBox, body: svg.slice(open.index + open[0].length, close) };
}
