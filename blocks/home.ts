// The App Home tab: what the person opening it owns, and what those depend on.
import type { HomeView } from '@slack/types';
import type { OwnedAnswer } from '../src/lineage/answers.js';
import { kindLabel } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK, listBlockId } from './ids.js';
import { code, escape, fitLines, plural } from './text.js';

/**
 * Owned entities shown with their own section and buttons; the rest are summarised in one list
 * (by name: whoever builds the answer need only look up what these depend on).
 */
export const HOME_DETAILED = 12;
const DETAILED = HOME_DETAILED;

export function buildHomeView(answer: OwnedAnswer): HomeView {
  const owned = answer.owned;
  const intro =
    owned.length === 0
      ? 'No model or endpoint has an owner tag naming you (your Slack user ID or email). Tag yours with `owner` to see them here.'
      : `You own ${plural(owned.length, 'model or endpoint', 'models and endpoints')}, by their owner tags.`;
  const detailed = owned.slice(0, DETAILED).map((item, index) =>
    section(
      `*${escape(kindLabel(item.entity))}* ${code(item.entity.name)}\n` +
        (item.problem
          ? `_${escape(item.problem)}_`
          : item.notWalked
            ? '_what it depends on was not looked up_'
          : item.featureGroups.length > 0
            ? `depends on ${item.partial ? 'at least ' : ''}${item.featureGroups.map(code).join(', ')}${item.partial ? ' (the walk stopped early)' : ''}`
            : item.partial
              ? 'no feature group found upstream before the walk stopped'
              : 'no feature group recorded upstream'),
      listBlockId(`owned_${index}`),
    ),
  );
  const rest = owned.slice(DETAILED).map((item) => `• ${escape(kindLabel(item.entity))} ${code(item.entity.name)}`);
  return {
    type: 'home',
    blocks: compact([
      header('Your models and their features', BLOCK.header),
      section(intro, BLOCK.summary),
      ...detailed,
      rest.length > 0 ? section(fitLines(['*Also yours*', ...rest]), listBlockId('owned_rest')) : undefined,
      nextSteps(
        owned.slice(0, 5).map((item) => ({
          label: `Trail of ${item.entity.name}`,
          question: 'trail',
          input: item.entity.name,
          as: item.entity.kind === 'Endpoint' ? ('Endpoint' as const) : ('Model' as const),
        })),
        BLOCK.nextSteps,
      ),
    ]),
  };
}
