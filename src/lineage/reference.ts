// What people type: a SageMaker ARN, an S3 URI or a plain name. Parsed once, here.
import { BadInput } from './errors.js';

/** SageMaker ARN resource types the bot understands. */
export const LINEAGE_RESOURCE_TYPES = ['artifact', 'context', 'action', 'experiment-trial-component'] as const;
export type LineageResourceType = (typeof LINEAGE_RESOURCE_TYPES)[number];

export interface ParsedArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  /** e.g. "feature-group", "model", "artifact". */
  resourceType: string;
  /** Everything after the first "/" (model packages keep "name/version"). */
  resourceName: string;
}

export type Reference =
  | { form: 'arn'; parsed: ParsedArn }
  | { form: 's3'; uri: string }
  | { form: 'name'; name: string };

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):sagemaker:([a-z0-9-]*):(\d{12}):([a-z-]+)\/(.+)$/;
const S3_PATTERN = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
/**
 * SageMaker names: letters, digits, hyphens (feature groups also allow underscores), 1–120 chars.
 * Slashes are allowed for the end of a data source's path ("raw/claims.csv").
 */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}(\/[A-Za-z0-9_.-]{1,255})*$/;

export function parseArn(text: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(text);
  if (!match) return undefined;
  const [, partition, region, account, resourceType, resourceName] = match as unknown as [string, string, string, string, string, string];
  return { arn: text, partition, region, account, resourceType, resourceName };
}

export function isLineageArn(parsed: ParsedArn): boolean {
  return (LINEAGE_RESOURCE_TYPES as readonly string[]).includes(parsed.resourceType);
}

/** Parses user input, rejecting what cannot be an ARN, an S3 URI or a SageMaker name. */
export function parseReference(input: string): Reference {
  const text = input.trim().replace(/^<(.*)>$/, '$1'); // Slack wraps pasted links in <…>
  if (text === '') throw new BadInput('Give a name, an ARN or an S3 URI.');
  if (text.startsWith('arn:')) {
    const parsed = parseArn(text);
    if (!parsed) {
      throw new BadInput(
        `"${text}" is not a SageMaker ARN.`,
        'A SageMaker ARN looks like arn:aws:sagemaker:us-east-1:111122223333:model/my-model',
      );
    }
    return { form: 'arn', parsed };
  }
  if (text.toLowerCase().startsWith('s3://')) {
    if (!S3_PATTERN.test(text)) throw new BadInput(`"${text}" is not a valid S3 URI.`, 'An S3 URI looks like s3://bucket/path/file.csv');
    return { form: 's3', uri: text };
  }
  if (!NAME_PATTERN.test(text)) {
    throw new BadInput(
      `"${text}" is not a SageMaker name.`,
      'Names use letters, digits, hyphens and underscores (up to 120 characters); a data source may be named by the end of its path.',
    );
  }
  return { form: 'name', name: text };
}

/** The resource name at the end of an ARN ("arn:…:feature-group/customers" → "customers"). */
export function nameFromArn(arn: string): string | undefined {
  return parseArn(arn)?.resourceName;
}
