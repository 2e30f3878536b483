// What a workflow's run shows when a step fails, and how the listeners' mrkdwn messages become
// the plain text a step's error is: Workflow Builder shows it as it is, without Slack's markup.
import { decodeSlackEntities } from '../slack-text.js';

/** mrkdwn (from commands/errors.ts) as plain text: `code` and *bold* marks dropped, mentions as the ID they name, entities decoded. */
export function plainText(mrkdwn: string): string {
  return decodeSlackEntities(
    mrkdwn
      .replace(/<[@#]([A-Z0-9]+)(?:\|[^>]*)?>/g, '$1')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/\*([^*\n]+)\*/g, '$1'),
  );
}

export const WORKFLOW_MESSAGES = {
  internal: 'Something went wrong in the Lineage bot. It has been logged; run the workflow again in a minute.',
  /** The owners of the notice's feature group were looked up, but the notice could not be sent. */
  announceFailed: (reason: string) => `The notice was accepted but cannot be sent: ${reason}`,
} as const;
