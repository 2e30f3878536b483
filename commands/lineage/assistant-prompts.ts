// The assistant pane's suggested prompts, from what the channel beside it asked about lately and
// what the person owns. Each prompt is a question the
// mention path recognises (a name it can look up), so clicking one is answered like any message.
import { escape } from '../../blocks/text.js';
import type { OwnedAnswer } from '../../src/lineage/answers.js';

/** Slack shows at most four suggested prompts (assistant.threads.setSuggestedPrompts). */
export const MAX_PROMPTS = 4;
/**
 * Slack documents no length limits for a prompt; these keep a title to one line of the pane and a
 * message to a question, and a prompt that would not fit is left out, never cut: a cut name would
 * ask about something else.
 */
export const PROMPT_LIMITS = { title: 75, message: 300 } as const;

export interface SuggestedPrompt {
  title: string;
  message: string;
}

export const PROMPTS_TITLE = 'Suggested questions';

/** When the person owns nothing the bot can see and the channel has no answers: what it can answer. */
export const HELP_PROMPT: SuggestedPrompt = { title: 'What can you answer?', message: 'help' };

/** How many of the four come from the channel's recent answers before the person's own models. */
const CHANNEL_SHARE = 2;

/** An entity someone may ask about, by its kind and display name. */
interface Subject {
  kind: string;
  name: string;
}

/**
 * The question worth suggesting about an entity: a feature group's consumers, a model's or an
 * endpoint's dependencies. The title is the question as people ask it; the message is the
 * subcommand the mention path answers exactly (a sentence is read for the names it holds, and a
 * model's default answer is its trail, not its dependencies). Names are data: escaped (& < >), as
 * Slack reads the message a prompt sends as mrkdwn.
 */
function promptAbout({ kind, name }: Subject): SuggestedPrompt | undefined {
  if (kind === 'FeatureGroup') return { title: `Who uses ${escape(name)}?`, message: `fg ${escape(name)}` };
  if (kind === 'Model' || kind === 'Endpoint') return { title: `What does ${escape(name)} depend on?`, message: `deps ${escape(name)}` };
  return undefined;
}

/** The person's models and endpoints, each followed by a feature group behind them, without repeats. */
function ownSubjects(owned: OwnedAnswer | undefined): Subject[] {
  const entities = (owned?.owned ?? []).map((o) => ({ kind: o.entity.kind as string, name: o.entity.name }));
  const groups = [...new Set((owned?.owned ?? []).flatMap((o) => o.featureGroups))].map((name) => ({ kind: 'FeatureGroup', name }));
  return Array.from({ length: Math.max(entities.length, groups.length) }, (_, i) => [entities[i], groups[i]]).flat().filter((s): s is Subject => s !== undefined);
}

/**
 * Up to four prompts: first what the channel the pane was opened beside asked the bot about lately
 * (its recent answers, newest first), then the person's own models and the feature groups behind
 * them, then more of the channel's. A prompt too long for the pane is left out, never cut.
 */
export function suggestedPrompts(owned: OwnedAnswer | undefined, channelRecent: readonly Subject[] = []): SuggestedPrompt[] {
  const fits = (p: SuggestedPrompt | undefined): p is SuggestedPrompt => p !== undefined && p.title.length <= PROMPT_LIMITS.title && p.message.length <= PROMPT_LIMITS.message;
  const channel = channelRecent.map(promptAbout).filter(fits);
  const own = ownSubjects(owned).map(promptAbout).filter(fits);
  const ordered = [...channel.slice(0, CHANNEL_SHARE), ...own, ...channel.slice(CHANNEL_SHARE)];
  const seen = new Set<string>();
  const prompts = ordered.filter((p) => !seen.has(p.message) && Boolean(seen.add(p.message))).slice(0, MAX_PROMPTS);
  return prompts.length > 0 ? prompts : [HELP_PROMPT];
}
