// A picture that could not be drawn. Not a lineage error: the answer in words is unaffected.

export class PictureFailed extends Error {
  readonly code = 'PictureFailed';
  constructor(
    /** Which step failed: Graphviz's layout or the PNG rendering. */
    readonly step: 'layout' | 'raster',
    detail: string,
  ) {
    super(`The picture could not be drawn (${step}): ${detail}`);
  }
}
