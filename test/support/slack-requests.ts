// Requests as Slack sends them to the bot: signed with the signing secret (v0 HMAC-SHA256 of
// "v0:<timestamp>:<body>"), form-encoded slash commands, and interaction payloads. The one place
// requests are signed, for the in-process app and the bot as a child process alike.
import { createHmac, randomUUID } from 'node:crypto';
import { DEPRECATE_MODAL } from '../../blocks/notices/index.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TEAM = { id: 'T1', domain: 'example' };
/** Response URLs of the requests built here (interceptSlack in slack-http.ts routes them to the fake); defined here so the drill and the bench need no nock. */
export const RESPONSE_URL_BASE = 'https://hooks.slack.com/actions/T1/';

const nextId = () => randomUUID().replace(/-/g, '').slice(0, 12);

/** Slack's request signature of `body` sent at `timestamp` (seconds). */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  contentType?: string;
  /** Seconds; default now. */
  timestamp?: number;
  /** Sent instead of the right signature (to test refusals). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs `body` to the app's /slack/events, signed like Slack (unless `signature` says otherwise). */
export function sendSigned(baseUrl: string, body: string, options: SignedRequestOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(body, timestamp),
      ...options.headers,
    },
    body,
  });
}

/** A signed POST and Slack's view of the answer: its status and body text. */
export async function postSigned(baseUrl: string, body: string, options: SignedRequestOptions = {}): Promise<{ status: number; text: string }> {
  const response = await sendSigned(baseUrl, body, options);
  return { status: response.status, text: await response.text() };
}

export function slashCommand(fields: { text: string; user: string; channel: string; command?: string }): { body: string; responseUrl: string; triggerId: string } {
  const responseUrl = `${RESPONSE_URL_BASE}command-${nextId()}`;
  const triggerId = `trigger-${nextId()}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: fields.channel,
    channel_name: 'general',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: fields.command ?? '/lineage',
    text: fields.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
  return { body, responseUrl, triggerId };
}

/** `responseUrlBase`: where its response URL points (a loopback fake Slack's, for a bot in a child process); default RESPONSE_URL_BASE. */
export function buttonClick(fields: { actionId: string; value: string; user: string; channel: string; messageTs: string; responseUrlBase?: string }): { body: string; responseUrl: string } {
  const responseUrl = `${fields.responseUrlBase ?? RESPONSE_URL_BASE}action-${nextId()}`;
  const payload = {
    type: 'block_actions',
    user: { id: fields.user, username: fields.user.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'A1',
    token: 'legacy',
    container: { type: 'message', message_ts: fields.messageTs, channel_id: fields.channel, is_ephemeral: false },
    trigger_id: `trigger-${nextId()}`,
    team: TEAM,
    channel: { id: fields.channel, name: 'channel' },
    message: { type: 'message', ts: fields.messageTs, text: '' },
    response_url: responseUrl,
    actions: [
      { type: 'button', action_id: fields.actionId, block_id: 'notice_actions', text: { type: 'plain_text', text: 'button' }, value: fields.value, action_ts: `${Date.now() / 1000}` },
    ],
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), responseUrl };
}

/** What every interaction payload from `user` in the test workspace starts with. */
function fromUser(type: string, user: string) {
  return { type, team: TEAM, user: { id: user, username: user.toLowerCase(), team_id: TEAM.id }, api_app_id: 'A1', token: 'legacy' };
}

export function viewSubmission(fields: { user: string; viewId: string; callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> }): string {
  const payload = {
    ...fromUser('view_submission', fields.user),
    trigger_id: `trigger-${nextId()}`,
    view: {
      id: fields.viewId,
      team_id: TEAM.id,
      type: 'modal',
      callback_id: fields.callbackId,
      private_metadata: fields.privateMetadata,
      hash: `hash-${fields.viewId}`,
      blocks: [],
      state: { values: fields.values },
      title: { type: 'plain_text', text: 'Announce a change' },
      app_id: 'A1',
      bot_id: 'BBOT',
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** What a person filled in on the deprecate modal. */
export interface ModalForm {
  kind?: string;
  date?: string;
  replacement?: string;
  note?: string;
  /** Features picked in the multi-select (left out: the block is not on the form, as for a group without features). */
  features?: string[];
  featureChange?: string;
}

/** The modal's state values as Slack sends them in a view_submission. */
export function formValues(form: ModalForm): Record<string, Record<string, unknown>> {
  return {
    [DEPRECATE_MODAL.kindBlock]: { [DEPRECATE_MODAL.kindAction]: { type: 'radio_buttons', selected_option: form.kind ? { value: form.kind } : null } },
    [DEPRECATE_MODAL.dateBlock]: { [DEPRECATE_MODAL.dateAction]: { type: 'datepicker', selected_date: form.date ?? null } },
    [DEPRECATE_MODAL.replacementBlock]: { [DEPRECATE_MODAL.replacementAction]: { type: 'plain_text_input', value: form.replacement ?? null } },
    [DEPRECATE_MODAL.noteBlock]: { [DEPRECATE_MODAL.noteAction]: { type: 'plain_text_input', value: form.note ?? null } },
    ...(form.features
      ? {
          [DEPRECATE_MODAL.featuresBlock]: { [DEPRECATE_MODAL.featuresAction]: { type: 'multi_static_select', selected_options: form.features.map((value) => ({ value, text: { type: 'plain_text', text: value } })) } },
          [DEPRECATE_MODAL.featureChangeBlock]: {
            [DEPRECATE_MODAL.featureChangeAction]: { type: 'static_select', selected_option: form.featureChange ? { value: form.featureChange } : null },
          },
        }
      : {}),
  };
}

/** A block_suggestion: the user typed `value` into an external select of a modal (its private_metadata as the bot set it). */
export function blockSuggestion(fields: { user: string; viewId: string; privateMetadata: string; blockId: string; actionId: string; value: string }): string {
  const payload = {
    ...fromUser('block_suggestion', fields.user),
    block_id: fields.blockId,
    action_id: fields.actionId,
    value: fields.value,
    container: { type: 'view', view_id: fields.viewId },
    view: { id: fields.viewId, team_id: TEAM.id, type: 'modal', private_metadata: fields.privateMetadata, hash: `hash-${fields.viewId}`, blocks: [], state: { values: {} } },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let functionExecutions = 0;

/**
 * The function_executed event Slack sends when a workflow reaches one of the app's steps (send it
 * with the harness's event()): the step's callback_id, its inputs, a fresh execution id (or the
 * one given, to redeliver a run) and the run's own token, which complete() and fail() use.
 */
export function functionExecuted(fields: { callbackId: string; inputs: Record<string, unknown>; executionId?: string }): Record<string, unknown> {
  functionExecutions += 1;
  const executionId = fields.executionId ?? `Fx${String(functionExecutions).padStart(10, '0')}`;
  return {
    type: 'function_executed',
    function: { id: `Fn${fields.callbackId.length}`, callback_id: fields.callbackId, title: fields.callbackId, type: 'app', app_id: 'A1', input_parameters: [], output_parameters: [], date_created: 1, date_updated: 1, date_deleted: 0 },
    inputs: fields.inputs,
    function_execution_id: executionId,
    workflow_execution_id: `Wx${executionId.slice(2)}`,
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    bot_access_token: `xwfp-test-${executionId}`,
  };
}
