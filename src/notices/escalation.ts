// Escalation: an owner who has not acknowledged by the last reminder is reported, once, to a team
// channel — the one named by the `slack-channel` tag (CHANNEL_TAG_KEYS) of what they own, when
// that channel is not where they were told already — or else to NOTICE_ESCALATION_CHANNEL. A
// person reached by DM usually got it there because their team channel could not be used when the
// notice went out (archived, not found, the bot not in it); it is looked up afresh here. The
// escalation itself is a delivery of the outbox with a unique key per notice and owner, so it is
// enqueued and sent once however many replicas tick and however often the bot restarts.
import { DirectoryUnavailable } from './errors.js';
import type { Recipient } from './model.js';
import type { Directory, Logger } from './ports.js';

export interface EscalationOptions {
  directory: Pick<Directory, 'channel'>;
  /** NOTICE_ESCALATION_CHANNEL: a channel ID or #name; escalations with no team channel go there. */
  configuredChannel?: string;
  logger: Logger;
}

export class EscalationRouter {
  constructor(private readonly options: EscalationOptions) {}

  /** The channel ID to escalate `recipient` to, or undefined when there is none (logged). */
  async targetFor(recipient: Recipient): Promise<string | undefined> {
    const own = new Set([recipient.targetId]);
    const teams = [...new Set(recipient.resources.flatMap((resource) => resource.teamChannels ?? []))];
    for (const team of teams) {
      const found = await this.channel(team);
      if (found && !own.has(found)) return found;
    }
    const configured = this.options.configuredChannel;
    if (configured) {
      const found = await this.channel(configured);
      if (found) return found;
      this.options.logger.warn(`NOTICE_ESCALATION_CHANNEL ${configured} cannot be used (not found, archived, or Slack did not answer); ${recipient.label} is not escalated`);
      return undefined;
    }
    this.options.logger.info(`${recipient.label} did not acknowledge by the last reminder, but has no other team channel and NOTICE_ESCALATION_CHANNEL is unset: not escalated`);
    return undefined;
  }

  private async channel(ref: string): Promise<string | undefined> {
    try {
      const found = await this.options.directory.channel(ref);
      return found.found ? found.channelId : undefined;
    } catch (error) {
      if (!(error instanceof DirectoryUnavailable)) throw error;
      this.options.logger.warn(`Could not look up channel ${ref} to escalate to (${error.slackError})`);
      return undefined;
    }
  }
}
