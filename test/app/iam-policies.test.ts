// The IAM policies in iam/ grant exactly what the code can send to SageMaker.
//
// Every SageMaker request the shipped code makes is `client.send(new XCommand(…))`, with the
// command class imported from @aws-sdk/client-sagemaker. So the operations are derived from
// those imports, and each class is asked for its wire name by serialising it (the X-Amz-Target
// header, `SageMaker.<Operation>`, which is also the IAM action `sagemaker:<Operation>`).
//
// Which policy: an operation that only reads (Describe…, List…, QueryLineage, Search) is sent
// while answering, and `record` and `infer` read too: read-only.json grants all of them and so
// does record.json. Any other operation changes the account; those may be imported only under
// src/record/, the code behind `lineage-bot record`, `infer --apply` and the bot's "Record this
// link" (which is why a bot that records from Slack runs with record.json), and only record.json
// grants them — or under src/notices/sagemaker/, write-back's marking of deprecated feature groups
// (NOTICE_WRITE_BACK), which write-back.json grants, on feature groups only, added beside the
// read policy. A write imported anywhere else fails here: it needs a policy of its own.
import { readdirSync, readFileSync } from 'node:fs';
import * as sagemaker from '@aws-sdk/client-sagemaker';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { COMPUTED_LOADS, shippedImports, type SourceImport } from '../support/source-imports.js';

const SDK = '@aws-sdk/client-sagemaker';
const READ_VERB = /^(Describe|List|Query|Search|Get|BatchDescribe|BatchGet)/;
const RECORD_DIR = 'src/record/';
const WRITE_BACK_DIR = 'src/notices/sagemaker/';
/** What write-back.json may be granted on: feature groups, in any region and account. */
const FEATURE_GROUPS = 'arn:aws:sagemaker:*:*:feature-group/*';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

function readPolicy(name: string): PolicyDocument {
  return JSON.parse(readFileSync(`iam/${name}`, 'utf8')) as PolicyDocument;
}

function actionsOf(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

/** The operation a command class sends, as SageMaker names it on the wire. */
async function operationOf(commandName: string): Promise<string> {
  const Command = (sagemaker as unknown as Record<string, new (input: object) => Parameters<sagemaker.SageMakerClient['send']>[0]>)[commandName];
  if (typeof Command !== 'function') throw new Error(`${SDK} exports no ${commandName}`);
  let target: string | undefined;
  const client = new sagemaker.SageMakerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    // Captures the signed request instead of sending it: nothing leaves the process.
    requestHandler: {
      handle: async (request: HttpRequest) => {
        target = request.headers['x-amz-target'];
        throw new Error('captured');
      },
    },
  });
  await client.send(new Command({})).catch(() => undefined);
  client.destroy();
  const match = /^SageMaker\.(\w+)$/.exec(target ?? '');
  if (!match?.[1]) throw new Error(`${commandName} sent no SageMaker operation (X-Amz-Target ${target})`);
  return match[1];
}

describe('iam/ policies', () => {
  const sdkImports = shippedImports().filter((i) => i.module === SDK && !i.typeOnly);
  const commandImports = sdkImports.flatMap((i) => i.names.filter((n) => n.endsWith('Command')).map((name) => ({ name, file: i.file })));

  async function operations(filter: (i: { file: string }) => boolean): Promise<string[]> {
    const names = [...new Set(commandImports.filter(filter).map((c) => c.name))];
    return [...new Set(await Promise.all(names.map(operationOf)))].sort();
  }

  it('sees every way the code can reach SageMaker: command classes and the client, nothing else', () => {
    // The aggregated `SageMaker` class, paginators and waiters send commands this test would not see.
    const other = sdkImports.flatMap((i: SourceImport) => [
      ...(i.wholeModule ? [`${i.file}: imports the whole module`] : []),
      ...i.names.filter((n) => !n.endsWith('Command') && n !== 'SageMakerClient').map((n) => `${i.file}: ${n}`),
    ]);
    expect(other).toEqual([]);
    // The policies cover SageMaker only: another AWS service needs its own statement and check.
    const otherClients = shippedImports().filter((i) => i.module.startsWith('@aws-sdk/client-') && i.module !== SDK);
    expect(otherClients.map((i) => `${i.file}: ${i.module}`)).toEqual([]);
    // Modules loaded by a computed name (test/app/package-dependencies.test.ts keeps the list whole) are not AWS clients.
    expect(Object.values(COMPUTED_LOADS).filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
    expect(commandImports.length).toBeGreaterThan(10);
  });

  it('read-only.json grants exactly the read operations the code sends', async () => {
    const sent = await operations(() => true);
    const reads = sent.filter((op) => READ_VERB.test(op));
    expect(reads).toContain('QueryLineage');
    expect(actionsOf(readPolicy('read-only.json'))).toEqual(reads.map((op) => `sagemaker:${op}`));
  });

  it('record.json grants the reads and exactly the writes of record and infer --apply', async () => {
    const sent = await operations(() => true);
    const reads = sent.filter((op) => READ_VERB.test(op));
    const writes = (await operations((c) => c.file.startsWith(RECORD_DIR))).filter((op) => !READ_VERB.test(op));
    expect(writes.length).toBeGreaterThan(0);
    expect(actionsOf(readPolicy('record.json'))).toEqual([...reads, ...writes].sort().map((op) => `sagemaker:${op}`));
  });

  it('write-back.json grants exactly the writes of write-back, on feature groups only', async () => {
    const writes = (await operations((c) => c.file.startsWith(WRITE_BACK_DIR))).filter((op) => !READ_VERB.test(op));
    expect(writes).toEqual(['AddTags', 'UpdateFeatureMetadata']);
    const policy = readPolicy('write-back.json');
    expect(actionsOf(policy)).toEqual(writes.map((op) => `sagemaker:${op}`));
    expect(policy.Statement.flatMap((s) => [s.Resource].flat())).toEqual([FEATURE_GROUPS]);
  });

  it('imports the commands that change the account only under src/record/ and src/notices/sagemaker/', async () => {
    const outside = await operations((c) => !c.file.startsWith(RECORD_DIR) && !c.file.startsWith(WRITE_BACK_DIR));
    expect(outside.filter((op) => !READ_VERB.test(op))).toEqual([]);
    // The two write in different places: neither sends what the other's policy grants.
    const recordWrites = (await operations((c) => c.file.startsWith(RECORD_DIR))).filter((op) => !READ_VERB.test(op));
    const writeBackWrites = (await operations((c) => c.file.startsWith(WRITE_BACK_DIR))).filter((op) => !READ_VERB.test(op));
    expect(recordWrites.filter((op) => writeBackWrites.includes(op))).toEqual([]);
  });

  it('are well-formed documents: version 2012-10-17, Allow statements with resources, no wildcard actions', () => {
    const names = readdirSync('iam').filter((f) => f.endsWith('.json')).sort();
    expect(names).toEqual(['read-only.json', 'record.json', 'write-back.json']);
    for (const name of names) {
      const policy = readPolicy(name);
      expect(policy.Version, name).toBe('2012-10-17');
      expect(policy.Statement.length, name).toBeGreaterThan(0);
      for (const statement of policy.Statement) {
        expect(statement.Effect, name).toBe('Allow');
        expect([statement.Resource].flat().length, name).toBeGreaterThan(0);
      }
      const actions = actionsOf(policy);
      expect(actions.filter((a) => !/^sagemaker:[A-Z]\w+$/.test(a)), name).toEqual([]);
      expect(new Set(actions).size, `${name} lists an action twice`).toBe(actions.length);
    }
  });
});
