// Which partition, region and account the bot reads: a leaf, so that errors.ts and reference.ts
// can both name it without importing each other.
/** Where a source reads, or where an ARN or a link points: partition, region and account. */
export interface AccountScope {
  partition: string;
  region: string;
  /** Unknown when nothing the source holds names it (an empty account). */
  account?: string;
}
