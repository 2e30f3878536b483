// The Slack bot scopes and events the code uses, each with why. manifest.yml must ask for exactly
// these (test/manifest.test.ts checks it), so the app never holds a permission it does not use.

export const BOT_SCOPES: Record<string, string> = {
  commands: 'the /lineage slash command',
  'chat:write': 'posting answers, the "looking…" message it updates or deletes, and replies in threads',
  'chat:write.public': 'answering /lineage in public channels the bot has not been invited to',
  'app_mentions:read': 'thread follow-ups and questions asked by mentioning the bot (app_mention)',
  'links:read': 'seeing pasted SageMaker console links (link_shared)',
  'links:write': 'unfurling those links into lineage cards (chat.unfurl)',
  'users:read': 'reading who opened App Home (users.info)',
  'users:read.email': 'matching owner tags that hold an email to that person (users.info profile email)',
};

export const BOT_EVENTS = ['app_home_opened', 'app_mention', 'link_shared'] as const;
