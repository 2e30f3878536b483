import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildHomeView, HOME_DETAILED } from '../../blocks/home.js';
import { withSourceNote } from '../../blocks/source-note.js';
import type { ListenerDeps } from '../deps.js';

/**
 * App Home: the models and endpoints the person owns (owner tag = their Slack user ID or email)
 * and the feature groups those depend on.
 */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    const identities = [event.user];
    try {
      const info = await client.users.info({ user: event.user });
      const email = info.user?.profile?.email;
      if (email) identities.push(email);
    } catch (error) {
      // Without users:read.email (or for a guest) the Slack user ID alone still finds tagged models.
      logger.warn(`Could not read the email of the user opening App Home: ${(error as Error).message}`);
    }
    // Every model and endpoint the person owns is listed; only those shown in detail need a walk.
    const owned = await deps.service.ownedBy(identities, HOME_DETAILED);
    await client.views.publish({ user_id: event.user, view: withSourceNote(buildHomeView(owned), deps.sourceNote) });
  };
}
