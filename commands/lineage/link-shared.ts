import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { withSourceNote } from '../../blocks/source-note.js';
import { buildUnfurl } from '../../blocks/unfurl.js';
import { isLineageError } from '../../src/lineage/errors.js';
import { parseConsoleLink } from '../../src/lineage/links.js';
import type { ListenerDeps } from '../deps.js';

/** Links unfurled per message, so a long list of links costs a bounded number of lookups. */
const MAX_LINKS = 5;

/**
 * A SageMaker console link to a feature group, model or endpoint unfurls into a compact lineage
 * card. Links the bot cannot resolve, or into an account or region it does not read, are left as
 * Slack shows them.
 */
export function linkShared(deps: ListenerDeps) {
  return async ({ event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'link_shared'>): Promise<void> => {
    const unfurls: Record<string, { blocks: ReturnType<typeof buildUnfurl> }> = {};
    for (const { url } of event.links.slice(0, MAX_LINKS)) {
      const link = parseConsoleLink(url);
      if (!link) continue;
      try {
        const answer =
          link.kind === 'FeatureGroup'
            ? // The card names a few consumers and counts the rest: the first page is all it needs.
              await deps.service.consumers(link.url, 0)
            : await deps.service.dependencies(link.url, link.kind === 'Endpoint' ? 'Endpoint' : 'Model');
        unfurls[url] = withSourceNote({ blocks: buildUnfurl(answer) }, deps.sourceNote);
      } catch (error) {
        if (!isLineageError(error)) throw error;
        logger.debug(`No unfurl for a ${link.kind} link: ${error.code}`);
      }
    }
    if (Object.keys(unfurls).length === 0) return;
    const target =
      event.unfurl_id && event.source ? { unfurl_id: event.unfurl_id, source: event.source } : { channel: event.channel, ts: event.message_ts };
    await client.chat.unfurl({ ...target, unfurls } as Parameters<typeof client.chat.unfurl>[0]);
  };
}
