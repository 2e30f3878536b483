// The Slack bot scopes and events the code uses, each with why. manifest.yml must ask for exactly
// these (test/slack/manifest.test.ts checks it), so the app never holds a permission it does not use.

/**
 * The Workflow Builder steps (manifest `functions`) arrive as function_executed, registered with
 * app.function (commands/workflow/); they need no scope: complete() and fail() use the token each
 * run carries.
 */
export const WORKFLOW_EVENTS = ['function_executed'] as const;

export const BOT_SCOPES: Record<string, string> = {
  commands: 'the /lineage slash command',
  'chat:write': 'posting answers, the "looking…" message it updates or deletes, and replies in threads',
  'chat:write.public': 'answering /lineage in public channels the bot has not been invited to',
  'app_mentions:read': 'thread follow-ups and questions asked by mentioning the bot (app_mention)',
  'links:read': 'seeing pasted SageMaker console links (link_shared)',
  'files:write': 'posting lineage pictures (PNG) into answer threads (files.getUploadURLExternal / files.completeUploadExternal)',
  'links:write': 'unfurling those links into lineage cards (chat.unfurl)',
  'users:read': 'reading who opened App Home, and checking owner tags that hold a Slack user ID (users.info)',
  'users:read.email': 'owner tags that hold an email: matching App Home visitors and finding owners to notify (users.lookupByEmail)',
  'im:write': 'opening the direct message a change notice or reminder is sent in (conversations.open)',
  'channels:read': 'finding the public team channel an owner tag names (conversations.list / info), and checking that whoever acknowledges a notice for the team is a member of it (conversations.members)',
  'groups:read': 'the same for a private team channel, where the bot is a member: finding it, and checking who may acknowledge there',
  'channels:history': 'after a crash mid-send, checking whether a notice already reached a channel before sending it again; and seeing "graph" replied in the thread of an answer (message.channels)',
  'groups:history': 'the same two in private channels (message.groups)',
  'im:history': 'the same check in direct messages, so no owner gets a notice twice; and reading the questions asked in the assistant pane (message.im)',
  'assistant:write': 'the assistant pane: suggested prompts, the working status and thread titles (assistant.threads.setSuggestedPrompts / setStatus / setTitle)',
};

/** The assistant pane's events, handled by Bolt's Assistant (commands/lineage/assistant.ts), not app.event. */
export const ASSISTANT_EVENTS = ['assistant_thread_started', 'assistant_thread_context_changed', 'message.im'] as const;

export const BOT_EVENTS = ['app_home_opened', 'app_mention', 'link_shared', 'message.channels', 'message.groups', ...ASSISTANT_EVENTS, ...WORKFLOW_EVENTS] as const;
