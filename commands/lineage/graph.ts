// Posting a lineage picture: `/lineage graph <entity>`, the Graph button under an answer and the
// follow-up word "graph" in an answer's thread all end here. The PNG goes into the answer's thread
// (files.uploadV2: get an upload URL, upload, complete into the thread). A picture that cannot be
// posted never takes the text answer with it: the asker is told why (a missing files:write scope
// by name) — only them when there is a response_url, in the thread otherwise (mentions, messages).
import type { RespondFn } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import type { WebClient } from '@slack/web-api';
import type { GraphRequest } from '../../blocks/index.js';
import { escape } from '../../blocks/text.js';
import { withSourceNote } from '../../blocks/source-note.js';
import { isLineageError } from '../../src/lineage/errors.js';
import { ownerReach } from '../../src/notices/impact.js';
import type { ListenerDeps } from '../deps.js';
import { lineageErrorText } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errorReply, slackError, type Reply } from '../reply.js';

export interface PictureTarget {
  client: WebClient;
  logger: Logger;
  /** Tells the asker alone; without it (events have no response_url) the thread is told. */
  respond?: RespondFn;
}

/** Where the picture goes: a thread, or the channel itself (under an answer only its asker saw). */
export interface PicturePlace {
  channel: string;
  threadTs?: string;
}

/** "graph", "picture", "draw it", "show me a diagram": the follow-up words that ask for the picture. */
export const GRAPH_WORDS = /\b(graph|picture|diagram|draw|visuali[sz]e)\b/i;

/** A file name Slack shows under the picture: the entity's name, safe characters only. */
export function pictureFileName(name: string, view: GraphRequest['view'] = 'lineage'): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${view === 'impact' ? 'impact' : 'lineage'}-${safe || 'entity'}.png`;
}

type PictureDeps = Pick<ListenerDeps, 'pictures' | 'sourceNote' | 'notices'>;

/**
 * The picture `request` asks for. A blast radius is coloured by the owner reach the impact
 * answer computes (who a notice would reach); without notices (console) owners are "not looked up".
 */
async function draw(deps: PictureDeps, request: GraphRequest) {
  if (request.view === 'lineage') return deps.pictures.lineage(request.input, 'png');
  const reach = deps.notices ? ownerReach(await deps.notices.notices.impact(request.input)) : [];
  return deps.pictures.impact(request.input, reach, 'png');
}

/** Posts the picture `request` asks for at `place`; failures go to the asker. True once it is posted. */
export async function postPicture(deps: PictureDeps, request: GraphRequest, place: PicturePlace, target: PictureTarget): Promise<boolean> {
  const { client, logger } = target;
  const tell = async (reply: Reply) => {
    const { text, blocks } = withSourceNote(reply.message, deps.sourceNote);
    if (target.respond) await target.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
    else await client.chat.postMessage({ channel: place.channel, text, blocks, ...(place.threadTs ? { thread_ts: place.threadTs } : {}) });
  };
  let picture;
  try {
    picture = await draw(deps, request);
  } catch (error) {
    if (isLineageError(error)) {
      const text = lineageErrorText(error, logger);
      await tell(errorReply(text.message, text.hint));
    } else {
      logger.error('Drawing a lineage picture failed:', error);
      await tell(errorReply(MESSAGES.pictureFailed));
    }
    return false;
  }
  try {
    const where = place.threadTs ? { channel_id: place.channel, thread_ts: place.threadTs } : { channel_id: place.channel };
    await client.filesUploadV2({
      ...where,
      file: picture.bytes,
      filename: pictureFileName(picture.subject.name, request.view),
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
      return false;
    }
    logger.error(`Posting a lineage picture failed: ${code ?? (error as Error).message}`);
    await tell(errorReply(MESSAGES.pictureFailed));
    return false;
  }
  return true;
}
