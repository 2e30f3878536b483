import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { impactSummaryText } from '../../blocks/notices/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import { errorSentence, failWith, succeed } from './finish.js';
import { IMPACT_OUTPUT, WORKFLOW_FUNCTION } from './ids.js';
import { ImpactInputs, parseInputs } from './inputs.js';

/**
 * "Check feature group impact": who a change to the feature group would affect — the same
 * impact the `/lineage impact` answer shows (NoticeService.impact), notifying nobody — as counts a
 * change-request workflow can branch on, and the answer's summary sentence in plain text.
 */
export function checkImpactFunction(deps: NoticeListenerDeps) {
  return async ({ inputs, complete, fail, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'function_executed'>): Promise<void> => {
    const end = { complete, fail, logger, step: WORKFLOW_FUNCTION.checkImpact };
    const parsed = parseInputs(ImpactInputs, inputs);
    if ('problem' in parsed) return failWith(end, parsed.problem);
    let impact;
    try {
      impact = await deps.notices.impact(parsed.inputs.feature_group);
    } catch (error) {
      return failWith(end, errorSentence(error, logger));
    }
    const models = impact.resources.filter((r) => r.kind === 'Model').length;
    await succeed(end, {
      [IMPACT_OUTPUT.models]: models,
      [IMPACT_OUTPUT.endpoints]: impact.resources.length - models,
      [IMPACT_OUTPUT.owners]: impact.recipients.length,
      [IMPACT_OUTPUT.unreachableOwners]: impact.unreachable.length,
      // Counts a workflow may trust to be whole: lineage was recorded and the walk was not cut short.
      [IMPACT_OUTPUT.lineageComplete]: impact.lineageRecorded && !impact.truncation,
      [IMPACT_OUTPUT.summary]: impactSummaryText(impact),
    });
  };
}
