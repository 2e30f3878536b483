// A Bolt receiver for console mode: it hands Bolt the same payloads Slack would send, so the
// very same listeners answer in a terminal.
import type { App, Receiver } from '@slack/bolt';

export class ConsoleReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Delivers one payload and resolves once every listener has finished. */
  async dispatch(body: Record<string, unknown>, onAck: (response: unknown) => void = () => {}): Promise<void> {
    if (!this.app) throw new Error('ConsoleReceiver is not attached to an App');
    await this.app.processEvent({
      body,
      ack: async (response?: unknown) => {
        if (response !== undefined && response !== '') onAck(response);
      },
    });
  }
}
