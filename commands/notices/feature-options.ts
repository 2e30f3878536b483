import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { decodeModalMetadata, featureOption } from '../../blocks/notices/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';

/** Most options Slack takes in one answer to an external select. */
export const FEATURE_OPTIONS_SHOWN = 100;

/**
 * The deprecate form's feature picker for a group with more features than a static select
 * holds: the features whose names contain what the user typed, the first hundred of them, under
 * a label that says how many matched. The group comes from the modal's own private_metadata.
 * When the features cannot be read, the picker shows nothing to pick (a select has no room for
 * an error) and the submission's checks say what is wrong.
 */
export function featureOptions(deps: NoticeListenerDeps) {
  return async ({ ack, body }: AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>): Promise<void> => {
    const metadata = decodeModalMetadata(body.view?.private_metadata);
    if (!metadata) {
      deps.logger.warn('Ignoring a feature look-up from a view whose private_metadata does not parse');
      await ack({ options: [] });
      return;
    }
    let features;
    try {
      features = await deps.notices.features(metadata.featureGroup);
    } catch (error) {
      deps.logger.warn(`Looking up the features of ${metadata.featureGroup} for the deprecate form failed: ${noticeErrorText(error, deps.logger).message}`);
      await ack({ options: [] });
      return;
    }
    const typed = body.value.trim().toLowerCase();
    const matching = features.filter((feature) => feature.name.toLowerCase().includes(typed));
    const options = matching.slice(0, FEATURE_OPTIONS_SHOWN).map(featureOption);
    if (matching.length <= FEATURE_OPTIONS_SHOWN) {
      await ack({ options });
      return;
    }
    await ack({ option_groups: [{ label: { type: 'plain_text', text: `First ${options.length} of ${matching.length}: type more of a name` }, options }] });
  };
}
