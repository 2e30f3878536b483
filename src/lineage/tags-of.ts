// The tags of models and endpoints read one by one: a describe (does it still exist? an
// endpoint's status) and a ListTags each. What the snapshot source answers tagsOf with, and what
// the SageMaker adapter falls back to for the resources its Search did not return.
import { NotAuthorized, SourceUnavailable, Throttled } from './errors.js';
import type { LineageSource, SubjectTags, TagSubject } from './lineage-source.js';
import { mapPool } from './pool.js';

type Reader = Pick<LineageSource, 'describeModel' | 'describeEndpoint' | 'listTags'>;

export async function tagsOneByOne(source: Reader, subjects: readonly TagSubject[], concurrency: number): Promise<SubjectTags[]> {
  return mapPool(subjects, concurrency, async (subject) => {
    try {
      return await readOne(source, subject);
    } catch (error) {
      // A resource SageMaker would not describe or list the tags of is that resource's answer; anything else is a bug to surface.
      if (error instanceof SourceUnavailable || error instanceof NotAuthorized || error instanceof Throttled) return { subject, unreadable: error };
      throw error;
    }
  });
}

async function readOne(source: Reader, subject: TagSubject): Promise<SubjectTags> {
  if (subject.kind === 'Model') {
    const model = await source.describeModel(subject.name);
    return model ? { subject, found: true, tags: await source.listTags(model.arn) } : { subject, found: false, tags: {} };
  }
  const endpoint = await source.describeEndpoint(subject.name);
  // A deleted endpoint the lineage remembers by ARN: whatever tags SageMaker still holds for it.
  if (!endpoint) return { subject, found: false, tags: subject.arn ? await source.listTags(subject.arn) : {} };
  return { subject, found: true, status: endpoint.status, tags: await source.listTags(endpoint.arn) };
}
