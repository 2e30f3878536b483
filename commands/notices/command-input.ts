// The feature group a notice subcommand names: exactly one word after the subcommand.
import { MAX_FEATURE_GROUP_REFERENCE } from '../../blocks/notices/index.js';
import { NOTICE_MESSAGES } from '../messages.js';

export function featureGroupArgument(subcommand: string, input: string): { featureGroup: string } | { problem: string } {
  const words = input.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return { problem: NOTICE_MESSAGES.missingFeatureGroup(subcommand) };
  if (words.length > 1) return { problem: NOTICE_MESSAGES.oneFeatureGroup(subcommand) };
  // Slack wraps pasted links in <…>.
  const featureGroup = (words[0] as string).replace(/^<(.*)>$/, '$1');
  if (featureGroup.length > MAX_FEATURE_GROUP_REFERENCE) return { problem: NOTICE_MESSAGES.featureGroupTooLong(MAX_FEATURE_GROUP_REFERENCE) };
  return { featureGroup };
}
