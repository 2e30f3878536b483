// `/lineage graph <entity>`: the answer about the entity in the channel, then a PNG of the lineage
// around it in that answer's thread (files.uploadV2: get an upload URL, upload, complete into
// the thread). A picture that cannot be posted never takes the text answer with it: the asker
// alone is told why (a missing files:write scope by name).
import type { RespondFn } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import type { WebClient } from '@slack/web-api';
import { escape } from '../../blocks/text.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { isLineageError } from '../../src/lineage/errors.js';
import type { ListenerDeps, ThreadKey } from '../deps.js';
import { lineageErrorText } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errorReply, slackError, type Reply } from '../reply.js';

export interface PictureTarget {
  client: WebClient;
  respond: RespondFn;
  logger: Logger;
}

/** A file name Slack shows under the picture: the entity's name, safe characters only. */
export function pictureFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `lineage-${safe || 'entity'}.png`;
}

/** Posts the picture of `input`'s lineage into the thread `key`; failures go to the asker only. */
export async function postPicture(deps: Pick<ListenerDeps, 'pictures' | 'sourceNote'>, input: string, key: ThreadKey, target: PictureTarget): Promise<void> {
  const { client, logger } = target;
  const tell = (reply: Reply) => {
    const { text, blocks } = withSourceNote(reply.message, deps.sourceNote);
    return target.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
  };
  if (!deps.pictures) {
    await tell(errorReply(MESSAGES.pictureNeedsSlack));
    return;
  }
  let picture;
  try {
    picture = await deps.pictures.lineage(input, 'png');
  } catch (error) {
    if (isLineageError(error)) {
      const text = lineageErrorText(error, logger);
      await tell(errorReply(text.message, text.hint));
    } else {
      logger.error('Drawing a lineage picture failed:', error);
      await tell(errorReply(MESSAGES.pictureFailed));
    }
    return;
  }
  try {
    await client.filesUploadV2({
      channel_id: key.channel,
      thread_ts: key.threadTs,
      file: picture.bytes,
      filename: pictureFileName(picture.subject.name),
      title: picture.caption.slice(0, 250),
      // Slack parses the comment as mrkdwn: data text is escaped so a name cannot ping anyone.
      initial_comment: escape(picture.caption),
      alt_text: picture.altText,
    });
  } catch (error) {
    const code = slackError(error);
    if (code === 'missing_scope') {
      logger.warn('Posting a lineage picture failed: the bot token lacks files:write');
      await tell(errorReply(MESSAGES.pictureNeedsScope));
      return;
    }
    logger.error(`Posting a lineage picture failed: ${code ?? (error as Error).message}`);
    await tell(errorReply(MESSAGES.pictureFailed));
  }
}
