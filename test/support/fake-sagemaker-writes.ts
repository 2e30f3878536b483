// Lineage writes for the fake SageMaker (CreateArtifact, UpdateArtifact, AddAssociation), plugged
// in through its `extraHandlers` extension point. They change the served snapshot's arrays in
// place, so what a test records is read back by the same fake. Validation and errors follow
// SageMaker's: the ArtifactName pattern and property limits, ResourceNotFound for unknown ARNs,
// and a ValidationException for an association that already exists.
import { createHash } from 'node:crypto';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { FakeError } from './fake-sagemaker.js';

type Input = Record<string, unknown>;
type Artifact = Snapshot['Artifacts'][number];
type Association = Snapshot['Associations'][number];

export interface FakeWrites {
  /** For startFakeSageMaker's `extraHandlers`. */
  handlers: Record<string, (input: Input) => unknown>;
  /** Every accepted write, in order. */
  log: { operation: string; input: Input }[];
}

const ARTIFACT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$/;
const ASSOCIATION_TYPES = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs'];

const validation = (message: string) => new FakeError('ValidationException', message);
const constraint = (value: unknown, member: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${rule}`);

function text(input: Input, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

function properties(input: Input, key: string, member: string): Record<string, string> | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 30) throw constraint('{…}', member, 'have length less than or equal to 30');
  for (const [name, v] of entries) {
    if (typeof v !== 'string') throw validation(`Property ${name} is not a string`);
    if (v.length > 4096) throw constraint(`${v.slice(0, 20)}…`, `${member}.${name}.member`, 'have length less than or equal to 4096');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The lineage type of an entity of the snapshot (for the association's SourceType/DestinationType), or undefined. */
function entityType(snapshot: Snapshot, arn: string): { type: string | undefined } | undefined {
  const artifact = snapshot.Artifacts.find((a) => a.ArtifactArn === arn);
  if (artifact) return { type: artifact.ArtifactType };
  const context = snapshot.Contexts.find((c) => c.ContextArn === arn);
  if (context) return { type: context.ContextType };
  const action = snapshot.Actions.find((a) => a.ActionArn === arn);
  if (action) return { type: action.ActionType };
  const component = snapshot.TrialComponents.find((t) => t.TrialComponentArn === arn);
  return component ? { type: component.Source?.SourceType } : undefined;
}

/** Write handlers over `snapshot` (mutated in place); new ARNs are in `region` and `account`. */
export function fakeLineageWrites(snapshot: Snapshot, where: { region?: string; account?: string } = {}): FakeWrites {
  const prefix = `arn:aws:sagemaker:${where.region ?? 'us-east-1'}:${where.account ?? '111122223333'}`;
  const log: FakeWrites['log'] = [];
  let created = 0;

  const createArtifact = (input: Input) => {
    const name = text(input, 'ArtifactName');
    const type = text(input, 'ArtifactType');
    const source = input['Source'] as { SourceUri?: unknown } | undefined;
    const sourceUri = typeof source?.SourceUri === 'string' ? source.SourceUri : undefined;
    if (type === undefined) throw validation('1 validation error detected: Value null at \'artifactType\' failed to satisfy constraint: Member must not be null');
    if (sourceUri === undefined) throw validation('1 validation error detected: Value null at \'source.sourceUri\' failed to satisfy constraint: Member must not be null');
    if (name !== undefined && !ARTIFACT_NAME.test(name)) {
      throw constraint(name, 'artifactName', 'satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}');
    }
    // SageMaker artifact ARNs end in 32 hex characters.
    const id = createHash('md5').update(`${sourceUri}\u0000${++created}`).digest('hex');
    const artifact: Artifact = {
      ArtifactArn: `${prefix}:artifact/${id}`,
      ...(name !== undefined ? { ArtifactName: name } : {}),
      ArtifactType: type,
      Source: { SourceUri: sourceUri },
      Properties: properties(input, 'Properties', 'properties') ?? {},
      CreationTime: new Date(),
    };
    snapshot.Artifacts.push(artifact);
    return { ArtifactArn: artifact.ArtifactArn };
  };

  const updateArtifact = (input: Input) => {
    const arn = text(input, 'ArtifactArn') ?? '';
    const artifact = snapshot.Artifacts.find((a) => a.ArtifactArn === arn);
    if (!artifact) throw new FakeError('ResourceNotFound', `Artifact ${arn} does not exist.`);
    const name = text(input, 'ArtifactName');
    if (name !== undefined) artifact.ArtifactName = name;
    // As documented: the new list of properties overwrites the current one.
    const replacement = properties(input, 'Properties', 'properties');
    const next = { ...(replacement ?? artifact.Properties) };
    for (const key of (input['PropertiesToRemove'] as string[] | undefined) ?? []) delete next[key];
    artifact.Properties = next;
    return { ArtifactArn: arn };
  };

  const addAssociation = (input: Input) => {
    const sourceArn = text(input, 'SourceArn') ?? '';
    const destinationArn = text(input, 'DestinationArn') ?? '';
    const type = text(input, 'AssociationType') ?? 'ContributedTo';
    if (!ASSOCIATION_TYPES.includes(type)) throw constraint(type, 'associationType', `satisfy enum value set: [${ASSOCIATION_TYPES.join(', ')}]`);
    const source = entityType(snapshot, sourceArn);
    const destination = entityType(snapshot, destinationArn);
    if (!source) throw new FakeError('ResourceNotFound', `Source ${sourceArn} does not exist.`);
    if (!destination) throw new FakeError('ResourceNotFound', `Destination ${destinationArn} does not exist.`);
    if (snapshot.Associations.some((a) => a.SourceArn === sourceArn && a.DestinationArn === destinationArn)) {
      throw validation(`Association with source ${sourceArn} and destination ${destinationArn} already exists.`);
    }
    const association: Association = {
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      AssociationType: type as Association['AssociationType'],
      ...(source.type !== undefined ? { SourceType: source.type } : {}),
      ...(destination.type !== undefined ? { DestinationType: destination.type } : {}),
    };
    snapshot.Associations.push(association);
    return { SourceArn: sourceArn, DestinationArn: destinationArn };
  };

  const logged =
    (operation: string, handler: (input: Input) => unknown) =>
    (input: Input): unknown => {
      const output = handler(input);
      log.push({ operation, input });
      return output;
    };
  return {
    handlers: {
      CreateArtifact: logged('CreateArtifact', createArtifact),
      UpdateArtifact: logged('UpdateArtifact', updateArtifact),
      AddAssociation: logged('AddAssociation', addAssociation),
    },
    log,
  };
}
