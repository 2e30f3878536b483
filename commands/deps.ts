// What listeners receive from the composition root (src/app.ts).
import type { Logger } from '@slack/logger';
import type { LineageService } from '../src/lineage/service.js';

export interface ListenerDeps {
  service: LineageService;
  logger: Logger;
}
