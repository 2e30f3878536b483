// A feature group read by many models, for folding and size tests: raw data → build job →
// `shared`, then per model its own dataset, training job, model and endpoint.
import { GraphBuilder, LAKE } from './graph-builder.js';

export function fanOutAccount(models: number): GraphBuilder {
  const g = new GraphBuilder();
  const fg = g.featureGroup('shared');
  g.chain(g.dataSource(`${LAKE}/raw/shared.csv`), g.processingJob('build-shared'), fg);
  for (let i = 0; i < models; i++) {
    const id = String(i).padStart(3, '0');
    const model = g.model(`model-${id}`);
    const job = g.trainingJob(`job-${id}`);
    g.chain(fg, g.dataset(`train-${id}`), job).edge(job, model, 'Produced');
    g.deploy(model, g.endpoint(`model-${id}-prod`));
  }
  return g;
}
