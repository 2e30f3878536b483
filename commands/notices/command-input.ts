// The feature group a notice subcommand names: exactly one word after the subcommand.
import { NOTICE_MESSAGES } from './messages.js';

export function featureGroupArgument(subcommand: string, input: string): { featureGroup: string } | { problem: string } {
  const words = input.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return { problem: NOTICE_MESSAGES.missingFeatureGroup(subcommand) };
  if (words.length > 1) return { problem: NOTICE_MESSAGES.oneFeatureGroup(subcommand) };
  // Slack wraps pasted links in <…>.
  return { featureGroup: (words[0] as string).replace(/^<(.*)>$/, '$1') };
}
