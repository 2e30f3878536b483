// Web links people paste instead of an ARN or an S3 URI: SageMaker console pages, S3 object URLs
// and S3 console pages. Pure text work: each is read into what it names, with the region (and,
// in a multi-session console host, the account) it points into.

export type ConsoleLinkKind = 'FeatureGroup' | 'Model' | 'Endpoint';

export interface ConsoleLink {
  url: string;
  kind: ConsoleLinkKind;
  name: string;
  /** The partition the console belongs to: aws, aws-cn or aws-us-gov. */
  partition: string;
  /** The region the page is in, when the link says (host or `region=`). */
  region?: string;
  /** The account, when the console host names it (multi-session consoles: `<account>-<id>.<region>.console…`). */
  account?: string;
}

const CONSOLE_SECTIONS: Record<string, ConsoleLinkKind> = {
  'feature-groups': 'FeatureGroup',
  models: 'Model',
  endpoints: 'Endpoint',
};

/** Console domains per partition. */
const CONSOLE_DOMAINS: readonly { domain: string; partition: string }[] = [
  { domain: 'console.aws.amazon.com', partition: 'aws' },
  { domain: 'console.amazonaws.cn', partition: 'aws-cn' },
  { domain: 'console.amazonaws-us-gov.com', partition: 'aws-us-gov' },
];

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The partition, region and account a console host names: `us-east-1.console.aws.amazon.com`. */
function consoleHost(url: URL): { partition: string; region?: string; account?: string } | undefined {
  const host = url.hostname.toLowerCase();
  const match = CONSOLE_DOMAINS.find(({ domain }) => host === domain || host.endsWith(`.${domain}`));
  if (!match) return undefined;
  const labels = host === match.domain ? [] : host.slice(0, -match.domain.length - 1).split('.');
  const hostRegion = labels.find((label) => REGION.test(label));
  const account = labels.map((label) => /^(\d{12})-/.exec(label)?.[1]).find((id) => id !== undefined);
  // The region may also be a query parameter, before the route or inside the hash route.
  const hashQuery = url.hash.includes('?') ? new URLSearchParams(url.hash.slice(url.hash.indexOf('?') + 1)) : undefined;
  const queryRegion = url.searchParams.get('region') ?? hashQuery?.get('region') ?? undefined;
  const region = hostRegion ?? (queryRegion && REGION.test(queryRegion) ? queryRegion : undefined);
  return { partition: match.partition, ...(region ? { region } : {}), ...(account ? { account } : {}) };
}

/**
 * A SageMaker console link to a feature group, model or endpoint, e.g.
 * https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-detector-prod
 * https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-store/feature-groups/customers/details
 */
export function parseConsoleLink(text: string): ConsoleLink | undefined {
  const url = parseUrl(text);
  if (!url) return undefined;
  const host = consoleHost(url);
  if (!host || !url.pathname.startsWith('/sagemaker')) return undefined;
  const route = `${url.pathname}${url.hash}`;
  const match = /\/(feature-groups|models|endpoints)\/([A-Za-z0-9][A-Za-z0-9_-]{0,119})(?:[/?]|$)/.exec(route);
  if (!match) return undefined;
  return { url: text, kind: CONSOLE_SECTIONS[match[1] as string] as ConsoleLinkKind, name: decodeURIComponent(match[2] as string), ...host };
}

/** A part of an S3 URL's path as the object key it names: S3 object URLs write a space as `+`. */
function decodeKey(path: string): string | undefined {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const S3_REGION = '(?:[.-](?:dualstack\\.)?[a-z]{2}(?:-[a-z]+)+-\\d+)?';
/** Virtual-hosted style: https://BUCKET.s3.amazonaws.com/KEY, https://BUCKET.s3.REGION.amazonaws.com/KEY. */
const VIRTUAL_HOSTED = new RegExp(`^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\\.s3${S3_REGION}\\.amazonaws\\.com(?:\\.cn)?$`);
/** Path style: https://s3.REGION.amazonaws.com/BUCKET/KEY. */
const PATH_STYLE = new RegExp(`^s3${S3_REGION}\\.amazonaws\\.com(?:\\.cn)?$`);

/**
 * The s3:// URI an S3 web link names: an object URL (virtual-hosted or path style) or an S3
 * console page (/s3/object/BUCKET?prefix=KEY, /s3/buckets/BUCKET?prefix=FOLDER/).
 */
export function s3UriFromUrl(text: string): string | undefined {
  const url = parseUrl(text);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  const host = url.hostname.toLowerCase();
  const hosted = VIRTUAL_HOSTED.exec(host);
  if (hosted) {
    const key = decodeKey(url.pathname.slice(1));
    return key === undefined ? undefined : `s3://${hosted[1] as string}${key ? `/${key}` : ''}`;
  }
  if (PATH_STYLE.test(host)) {
    const [bucket, ...rest] = url.pathname.slice(1).split('/');
    const key = decodeKey(rest.join('/'));
    return bucket && key !== undefined ? `s3://${bucket}${key ? `/${key}` : ''}` : undefined;
  }
  if (consoleHost(url)) {
    const page = /^\/s3\/(?:object|buckets)\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?$/.exec(url.pathname);
    if (!page) return undefined;
    // URLSearchParams has already decoded the prefix (a `+` in it is a space).
    const prefix = url.searchParams.get('prefix') ?? '';
    return `s3://${page[1] as string}${prefix ? `/${prefix.replace(/^\/+/, '')}` : ''}`;
  }
  return undefined;
}
