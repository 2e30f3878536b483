// The assistant pane's suggested prompts, from what the person owns. Each prompt is a question the
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

export const PROMPTS_TITLE = 'Ask about your models';

/** When the person owns nothing the bot can see: what it can answer. */
export const HELP_PROMPT: SuggestedPrompt = { title: 'What can you answer?', message: 'help' };

/**
 * Up to four prompts: what each owned model or endpoint depends on, and who uses the feature
 * groups behind them, alternating, without repeats. Names are data: escaped (& < >), as Slack
 * reads the message the prompt sends as mrkdwn.
 */
export function suggestedPrompts(owned: OwnedAnswer | undefined): SuggestedPrompt[] {
  const entities = (owned?.owned ?? []).map((o) => o.entity.name);
  const groups = [...new Set((owned?.owned ?? []).flatMap((o) => o.featureGroups))];
  const candidates: SuggestedPrompt[] = [];
  for (let i = 0; i < Math.max(entities.length, groups.length); i++) {
    const entity = entities[i];
    const group = groups[i];
    // The title is the question as people ask it; the message is the command the mention path
    // answers exactly (a sentence is read for the names it holds, and a model's default is its trail).
    if (entity !== undefined) candidates.push({ title: `What does ${escape(entity)} depend on?`, message: `deps ${escape(entity)}` });
    if (group !== undefined) candidates.push({ title: `Who uses ${escape(group)}?`, message: `fg ${escape(group)}` });
  }
  const seen = new Set<string>();
  const prompts = candidates
    .filter((p) => p.title.length <= PROMPT_LIMITS.title && p.message.length <= PROMPT_LIMITS.message && !seen.has(p.message) && Boolean(seen.add(p.message)))
    .slice(0, MAX_PROMPTS);
  return prompts.length > 0 ? prompts : [HELP_PROMPT];
}
