import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildHomeView, HOME_DETAILED } from '../../blocks/home.js';
import { withSourceNote } from '../../blocks/source-note.js';
import type { OwnedAnswer } from '../../src/lineage/answers.js';
import type { ListenerDeps } from '../deps.js';

/**
 * The models and endpoints a Slack user owns (owner tag = their Slack user ID or email) and the
 * feature groups the first `walkFirst` depend on: App Home and the assistant pane's suggested prompts.
 */
export async function ownedByUser(
  user: string,
  deps: Pick<ListenerDeps, 'service'>,
  { client, logger }: Pick<AllMiddlewareArgs, 'client' | 'logger'>,
  /** How many, from the first, to walk for the feature groups they depend on. */
  walkFirst: number,
): Promise<OwnedAnswer> {
  const identities = [user];
  try {
    const info = await client.users.info({ user });
    const email = info.user?.profile?.email;
    if (email) identities.push(email);
  } catch (error) {
    // Without users:read.email (or for a guest) the Slack user ID alone still finds tagged models.
    logger.warn(`Could not read the email of user ${user}: ${(error as Error).message}`);
  }
  return deps.service.ownedBy(identities, walkFirst);
}

/** App Home: what the person owns. */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    // Every model and endpoint the person owns is listed; only those shown in detail need a walk.
    const owned = await ownedByUser(event.user, deps, { client, logger }, HOME_DETAILED);
    await client.views.publish({ user_id: event.user, view: withSourceNote(buildHomeView(owned), deps.sourceNote) });
  };
}
