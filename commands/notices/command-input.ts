// The feature group a notice subcommand names: exactly one word after the subcommand.
import { NOTICE_MESSAGES } from './messages.js';

/**
 * Longest feature group reference accepted: SageMaker's names are at most 64 characters and their
 * ARNs well under this. The deprecate modal carries it in private_metadata before it is checked.
 */
export const MAX_FEATURE_GROUP_REFERENCE = 256;

export function featureGroupArgument(subcommand: string, input: string): { featureGroup: string } | { problem: string } {
  const words = input.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return { problem: NOTICE_MESSAGES.missingFeatureGroup(subcommand) };
  if (words.length > 1) return { problem: NOTICE_MESSAGES.oneFeatureGroup(subcommand) };
  // Slack wraps pasted links in <…>.
  const featureGroup = (words[0] as string).replace(/^<(.*)>$/, '$1');
  if (featureGroup.length > MAX_FEATURE_GROUP_REFERENCE) return { problem: NOTICE_MESSAGES.featureGroupTooLong(MAX_FEATURE_GROUP_REFERENCE) };
  return { featureGroup };
}
