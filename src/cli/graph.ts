// `lineage-bot graph`: draws the lineage around an entity (or, with --impact, what a change to a
// feature group reaches) to a PNG, SVG or DOT file, from any source — offline with the demo.
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArgsSpec } from './args.js';
import { isLineageError } from '../lineage/errors.js';
import { PictureFailed } from '../picture/errors.js';
import type { Picture, PictureService } from '../picture/pictures.js';
import type { PictureFormat } from '../picture/render.js';

export const GRAPH_USAGE = `Usage: lineage-bot graph ENTITY --out <file.png|file.svg|file.dot> [--format png|svg|dot] [--impact]
       lineage-bot graph ENTITY --format dot|svg        (the text on standard output)

Draws the lineage around ENTITY (a name, ARN, S3 URI or console link), data sources on the left
to endpoints on the right, from the source LINEAGE_SOURCE names (the embedded demo by default).

  --out FILE     where to write the picture; its extension chooses the format unless --format does
  --format F     png, svg or dot (Graphviz text, not laid out)
  --impact       what a change to the feature group ENTITY reaches: the groups built from it, the
                 models and endpoints downstream (owners are not looked up from the command line)`;

/** Said in an impact picture's legend: owners are Slack users, which the command line cannot look up. */
export const CLI_OWNERS_NOTE = 'from the command line';

export interface GraphDeps {
  pictures: Pick<PictureService, 'lineage' | 'impact'>;
  write: (path: string, bytes: Buffer) => Promise<void>;
  out: (line: string) => void;
  /** Usage problems and failures (standard error); `out` when not given. */
  err?: (line: string) => void;
  /** Where DOT or SVG text goes without --out (standard output). */
  print?: (text: string) => void;
}

interface GraphArgs {
  entity: string;
  out?: string;
  format: PictureFormat;
  impact: boolean;
}

export const GRAPH_ARGS = {
  options: {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    impact: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
} as const satisfies ArgsSpec;

const FORMATS: readonly PictureFormat[] = ['png', 'svg', 'dot'];

/** Exit code 0 when drawn, 1 when the entity or the drawing fails, 2 on bad usage. */
export async function runGraph(args: string[], deps: GraphDeps): Promise<number> {
  const parsed = parseGraphArgs(args);
  if (parsed === 'help') {
    deps.out(GRAPH_USAGE);
    return 0;
  }
  const err = deps.err ?? deps.out;
  if (typeof parsed === 'string') {
    err(parsed);
    err(GRAPH_USAGE);
    return 2;
  }
  let picture: Picture;
  try {
    picture = parsed.impact ? await deps.pictures.impact(parsed.entity, [], parsed.format) : await deps.pictures.lineage(parsed.entity, parsed.format);
  } catch (error) {
    if (!isLineageError(error) && !(error instanceof PictureFailed)) throw error;
    err(`No picture: ${error.message}`);
    return 1;
  }
  if (parsed.out === undefined) {
    (deps.print ?? ((text: string) => deps.out(text)))(picture.bytes.toString('utf8'));
    return 0;
  }
  await deps.write(parsed.out, picture.bytes);
  const size = parsed.format === 'dot' ? '' : `, ${picture.width} × ${picture.height} ${parsed.format === 'png' ? 'px' : 'pt'}`;
  deps.out(`Wrote ${parsed.out} (${parsed.format.toUpperCase()}, ${picture.bytes.length.toLocaleString('en-US')} bytes${size}): ${picture.caption}`);
  return 0;
}

function parseGraphArgs(args: string[]): GraphArgs | 'help' | string {
  let values: { out?: string; format?: string; impact?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: GRAPH_ARGS.options,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return 'help';
  if (positionals.length !== 1) return positionals.length === 0 ? 'Name the entity to draw.' : 'Name one entity (quote a name with spaces).';
  const fromExtension = values.out === undefined ? undefined : extname(values.out).slice(1).toLowerCase();
  const format = (values.format ?? fromExtension ?? '').toLowerCase();
  if (!FORMATS.includes(format as PictureFormat)) {
    return values.format !== undefined || values.out === undefined
      ? 'Give --format png, svg or dot (or an --out file ending in .png, .svg or .dot).'
      : `Cannot tell the format from "${values.out}": end it in .png, .svg or .dot, or give --format.`;
  }
  if (values.out === undefined && format === 'png') return 'A PNG needs --out <file.png>.';
  return { entity: positionals[0] as string, format: format as PictureFormat, impact: values.impact ?? false, ...(values.out !== undefined ? { out: values.out } : {}) };
}
