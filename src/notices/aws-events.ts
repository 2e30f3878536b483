// EventBridge events the bot understands, parsed with zod at the boundary: SageMaker's
// "SageMaker Feature Group State Change" and CloudTrail's "AWS API Call via CloudTrail" for
// UpdateFeatureGroup, DeleteFeatureGroup and UpdateFeatureMetadata. Anything else is ignored.
import { z } from 'zod';

export const FEATURE_GROUP_STATE_CHANGE = 'SageMaker Feature Group State Change';
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';
export const WATCHED_API_CALLS = ['UpdateFeatureGroup', 'DeleteFeatureGroup', 'UpdateFeatureMetadata'] as const;

const Envelope = z.object({
  id: z.string().min(1).max(256),
  'detail-type': z.string().max(256),
  source: z.string().max(256).optional(),
  resources: z.array(z.string().max(2048)).max(100).optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const StateChangeDetail = z.object({
  FeatureGroupName: z.string().min(1).max(256).optional(),
  FeatureGroupArn: z.string().min(1).max(256).optional(),
});

const CloudTrailDetail = z.object({
  eventSource: z.string().optional(),
  eventName: z.string(),
  errorCode: z.string().optional(),
  requestParameters: z.object({ featureGroupName: z.string().min(1).max(256) }).partial().nullable().optional(),
});

export type AwsEvent =
  | { kind: 'feature_group'; id: string; featureGroup: string; cause: string }
  | { kind: 'ignored'; id: string; reason: string }
  | { kind: 'invalid'; reason: string };

const FEATURE_GROUP_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:feature-group\/[A-Za-z0-9_-]{1,64}$/;
const FEATURE_GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A feature group name or ARN as SageMaker allows them; anything else is not looked up. */
function featureGroupRef(value: string | undefined): string | undefined {
  return value !== undefined && (FEATURE_GROUP_NAME.test(value) || FEATURE_GROUP_ARN.test(value)) ? value : undefined;
}

export function parseAwsEvent(body: unknown): AwsEvent {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { kind: 'invalid', reason: 'not an EventBridge event' };
  const { id, resources = [], detail = {} } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (detailType === FEATURE_GROUP_STATE_CHANGE) {
    const parsed = StateChangeDetail.safeParse(detail);
    const fromResources = resources.find((resource) => FEATURE_GROUP_ARN.test(resource));
    const featureGroup = featureGroupRef(parsed.success ? (parsed.data.FeatureGroupName ?? parsed.data.FeatureGroupArn) : undefined) ?? fromResources;
    if (!featureGroup) return { kind: 'invalid', reason: 'the event names no feature group' };
    return { kind: 'feature_group', id, featureGroup, cause: detailType };
  }
  if (detailType === CLOUDTRAIL_API_CALL) {
    const parsed = CloudTrailDetail.safeParse(detail);
    if (!parsed.success) return { kind: 'invalid', reason: 'not a CloudTrail API call' };
    const call = parsed.data;
    if (!(WATCHED_API_CALLS as readonly string[]).includes(call.eventName)) return { kind: 'ignored', id, reason: `API call ${call.eventName} is not watched` };
    // A call that failed changed nothing.
    if (call.errorCode) return { kind: 'ignored', id, reason: 'the API call failed' };
    const featureGroup = featureGroupRef(call.requestParameters?.featureGroupName ?? undefined);
    if (!featureGroup) return { kind: 'invalid', reason: 'the API call names no feature group' };
    return { kind: 'feature_group', id, featureGroup, cause: call.eventName };
  }
  return { kind: 'ignored', id, reason: 'detail-type not watched' };
}
